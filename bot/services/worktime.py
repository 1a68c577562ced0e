"""A team's working time: which moments count, and arithmetic that skips nights and weekends.

Pure functions of aware datetimes and a WorkTime; every result is an aware UTC datetime.
Days are walked in the team's zone, so a window keeps its local hours across DST changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_START = time(9, 0)
DEFAULT_END = time(18, 0)
DEFAULT_WEEKDAYS = frozenset({1, 2, 3, 4, 5})  # ISO weekdays, Monday = 1
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class WorkTime:
    """When a team works: local hours [start, end) on ISO weekdays, in a time zone."""

    tz: ZoneInfo
    start: time = DEFAULT_START
    end: time = DEFAULT_END
    weekdays: frozenset[int] = DEFAULT_WEEKDAYS

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError("the working day must end after it starts")
        if not self.weekdays or not self.weekdays <= set(range(1, 8)):
            raise ValueError("working weekdays are a non-empty set of 1..7")

    @classmethod
    def from_settings(cls, timezone: str, start: str, end: str, weekdays: str) -> WorkTime:
        """Build from a team's stored settings; a broken value falls back to the default."""
        try:
            tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            tz = ZoneInfo("Asia/Shanghai")
        begin, finish = parse_clock(start), parse_clock(end)
        if begin is None or finish is None or not begin < finish:
            begin, finish = DEFAULT_START, DEFAULT_END
        days = frozenset(int(c) for c in weekdays if c in "1234567") or DEFAULT_WEEKDAYS
        return cls(tz=tz, start=begin, end=finish, weekdays=days)


def parse_clock(text: str) -> time | None:
    """Read 'HH:MM' (24-hour); None if it is not a clock time."""
    match = _CLOCK.match(text.strip())
    if match is None:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def is_working_day(day: date, work: WorkTime) -> bool:
    """Return whether a local date is a working day."""
    return day.isoweekday() in work.weekdays


def window(day: date, work: WorkTime) -> tuple[datetime, datetime]:
    """Return the working window of a local date as UTC instants (working day or not)."""
    start = datetime.combine(day, work.start, tzinfo=work.tz).astimezone(UTC)
    end = datetime.combine(day, work.end, tzinfo=work.tz).astimezone(UTC)
    return start, end


def local_date(when: datetime, work: WorkTime) -> date:
    """Return the team's calendar date at an instant."""
    return when.astimezone(work.tz).date()


def is_working_time(when: datetime, work: WorkTime) -> bool:
    """Return whether an instant falls inside the team's working hours on a working day."""
    day = local_date(when, work)
    if not is_working_day(day, work):
        return False
    start, end = window(day, work)
    return start <= when < end


def next_working_moment(when: datetime, work: WorkTime) -> datetime:
    """Return `when` if it is working time, else the start of the next working window."""
    _require_aware(when)
    day = local_date(when, work)
    for offset in range(8):
        candidate = day + timedelta(days=offset)
        if not is_working_day(candidate, work):
            continue
        start, end = window(candidate, work)
        if when < end:
            return max(when, start).astimezone(UTC)
    raise AssertionError("a week always has a working window")  # weekdays is never empty


def add_working_time(when: datetime, amount: timedelta, work: WorkTime) -> datetime:
    """Return the instant at which `amount` of working time has passed since `when`."""
    moment = next_working_moment(when, work)
    remaining = amount
    while True:
        _, end = window(local_date(moment, work), work)
        available = end - moment
        if remaining <= available:
            return moment + remaining
        remaining -= available
        moment = next_working_moment(end, work)


def working_time_between(start: datetime, end: datetime, work: WorkTime) -> timedelta:
    """Return how much working time lies between two instants (zero if end <= start)."""
    total = timedelta(0)
    moment = next_working_moment(start, work)
    while moment < end:
        _, close = window(local_date(moment, work), work)
        total += min(close, end) - moment
        moment = next_working_moment(close, work)
    return total


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None:
        raise ValueError("working-time arithmetic needs an aware datetime")
