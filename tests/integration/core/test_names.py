"""The per-process book of a team's customer names: loaded once, caught up, never reloaded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.clock import ManualClock
from bot.parsing import normalize_name
from bot.services import customers, names
from models.db import Database
from models.tables import Customer
from tests.integration.core.factories import make_actor
from tests.support.names import reference_matches


def _customer(s: Session, team_id: int, name: str, now: datetime, **fields: Any) -> Customer:
    row = Customer(team_id=team_id, name=name, normalized_name=normalize_name(name),
                   created_at=now, stage="lead", **fields)  # fmt: skip
    s.add(row)
    s.flush()
    return row


def test_the_book_catches_up_without_reloading(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        team_id = make_actor(s, now=clock()).team.id
        for name in ("Acme Trading", "Globex", "万科"):
            _customer(s, team_id, name, clock())
    with db.session() as s:
        book = names.team_names(session=s, team_id=team_id)
        assert sorted(book.index.names) == sorted(["Acme Trading", "Globex", "万科"])
    with db.session() as s:
        _customer(s, team_id, "Initech", clock())
    with db.session() as s:
        book = names.team_names(session=s, team_id=team_id)
    assert "Initech" in book.index.names and len(book.index) == 4
    assert book.id_of("Initech") is not None


def test_a_late_commit_with_a_lower_id_is_still_found(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        team_id = make_actor(s, now=clock()).team.id
        _customer(s, team_id, "Acme", clock(), id=500)
    with db.session() as s:
        names.team_names(session=s, team_id=team_id)
    with db.session() as s:  # another process's insert that committed after id 500 was seen
        _customer(s, team_id, "Hooli", clock(), id=450)
    with db.session() as s:
        book = names.team_names(session=s, team_id=team_id)
    assert book.id_of("Hooli") == 450


def test_a_deleted_customer_is_no_longer_offered(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        team_id = make_actor(s, now=clock()).team.id
        gone = _customer(s, team_id, "Acme", clock()).id
        book = names.team_names(session=s, team_id=team_id)
        names.forget(session=s, team_id=team_id, customer_id=gone)
    assert book.id_of("Acme") is None


def test_each_database_has_its_own_books(
    db: Database, clock: ManualClock, database_url: str
) -> None:
    with db.session() as s:
        team_id = make_actor(s, now=clock()).team.id
        _customer(s, team_id, "Acme", clock())
        first = names.team_names(session=s, team_id=team_id)
    other = Database(database_url)
    with other.session() as s:
        assert names.team_names(session=s, team_id=team_id) is not first
    other.dispose()


def test_similar_offers_what_brute_force_finds(db: Database, clock: ManualClock) -> None:
    known = [f"Customer 1-{i}" for i in range(300)]
    known += ["Acme Trading Co., Ltd.", "Acme Foods", "Globex", "万科地产", "华为技术有限公司"]
    with db.session() as s:
        actor = make_actor(s, now=clock())
        for name in known:
            _customer(s, actor.team.id, name, clock())
    for query in ("Acmee Trading", "Acme", "万科", "华为", "Customer 1-12", "Globexx", "Initech"):
        with db.session() as s:
            found = customers.similar(session=s, team=actor.team, name=query)
        expected = reference_matches(query, known, limit=4)
        assert [(c.name, c.score) for c in found] == [(m.name, m.score) for m in expected]


def test_similar_catches_up_and_forgets(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        actor = make_actor(s, now=clock())
        _customer(s, actor.team.id, "Acme Trading", clock())
        assert customers.similar(session=s, team=actor.team, name="Globex Tradng") == []
    with db.session() as s:
        globex = _customer(s, actor.team.id, "Globex Trading", clock()).id
    with db.session() as s:
        found = customers.similar(session=s, team=actor.team, name="Globex Tradng")
        assert [c.customer_id for c in found] == [globex]
        names.forget(session=s, team_id=actor.team.id, customer_id=globex)
        assert customers.similar(session=s, team=actor.team, name="Globex Tradng") == []


def test_read_only_units_of_work_share_the_engines_book(db: Database, clock: ManualClock) -> None:
    # A read-only session is bound to a new OptionEngine each time (the Mini App's reads).
    with db.session() as s:
        team_id = make_actor(s, now=clock()).team.id
        _customer(s, team_id, "Acme Trading", clock())
    with db.session() as s:
        book = names.team_names(session=s, team_id=team_id)
    for _ in range(2):
        with db.session(read_only=True) as s:
            assert names.team_names(session=s, team_id=team_id) is book
