"""Stats against the hand-computed November fixture (seed.november), by value.

Now is Tue 24 Nov 2026 10:00 in Shanghai; "this month" is November in Shanghai time, so
Old Trading (created 31 Oct 23:59) is October's and Foxtrot (1 Nov 00:00, still 31 Oct in
UTC) is November's.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session

from bot.reports.numbers import Numbers, Scope
from bot.reports.periods import parse_report_period
from bot.reports.requests import StatsRequest
from bot.services import stats
from bot.services.errors import NotManager
from bot.services.teams import Actor
from models.db import Database
from tests.integration.reports.seed import SH, Seed, at, november

NOW = at(11, 24)
NOVEMBER = parse_report_period("month", now=NOW, tz=SH)


@pytest.fixture
def seed(db: Database) -> Seed:
    with db.session() as session:
        return november(session)


def actor(session: Session, seed: Seed, username: str) -> Actor:
    from models.tables import Member, Team

    team = session.get(Team, seed.team_id)
    member = session.get(Member, seed.members[username].id)
    assert team is not None and member is not None
    return Actor(team=team, member=member)


def test_team_stats_by_channel(db: Database, seed: Seed) -> None:
    with db.session() as session:
        report = stats.team_stats(session=session, team=seed.team, period=NOVEMBER, now=NOW)
    rows = {row.name: row.numbers for row in report.rows}
    assert list(rows) == ["Distributor", "E-commerce", "Direct store"]
    assert rows["Distributor"] == Numbers(
        leads=4,
        won_leads=2,
        visits=4,
        activities=9,
        tasks_due=4,
        tasks_on_time=2,
        wins=4,
        losses=0,
        revenue=Decimal("123400.00"),
        close_days=pytest.approx(43.0),  # type: ignore[arg-type]
    )
    assert rows["E-commerce"] == Numbers(
        leads=2, visits=1, activities=3, tasks_due=1, losses=1, revenue=Decimal("0.00")
    )
    assert rows["Direct store"] == Numbers(leads=2, visits=2, activities=4)
    total = report.total
    assert total.revenue == Decimal("123400.00")
    assert (total.leads, total.won_leads, total.conversion) == (8, 2, 0.25)
    assert (total.visits, total.wins, total.losses) == (7, 4, 1)
    assert total.avg_days_to_close == 10.75
    assert (total.tasks_on_time, total.tasks_due, total.on_time_rate) == (2, 5, 0.4)
    assert rows["Distributor"].conversion == 0.5


def test_a_rep_sees_the_team_and_their_own_numbers(db: Database, seed: Seed) -> None:
    with db.session() as session:
        report = stats.stats_for(
            session=session, actor=actor(session, seed, "alice"), request=StatsRequest(), now=NOW
        )
    assert report.total.revenue == Decimal("123400.00")
    mine = report.mine
    assert mine is not None
    assert (mine.leads, mine.visits, mine.wins, mine.revenue) == (2, 2, 1, Decimal("23400.00"))
    assert (mine.tasks_due, mine.tasks_on_time) == (2, 1)


def test_a_manager_gets_no_own_line_and_may_look_at_a_rep(db: Database, seed: Seed) -> None:
    with db.session() as session:
        maria = actor(session, seed, "maria")
        team_report = stats.stats_for(session=session, actor=maria, request=StatsRequest(), now=NOW)
        bob = stats.stats_for(
            session=session, actor=maria, request=StatsRequest(rep="bob"), now=NOW
        )
    assert team_report.mine is None
    assert bob.scope == Scope("member", seed.members["bob"].id, "@bob")
    assert (bob.total.leads, bob.total.visits, bob.total.wins) == (1, 1, 3)
    assert bob.total.revenue == Decimal("100000.00")


def test_a_rep_may_not_look_at_another_rep_or_a_partner(db: Database, seed: Seed) -> None:
    with db.session() as session:
        alice = actor(session, seed, "alice")
        own = stats.stats_for(
            session=session, actor=alice, request=StatsRequest(rep="alice"), now=NOW
        )
        assert own.total.revenue == Decimal("23400.00")
        with pytest.raises(NotManager):
            stats.stats_for(session=session, actor=alice, request=StatsRequest(rep="bob"), now=NOW)
        with pytest.raises(NotManager):
            stats.stats_for(
                session=session, actor=alice, request=StatsRequest(partner="华泰经销"), now=NOW
            )
        with pytest.raises(NotManager):
            stats.leaderboard_for(session=session, actor=alice, period=NOVEMBER, now=NOW)
        with pytest.raises(NotManager):
            stats.partner_scores_for(session=session, actor=alice, period=NOVEMBER, now=NOW)


def test_channel_and_partner_scopes(db: Database, seed: Seed) -> None:
    with db.session() as session:
        maria = actor(session, seed, "maria")
        direct = stats.stats_for(
            session=session, actor=maria, request=StatsRequest(channel="Direct store"), now=NOW
        )
        huatai = stats.stats_for(
            session=session, actor=maria, request=StatsRequest(partner="华泰经销"), now=NOW
        )
    assert [row.name for row in direct.rows] == ["Direct store"]
    assert (direct.total.leads, direct.total.visits, direct.total.wins) == (2, 2, 0)
    assert (huatai.total.leads, huatai.total.wins) == (2, 2)
    assert huatai.total.revenue == Decimal("73400.00")


def test_other_periods(db: Database, seed: Seed) -> None:
    with db.session() as session:
        week = stats.team_stats(
            session=session,
            team=seed.team,
            period=parse_report_period("last week", now=NOW, tz=SH),
            now=NOW,
        )
        october = stats.team_stats(
            session=session,
            team=seed.team,
            period=parse_report_period("2026-10", now=NOW, tz=SH),
            now=NOW,
        )
    # 16–22 Nov: Delta's lead, visits by carol and erin (2), Cathay won for 50,000.
    assert (week.total.leads, week.total.visits, week.total.wins) == (1, 3, 1)
    assert week.total.revenue == Decimal("50000.00")
    # October: Old Trading (31 Oct 23:59), one visit, one 7,777 win, one on-time task.
    assert (october.total.leads, october.total.visits, october.total.wins) == (1, 1, 1)
    assert october.total.revenue == Decimal("7777.00")
    assert (october.total.tasks_due, october.total.tasks_on_time) == (1, 1)


def test_leaderboard(db: Database, seed: Seed) -> None:
    with db.session() as session:
        rows = stats.leaderboard(session=session, team=seed.team, period=NOVEMBER, now=NOW)
    assert [row.name for row in rows] == ["@bob", "@alice", "@erin", "@dave", "@carol"]
    assert [
        (r.numbers.revenue, r.numbers.wins, r.numbers.visits, r.numbers.leads) for r in rows
    ] == [
        (Decimal("100000.00"), 3, 1, 1),
        (Decimal("23400.00"), 1, 2, 2),
        (Decimal("0.00"), 0, 2, 2),
        (Decimal("0.00"), 0, 1, 2),
        (Decimal("0.00"), 0, 1, 1),
    ]


def test_partner_scorecards(db: Database, seed: Seed) -> None:
    with db.session() as session:
        scores = stats.partner_scores(session=session, team=seed.team, period=NOVEMBER, now=NOW)
    assert [(s.name, s.tier, s.channel) for s in scores] == [
        ("华泰经销", "A", "Distributor"),
        ("Globex Agency", "B", "E-commerce"),
        ("Silent Co", "C", ""),
    ]
    huatai, globex, silent = scores
    assert (huatai.numbers.leads, huatai.numbers.win_rate, huatai.numbers.revenue) == (
        2,
        1.0,
        Decimal("73400.00"),
    )
    assert (globex.numbers.leads, globex.numbers.win_rate) == (1, 0.0)
    assert (silent.numbers.leads, silent.numbers.win_rate) == (0, None)
    assert [s.last_activity for s in scores] == [at(11, 11), at(11, 4), at(10, 1)]


def test_funnel_all_customers_and_a_cohort(db: Database, seed: Seed) -> None:
    with db.session() as session:
        everyone = stats.funnel(session=session, team=seed.team, lang="en")
        cohort = stats.funnel(session=session, team=seed.team, lang="en", period=NOVEMBER)
    assert [(s.key, s.count, s.reached) for s in everyone.stages] == [
        ("lead", 2, 9),
        ("contacted", 2, 7),
        ("visited", 1, 5),
        ("quoted", 1, 4),
        ("contract", 0, 3),
        ("shipped", 0, 3),
        ("won", 3, 3),
    ]
    assert [s.conversion for s in everyone.stages] == pytest.approx(
        [7 / 9, 5 / 7, 0.8, 0.75, 1.0, 1.0, None]
    )
    assert (everyone.lost, everyone.total) == (1, 10)
    assert [s.reached for s in cohort.stages] == [7, 5, 4, 3, 2, 2, 2]
    assert (cohort.lost, cohort.total) == (1, 8)


def test_pipeline_weights_open_deals_by_stage(db: Database, seed: Seed) -> None:
    with db.session() as session:
        pipe = stats.open_pipeline(session=session, team=seed.team, lang="en")
    by_stage = {s.key: (s.deals, s.value, s.weighted) for s in pipe.stages}
    assert by_stage["quoted"] == (1, Decimal("80000.00"), Decimal("40000.00"))
    assert by_stage["lead"] == (1, Decimal("0.00"), Decimal("0.00"))
    assert (pipe.deals, pipe.value, pipe.weighted, pipe.without_amount) == (
        2,
        Decimal("80000.00"),
        Decimal("40000.00"),
        1,
    )


def test_churn(db: Database, seed: Seed) -> None:
    with db.session() as session:
        result = stats.churn(session=session, team=seed.team, period=NOVEMBER, now=NOW)
    assert (result.silent, result.lost, result.open_customers) == (1, 1, 6)
    assert result.silent_names == [("India", 54)]
    assert result.lost_names == ["Echo"]
    assert result.rate == 2 / 7


def test_teams_do_not_see_each_other(db: Database, seed: Seed) -> None:
    with db.session() as session:
        other = november(session, chat_id=-200)
        report = stats.team_stats(session=session, team=seed.team, period=NOVEMBER, now=NOW)
        theirs = stats.team_stats(session=session, team=other.team, period=NOVEMBER, now=NOW)
    assert report.total == theirs.total
    assert report.total.revenue == Decimal("123400.00")
