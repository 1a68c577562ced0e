"""Two writers whose counter rows cross on PostgreSQL: a deadlock, broken and retried, not lost.

Since revision 0014 the team counters are kept by a trigger on each `stat_counter` row, which
locks the row's team channel row, then its team partner row. Two transactions of one team and
local day that each write several counter rows (a customer moving channel takes its rows along;
an import) can then take those locks in crossed orders. PostgreSQL breaks the deadlock after
`deadlock_timeout` by failing one of them with an error the units of work retry like an outage
(handlers.common.UNREACHABLE); the other commits. Here the crossing is forced: each writer adds
its first row, both wait for each other, then each adds a row the other has locked.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from handlers.common import UNREACHABLE
from models.db import Database
from models.queries import counters
from models.tables import StatCounter, StatCounterTeam
from tests.integration.reports.seed import at, new_team
from tests.support.database import on_postgres

pytestmark = pytest.mark.skipif(not on_postgres(), reason="SQLite has one writer: no deadlock")

DAY = date(2026, 11, 24)


Writes = tuple[counters.Deltas, counters.Deltas]


def _write(db: Database, writes: Writes, both: threading.Barrier,
           failed: list[tuple[Writes, BaseException]]) -> None:  # fmt: skip
    try:
        with db.session() as session:
            connection = session.connection()
            counters.add(connection, writes[0])
            both.wait(timeout=10)  # each holds its first row's team rows now
            counters.add(connection, writes[1])
    except UNREACHABLE as error:
        failed.append((writes, error))


def _key(team_id: int, channel: int, partner: int, member: int) -> counters.CounterKey:
    return (team_id, DAY, channel, partner, member)


def _activities(session: Session, model: Any, team_id: int, dim: str | None = None) -> int:
    query = select(func.sum(model.activities)).where(model.team_id == team_id)
    if dim is not None:
        query = query.where(model.dim == dim)
    return int(session.exec(query).one() or 0)


def test_crossed_counter_writes_deadlock_once_and_the_retry_applies_both(db: Database) -> None:
    with db.session() as session:
        seed = new_team(session)
        member_id = seed.member("ann").id
        ch = [seed.channel(name, "distributor").id for name in ("C1", "C2")]
        pa = [seed.partner(name, created=at(9, 1)).id for name in ("P1", "P2", "P3", "P4")]
        team_id = seed.team_id
    assert member_id is not None and None not in ch and None not in pa
    one = {"activities": 1, "visits": 1}

    def writes(first: tuple[int, int], then: tuple[int, int]) -> Writes:
        return {_key(team_id, *first, member_id): one}, {_key(team_id, *then, member_id): one}

    # Writer A locks C1 and P1, then wants C2; writer B locks C2 and P2, then wants C1.
    a = writes((ch[0], pa[0]), (ch[1], pa[2]))
    b = writes((ch[1], pa[1]), (ch[0], pa[3]))
    both, failed = threading.Barrier(2), list[tuple[Writes, BaseException]]()
    threads = [threading.Thread(target=_write, args=(db, w, both, failed)) for w in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert len(failed) == 1, failed  # PostgreSQL broke the deadlock by failing one writer
    lost, error = failed[0]
    assert "deadlock" in str(error).lower()
    with db.session() as session:
        assert _activities(session, StatCounter, team_id) == 2  # the other one committed

    with db.session() as session:  # the retry, as in_transaction runs it
        connection = session.connection()
        for deltas in lost:
            counters.add(connection, deltas)
    with db.session() as session:
        assert _activities(session, StatCounter, team_id) == 4
        # Both grains agree: the team rows hold every counter row once per channel and partner.
        assert _activities(session, StatCounterTeam, team_id, "channel") == 4
        assert _activities(session, StatCounterTeam, team_id, "partner") == 4
