"""Pure parsing for /task, /snooze, /done, reminder buttons and /settings values."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Html
from bot.services.errors import UsageError
from bot.services.reminders import Act, DueItem, Pressed
from bot.services.settings import parse_escalate, parse_hours, parse_weekdays
from bot.services.tasks import parse_snooze, parse_task_text
from bot.views.callbacks import ReminderAction, ReminderPress
from bot.views.reminders import pressed_text, weekdays_label
from handlers.tasks import parse_task_number
from models.queries.members import MemberView
from models.queries.tasks import DueTask
from models.tables import Member, Task

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SH)  # a Tuesday
NINE = time(9, 0)


@pytest.mark.parametrize(
    ("text", "title", "due_local", "assignee"),
    [
        ("send the price list tomorrow 3pm @bob", "send the price list",
         datetime(2026, 11, 25, 15, 0), "bob"),
        ("@alice call Huatai next Monday", "call Huatai", datetime(2026, 11, 30, 9, 0), "alice"),
        ("给华泰发报价单 明天下午3点", "给华泰发报价单", datetime(2026, 11, 25, 15, 0), None),
        ("prepare the contract", "prepare the contract", None, None),
        ("mail sales@acme.com friday", "mail sales@acme.com", datetime(2026, 11, 27, 9, 0), None),
    ],
)  # fmt: skip
def test_parse_task_text(
    text: str, title: str, due_local: datetime | None, assignee: str | None
) -> None:
    request = parse_task_text(text, now=NOW, tz=SH, default_time=NINE)
    assert request.title == title
    assert request.assignee == assignee
    assert request.due == (due_local.replace(tzinfo=SH) if due_local else None)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("2h", NOW + timedelta(hours=2)),
        ("30m", NOW + timedelta(minutes=30)),
        ("90 min", NOW + timedelta(minutes=90)),
        ("1d", NOW + timedelta(days=1)),
        ("3天", NOW + timedelta(days=3)),
        ("1w", NOW + timedelta(days=7)),
        ("2小时", NOW + timedelta(hours=2)),
        ("tomorrow", datetime(2026, 11, 25, 9, 0, tzinfo=SH)),
        ("下周一", datetime(2026, 11, 30, 9, 0, tzinfo=SH)),
        ("next friday 4pm", datetime(2026, 12, 4, 16, 0, tzinfo=SH)),
    ],
)
def test_parse_snooze(spec: str, expected: datetime) -> None:
    assert parse_snooze(spec, now=NOW, tz=SH, default_time=NINE) == expected


def test_snoozing_days_keeps_the_local_time_across_dst() -> None:
    saturday = datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN)
    until = parse_snooze("2d", now=saturday, tz=BERLIN, default_time=NINE)
    assert until.astimezone(BERLIN).hour == 10
    assert until.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=47)


@pytest.mark.parametrize("spec", ["", "0h", "soon", "yesterday", "999999h"])
def test_parse_snooze_rejects(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_snooze(spec, now=NOW, tz=SH, default_time=NINE)


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["12"], 12), (["#12"], 12), (["12", "2h"], 12), (["9" * 18], int("9" * 18))],
)
def test_parse_task_number(args: list[str], expected: int) -> None:
    assert parse_task_number(args, "usage.done") == expected


@pytest.mark.parametrize(
    "args", [[], [""], ["#"], ["x12"], ["-3"], ["²"], ["１２"], ["9" * 19], ["1" * 20]]
)
def test_parse_task_number_rejects(args: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_task_number(args, "usage.done")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("r:d:12", ReminderPress(ReminderAction.DONE, 12)),
        ("r:s:12:1h", ReminderPress(ReminderAction.SNOOZE, 12, "1h")),
        ("r:s:12:1d", ReminderPress(ReminderAction.SNOOZE, 12, "1d")),
        ("r:a:12", ReminderPress(ReminderAction.PICK, 12)),
        ("r:t:12:7", ReminderPress(ReminderAction.TO, 12, "7")),
        ("r:b:12", ReminderPress(ReminderAction.BACK, 12)),
        ("r:s:12:5y", None),
        ("r:t:12:x", None),
        ("r:x:12", None),
        ("r:d:abc", None),
        ("r:d:１２", None),
        ("r:d:²", None),
        ("r:d:" + "9" * 19, None),
        ("r:t:12:１２", None),
        ("e:undo:1", None),
        ("r:d", None),
    ],
)
def test_parse_press(data: str, expected: ReminderPress | None) -> None:
    assert ReminderPress.decode(data) == expected


def _pressed(number: int, waiting: list[DueItem]) -> Pressed:
    # The line is found by the number the team sees, not the task's id.
    task = Task(id=number + 100, number=number, team_id=1, owner_id=2, title="x", due_at=NOW)
    by = Member(id=2, team_id=1, user_id=2, username="bob")
    return Pressed(Act.DONE, task, None, by, "en", SH, waiting)


def test_pressed_text_swaps_the_task_line_and_keeps_the_rest() -> None:
    html = (
        '⏰ <a href="tg://user?id=2">Bob</a>, overdue:\n'
        "🔴 #3 · Tue 24 Nov 09:00 · Acme — call #12 back\n"
        "🔴 #12 · Tue 24 Nov 09:30 · <i>x</i>"
    )
    result = pressed_text(_pressed(12, []), Html("✅ #12 · x — done by @bob"), html, now=NOW)
    assert result.split("\n") == [
        '⏰ <a href="tg://user?id=2">Bob</a>, overdue:',
        "🔴 #3 · Tue 24 Nov 09:00 · Acme — call #12 back",
        "✅ #12 · x — done by @bob",
    ]


@pytest.mark.parametrize("html", [None, "", "⏰ @bob, overdue:\n(edited by hand)"])
def test_pressed_text_draws_a_message_without_the_task_again(html: str | None) -> None:
    owner = MemberView(id=2, user_id=2, username="bob", full_name="Bob", private_chat=False)
    due = DueTask(103, 3, 1, 2, None, "call <Acme>", NOW - timedelta(hours=1))
    other = DueItem(due, None, owner)
    result = pressed_text(_pressed(5, [other]), Html("✅ #5"), html, now=NOW)
    lines = result.split("\n")
    assert lines[0] == "✅ #5"
    assert "#3" in lines[1]
    assert "call &lt;Acme&gt;" in lines[1]
    assert len(lines) == 2


@pytest.mark.parametrize(
    ("days", "lang", "expected"),
    [
        ("12345", "en", "Mon–Fri"),
        ("123456", "zh", "周一–周六"),
        ("1246", "en", "Mon, Tue, Thu, Sat"),
        ("67", "zh", "周六、周日"),
    ],
)
def test_weekdays_label(days: str, lang: str, expected: str) -> None:
    assert weekdays_label(days, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("09:00-18:00", ("09:00", "18:00")), ("8:30 – 17:30", ("08:30", "17:30")),
     ("9:00至18:00", ("09:00", "18:00"))],
)  # fmt: skip
def test_parse_hours(text: str, expected: tuple[str, str]) -> None:
    assert parse_hours(text) == expected


@pytest.mark.parametrize("text", ["18:00-09:00", "9-18", "09:00", "25:00-26:00", "09:00-09:00"])
def test_parse_hours_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_hours(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1-5", "12345"), ("1,2,3,4,5,6", "123456"), ("12345", "12345"), ("6-7,1", "167"),
     ("1，3", "13")],
)  # fmt: skip
def test_parse_weekdays(text: str, expected: str) -> None:
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize("text", ["", "0-5", "5-1", "mon-fri", "8"])
def test_parse_weekdays_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_weekdays(text)


@pytest.mark.parametrize(("text", "expected"), [("24", 24), ("8h", 8), ("0", 0), ("off", 0)])
def test_parse_escalate(text: str, expected: int) -> None:
    assert parse_escalate(text) == expected


@pytest.mark.parametrize("text", ["-1", "721", "soon", "1.5", "²", "１２", "9" * 20])
def test_parse_escalate_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_escalate(text)
