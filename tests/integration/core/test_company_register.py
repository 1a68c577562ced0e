"""The company-wide register: who is warned of whose customer, and who never sees it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event
from sqlmodel import Session

from bot.clock import ManualClock
from bot.parsing import Intent
from bot.services import customers, entries
from bot.services.entries import LoggedEntry, NeedsChoice, Source
from bot.services.teams import Actor
from models.db import Database
from models.tables import Company, CompanyGroup, GroupKind
from tests.integration.core.factories import make_actor, parsed


def _company(session: Session, name: str, *actors: Actor, now: datetime) -> None:
    company = Company(name=name, created_at=now)
    session.add(company)
    session.flush()
    for i, actor in enumerate(actors):
        kind = GroupKind.HEAD_OFFICE if i == 0 else GroupKind.TEAM
        session.add(
            CompanyGroup(team_id=actor.team.id, company_id=company.id, kind=kind, joined_at=now)
        )
    session.flush()


def _lead(session: Session, actor: Actor, name: str, now: datetime) -> LoggedEntry | NeedsChoice:
    return entries.log_entry(
        session=session,
        actor=actor,
        parsed=parsed(Intent.LEAD, name),
        source=Source(actor.team.chat_id, 1, "text"),
        now=now,
    )


def test_only_an_owned_customer_of_the_same_company_warns(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        a = make_actor(s, now=now, chat_id=-100, user_id=1, username="alice")
        b = make_actor(s, now=now, chat_id=-200, user_id=2, username="bob")
        c = make_actor(s, now=now, chat_id=-300, user_id=3, username="carol")
        _company(s, "Acme", a, b, now=now)
        _company(s, "Globex", c, now=now)
        owned = _lead(s, a, "万科", now)
        pooled = _lead(s, a, "招商银行", now)
        assert isinstance(owned, LoggedEntry) and isinstance(pooled, LoggedEntry)
        customers.set_owner(
            session=s, actor=a, customer=pooled.customer, owner=None, now=now, action="release"
        )

        warned = _lead(s, b, "万科", now)
        assert isinstance(warned, LoggedEntry) and warned.elsewhere is not None
        assert warned.elsewhere.owner is not None and warned.elsewhere.owner.user_id == 1
        assert warned.customer.team_id == b.team.id and warned.customer_created
        assert warned.customer.owner_id == b.member.id  # the row is the group's own
        assert owned.customer.owner_id == a.member.id  # the registering group keeps it

        # In the pool nobody registered it: no warning, but it is offered as the same customer.
        asked = _lead(s, b, "招商银行", now)
        assert isinstance(asked, NeedsChoice)
        assert [(c.customer_id, c.group) for c in asked.candidates] == [
            (pooled.customer.id, "Sales")
        ]

        # Another company never hears of it.
        alone = _lead(s, c, "万科", now)
        assert isinstance(alone, LoggedEntry) and alone.elsewhere is None


def test_the_exact_lookup_across_groups_is_one_query(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        actors = [
            make_actor(s, now=now, chat_id=-100 - i, user_id=1 + i, username=f"rep{i}")
            for i in range(5)
        ]
        _company(s, "Acme", *actors, now=now)
        _lead(s, actors[1], "万科", now)
        register = customers.company_register(session=s, actor=actors[0])
        assert sorted(register.peers) == sorted(a.team.id for a in actors[1:])
        statements: list[str] = []

        def count(conn: object, cursor: object, sql: str, *args: object) -> None:
            statements.append(sql)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            found = customers.registered_elsewhere(session=s, register=register, name="万科")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert found is not None and found.customer.team_id == actors[1].team.id
        assert len(statements) == 1, statements
        # A team in no company has no peers, and the lookup costs nothing.
        lone = customers.Register(peers={})
        assert customers.registered_elsewhere(session=s, register=lone, name="万科") is None
