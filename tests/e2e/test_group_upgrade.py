"""A basic group upgraded to a supergroup keeps its team; the bot removed and added back."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.clock import ManualClock
from models.tables import AuditLog, Customer, Task
from models.tables import Team as TeamRow
from reminders.digest import JOB as DIGEST
from tests.conftest import SHANGHAI
from tests.e2e.conftest import make_team
from tgemu.sandbox import Sandbox

REMINDERS = "due_reminders"
BASIC = -4000000001
SUPER = -1004000000001
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)


def sends_to(sandbox: Sandbox, chat_id: int) -> list[object]:
    return [c for c in sandbox.emulator.calls if c.method == "sendMessage" and c.chat_id == chat_id]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_explore(sandbox: Sandbox, clock: ManualClock, lang: str) -> None:
    team = make_team(sandbox, BASIC, lang=lang, basic=True)
    clock.set(MONDAY)
    for who, text in [
        (team.manager, "/setup"),
        (team.alice, "/lead Acme 50k"),
        (team.alice, "/task call Acme back in 1 hour"),
    ]:
        for r in await sandbox.say(BASIC, who, text):
            print("OLD", text, "->", r.text)
    await sandbox.emulator.upgrade_group(BASIC, team.manager.user_id, SUPER)
    await sandbox.settle()
    for who, text in [
        (team.alice, "/tasks"),
        (team.bob, "/lead Globex 10k"),
        (team.bob, "/customer Acme"),
    ]:
        for r in await sandbox.say(SUPER, who, text):
            print("NEW", text, "->", r.text, r.message_id)
    clock.advance(timedelta(hours=2))
    for r in await sandbox.run_job(REMINDERS):
        print("REM", r.chat_id, r.text)
    clock.set(datetime(2026, 12, 7, 9, 5, tzinfo=SHANGHAI))
    for r in await sandbox.run_job(DIGEST):
        print("DIG", r.chat_id, r.text)
    assert 0
