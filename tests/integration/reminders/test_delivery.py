"""What the reminder job does when Telegram refuses: release, fall back, or give up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import select
from telegram.error import BadRequest, Forbidden, TelegramError, TimedOut

from bot.clock import ManualClock
from bot.services import reminders, tasks
from models.db import Database
from models.tables import Member, Task
from reminders.due import deliver
from tests.integration.core.factories import make_actor


@dataclass
class FakeBot:
    """Refuses the first sends with the given errors, then accepts."""

    errors: list[TelegramError]
    sent: list[int] = field(default_factory=list)

    async def send_message(self, chat_id: int, text: str, **_: Any) -> Any:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(chat_id)
        return SimpleNamespace(chat_id=chat_id, message_id=len(self.sent))


def overdue(db: Database, clock: ManualClock, *, private: bool = False) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        alice.team.remind_privately = private
        alice.member.private_chat = private
        tasks.create_task(session=s, actor=alice, title="x", due=now, owner=alice.member, now=now)


async def run(db: Database, clock: ManualClock, bot: FakeBot) -> None:
    context: Any = SimpleNamespace(bot=bot, db=db, clock=clock)
    with db.session() as s:
        notices = reminders.claim_due_reminders(session=s, now=clock())
    for notice in notices:
        await deliver(context, notice)


async def test_a_passing_failure_releases_the_claim(db: Database, clock: ManualClock) -> None:
    overdue(db, clock)
    bot = FakeBot([TimedOut()])
    await run(db, clock, bot)
    assert bot.sent == []
    clock.advance(timedelta(minutes=1))
    await run(db, clock, bot)
    assert bot.sent == [-100]
    with db.session() as s:
        task = s.get(Task, 1)
        assert task is not None and task.reminder_message_id == 1


@pytest.mark.parametrize("error", [BadRequest("Chat not found"), Forbidden("bot was kicked")])
async def test_a_refusing_group_is_not_retried_every_minute(
    db: Database, clock: ManualClock, error: TelegramError
) -> None:
    overdue(db, clock)
    bot = FakeBot([error])
    await run(db, clock, bot)
    clock.advance(timedelta(minutes=1))
    await run(db, clock, bot)
    assert bot.sent == []


async def test_a_refused_private_chat_falls_back_to_the_group(
    db: Database, clock: ManualClock
) -> None:
    overdue(db, clock, private=True)
    bot = FakeBot([Forbidden("bot was blocked by the user")])
    await run(db, clock, bot)
    assert bot.sent == [-100]
    with db.session() as s:
        alice = s.exec(select(Member).where(Member.username == "alice")).one()
        assert not alice.private_chat
