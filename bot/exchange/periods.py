"""Export periods: 'month', '2026-11', 'last 30d', '本月', '上季度', '2026-01-01..2026-03-31'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    """[start, end) in the team's zone; `first` and `last` are the calendar days it covers."""

    start: datetime
    end: datetime

    @property
    def first(self) -> date:
        return self.start.date()

    @property
    def last(self) -> date:
        return (self.end - timedelta(days=1)).date()


_WORDS: dict[str, tuple[str, int]] = {
    "today": ("day", 0), "今天": ("day", 0), "今日": ("day", 0),
    "yesterday": ("day", -1), "昨天": ("day", -1), "昨日": ("day", -1),
    "week": ("week", 0), "this week": ("week", 0), "本周": ("week", 0), "这周": ("week", 0),
    "last week": ("week", -1), "上周": ("week", -1),
    "month": ("month", 0), "this month": ("month", 0), "本月": ("month", 0),
    "这个月": ("month", 0), "last month": ("month", -1), "上月": ("month", -1),
    "上个月": ("month", -1),
    "quarter": ("quarter", 0), "this quarter": ("quarter", 0), "本季度": ("quarter", 0),
    "本季": ("quarter", 0), "last quarter": ("quarter", -1), "上季度": ("quarter", -1),
    "上季": ("quarter", -1),
    "year": ("year", 0), "this year": ("year", 0), "今年": ("year", 0), "本年": ("year", 0),
    "last year": ("year", -1), "去年": ("year", -1),
}  # fmt: skip
_ALL = {"", "all", "everything", "全部", "所有"}
_LAST_N = re.compile(
    r"^(?:last|past|近|最近|过去)?\s*(?P<n>\d{1,4})\s*"
    r"(?P<unit>d|days?|天|日|w|weeks?|周|个?星期|m|months?|个月)$"
)
_MONTH = re.compile(r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*月?$")
_YEAR = re.compile(r"^(?P<y>\d{4})\s*年?$")
_QUARTER = re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*q(?P<q>[1-4])$|^q(?P<q2>[1-4])\s*(?P<y2>\d{4})?$")
_DAY = r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
_RANGE = re.compile(rf"^{_DAY}\s*(?:\.\.|~|to|至|到|—|–|-)\s*{_DAY}$")


class PeriodError(ValueError):
    """The text names no period crmbot knows."""


def parse_period(text: str, *, now: datetime, tz: ZoneInfo) -> Period | None:
    """Return the period a user named, None for everything; raise PeriodError otherwise."""
    key = " ".join(text.casefold().split())
    today = now.astimezone(tz).date()
    if key in _ALL:
        return None
    try:
        return _parse(key, today, tz)
    except ValueError:  # an impossible date such as 2026-13
        raise PeriodError(text) from None


def _parse(key: str, today: date, tz: ZoneInfo) -> Period:
    if key in _WORDS:
        unit, offset = _WORDS[key]
        return _calendar(unit, offset, today, tz)
    if m := _LAST_N.match(key):
        n, unit = int(m["n"]), m["unit"]
        if n < 1:
            raise PeriodError(key)
        if unit[0] in "w周星":
            days = 7 * n
        elif unit[0] in "m个" or unit.startswith("month"):
            days = 30 * n
        else:
            days = n
        return _days(today - timedelta(days=days - 1), today + timedelta(days=1), tz)
    if m := _MONTH.match(key):
        first = date(int(m["y"]), int(m["m"]), 1)
        return _days(first, _add_months(first, 1), tz)
    if m := _YEAR.match(key):
        year = int(m["y"])
        return _days(date(year, 1, 1), date(year + 1, 1, 1), tz)
    if m := _QUARTER.match(key):
        year = int(m["y"] or m["y2"] or today.year)
        quarter = int(m["q"] or m["q2"])
        first = date(year, 3 * quarter - 2, 1)
        return _days(first, _add_months(first, 3), tz)
    if m := _RANGE.match(key):
        y1, m1, d1, y2, m2, d2 = (int(x) for x in m.groups())
        first, last = date(y1, m1, d1), date(y2, m2, d2)
        if last < first:
            raise PeriodError(key)
        return _days(first, last + timedelta(days=1), tz)
    raise PeriodError(key)


def _calendar(unit: str, offset: int, today: date, tz: ZoneInfo) -> Period:
    if unit == "day":
        first = today + timedelta(days=offset)
        return _days(first, first + timedelta(days=1), tz)
    if unit == "week":
        first = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        return _days(first, first + timedelta(weeks=1), tz)
    if unit == "month":
        first = _add_months(today.replace(day=1), offset)
        return _days(first, _add_months(first, 1), tz)
    if unit == "quarter":
        first = _add_months(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), 3 * offset)
        return _days(first, _add_months(first, 3), tz)
    first = date(today.year + offset, 1, 1)
    return _days(first, date(first.year + 1, 1, 1), tz)


def _days(first: date, end: date, tz: ZoneInfo) -> Period:
    return Period(
        datetime.combine(first, time(), tzinfo=tz), datetime.combine(end, time(), tzinfo=tz)
    )


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
