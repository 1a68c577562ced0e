"""Task numbers per team (models/numbering.py): #1, #2, … in each team, never drawn twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.services import tasks
from models.db import Database
from models.tables import Task
from tests.integration.core.factories import make_actor
from tests.support.database import on_postgres
from tests.support.race import race


def numbers(db: Database, team_id: int) -> list[int]:
    with db.session() as s:
        query = select(Task.number).where(Task.team_id == team_id).order_by(col(Task.number))
        return list(s.exec(query))


def test_each_team_counts_from_one_and_one_flush_numbers_in_order(
    db: Database, clock: ManualClock
) -> None:
    now = clock()
    with db.session() as s:
        first = make_actor(s, now=now)
        for _ in range(3):
            tasks.create_task(
                session=s, actor=first, title="a", due=now, owner=first.member, now=now
            )
        other = make_actor(s, now=now, chat_id=-200)
        # Added together, flushed once: numbered in the order they were added
        for title in ("x", "y", "z"):
            s.add(
                Task(
                    team_id=other.team.id,
                    owner_id=other.member.id,
                    title=title,
                    due_at=now,
                    created_at=now,
                )
            )
        s.flush()
        added = s.exec(select(Task).where(Task.team_id == other.team.id)).all()
        assert sorted((k.number, k.title) for k in added) == [(1, "x"), (2, "y"), (3, "z")]
    assert numbers(db, first.team.id) == [1, 2, 3]


@pytest.mark.skipif(not on_postgres(), reason="concurrent writers need PostgreSQL")
def test_racing_processes_never_draw_a_number_twice(database_url: str, clock: ManualClock) -> None:
    now = clock()
    with Database(database_url).session() as s:
        team_id = make_actor(s, now=now).team.id
    failures: list[BaseException] = []

    def process(db: Database, index: int) -> None:
        try:
            for n in range(25):
                with db.session() as s:
                    actor = make_actor(s, now=now)
                    tasks.create_task(
                        session=s,
                        actor=actor,
                        title=f"{index}-{n}",
                        due=now + timedelta(days=1),
                        owner=actor.member,
                        now=now,
                    )
        except BaseException as exc:  # an IntegrityError would mean a number drawn twice
            failures.append(exc)

    race(database_url, process, processes=4)
    assert failures == []
    db = Database(database_url)
    try:
        assert numbers(db, team_id) == list(range(1, 101))
    finally:
        db.dispose()
