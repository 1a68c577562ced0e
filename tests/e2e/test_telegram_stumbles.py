"""When Telegram stumbles: 5xx answers, timeouts and lost connections (upgraded groups:
test_group_upgrade.py)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from tests.e2e.conftest import Team, make_team
from tgemu.sandbox import Sandbox

REMINDERS = "due_reminders"
SETUP_DONE = "✅ crmbot is active for this group."


def send_calls(sandbox: Sandbox, chat_id: int) -> list[Any]:
    return [c for c in sandbox.emulator.calls if c.method == "sendMessage" and c.chat_id == chat_id]


@pytest.mark.parametrize(
    "stumble",
    [
        {"fault": "error", "status": 500},
        {"fault": "error", "status": 502},
        {"fault": "hang"},
        {"fault": "disconnect"},
    ],
    ids=["500", "502", "timeout", "connection-lost"],
)
async def test_a_reply_that_stumbles_once_arrives_once(
    database_url: str, clock: ManualClock, stumble: dict[str, Any]
) -> None:
    # The bot gives up waiting for an answer after read_timeout; the hang outlasts it.
    read_timeout = 0.5 if stumble["fault"] == "hang" else None
    async with Sandbox(database_url=database_url, clock=clock, read_timeout=read_timeout) as box:
        team = make_team(box)
        box.emulator.inject_fault("sendMessage", chat_id=team.chat_id, **stumble)
        replies = await box.say(team.chat_id, team.manager, "/setup")
        assert [r.text.splitlines()[0] for r in replies] == [SETUP_DONE]
        assert [c.ok for c in send_calls(box, team.chat_id)] == [False, True]
        (reply,) = await box.say(team.chat_id, team.manager, "/setup")  # still answered once
        assert reply.text.startswith("crmbot is already active here")


async def test_a_press_that_stumbles_is_answered_and_edited(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/task call Acme back in 1 hour")
    clock.advance(timedelta(hours=2))
    (reminder,) = await sandbox.run_job(REMINDERS)
    sandbox.emulator.inject_fault("answerCallbackQuery", "disconnect")
    sandbox.emulator.inject_fault("editMessageText", status=503)
    await sandbox.press(chat, alice, reminder.message_id, "r:d:1")
    assert len(sandbox.emulator.callback_answers) == 1
    edited = sandbox.message(chat, reminder.message_id)
    assert edited.text.endswith("— done by @alice") and len(edited.edits) == 1


async def test_a_reply_that_cannot_be_sent_is_logged_and_the_bot_goes_on(
    sandbox: Sandbox, team: Team, caplog: pytest.LogCaptureFixture
) -> None:
    chat = team.chat_id
    sandbox.emulator.inject_fault("sendMessage", times=5, chat_id=chat)  # every attempt
    with caplog.at_level(logging.INFO):
        assert await sandbox.say(chat, team.manager, "/setup") == []
    [gave_up] = [r for r in caplog.records if r.name == "bot.delivery" and r.levelno >= 30]
    line = gave_up.getMessage()
    assert f"gave up on sendMessage to chat {chat} after 5 attempt(s)" in line
    assert repr(SETUP_DONE)[:-1] in line  # the start of the text, as far as it goes
    assert not [r for r in caplog.records if r.name == "handlers.fallback"]  # no crash
    assert len(send_calls(sandbox, chat)) == 5
    (reply,) = await sandbox.say(chat, team.manager, "/setup")  # the team was activated
    assert reply.text.startswith("crmbot is already active here")
