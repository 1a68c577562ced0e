"""The statements built once (bind parameters) answer each call with its own arguments."""

from __future__ import annotations

from sqlmodel import select

from bot.clock import ManualClock
from bot.parsing import Intent
from bot.services import entries
from bot.services.entries import LoggedEntry, Source
from models.db import Database
from models.queries import customers, teams
from models.queries import entries as entry_queries
from models.tables import Entry
from tests.integration.core.factories import make_actor, parsed


def test_team_and_member_follow_their_arguments(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now, chat_id=-100, user_id=1, username="alice")
        bob = make_actor(s, now=now, chat_id=-200, user_id=2, username="bob")
        team, member, _ = teams.team_and_member(session=s, chat_id=-100, user_id=1)
        assert team is not None and member is not None
        assert (team.id, member.id) == (alice.team.id, alice.member.id)
        team, member, _ = teams.team_and_member(session=s, chat_id=-200, user_id=2)
        assert team is not None and member is not None
        assert (team.id, member.id) == (bob.team.id, bob.member.id)
        team, member, _ = teams.team_and_member(session=s, chat_id=-200, user_id=1)
        assert team is not None and team.id == bob.team.id and member is None
        assert teams.team_and_member(session=s, chat_id=-300, user_id=1) == (None, None, None)


def test_customer_by_key_stays_within_its_team(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now, chat_id=-100)
        bob = make_actor(s, now=now, chat_id=-200, user_id=2, username="bob")
        for actor in (alice, bob):
            entries.log_entry(
                session=s,
                actor=actor,
                parsed=parsed(Intent.LEAD, "Acme", amount="100"),
                source=Source(actor.team.chat_id, 1, "text"),
                now=now,
            )
        for actor in (alice, bob):
            hit = customers.customer_by_key_with_open_deal(
                session=s, team_id=actor.team.id, key="acme"
            )
            assert hit.customer is not None and hit.company_id is None
            assert hit.customer.team_id == actor.team.id
            assert hit.open_deal is not None and hit.open_deal.customer_id == hit.customer.id
            assert hit.owner is not None and hit.owner.id == actor.member.id
            assert (hit.channel, hit.partner) == (None, None)
        missing = customers.customer_by_key_with_open_deal(
            session=s, team_id=alice.team.id, key="globex"
        )
        assert missing.customer is None and missing.company_id is None


def test_set_card_message_changes_only_its_entry(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        ids = []
        for message_id, name in ((1, "Acme"), (2, "Globex")):
            out = entries.log_entry(
                session=s,
                actor=alice,
                parsed=parsed(Intent.LEAD, name),
                source=Source(-100, message_id, "text"),
                now=now,
            )
            assert isinstance(out, LoggedEntry)
            ids.append(out.entry.id)
    with db.session() as s:
        entry_queries.set_card_message(session=s, entry_id=ids[1], message_id=77)
    with db.session() as s:
        cards = {e.id: e.card_message_id for e in s.exec(select(Entry))}
    assert cards == {ids[0]: None, ids[1]: 77}
