"""Working-time arithmetic in the team's zone: nights, weekends and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.services.worktime import (
    WorkTime,
    add_working_time,
    is_working_time,
    next_working_moment,
    parse_clock,
    working_time_between,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
EVERY_DAY = frozenset(range(1, 8))


def work(tz: ZoneInfo, start: str = "09:00", end: str = "18:00", days: str = "12345") -> WorkTime:
    return WorkTime.from_settings(str(tz), start, end, days)


@pytest.mark.parametrize(
    ("tz", "local", "expected_local"),
    [
        # Inside the window: now.
        (SHANGHAI, datetime(2026, 11, 24, 10, 0), datetime(2026, 11, 24, 10, 0)),
        # Before the morning: today's start.
        (SHANGHAI, datetime(2026, 11, 24, 7, 30), datetime(2026, 11, 24, 9, 0)),
        # A task due at 23:00 on a Tuesday: Wednesday morning.
        (SHANGHAI, datetime(2026, 11, 24, 23, 0), datetime(2026, 11, 25, 9, 0)),
        # The end of the day is not inside it.
        (SHANGHAI, datetime(2026, 11, 24, 18, 0), datetime(2026, 11, 25, 9, 0)),
        # Friday evening and the weekend: Monday morning.
        (SHANGHAI, datetime(2026, 11, 27, 19, 0), datetime(2026, 11, 30, 9, 0)),
        (SHANGHAI, datetime(2026, 11, 28, 11, 0), datetime(2026, 11, 30, 9, 0)),
        # Berlin springs forward on Sunday 29 March 2026: Monday 09:00 is CEST.
        (BERLIN, datetime(2026, 3, 27, 18, 30), datetime(2026, 3, 30, 9, 0)),
        # Berlin falls back on Sunday 25 October 2026: Monday 09:00 is CET.
        (BERLIN, datetime(2026, 10, 23, 20, 0), datetime(2026, 10, 26, 9, 0)),
        # New York springs forward on 8 March and falls back on 1 November 2026.
        (NEW_YORK, datetime(2026, 3, 6, 17, 59), datetime(2026, 3, 6, 17, 59)),
        (NEW_YORK, datetime(2026, 3, 6, 18, 0), datetime(2026, 3, 9, 9, 0)),
        (NEW_YORK, datetime(2026, 10, 30, 23, 0), datetime(2026, 11, 2, 9, 0)),
    ],
)
def test_next_working_moment(tz: ZoneInfo, local: datetime, expected_local: datetime) -> None:
    when = local.replace(tzinfo=tz)
    result = next_working_moment(when, work(tz))
    assert result.tzinfo is UTC
    assert result == expected_local.replace(tzinfo=tz)
    assert result.astimezone(tz).time() == expected_local.time()


@pytest.mark.parametrize(
    ("tz", "utc_expected"),
    [
        # 09:00 on Monday 30 March is 07:00 UTC in Berlin (CEST), 08:00 the week before.
        (BERLIN, datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),
    ],
)
def test_the_morning_after_spring_forward_is_an_hour_earlier_in_utc(
    tz: ZoneInfo, utc_expected: datetime
) -> None:
    friday_evening = {BERLIN: datetime(2026, 3, 27, 19, 0), NEW_YORK: datetime(2026, 3, 6, 19, 0)}
    when = friday_evening[tz].replace(tzinfo=tz)
    assert next_working_moment(when, work(tz)) == utc_expected


def test_working_on_sunday_across_the_dst_change() -> None:
    every_day = work(BERLIN, "00:00", "12:00", "1234567")
    # The window of 29 March runs 00:00 CET to 12:00 CEST: 11 real hours.
    start = datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN)
    end = datetime(2026, 3, 29, 23, 0, tzinfo=BERLIN)
    assert working_time_between(start, end, every_day) == timedelta(hours=11)
    # On 25 October it is 13 real hours.
    start = datetime(2026, 10, 25, 0, 0, tzinfo=BERLIN)
    end = datetime(2026, 10, 25, 23, 0, tzinfo=BERLIN)
    assert working_time_between(start, end, every_day) == timedelta(hours=13)


def test_a_start_inside_the_spring_gap_lands_after_it() -> None:
    early = work(BERLIN, "02:30", "10:00", "1234567")
    saturday_night = datetime(2026, 3, 28, 23, 0, tzinfo=BERLIN)
    result = next_working_moment(saturday_night, early)
    assert result.astimezone(BERLIN).hour == 3 and result.astimezone(BERLIN).day == 29


@pytest.mark.parametrize(
    ("tz", "start_local", "hours", "expected_local"),
    [
        # Due Monday 10:00, 24 working hours of 9-hour days: Wednesday 16:00.
        (SHANGHAI, datetime(2026, 11, 23, 10, 0), 24, datetime(2026, 11, 25, 16, 0)),
        # Due Friday 23:00: counting starts Monday 09:00, ends Wednesday 15:00.
        (SHANGHAI, datetime(2026, 11, 27, 23, 0), 24, datetime(2026, 12, 2, 15, 0)),
        # Exactly the rest of the day ends at the end of the window.
        (SHANGHAI, datetime(2026, 11, 24, 9, 0), 9, datetime(2026, 11, 24, 18, 0)),
        (BERLIN, datetime(2026, 3, 27, 17, 0), 2, datetime(2026, 3, 30, 10, 0)),
        (NEW_YORK, datetime(2026, 10, 30, 12, 0), 8, datetime(2026, 11, 2, 11, 0)),
        (SHANGHAI, datetime(2026, 11, 24, 12, 0), 0, datetime(2026, 11, 24, 12, 0)),
    ],
)
def test_add_working_time(
    tz: ZoneInfo, start_local: datetime, hours: int, expected_local: datetime
) -> None:
    start = start_local.replace(tzinfo=tz)
    result = add_working_time(start, timedelta(hours=hours), work(tz))
    assert result == expected_local.replace(tzinfo=tz)
    # The inverse: that much working time lies between them.
    assert working_time_between(start, result, work(tz)) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 24, 8, 59), False),
        (datetime(2026, 11, 24, 9, 0), True),
        (datetime(2026, 11, 24, 17, 59), True),
        (datetime(2026, 11, 24, 18, 0), False),
        (datetime(2026, 11, 28, 10, 0), False),  # Saturday
    ],
)
def test_is_working_time(local: datetime, expected: bool) -> None:
    assert is_working_time(local.replace(tzinfo=SHANGHAI), work(SHANGHAI)) is expected


def test_custom_weekdays_and_hours() -> None:
    six_days = work(SHANGHAI, "08:30", "20:00", "123456")
    saturday = datetime(2026, 11, 28, 20, 30, tzinfo=SHANGHAI)
    assert next_working_moment(saturday, six_days) == datetime(2026, 11, 30, 8, 30, tzinfo=SHANGHAI)
    assert is_working_time(datetime(2026, 11, 28, 19, 0, tzinfo=SHANGHAI), six_days)


def test_broken_settings_fall_back_to_defaults() -> None:
    fallback = WorkTime.from_settings("Nowhere/City", "25:00", "18:00", "")
    assert fallback.start == time(9, 0) and fallback.end == time(18, 0)
    assert fallback.weekdays == frozenset({1, 2, 3, 4, 5})
    with pytest.raises(ValueError):
        WorkTime(tz=SHANGHAI, start=time(18), end=time(9))
    with pytest.raises(ValueError):
        next_working_moment(datetime(2026, 1, 1), work(SHANGHAI))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9)),
        ("9:30", time(9, 30)),
        ("23:59", time(23, 59)),
        ("24:00", None),
        ("9", None),
        ("noon", None),
    ],
)
def test_parse_clock(text: str, expected: time | None) -> None:
    assert parse_clock(text) == expected


def test_every_day_week_has_no_weekend() -> None:
    wt = WorkTime(tz=SHANGHAI, weekdays=EVERY_DAY)
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
    assert is_working_time(sunday, wt)
