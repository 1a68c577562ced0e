"""Report periods: a phrase like "last month" or "本季度" → [start, end) in the team's zone.

Every period is whole local days, so it can be named by its first and last date; weeks start
on Monday. Pure: "now" and the zone are parameters.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS = 3660


class PeriodError(ValueError):
    """The text names no period this module understands."""


@dataclass(frozen=True)
class Period:
    """Whole local days [first, last + 1 day) in one zone."""

    first: date
    end_date: date  # exclusive
    tz: ZoneInfo
    kind: str = "range"  # today, week, month, quarter, year, days, range — for titles

    def __post_init__(self) -> None:
        if self.end_date <= self.first:
            raise PeriodError("empty period")

    @property
    def start(self) -> datetime:
        return local_midnight(self.first, self.tz)

    @property
    def end(self) -> datetime:
        return local_midnight(self.end_date, self.tz)

    @property
    def last(self) -> date:
        return self.end_date - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end_date - self.first).days

    def shift_weeks(self, weeks: int) -> Period:
        """Return the same span moved by whole weeks (negative = earlier)."""
        delta = timedelta(weeks=weeks)
        return Period(self.first + delta, self.end_date + delta, self.tz, self.kind)

    def code(self) -> str:
        """Encode the dates compactly (for callback data): 20261101-20261201."""
        return f"{self.first:%Y%m%d}-{self.end_date:%Y%m%d}"

    @classmethod
    def from_code(cls, code: str, tz: ZoneInfo) -> Period:
        first, _, end = code.partition("-")
        try:
            start_day = datetime.strptime(first, "%Y%m%d").date()  # noqa: DTZ007 (a date)
            end_day = datetime.strptime(end, "%Y%m%d").date()  # noqa: DTZ007
        except ValueError as exc:
            raise PeriodError(code) from exc
        return cls(start_day, end_day, tz)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """Return 00:00 of a local date as an aware datetime (DST-safe: wall-clock midnight)."""
    return datetime.combine(day, time(0), tzinfo=tz)


def week_start(day: date) -> date:
    """Return the Monday of a date's week."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """Return the first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def this_month(*, now: datetime, tz: ZoneInfo) -> Period:
    today = now.astimezone(tz).date()
    return Period(month_start(today), add_months(today, 1), tz, "month")


def last_full_week(*, now: datetime, tz: ZoneInfo) -> Period:
    """Return the last Monday–Sunday week that has ended."""
    monday = week_start(now.astimezone(tz).date())
    return Period(monday - timedelta(days=7), monday, tz, "week")


def week_so_far(*, now: datetime, tz: ZoneInfo) -> Period:
    """Return this week from its Monday to today, whole days."""
    today = now.astimezone(tz).date()
    return Period(week_start(today), today + timedelta(days=1), tz, "week")


def weeks_ending(week: Period, count: int) -> list[Period]:
    """Return `count` consecutive weeks ending with `week`, oldest first."""
    return [week.shift_weeks(-i) for i in range(count - 1, -1, -1)]


_WORDS: dict[str, str] = {
    # English
    "today": "today",
    "yesterday": "yesterday",
    "week": "week",
    "this week": "week",
    "last week": "last_week",
    "month": "month",
    "this month": "month",
    "last month": "last_month",
    "quarter": "quarter",
    "this quarter": "quarter",
    "last quarter": "last_quarter",
    "year": "year",
    "this year": "year",
    "ytd": "year",
    # 简体中文
    "今天": "today",
    "今日": "today",
    "昨天": "yesterday",
    "本周": "week",
    "这周": "week",
    "上周": "last_week",
    "本月": "month",
    "这个月": "month",
    "上月": "last_month",
    "上个月": "last_month",
    "本季度": "quarter",
    "本季": "quarter",
    "上季度": "last_quarter",
    "今年": "year",
    "本年": "year",
}
_DAYS = re.compile(r"^(?:last\s*|past\s*|近|最近|过去)?(\d{1,4})\s*(?:d|days?|天|日)$")
_MONTH = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?$")


def week_edges(weeks: list[Period]) -> tuple[list[datetime], int]:
    """The bucket edges of consecutive weeks, and every how many buckets one is a week.

    Full weeks touch: each is one bucket. Weeks so far (Monday to Wednesday) have gaps
    between them, which are buckets too: every other one is a week.
    """
    if all(a.end == b.start for a, b in itertools.pairwise(weeks)):
        return [w.start for w in weeks] + [weeks[-1].end], 1
    return [edge for w in weeks for edge in (w.start, w.end)], 2


def parse_report_period(text: str, *, now: datetime, tz: ZoneInfo) -> Period:
    """Read a period phrase (empty = this month); raise PeriodError if it is not one."""
    phrase = " ".join(text.casefold().split())
    today = now.astimezone(tz).date()
    if not phrase:
        return this_month(now=now, tz=tz)
    word = _WORDS.get(phrase)
    if word is not None:
        return _named(word, today, tz)
    if match := _DAYS.match(phrase):
        days = int(match.group(1))
        if not 1 <= days <= MAX_DAYS:
            raise PeriodError(text)
        end = today + timedelta(days=1)
        return Period(end - timedelta(days=days), end, tz, "days")
    if match := _MONTH.match(phrase):
        year, month = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise PeriodError(text)
        first = date(year, month, 1)
        return Period(first, add_months(first, 1), tz, "month")
    raise PeriodError(text)


def _named(word: str, today: date, tz: ZoneInfo) -> Period:
    one_day = timedelta(days=1)
    if word == "today":
        return Period(today, today + one_day, tz, "today")
    if word == "yesterday":
        return Period(today - one_day, today, tz, "today")
    if word in ("week", "last_week"):
        monday = week_start(today) - (timedelta(weeks=1) if word == "last_week" else timedelta())
        return Period(monday, monday + timedelta(weeks=1), tz, "week")
    if word in ("month", "last_month"):
        first = add_months(today, -1 if word == "last_month" else 0)
        return Period(first, add_months(first, 1), tz, "month")
    if word in ("quarter", "last_quarter"):
        first = quarter_start(today)
        if word == "last_quarter":
            first = add_months(first, -3)
        return Period(first, add_months(first, 3), tz, "quarter")
    return Period(date(today.year, 1, 1), date(today.year + 1, 1, 1), tz, "year")


def looks_like_period(text: str) -> bool:
    """Return whether a phrase parses as a period (used to split command arguments)."""
    try:
        parse_report_period(
            text, now=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")), tz=ZoneInfo("UTC")
        )
    except PeriodError:
        return False
    return True
