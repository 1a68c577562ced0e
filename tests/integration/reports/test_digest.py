"""The weekly digest: when it is due, claiming it exactly once, and its numbers by value."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from bot.reports.numbers import Numbers, SilentPartner
from bot.reports.requests import DigestChange
from bot.services import digest
from bot.services.errors import CrmError, NotManager
from bot.services.teams import Actor
from models.db import Database
from models.tables import DigestRun, Role, Team
from tests.integration.reports.seed import Seed, at, new_team

MONDAY = at(11, 23, 9, 30)  # the digest (Mondays 09:00) of 16–22 Nov is due
WEEKS = [at(10, 19), at(10, 26), at(11, 2), at(11, 9), at(11, 16)]  # Mondays, oldest first


def weekly_fixture(session: Session) -> Seed:
    """Four steady weeks, then a week where the Distributor's visits halve.

    Distributor: 1 lead, 4 visits (2 in the last week) and a 10,000 win every week.
    E-commerce: 1 lead and a win every week, 10,000 then 7,000 (−30%: not *more* than 30%).
    Direct store: nothing, then 1 lead and 3 visits in the last week.
    """
    s = new_team(session)
    for name in ("maria", "alice", "bob", "carol"):
        s.member(name, role=Role.MANAGER if name == "maria" else Role.REP)
    s.channel("Distributor", "distributor")
    s.channel("E-commerce", "ecommerce")
    s.channel("Direct store", "direct")
    s.partner("Quiet Partner", created=at(9, 1))
    s.partner("Busy Partner", created=at(9, 1))
    s.partner("Fresh Partner", created=at(11, 20))
    for i, monday in enumerate(WEEKS):
        tuesday, last = monday + timedelta(days=1), i == len(WEEKS) - 1
        s.customer(f"Dist {i}", by="alice", created=tuesday, channel="Distributor", stage="won")
        for hour in range(2 if last else 4):
            s.activity("visit", f"Dist {i}", by="alice", when=tuesday + timedelta(hours=hour))
        s.deal(
            f"Dist {i}",
            by="alice",
            created=tuesday - timedelta(days=5),
            status="won",
            closed=tuesday,
            amount="10000",
        )
        s.customer(f"Shop {i}", by="bob", created=tuesday, channel="E-commerce", stage="won")
        s.deal(
            f"Shop {i}",
            by="bob",
            created=tuesday - timedelta(days=2),
            status="won",
            closed=tuesday,
            amount="7000" if last else "10000",
        )
    s.customer("Store", by="carol", created=at(11, 17), channel="Direct store", last=at(11, 19))
    for day in (17, 18, 19):
        s.activity("visit", "Store", by="carol", when=at(11, day))
    # Silent for 30 days since 20 Oct: crossed the line during the reported week.
    s.customer("Sleepy", by="bob", created=at(9, 1), partner="Quiet Partner", last=at(10, 20))
    s.activity("note", "Sleepy", by="bob", when=at(10, 20))
    s.customer("Quiet Shop", by="bob", created=at(9, 1), partner="Quiet Partner", last=at(11, 1))
    s.activity("note", "Quiet Shop", by="bob", when=at(11, 1))
    s.customer("Busy Co", by="bob", created=at(9, 1), partner="Busy Partner", last=at(11, 20))
    s.activity("note", "Busy Co", by="bob", when=at(11, 20))
    s.task("Busy Co", owner="bob", due=at(11, 20, 9))  # overdue
    s.task("Store", owner="carol", due=at(11, 24, 9))  # not yet
    session.flush()
    return s


@pytest.fixture
def seed(db: Database) -> Seed:
    with db.session() as session:
        return weekly_fixture(session)


def test_digest_numbers(db: Database, seed: Seed) -> None:
    with db.session() as session:
        (weekly,) = digest.build_digests(session=session, teams=[seed.team], now=MONDAY)
    assert (weekly.week.first.isoformat(), weekly.week.last.isoformat()) == (
        "2026-11-16",
        "2026-11-22",
    )
    channels = dict(weekly.channels)
    assert list(channels) == ["Distributor", "E-commerce", "Direct store", ""]
    last = {name: weeks[-1] for name, weeks in weekly.channels}
    prev = {name: weeks[-2] for name, weeks in weekly.channels}
    assert last["Distributor"] == Numbers(
        leads=1,
        won_leads=1,
        visits=2,
        activities=2,
        wins=1,
        revenue=Decimal("10000.00"),
        close_days=5.0,
    )
    assert prev["Distributor"] == Numbers(
        leads=1,
        won_leads=1,
        visits=4,
        activities=4,
        wins=1,
        revenue=Decimal("10000.00"),
        close_days=5.0,
    )
    assert (last["E-commerce"].wins, last["E-commerce"].revenue) == (1, Decimal("7000.00"))
    assert (last["Direct store"].leads, last["Direct store"].visits) == (1, 3)
    assert [w.visits for w in channels["Distributor"]] == [0, 0, 0, 4, 4, 4, 4, 2]
    assert [w.activities for w in channels[""]] == [0, 0, 0, 1, 1, 0, 0, 1]

    assert weekly.warnings == [("Distributor", "visits", -50)]
    assert weekly.silent_partners == [SilentPartner("Quiet Partner", 21)]
    assert (weekly.silent_customers, weekly.newly_silent) == (1, ["Sleepy"])
    assert (weekly.overdue, weekly.overdue_by_owner) == (1, [("@bob", 1)])
    assert [(r.name, r.numbers.revenue, r.numbers.visits) for r in weekly.top_reps] == [
        ("@alice", Decimal("10000.00"), 2),
        ("@bob", Decimal("7000.00"), 0),
        ("@carol", Decimal("0.00"), 3),
    ]
    assert weekly.top_partners == []
    totals = weekly.week_totals()
    assert [t.revenue for t in totals][-5:] == [Decimal("20000.00")] * 4 + [Decimal("17000.00")]
    assert not weekly.is_empty()


def test_a_stricter_threshold_warns_about_e_commerce_too(db: Database, seed: Seed) -> None:
    with db.session() as session:
        team = session.get(Team, seed.team_id)
        assert team is not None
        team.warn_drop_pct = 25
        (weekly,) = digest.build_digests(session=session, teams=[team], now=MONDAY)
    assert weekly.warnings == [("Distributor", "visits", -50), ("E-commerce", "revenue", -30)]


def test_teams_in_other_zones_get_their_own_week(db: Database, seed: Seed) -> None:
    with db.session() as session:
        other = new_team(session, chat_id=-300)
        other.team.timezone = "America/Los_Angeles"
        session.flush()
        # Monday 09:30 in Shanghai is still Sunday afternoon in Los Angeles.
        first, second = digest.build_digests(
            session=session, teams=[seed.team, other.team], now=MONDAY
        )
    assert first.week.first.isoformat() == "2026-11-16"
    assert second.week.first.isoformat() == "2026-11-09"
    assert second.is_empty()


def due_ids(db: Database, now_offset: timedelta = timedelta()) -> list[int]:
    with db.session() as session:
        return [d.team_id for d in digest.due_digests(session=session, now=MONDAY + now_offset)]


def test_due_once_the_weekday_and_time_have_passed(db: Database, seed: Seed) -> None:
    assert due_ids(db) == [seed.team_id]
    assert due_ids(db, timedelta(minutes=-31)) == []  # Monday 08:59
    assert due_ids(db, timedelta(minutes=-30)) == [seed.team_id]  # 09:00 sharp
    assert due_ids(db, timedelta(days=6)) == [seed.team_id]  # still this week's, on Sunday
    with db.session() as session:
        team = session.get(Team, seed.team_id)
        assert team is not None
        team.digest_weekday, team.digest_time = 3, "17:00"
    assert due_ids(db) == []
    assert due_ids(db, timedelta(days=2, hours=7, minutes=30)) == [seed.team_id]


def test_not_due_when_off_inactive_or_activated_after_the_week(db: Database, seed: Seed) -> None:
    for change in (
        {"digest_enabled": False},
        {"active": False},
        {"activated_at": at(11, 23, 8)},
    ):
        with db.session() as session:
            team = session.get(Team, seed.team_id)
            assert team is not None
            old = {name: getattr(team, name) for name in change}
            for name, value in change.items():
                setattr(team, name, value)
        assert due_ids(db) == [], change
        with db.session() as session:
            team = session.get(Team, seed.team_id)
            assert team is not None
            for name, value in old.items():
                setattr(team, name, value)
    assert due_ids(db) == [seed.team_id]


def test_claimed_once_released_and_sent(db: Database, seed: Seed) -> None:
    with db.session() as session:
        (due,) = digest.due_digests(session=session, now=MONDAY)
    assert due.period_start == at(11, 16, 0)
    claim = {"db": db, "team_id": seed.team_id, "period_start": due.period_start, "now": MONDAY}
    assert digest.try_claim(**claim) is True  # type: ignore[arg-type]
    assert digest.try_claim(**claim) is False  # type: ignore[arg-type]
    assert due_ids(db) == []
    digest.release(db=db, team_id=seed.team_id, period_start=due.period_start)
    assert due_ids(db) == [seed.team_id]
    assert digest.try_claim(**claim) is True  # type: ignore[arg-type]
    with db.session() as session:
        digest.mark_sent(
            session=session,
            team_id=seed.team_id,
            period_start=due.period_start,
            message_id=42,
            now=MONDAY,
        )
    digest.release(db=db, team_id=seed.team_id, period_start=due.period_start)  # no-op now
    with db.session() as session:
        (run,) = session.exec(select(DigestRun)).all()
    assert (run.message_id, run.sent_at) == (42, MONDAY)
    # Next week's digest is a new period.
    assert due_ids(db, timedelta(days=7)) == [seed.team_id]


def test_concurrent_claims_have_one_winner(database_url: str, seed: Seed) -> None:
    """Eight claimers with their own engines (as separate processes would have) race."""
    start = at(11, 16, 0)
    barrier = threading.Barrier(8)
    wins: list[bool] = []
    lock = threading.Lock()

    def claim() -> None:
        own = Database(database_url)
        try:
            barrier.wait()
            won = digest.try_claim(db=own, team_id=seed.team_id, period_start=start, now=MONDAY)
            with lock:
                wins.append(won)
        finally:
            own.dispose()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]


def actor_for(session: Session, seed: Seed, username: str) -> Actor:
    team = session.get(Team, seed.team_id)
    assert team is not None
    return Actor(team=team, member=seed.members[username])


def test_settings_are_for_managers_and_topic_here_needs_a_topic(db: Database, seed: Seed) -> None:
    change = DigestChange(weekday=5, time="17:30", skip_empty=True, warn_drop_pct=40)
    with db.session() as session:
        with pytest.raises(NotManager):
            digest.change_settings(
                session=session,
                actor=actor_for(session, seed, "alice"),
                change=change,
                thread_id=None,
                now=MONDAY,
            )
    with db.session() as session:
        maria = actor_for(session, seed, "maria")
        with pytest.raises(CrmError) as error:
            digest.change_settings(
                session=session,
                actor=maria,
                change=DigestChange(topic_here=True),
                thread_id=None,
                now=MONDAY,
            )
        assert error.value.key == "digest.topic_needed"
    with db.session() as session:
        maria = actor_for(session, seed, "maria")
        digest.change_settings(
            session=session, actor=maria, change=change, thread_id=None, now=MONDAY
        )
        digest.change_settings(
            session=session,
            actor=maria,
            change=DigestChange(topic_here=True),
            thread_id=77,
            now=MONDAY,
        )
    with db.session() as session:
        team = session.get(Team, seed.team_id)
        assert team is not None
        assert (team.digest_weekday, team.digest_time, team.digest_skip_empty) == (5, "17:30", True)
        assert (team.warn_drop_pct, team.digest_thread_id) == (40, 77)
        assert digest.next_send(team, session=session, now=MONDAY) == at(11, 27, 17, 30)
