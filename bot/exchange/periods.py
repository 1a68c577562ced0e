"""Export periods: the report periods (month, 2026-11, last 30d, 本月 …), plus what an export
also needs: everything, whole years and quarters, explicit date ranges.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.reports.periods import (
    Period,
    PeriodError,
    add_months,
    parse_report_period,
    quarter_start,
)

__all__ = ["Period", "PeriodError", "parse_export_period"]

_ALL = {"", "all", "everything", "全部", "所有"}
_LAST_YEAR = {"last year", "去年", "上年"}
_YEAR = re.compile(r"^(?P<y>\d{4})\s*年?$")
_QUARTER = re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*q(?P<q>[1-4])$|^q(?P<q2>[1-4])\s*(?P<y2>\d{4})?$")
_WEEKS_MONTHS = re.compile(
    r"^(?:last|past|近|最近|过去)?\s*(?P<n>\d{1,3})\s*(?:(?P<weeks>w|weeks?|周|个?星期)|m|months?|个月)$"
)
_DAY = r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
_RANGE = re.compile(rf"^{_DAY}\s*(?:\.\.|~|to|至|到|—|–|-)\s*{_DAY}$")


def parse_export_period(text: str, *, now: datetime, tz: ZoneInfo) -> Period | None:
    """Return the period a user named, None for everything; raise PeriodError otherwise.

    Without a period an export is a full backup, where /stats defaults to this month.
    """
    key = " ".join(text.casefold().split())
    if key in _ALL:
        return None
    try:
        return parse_report_period(key, now=now, tz=tz)
    except PeriodError:
        pass
    try:
        return _more(key, now.astimezone(tz).date(), tz)
    except ValueError:  # an impossible date such as 2026-02-30, or an empty range
        raise PeriodError(text) from None


def _more(key: str, today: date, tz: ZoneInfo) -> Period:
    if key in _LAST_YEAR:
        return Period(date(today.year - 1, 1, 1), date(today.year, 1, 1), tz, "year")
    if m := _YEAR.match(key):
        year = int(m["y"])
        return Period(date(year, 1, 1), date(year + 1, 1, 1), tz, "year")
    if m := _QUARTER.match(key):
        year, quarter = int(m["y"] or m["y2"] or today.year), int(m["q"] or m["q2"])
        first = quarter_start(date(year, 3 * quarter, 1))
        return Period(first, add_months(first, 3), tz, "quarter")
    if m := _WEEKS_MONTHS.match(key):
        end = today + timedelta(days=1)
        days = (7 if m["weeks"] else 30) * int(m["n"])
        return Period(end - timedelta(days=days), end, tz, "days")
    if m := _RANGE.match(key):
        y1, m1, d1, y2, m2, d2 = (int(x) for x in m.groups())
        return Period(date(y1, m1, d1), date(y2, m2, d2) + timedelta(days=1), tz, "range")
    raise PeriodError(key)
