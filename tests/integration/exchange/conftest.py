"""A team with a manager and two reps, for the exchange database tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from bot.clock import ManualClock
from bot.services import teams
from bot.services.teams import Actor, TeamDefaults
from models.db import Database
from models.tables import Member, Role, Team


@dataclass
class Crew:
    """Actors of one active team; reload them in each session with `actor()`."""

    team_id: int
    manager_id: int
    alice_id: int
    bob_id: int


def actor(session: Session, member_id: int) -> Actor:
    """Return the member as an Actor of their team, loaded in `session`."""
    member = session.get(Member, member_id)
    assert member is not None
    team = session.get(Team, member.team_id)
    assert team is not None
    return Actor(team=team, member=member)


def make_crew(db: Database, clock: ManualClock, *, chat_id: int = -1001, lang: str = "en") -> Crew:
    now = clock()
    with db.session() as session:
        team = teams.ensure_team(
            session=session,
            chat_id=chat_id,
            title="Sales",
            defaults=TeamDefaults(language=lang),
            now=now,
        )
        people = {}
        for user_id, username, full_name in (
            (chat_id * -10 + 1, "maria", "Maria Chen"),
            (chat_id * -10 + 2, "alice", "Alice Wong"),
            (chat_id * -10 + 3, None, "张伟"),
        ):
            people[full_name] = teams.ensure_member(
                session=session,
                team=team,
                user_id=user_id,
                username=username,
                full_name=full_name,
                now=now,
            )
        manager = people["Maria Chen"]
        teams.activate(
            session=session,
            actor=Actor(team, manager),
            admin_user_ids=[manager.user_id],
            now=now,
        )
        session.flush()
        assert manager.role == Role.MANAGER
        return Crew(
            team_id=team.id or 0,
            manager_id=manager.id or 0,
            alice_id=people["Alice Wong"].id or 0,
            bob_id=people["张伟"].id or 0,
        )


@pytest.fixture
def crew(db: Database, clock: ManualClock) -> Crew:
    return make_crew(db, clock)
