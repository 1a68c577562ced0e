"""An anonymous admin or a channel as the actor: no member, what needs one refused, audit."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.parsing import Intent
from bot.services import entries, ownership, teams
from bot.services.entries import Source
from bot.services.errors import NotAPerson
from bot.services.teams import Actor, Anonymous
from models.db import Database
from models.tables import AuditLog, Customer, Entry
from tests.integration.core.factories import make_actor, parsed

GROUP = -100
CHANNEL = -1005550000001
SRC = Source(chat_id=GROUP, message_id=1, text="text")


def test_the_groups_anonymous_admin_manages_and_is_audited_as_the_group(
    db: Database, clock: ManualClock
) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now, chat_id=GROUP)
        admin = Actor(alice.team, anonymous=Anonymous(GROUP, admin=True))

        def lead(actor: Actor, name: str) -> object:
            return entries.log_entry(
                session=s, actor=actor, parsed=parsed(Intent.LEAD, name), source=SRC, now=now
            )

        lead(alice, "Acme")
        assert admin.is_manager and admin.user_id == GROUP
        teams.set_language(session=s, actor=admin, language="zh", now=now)
        ownership.release(session=s, actor=admin, name="Acme", now=now)  # a manager may
        rows = s.exec(select(AuditLog).where(AuditLog.actor_user_id == GROUP)).all()
        assert [r.action for r in rows] == ["setting", "release"]
        assert all(r.detail["by"] == "anonymous admin" for r in rows)
        with pytest.raises(NotAPerson) as refused:
            lead(admin, "Globex")
        assert refused.value.key == "error.not_a_person.admin"
        assert [c.name for c in s.exec(select(Customer)).all()] == ["Acme"]


def test_a_channel_is_nobodys_manager(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        team = make_actor(s, now=now, chat_id=GROUP).team
        channel = Actor(team, anonymous=Anonymous(CHANNEL, admin=False))
        assert not channel.is_manager
        for attempt in (
            lambda: channel.member,
            lambda: channel.require_manager("error.not_manager.settings"),
            lambda: teams.set_language(session=s, actor=channel, language="zh", now=now),
        ):
            with pytest.raises(NotAPerson) as refused:
                attempt()
            assert refused.value.key == "error.not_a_person.channel"
        assert team.language == "en"
        assert s.exec(select(Customer)).all() == [] and s.exec(select(Entry)).all() == []
