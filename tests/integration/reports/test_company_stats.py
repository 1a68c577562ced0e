"""The company roll-up (/stats org) against the November fixture seeded in three groups.

Acme is a head office and a branch, each with the November fixture; Globex, a third group
with it too, is another company. Acme's numbers are its two groups' /stats, summed.
"""

from __future__ import annotations

from dataclasses import fields

import pytest
from sqlmodel import Session

from bot.reports.numbers import Numbers
from bot.reports.periods import parse_report_period
from bot.services import companies, rollup, stats
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.db import Database
from tests.integration.reports.seed import SH, Seed, at, november

NOW = at(11, 24)
NOVEMBER = parse_report_period("month", now=NOW, tz=SH)
# /stats org sums the counters; follow-ups are counted from tasks, per group.
COUNTED = [f.name for f in fields(Numbers) if not f.name.startswith("tasks_")]


def counted(numbers: Numbers) -> dict[str, object]:
    return {name: getattr(numbers, name) for name in COUNTED}


def manager(seed: Seed) -> Actor:
    return Actor(team=seed.team, member=seed.members["maria"])


def seeded(session: Session, chat_id: int, title: str) -> Seed:
    seed = november(session, chat_id=chat_id)
    seed.team.title = title
    return seed


@pytest.fixture
def groups(db: Database) -> tuple[Seed, Seed, Seed]:
    with db.session() as session:
        head = seeded(session, -100, "Acme HQ")
        branch = seeded(session, -200, "Acme East")
        other = seeded(session, -300, "Globex")
        code = companies.create_company(
            session=session, actor=manager(head), name="Acme", chat_admin=True, now=NOW
        ).code
        companies.join_company(
            session=session, actor=manager(branch), code=code, chat_admin=True, now=NOW
        )
        companies.create_company(
            session=session, actor=manager(other), name="Globex", chat_admin=True, now=NOW
        )
        return head, branch, other


def test_the_company_is_the_sum_of_its_groups_stats(
    db: Database, groups: tuple[Seed, Seed, Seed]
) -> None:
    head, branch, _ = groups
    with db.session() as session:
        report = rollup.company_stats_for(
            session=session, actor=manager(head), period_text="month", head_admin=False, now=NOW
        )
        own = [
            stats.team_stats(session=session, team=seed.team, period=NOVEMBER, now=NOW)
            for seed in (head, branch)
        ]
    assert report.company == "Acme"
    assert [row.name for row in report.groups] == ["Acme HQ", "Acme East"]  # not Globex
    for row, team in zip(report.groups, own, strict=True):
        assert counted(row.numbers) == counted(team.total)
        assert not team.total.is_empty()
    ((currency, total),) = [(row.extra, row.numbers) for row in report.totals]
    assert currency == "CNY" and str(report.tz) == "Asia/Shanghai"
    assert counted(total) == counted(own[0].total + own[1].total)
    # Per channel kind: each kind is its channels' rows of both groups, summed.
    by_kind = {row.name: counted(row.numbers) for row in report.channels}
    expected: dict[str, Numbers] = {}
    for team in own:
        for row in team.rows:
            if not row.numbers.is_empty():
                expected[row.name] = expected.get(row.name, Numbers()) + row.numbers
    assert by_kind == {name: counted(numbers) for name, numbers in expected.items()}
    # The fixture names its channels as their kinds read in English, in the kinds' order.
    assert list(by_kind) == ["Distributor", "E-commerce", "Direct store"]


def test_only_managers_in_the_head_office(db: Database, groups: tuple[Seed, Seed, Seed]) -> None:
    head, branch, _ = groups
    with db.session() as session:
        rep = Actor(team=head.team, member=head.members["alice"])
        with pytest.raises(CrmError) as refused:
            rollup.company_stats_for(
                session=session, actor=rep, period_text="", head_admin=False, now=NOW
            )
        assert refused.value.key == "stats.org.not_manager"
        # A chat admin of the head office Telegram vouches for is a manager there.
        report = rollup.company_stats_for(
            session=session, actor=rep, period_text="", head_admin=True, now=NOW
        )
        assert report.company == "Acme"
        with pytest.raises(CrmError) as elsewhere:
            rollup.company_stats_for(
                session=session, actor=manager(branch), period_text="", head_admin=True, now=NOW
            )
        assert elsewhere.value.key == "stats.org.not_head"
        alone = seeded(session, -400, "Alone")
        with pytest.raises(CrmError) as none:
            rollup.company_stats_for(
                session=session, actor=manager(alone), period_text="", head_admin=True, now=NOW
            )
        assert none.value.key == "stats.org.none"


def test_two_currencies_are_never_summed(db: Database, groups: tuple[Seed, Seed, Seed]) -> None:
    head, branch, _ = groups
    with db.session() as session:
        branch.team.currency = "USD"
        session.add(branch.team)
        session.flush()
        report = rollup.company_stats_for(
            session=session, actor=manager(head), period_text="month", head_admin=False, now=NOW
        )
        own = [
            stats.team_stats(session=session, team=seed.team, period=NOVEMBER, now=NOW)
            for seed in (head, branch)
        ]
    totals = {row.extra: row.numbers.revenue for row in report.totals}
    assert totals == {"CNY": own[0].total.revenue, "USD": own[1].total.revenue}
    assert own[1].total.revenue > 0
    assert [row.extra for row in report.groups] == ["CNY", "USD"]
    assert {row.extra for row in report.channels} == {"CNY", "USD"}
