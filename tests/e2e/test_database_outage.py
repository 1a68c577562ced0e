"""The database goes away in the middle of a stream of messages and comes back."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.clock import ManualClock
from bot.config import Settings
from handlers.common import TELL_AFTER
from models.db import Database
from models.tables import Customer, ProcessedUpdate
from tests.e2e.conftest import make_team
from tests.support.database import on_postgres
from tests.support.proxy import TcpProxy
from tgemu.sandbox import Sandbox

pytestmark = pytest.mark.skipif(not on_postgres(), reason="takes a database server away")

AWAY = TELL_AFTER + 1.5  # seconds: long enough for the chat to be told once


async def test_messages_sent_while_the_database_is_away_are_applied_once(
    database_url: str, clock: ManualClock
) -> None:
    url = make_url(database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = Settings(CRMBOT_DATABASE_RETRY=120)
    names = ["Globex", "Initech", "Umbrella"]
    async with Sandbox(database_url=proxied, clock=clock, settings=settings) as box:
        team = make_team(box)
        await box.say(team.chat_id, team.manager, "/setup")
        assert "Acme" in (await box.say(team.chat_id, team.alice, "/lead Acme 50k"))[0].text
        before = len(box.emulator.sent(team.chat_id))

        proxy.cut()
        for name in names:
            await box.emulator.send_message(team.chat_id, team.alice.user_id, f"/lead {name}")
        await asyncio.sleep(AWAY)
        proxy.start()
        await box.settle()

        replies = [m.text for m in box.emulator.sent(team.chat_id)[before:]]
        waiting = [text for text in replies if "database is not answering" in text]
        cards = [text for text in replies if text not in waiting]
        assert len(waiting) == 1, replies  # told once, not once per message
        assert len(cards) == len(names), replies
        for name, card in zip(names, cards, strict=True):  # in the order they were sent
            assert name in card and "Lead" in card

    db = Database(database_url)
    with db.session() as s:
        stored = sorted(c.name for c in s.exec(select(Customer)))
        handled = s.exec(select(ProcessedUpdate)).all()
    db.dispose()
    proxy.cut()
    assert stored == sorted(["Acme", *names])  # each applied once
    assert len({(u.bot_id, u.update_id) for u in handled}) == len(handled)
