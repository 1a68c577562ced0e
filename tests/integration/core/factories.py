"""Small builders for database tests: teams, members, parsed entries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from bot.parsing import Intent, ParsedEntry
from bot.services import teams
from bot.services.teams import Actor, TeamDefaults
from models.tables import Role


def make_actor(
    session: Session,
    *,
    now: datetime,
    chat_id: int = -100,
    user_id: int = 1,
    username: str = "alice",
    active: bool = True,
    role: str = Role.REP,
) -> Actor:
    team = teams.ensure_team(
        session=session, chat_id=chat_id, title="Sales", defaults=TeamDefaults(), now=now
    )
    member = teams.ensure_member(
        session=session,
        team=team,
        user_id=user_id,
        username=username,
        full_name=username.title(),
        now=now,
    )
    if active and not team.active:
        boss = teams.ensure_member(
            session=session, team=team, user_id=9999, username="boss", full_name="Boss", now=now
        )
        teams.activate(session=session, actor=Actor(team, boss), admin_user_ids=[9999], now=now)
    member.role = role
    session.flush()
    return Actor(team=team, member=member)


def parsed(
    intent: Intent | None,
    customer: str | None,
    *,
    amount: str | None = None,
    due: datetime | None = None,
    channel: str | None = None,
    partner: str | None = None,
    note: str | None = None,
    assignee: str | None = None,
) -> ParsedEntry:
    return ParsedEntry(
        intent=intent,
        customer=customer,
        contact=None,
        phone=None,
        channel=channel,
        partner=partner,
        amount=Decimal(amount) if amount else None,
        currency="CNY" if amount else None,
        due=due,
        assignee=assignee,
        note=note,
    )
