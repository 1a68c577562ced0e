"""Period phrases in English and Chinese → [start, end) in the team's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.reports.periods import (
    Period,
    PeriodError,
    last_full_week,
    parse_report_period,
    weeks_ending,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday 24 Nov 2026, 10:00 in Shanghai (02:00 UTC)
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SH)


@pytest.mark.parametrize(
    ("text", "first", "end"),
    [
        ("", date(2026, 11, 1), date(2026, 12, 1)),
        ("today", date(2026, 11, 24), date(2026, 11, 25)),
        ("今天", date(2026, 11, 24), date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 23), date(2026, 11, 24)),
        ("昨天", date(2026, 11, 23), date(2026, 11, 24)),
        ("week", date(2026, 11, 23), date(2026, 11, 30)),
        ("This Week", date(2026, 11, 23), date(2026, 11, 30)),
        ("本周", date(2026, 11, 23), date(2026, 11, 30)),
        ("last week", date(2026, 11, 16), date(2026, 11, 23)),
        ("上周", date(2026, 11, 16), date(2026, 11, 23)),
        ("month", date(2026, 11, 1), date(2026, 12, 1)),
        ("本月", date(2026, 11, 1), date(2026, 12, 1)),
        ("last month", date(2026, 10, 1), date(2026, 11, 1)),
        ("上月", date(2026, 10, 1), date(2026, 11, 1)),
        ("上个月", date(2026, 10, 1), date(2026, 11, 1)),
        ("quarter", date(2026, 10, 1), date(2027, 1, 1)),
        ("本季度", date(2026, 10, 1), date(2027, 1, 1)),
        ("last quarter", date(2026, 7, 1), date(2026, 10, 1)),
        ("year", date(2026, 1, 1), date(2027, 1, 1)),
        ("今年", date(2026, 1, 1), date(2027, 1, 1)),
        ("2026-02", date(2026, 2, 1), date(2026, 3, 1)),
        ("2024-2", date(2024, 2, 1), date(2024, 3, 1)),
        ("2026年3月", date(2026, 3, 1), date(2026, 4, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        ("last 30d", date(2026, 10, 26), date(2026, 11, 25)),
        ("30d", date(2026, 10, 26), date(2026, 11, 25)),
        ("last 7 days", date(2026, 11, 18), date(2026, 11, 25)),
        ("近30天", date(2026, 10, 26), date(2026, 11, 25)),
        ("最近7天", date(2026, 11, 18), date(2026, 11, 25)),
    ],
)
def test_phrases(text: str, first: date, end: date) -> None:
    period = parse_report_period(text, now=NOW, tz=SH)
    assert (period.first, period.end_date) == (first, end)
    assert period.start == datetime.combine(first, datetime.min.time(), tzinfo=SH)
    assert period.end == datetime.combine(end, datetime.min.time(), tzinfo=SH)


@pytest.mark.parametrize(
    "text", ["soon", "2026-13", "0d", "last 0 days", "明年", "1999-01", "week2"]
)
def test_unknown_phrases_raise(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_report_period(text, now=NOW, tz=SH)


def test_the_day_is_the_teams_not_utcs() -> None:
    # 1 Nov 2026 00:30 in Shanghai is still 31 Oct in UTC.
    early = datetime(2026, 11, 1, 0, 30, tzinfo=SH)
    period = parse_report_period("today", now=early, tz=SH)
    assert period.first == date(2026, 11, 1)
    assert period.start.astimezone(ZoneInfo("UTC")) == datetime(
        2026, 10, 31, 16, 0, tzinfo=ZoneInfo("UTC")
    )


def test_weeks_are_monday_based_on_sunday_too() -> None:
    sunday = datetime(2026, 11, 29, 23, 0, tzinfo=SH)
    assert parse_report_period("week", now=sunday, tz=SH).first == date(2026, 11, 23)


def test_a_week_across_a_dst_change_keeps_local_midnights() -> None:
    # Europe/Berlin leaves summer time on Sunday 25 Oct 2026: that week has 169 hours.
    now = datetime(2026, 10, 27, 12, 0, tzinfo=BERLIN)
    week = parse_report_period("last week", now=now, tz=BERLIN)
    assert (week.start.hour, week.end.hour) == (0, 0)
    utc = ZoneInfo("UTC")  # aware datetimes in one zone subtract as wall-clock times
    assert (week.end.astimezone(utc) - week.start.astimezone(utc)).total_seconds() == 169 * 3600


def test_last_full_week_and_the_weeks_before_it() -> None:
    week = last_full_week(now=NOW, tz=SH)
    assert (week.first, week.end_date) == (date(2026, 11, 16), date(2026, 11, 23))
    weeks = weeks_ending(week, 3)
    assert [w.first for w in weeks] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]


def test_code_round_trip() -> None:
    period = parse_report_period("last 30d", now=NOW, tz=SH)
    assert period.code() == "20261026-20261125"
    again = Period.from_code(period.code(), SH)
    assert (again.first, again.end_date) == (period.first, period.end_date)
    with pytest.raises(PeriodError):
        Period.from_code("nonsense", SH)
