"""Benchmark /stats for one team and the weekly digest of every team, with a baseline.

Run benchmarks/generate.py first (same --database-url). The SQL versions (bot.services) are
timed against a baseline that loads the team's rows into Python and counts there, and both
answers are compared, so the benchmark doubles as a check on big random data.

    .venv/bin/python -m benchmarks.bench_stats
    .venv/bin/python -m benchmarks.bench_stats --database-url postgresql+psycopg://…/bench
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

import sqlalchemy
from sqlalchemy import func, select
from sqlmodel import Session, col

from benchmarks.common import NOW, database_version, ensure_database, machine, percentile
from benchmarks.generate import DEFAULT_URL
from bot.i18n import Html
from bot.reports.numbers import TREND_WEEKS, Numbers, TeamDigest
from bot.reports.periods import last_full_week, parse_report_period, weeks_ending
from bot.reports.requests import StatsRequest
from bot.services import digest, stats
from bot.services.teams import Actor
from bot.views import charts
from bot.views.digest import render_digest
from bot.views.reports import render_stats
from models.db import Database
from models.queries import stats as queries
from models.tables import Activity, Customer, Deal, Member, Role, Task, Team

STATS_TARGET_MS = 50.0
DIGEST_TARGET_S = 60.0


def describe(db: Database) -> list[str]:
    """Say where the numbers come from: the machine and the database."""
    version = database_version(db.engine)
    return [f"machine: {machine()}", f"SQLAlchemy {sqlalchemy.__version__} · {version}"]


def dataset(session: Session) -> str:
    counts = []
    for model in (Team, Customer, Activity, Deal, Task):
        n = session.execute(select(func.count()).select_from(model)).scalar()
        counts.append(f"{model.__name__.lower()} {n:,}")
    return ", ".join(counts)


def percentiles(samples: Sequence[float]) -> str:
    values = list(samples)
    return (
        f"p50 {percentile(values, 50):7.2f} ms · p95 {percentile(values, 95):7.2f} ms"
        f" · max {max(values):7.2f} ms"
    )


def timed(samples: list[float], call: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = call()
    samples.append((time.perf_counter() - started) * 1000)
    return result


# -- the baseline: load the team's rows, count in Python ------------------------------------


def baseline_by_channel(
    session: Session, team: Team, edges: Sequence[datetime], now: datetime
) -> dict[tuple[int | None, int], Numbers]:
    """Numbers per (channel, bucket) from every row of the team, counted in Python."""
    of_team = col(Customer.team_id) == team.id
    customers = {c.id: c for c in session.scalars(select(Customer).where(of_team))}
    deals = list(session.scalars(select(Deal).where(col(Deal.team_id) == team.id)))
    activities = session.scalars(select(Activity).where(col(Activity.team_id) == team.id))
    tasks = session.scalars(select(Task).where(col(Task.team_id) == team.id))
    won = {d.customer_id for d in deals if d.status == "won"}
    result: dict[tuple[int | None, int], Numbers] = defaultdict(Numbers)

    def bucket(when: datetime | None, until: datetime | None = None) -> int | None:
        end = min(edges[-1], until) if until else edges[-1]
        if when is None or not edges[0] <= when < end:
            return None
        return max(i for i, edge in enumerate(edges[:-1]) if when >= edge)

    def channel(customer_id: int | None) -> int | None:
        return customers[customer_id].channel_id if customer_id in customers else None

    for customer in customers.values():
        if (b := bucket(customer.created_at)) is not None:
            result[(customer.channel_id, b)].add(leads=1, won_leads=int(customer.id in won))
    for activity in activities:
        if (b := bucket(activity.occurred_at)) is not None:
            visit = int(activity.kind == "visit")
            result[(channel(activity.customer_id), b)].add(activities=1, visits=visit)
    for deal in deals:
        if deal.status in ("won", "lost") and (b := bucket(deal.closed_at)) is not None:
            n = result[(channel(deal.customer_id), b)]
            if deal.status == "won":
                assert deal.closed_at is not None
                days = (deal.closed_at - deal.created_at).total_seconds() / 86400
                money = deal.amount if deal.currency == team.currency and deal.amount else 0
                n.add(wins=1, revenue=money, close_days=days)
            else:
                n.add(losses=1)
    for task in tasks:
        if task.status != "cancelled" and (b := bucket(task.due_at, now)) is not None:
            on_time = int(task.done_at is not None and task.done_at <= task.due_at)
            result[(channel(task.customer_id), b)].add(tasks_due=1, tasks_on_time=on_time)
    return dict(result)


def same(a: Numbers, b: Numbers, *, tasks: bool = True) -> bool:
    """Equal counts, and sums equal to the cent / the second (tasks: compare follow-ups too)."""
    counts: tuple[str, ...] = ("leads", "won_leads", "visits", "activities", "wins", "losses")
    counts += ("tasks_due", "tasks_on_time") if tasks else ()
    return (
        all(getattr(a, name) == getattr(b, name) for name in counts)
        and abs(a.revenue - b.revenue) < Decimal("0.01")
        and abs(a.close_days - b.close_days) < 1e-5
    )


# -- the runs --------------------------------------------------------------------------------


def _stats_once(session: Session, actor: Actor) -> str:
    report = stats.stats_for(session=session, actor=actor, request=StatsRequest(), now=NOW)
    return render_stats(report, lang=actor.lang)


def _agree(mismatches: int) -> str:
    return "yes" if not mismatches else f"NO ({mismatches} differ)"


def bench_stats(db: Database, team_ids: list[int], runs: int, rng: random.Random) -> list[str]:
    lines = []
    picks = [rng.choice(team_ids) for _ in range(runs)]
    for label, as_rep in (("manager", False), ("rep (+ own numbers)", True)):
        samples: list[float] = []
        for i, team_id in enumerate(picks):
            with db.session() as session:
                team = session.get(Team, team_id)
                assert team is not None
                role = Role.REP if as_rep else Role.MANAGER
                member = session.scalars(
                    select(Member).where(col(Member.team_id) == team_id, col(Member.role) == role)
                ).first()
                assert member is not None
                actor = Actor(team=team, member=member)

                run = partial(_stats_once, session, actor)
                if i < 5:  # warm-up
                    run()
                timed(samples, run)
        lines.append(f"/stats (this month), SQL, {label:<20} {percentiles(samples)}")
    samples, mismatches = [], 0
    for team_id in picks:
        with db.session() as session:
            team = session.get(Team, team_id)
            assert team is not None
            period = parse_report_period("", now=NOW, tz=ZoneInfo(team.timezone))
            edges = [period.start, period.end]
            python = timed(samples, partial(baseline_by_channel, session, team, edges, NOW))
            sql = stats.team_stats(session=session, team=team, period=period, now=NOW)
            assert isinstance(python, dict)
            for row in sql.rows:
                if not same(row.numbers, python.get((row.key, 0), Numbers())):
                    mismatches += 1
    lines.append(f"/stats baseline (rows → Python)         {percentiles(samples)}")
    lines.append(f"  SQL and baseline agree on {runs} teams: {_agree(mismatches)}")
    return lines


def timed_digests(
    session: Session, teams: list[Team]
) -> tuple[list[TeamDigest], list[Html | None], float, float]:
    """Build and word the teams' digests: the digests, texts, seconds of numbers and of text."""
    started = time.perf_counter()
    digests = digest.build_digests(session=session, teams=teams, now=NOW)
    compute_s = time.perf_counter() - started
    started = time.perf_counter()
    texts = [render_digest(d) for d in digests]
    return digests, texts, compute_s, time.perf_counter() - started


def bench_digest(db: Database, rng: random.Random, *, baseline: bool) -> list[str]:
    lines = []
    with db.session() as session:
        started = time.perf_counter()
        due = digest.due_digests(session=session, now=NOW)
        due_s = time.perf_counter() - started
        teams = list(session.scalars(select(Team).order_by(col(Team.id))))
        digests, texts, compute_s, render_s = timed_digests(session, teams)
    verdict = "meets" if compute_s + render_s < DIGEST_TARGET_S else "MISSES"
    lines.append(f"digest: due teams found in {due_s * 1000:.0f} ms ({len(due)} due)")
    lines.append(
        f"digest of all {len(digests)} teams, SQL batched: {compute_s:6.2f} s numbers"
        f" + {render_s:5.2f} s text = {compute_s + render_s:6.2f} s"
        f" ({verdict} < {DIGEST_TARGET_S:.0f} s)"
    )
    assert len(texts) == len(digests)
    chart_samples: list[float] = []
    for weekly in digests[:10]:
        timed(chart_samples, partial(charts.trend_chart, weekly))
    lines.append(f"digest chart (PNG, 8-week trend), per team: {percentiles(chart_samples)}")
    sample = rng.sample(range(len(teams)), min(50, len(teams)))
    with db.session() as session:
        started = time.perf_counter()
        for i in sample:
            digest.build_digests(session=session, teams=[teams[i]], now=NOW)
        one_by_one = (time.perf_counter() - started) / len(sample) * len(teams)
    lines.append(
        f"digest, same SQL a team at a time (est. from {len(sample)}): {one_by_one:6.2f} s"
    )
    if baseline:
        with db.session() as session:
            started = time.perf_counter()
            mismatches = sum(
                _digest_mismatches(session, team, weekly)
                for team, weekly in zip(teams, digests, strict=True)
            )
            baseline_s = time.perf_counter() - started
        lines.append(
            f"digest baseline (rows → Python, per team): {baseline_s:6.2f} s (numbers only)"
        )
        lines.append(f"  SQL and baseline agree on every team's 8 weeks: {_agree(mismatches)}")
    return lines


def _digest_mismatches(session: Session, team: Team, weekly: TeamDigest) -> int:
    """Count channel-weeks where the batched digest and the Python baseline disagree."""
    assert team.id is not None
    week = last_full_week(now=NOW, tz=ZoneInfo(team.timezone))
    edges = [w.start for w in weeks_ending(week, TREND_WEEKS)] + [week.end]
    python = baseline_by_channel(session, team, edges, NOW)
    channels = queries.channels_of(session=session, team_ids=[team.id]).get(team.id, [])
    ids = {c.name: c.id for c in channels}
    mismatches = 0
    for name, numbers in weekly.channels:
        for bucket, n in enumerate(numbers):
            other = python.get((ids.get(name) if name else None, bucket), Numbers())
            if not same(n, other, tasks=False):  # the digest does not count follow-ups
                mismatches += 1
    return mismatches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=200, help="/stats calls to time")
    parser.add_argument("--no-baseline", action="store_true", help="skip the digest baseline")
    args = parser.parse_args(argv)
    db = Database(ensure_database(args.database_url))
    rng = random.Random(7)
    print("\n".join(describe(db)))
    with db.session() as session:
        print(f"dataset: {dataset(session)}")
        team_ids = [i for i in session.scalars(select(col(Team.id))) if i is not None]
    if not team_ids:
        raise SystemExit("no teams: run benchmarks/generate.py first")
    print(f"now: {NOW.isoformat()} ({db.engine.dialect.name})")
    for line in bench_stats(db, team_ids, args.runs, rng):
        print(line)
    for line in bench_digest(db, rng, baseline=not args.no_baseline):
        print(line)
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
