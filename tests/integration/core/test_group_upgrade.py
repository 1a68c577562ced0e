"""A group's team follows Telegram's upgrade to a supergroup once, whoever sees it first."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from bot.clock import ManualClock
from bot.services import tasks, teams
from models.db import Database
from models.tables import (
    AuditLog,
    Company,
    CompanyGroup,
    Customer,
    GroupKind,
    Member,
    Task,
    Team,
)
from tests.integration.core.factories import make_actor
from tests.support.race import race

OLD, NEW = -4001, -1004001


def all_teams(session: Session) -> list[Team]:
    return list(session.exec(select(Team).order_by(col(Team.id))))


def upgrades(session: Session) -> list[tuple[int, dict[str, object]]]:
    rows = session.exec(select(AuditLog).where(AuditLog.action == "upgrade"))
    return [(row.team_id, row.detail) for row in rows]


def with_data(session: Session, chat_id: int, clock: ManualClock, name: str) -> Team:
    actor = make_actor(session, now=clock(), chat_id=chat_id, user_id=abs(chat_id))
    customer = Customer(
        team_id=actor.team.id, name=name, normalized_name=name.lower(), created_at=clock()
    )
    session.add(customer)
    session.flush()
    tasks.create_task(
        session=session,
        actor=actor,
        title=f"call {name}",
        due=clock() + timedelta(hours=1),
        owner=actor.member,
        now=clock(),
        customer_id=customer.id,
    )
    return actor.team


def follow(session: Session, clock: ManualClock) -> Team | None:
    return teams.follow_upgrade(session=session, old_chat_id=OLD, new_chat_id=NEW, now=clock())


def test_the_team_moves_once_and_a_second_notice_changes_nothing(
    db: Database, clock: ManualClock
) -> None:
    with db.session() as s:
        team_id = with_data(s, OLD, clock, "Acme").id
    for _ in range(3):  # both service messages, then a refused send
        with db.session() as s:
            moved = follow(s, clock)
            assert moved is not None and moved.id == team_id
    with db.session() as s:
        assert [(t.id, t.chat_id, t.bot_present) for t in all_teams(s)] == [(team_id, NEW, True)]
        assert upgrades(s) == [(team_id, {"from_chat": OLD, "to_chat": NEW})]
        assert [k.team_id for k in s.exec(select(Task))] == [team_id]


def test_a_chat_without_a_team_is_left_alone(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        assert follow(s, clock) is None
        assert s.exec(select(Team)).all() == []


def test_an_empty_team_made_in_the_new_chat_is_absorbed_by_the_old_one(
    db: Database, clock: ManualClock
) -> None:
    """Someone sent /setup in the supergroup before the upgrade was seen: its members join."""
    with db.session() as s:
        old_id = with_data(s, OLD, clock, "Acme").id
        fresh = make_actor(s, now=clock(), chat_id=NEW, user_id=77, username="newbie")
        new_id = fresh.team.id
    with db.session() as s:
        assert follow(s, clock) is not None
    with db.session() as s:
        assert [(t.id, t.chat_id, t.active) for t in all_teams(s)] == [(old_id, NEW, True)]
        users = s.exec(select(Member.user_id).where(Member.team_id == old_id)).all()
        assert sorted(users) == [77, 4001, 9999]
        assert upgrades(s) == [
            (old_id, {"from_chat": OLD, "to_chat": NEW, "absorbed_team": new_id})
        ]


def test_an_empty_old_team_gives_way_to_the_new_chats_team_with_data(
    db: Database, clock: ManualClock
) -> None:
    with db.session() as s:
        old_id = make_actor(s, now=clock(), chat_id=OLD, active=False).team.id
        new_id = with_data(s, NEW, clock, "Globex").id
    with db.session() as s:
        kept = follow(s, clock)
        assert kept is not None and kept.id == new_id
    with db.session() as s:
        assert [(t.id, t.chat_id) for t in all_teams(s)] == [(new_id, NEW)]
        assert upgrades(s) == [
            (new_id, {"from_chat": OLD, "to_chat": NEW, "absorbed_team": old_id})
        ]


def test_two_teams_with_data_are_not_merged_and_the_old_one_stops(
    db: Database, clock: ManualClock
) -> None:
    with db.session() as s:
        old_id = with_data(s, OLD, clock, "Acme").id
        new_id = with_data(s, NEW, clock, "Globex").id
    with db.session() as s:
        kept = follow(s, clock)
        assert kept is not None and kept.id == new_id
    with db.session() as s:
        assert [(t.id, t.chat_id, t.bot_present) for t in all_teams(s)] == [
            (old_id, OLD, False),
            (new_id, NEW, True),
        ]
        names = s.exec(select(Customer.team_id, Customer.name).order_by(col(Customer.id))).all()
        assert list(names) == [(old_id, "Acme"), (new_id, "Globex")]
        assert sorted(team for team, _ in upgrades(s)) == [old_id, new_id]


def test_processes_that_see_the_upgrade_at_once_move_the_team_once(
    database_url: str, db: Database, clock: ManualClock
) -> None:
    with db.session() as s:
        team_id = with_data(s, OLD, clock, "Acme").id
    failures: list[BaseException] = []

    def process(database: Database, index: int) -> None:
        try:
            with database.session() as s:
                follow(s, clock)
        except BaseException as exc:
            failures.append(exc)

    race(database_url, process, processes=4)
    assert failures == []
    with db.session() as s:
        assert [(t.id, t.chat_id) for t in all_teams(s)] == [(team_id, NEW)]
        assert len(upgrades(s)) == 1


def test_a_place_in_a_company_counts_as_data_and_is_never_cascaded_away(
    db: Database, clock: ManualClock
) -> None:
    with db.session() as s:
        old_id = make_actor(s, now=clock(), chat_id=OLD).team.id
        company = Company(name="Acme", created_at=clock())
        s.add(company)
        s.flush()
        s.add(
            CompanyGroup(
                team_id=old_id, company_id=company.id, kind=GroupKind.HEAD_OFFICE, joined_at=clock()
            )
        )
        new_id = with_data(s, NEW, clock, "Globex").id
    with db.session() as s:
        follow(s, clock)
    with db.session() as s:
        # Both hold something: nothing is merged, and the head office keeps its company.
        assert {t.id for t in all_teams(s)} == {old_id, new_id}
        assert [g.team_id for g in s.exec(select(CompanyGroup))] == [old_id]
