"""Export periods in the team's zone: the report periods plus everything, years, ranges."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.exchange.periods import PeriodError, parse_export_period

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SH)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("month", date(2026, 11, 1), date(2026, 11, 30)),
        ("本月", date(2026, 11, 1), date(2026, 11, 30)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("上月", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026年2月", date(2026, 2, 1), date(2026, 2, 28)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("last 30d", date(2026, 10, 26), date(2026, 11, 24)),
        ("Last 7 days", date(2026, 11, 18), date(2026, 11, 24)),
        ("近30天", date(2026, 10, 26), date(2026, 11, 24)),
        ("30d", date(2026, 10, 26), date(2026, 11, 24)),
        ("today", date(2026, 11, 24), date(2026, 11, 24)),
        ("昨天", date(2026, 11, 23), date(2026, 11, 23)),
        ("week", date(2026, 11, 23), date(2026, 11, 29)),
        ("上周", date(2026, 11, 16), date(2026, 11, 22)),
        ("quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("上季度", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("去年", date(2025, 1, 1), date(2025, 12, 31)),
        ("last 2w", date(2026, 11, 11), date(2026, 11, 24)),
        ("近3个月", date(2026, 8, 27), date(2026, 11, 24)),
        ("past 3 weeks", date(2026, 11, 4), date(2026, 11, 24)),
        ("2个星期", date(2026, 11, 11), date(2026, 11, 24)),
        ("最近2周", date(2026, 11, 11), date(2026, 11, 24)),
        ("1 month", date(2026, 10, 26), date(2026, 11, 24)),
        ("q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-01-05..2026-02-10", date(2026, 1, 5), date(2026, 2, 10)),
        ("2026/1/5 至 2026/2/10", date(2026, 1, 5), date(2026, 2, 10)),
    ],
)
def test_periods(text: str, first: date, last: date) -> None:
    period = parse_export_period(text, now=NOW, tz=SH)
    assert period is not None
    assert (period.first, period.last) == (first, last)
    assert period.start.tzinfo == SH and period.start.hour == 0


@pytest.mark.parametrize("text", ["", "all", "全部"])
def test_everything(text: str) -> None:
    assert parse_export_period(text, now=NOW, tz=SH) is None


@pytest.mark.parametrize(
    "text", ["soon", "2026-13", "last 0d", "2026-03-01..2026-01-01", "2026-02-30..2026-03-01"]
)
def test_unknown_periods_raise(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_export_period(text, now=NOW, tz=SH)
