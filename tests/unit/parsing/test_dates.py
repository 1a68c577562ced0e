"""Dates and times: every documented form, against a fixed now (Tue 2026-11-24 10:00)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import parse_due

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)  # a Tuesday


def due(text: str, now: datetime = NOW, tz: ZoneInfo = SHANGHAI) -> str | None:
    found = parse_due(text, now=now, tz=tz)
    return found.when.isoformat() if found else None


def cst(stamp: str) -> str:
    return f"{stamp}:00+08:00".replace(" ", "T")


ENGLISH = [
    ("tomorrow 3pm", "2026-11-25 15:00"),
    ("tomorrow at 3 pm", "2026-11-25 15:00"),
    ("3pm tomorrow", "2026-11-25 15:00"),
    ("tmrw 2pm", "2026-11-25 14:00"),
    ("Tomorrow", "2026-11-25 09:00"),
    ("the day after tomorrow at 10:30", "2026-11-26 10:30"),
    ("day after tomorrow", "2026-11-26 09:00"),
    ("next Tuesday", "2026-12-01 09:00"),
    ("next tue", "2026-12-01 09:00"),
    ("Tuesday next week", "2026-12-01 09:00"),
    ("this Thursday", "2026-11-26 09:00"),
    ("this Monday", "2026-11-23 09:00"),
    ("Monday 9am", "2026-11-30 09:00"),
    ("on Friday", "2026-11-27 09:00"),
    ("Friday at 3", "2026-11-27 15:00"),
    ("Tuesday", "2026-12-01 09:00"),
    ("Tuesday 4pm", "2026-11-24 16:00"),
    ("last Friday", "2026-11-20 09:00"),
    ("on Sat", "2026-11-28 09:00"),
    ("in 3 days", "2026-11-27 09:00"),
    ("in two weeks", "2026-12-08 09:00"),
    ("in a week", "2026-12-01 09:00"),
    ("in 2 hours", "2026-11-24 12:00"),
    ("in 30 minutes", "2026-11-24 10:30"),
    ("in half an hour", "2026-11-24 10:30"),
    ("3 days from now", "2026-11-27 09:00"),
    ("in 2 months", "2027-01-24 09:00"),
    ("in 3 days at 4pm", "2026-11-27 16:00"),
    ("tonight 8pm", "2026-11-24 20:00"),
    ("tonight", "2026-11-24 19:00"),
    ("this afternoon", "2026-11-24 14:00"),
    ("tomorrow morning", "2026-11-25 09:00"),
    ("tomorrow evening", "2026-11-25 19:00"),
    ("tomorrow morning at 10", "2026-11-25 10:00"),
    ("Dec 5", "2026-12-05 09:00"),
    ("Dec. 5th", "2026-12-05 09:00"),
    ("5 December", "2026-12-05 09:00"),
    ("5th of December", "2026-12-05 09:00"),
    ("December 15th at 2pm", "2026-12-15 14:00"),
    ("Jan 5", "2027-01-05 09:00"),
    ("Nov 24", "2026-11-24 09:00"),
    ("Nov 23", "2027-11-23 09:00"),
    ("March 3, 2027", "2027-03-03 09:00"),
    ("2026-12-10", "2026-12-10 09:00"),
    ("2026/12/10 15:30", "2026-12-10 15:30"),
    ("today", "2026-11-24 09:00"),
    ("3pm", "2026-11-24 15:00"),
    ("9am", "2026-11-25 09:00"),
    ("10:30", "2026-11-24 10:30"),
    ("noon", "2026-11-24 12:00"),
    ("next week", "2026-11-30 09:00"),
    ("next month", "2026-12-01 09:00"),
    ("end of the month", "2026-11-30 09:00"),
    ("this weekend", "2026-11-28 09:00"),
    ("the 5th", "2026-12-05 09:00"),
    ("the 30th", "2026-11-30 09:00"),
    ("by 12/5", "2026-12-05 09:00"),
    ("12/5/2026 at 3pm", "2026-12-05 15:00"),
]
SIMPLIFIED = [
    ("明天下午3点", "2026-11-25 15:00"),
    ("明早9点", "2026-11-25 09:00"),
    ("今晚8点", "2026-11-24 20:00"),
    ("后天", "2026-11-26 09:00"),
    ("大后天", "2026-11-27 09:00"),
    ("3天后", "2026-11-27 09:00"),
    ("三天后", "2026-11-27 09:00"),
    ("两周后", "2026-12-08 09:00"),
    ("1小时后", "2026-11-24 11:00"),
    ("半小时后", "2026-11-24 10:30"),
    ("一个半小时后", "2026-11-24 11:30"),
    ("2个月后", "2027-01-24 09:00"),
    ("过两天", "2026-11-26 09:00"),
    ("周五", "2026-11-27 09:00"),
    ("本周四", "2026-11-26 09:00"),
    ("这周一", "2026-11-23 09:00"),
    ("下周二", "2026-12-01 09:00"),
    ("下周五上午9点半", "2026-12-04 09:30"),
    ("下下周一", "2026-12-07 09:00"),
    ("上周五", "2026-11-20 09:00"),
    ("周二", "2026-12-01 09:00"),
    ("周二下午3点", "2026-11-24 15:00"),
    ("12月5日", "2026-12-05 09:00"),
    ("十二月五日", "2026-12-05 09:00"),
    ("11月30日上午10点", "2026-11-30 10:00"),
    ("12月1日 14:00", "2026-12-01 14:00"),
    ("12月1号下午2点半", "2026-12-01 14:30"),
    ("1月5日", "2027-01-05 09:00"),
    ("2027年3月1日", "2027-03-01 09:00"),
    ("下个月3号", "2026-12-03 09:00"),
    ("下个月", "2026-12-01 09:00"),
    ("5号", "2026-12-05 09:00"),
    ("30号", "2026-11-30 09:00"),
    ("月底", "2026-11-30 09:00"),
    ("周末", "2026-11-28 09:00"),
    ("下周末", "2026-12-05 09:00"),
    ("下周", "2026-11-30 09:00"),
    ("明天", "2026-11-25 09:00"),
    ("明天下午", "2026-11-25 14:00"),
    ("明天早上10点", "2026-11-25 10:00"),
    ("星期三", "2026-11-25 09:00"),
    ("礼拜五", "2026-11-27 09:00"),
    ("礼拜天", "2026-11-29 09:00"),
    ("周日", "2026-11-29 09:00"),
    ("中午12点", "2026-11-24 12:00"),
    ("中午1点", "2026-11-24 13:00"),
    ("晚上7点半", "2026-11-24 19:30"),
    ("晚上12点", "2026-11-25 00:00"),
    ("下午3点15分", "2026-11-24 15:15"),
    ("下午三点一刻", "2026-11-24 15:15"),
    ("3点", "2026-11-24 15:00"),
    ("下午两点", "2026-11-24 14:00"),
    ("凌晨2点", "2026-11-25 02:00"),
    ("8点", "2026-11-25 08:00"),
    ("下周二前给报价", "2026-12-01 09:00"),
]
TRADITIONAL = [
    ("下週三", "2026-12-02 09:00"),
    ("明天早上10點", "2026-11-25 10:00"),
    ("後天下午3點", "2026-11-26 15:00"),
    ("禮拜一", "2026-11-30 09:00"),
    ("兩週後", "2026-12-08 09:00"),
    ("3個小時後", "2026-11-24 13:00"),
    ("大後天", "2026-11-27 09:00"),
    ("週五晚上7點", "2026-11-27 19:00"),
    ("下個月10號", "2026-12-10 09:00"),
]
NOT_DATES = [
    "",
    "50k",
    "12万",
    "3.5w",
    "便宜一点",
    "晚一点再联系",
    "3号楼",
    "sat down with Acme",
    "Acme Trading",
    "50%",
    "13800138000",
    "两点建议",
    "十万火急",
    "may I come by",
    "version 1/2",
    "score 3.5",
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH + SIMPLIFIED + TRADITIONAL)
def test_due_in_shanghai(text: str, expected: str) -> None:
    assert due(text) == cst(expected)


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    assert due(text) is None


# Sat 2026-03-07 10:00 in New York; clocks jump from 02:00 to 03:00 on Sunday 03-08.
NY_NOW = datetime(2026, 3, 7, 10, 0, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 9am", "2026-03-08T09:00:00-04:00"),
        ("tomorrow 2:30am", "2026-03-08T03:30:00-04:00"),  # 02:30 does not exist that day
        ("in 24 hours", "2026-03-08T11:00:00-04:00"),  # elapsed time, across the jump
        ("in 3 days", "2026-03-10T09:00:00-04:00"),
        ("Monday 9am", "2026-03-09T09:00:00-04:00"),
        ("next Friday", "2026-03-13T09:00:00-04:00"),
        ("tonight 8pm", "2026-03-07T20:00:00-05:00"),
        ("Saturday", "2026-03-14T09:00:00-04:00"),
        ("Saturday 5pm", "2026-03-07T17:00:00-05:00"),
        ("明天下午3点", "2026-03-08T15:00:00-04:00"),
    ],
)
def test_due_in_new_york(text: str, expected: str) -> None:
    assert due(text, now=NY_NOW, tz=NEW_YORK) == expected


def test_now_in_another_zone_is_converted() -> None:
    now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Mon 2026-11-23 21:00 in New York
    assert due("tomorrow", now=now, tz=NEW_YORK) == "2026-11-24T09:00:00-05:00"
    assert due("tomorrow", now=now, tz=SHANGHAI) == "2026-11-25T09:00:00+08:00"


def test_default_time_is_used_for_dates_without_time() -> None:
    found = parse_due("下周二", now=NOW, tz=SHANGHAI, default_time=time(14, 30))
    assert found is not None and found.when.isoformat() == "2026-12-01T14:30:00+08:00"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("visited Acme today, follow up next Tuesday about the quote", "next Tuesday"),
        ("拜访华为，下周二跟进报价", "下周二"),
        ("call them on Friday at 3pm please", "on Friday at 3pm"),
        ("万科 明天下午3点 回访", "明天下午3点"),
        ("Acme 50k tomorrow", "tomorrow"),
    ],
)
def test_span_and_choice(text: str, phrase: str) -> None:
    found = parse_due(text, now=NOW, tz=SHANGHAI)
    assert found is not None
    assert text[found.start : found.end] == phrase


def test_result_is_aware_in_team_zone() -> None:
    found = parse_due("明天下午3点", now=NOW.astimezone(UTC), tz=SHANGHAI)
    assert found is not None
    assert found.when.tzinfo == SHANGHAI
    assert found.when.second == 0 and found.when.microsecond == 0
