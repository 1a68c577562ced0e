"""Benchmark /stats for one team and the weekly digest of every team, with a baseline.

Run benchmarks/generate.py first (same --database-url). The SQL versions (bot.services) are
timed against a baseline that loads the team's rows into Python and counts there, and both
answers are compared, so the benchmark doubles as a check on big random data.

    .venv/bin/python -m benchmarks.bench_stats
    .venv/bin/python -m benchmarks.bench_stats --database-url postgresql+psycopg://…/bench
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy
from sqlalchemy import func, select, text
from sqlmodel import Session, col

from benchmarks.generate import DEFAULT_URL, NOW
from bot.reports import charts
from bot.reports.numbers import TREND_WEEKS, Numbers
from bot.reports.periods import Period, last_full_week, parse_period, weeks_ending
from bot.reports.render import render_digest, render_stats
from bot.reports.requests import StatsRequest
from bot.services import digest, stats
from bot.services.teams import Actor
from models.db import Database
from models.tables import Activity, Customer, Deal, Member, Role, Task, Team

STATS_TARGET_MS = 50.0
DIGEST_TARGET_S = 60.0


def machine(db: Database) -> list[str]:
    """Describe where the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    with db.engine.connect() as conn:
        version = (
            f"SQLite {sqlite3.sqlite_version}"
            if db.is_sqlite
            else str(conn.execute(text("SELECT version()")).scalar()).split(" on ")[0]
        )
    return [
        f"CPU: {cpu} × {os.cpu_count()} cores",
        f"Python {platform.python_version()} · SQLAlchemy {sqlalchemy.__version__} · {version}",
    ]


def dataset(session: Session) -> str:
    counts = []
    for model in (Team, Customer, Activity, Deal, Task):
        n = session.execute(select(func.count()).select_from(model)).scalar()
        counts.append(f"{model.__name__.lower()} {n:,}")
    return ", ".join(counts)


def percentiles(samples: Sequence[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {p50:7.2f} ms · p95 {p95:7.2f} ms · max {ordered[-1]:7.2f} ms"


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
    customers = {c.id: c for c in session.scalars(select(Customer).where(col(Customer.team_id) == team.id))}
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


def same(a: Numbers, b: Numbers) -> bool:
    return (
        (a.leads, a.won_leads, a.visits, a.activities, a.tasks_due, a.tasks_on_time, a.wins)
        == (b.leads, b.won_leads, b.visits, b.activities, b.tasks_due, b.tasks_on_time, b.wins)
        and a.losses == b.losses
        and abs(a.revenue - b.revenue) < 1
        and abs(a.close_days - b.close_days) < 1e-3
    )


# -- the runs --------------------------------------------------------------------------------


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

                def run() -> object:
                    report = stats.stats_for(
                        session=session, actor=actor, request=StatsRequest(), now=NOW
                    )
                    return render_stats(report, lang=team.language)

                if i < 5:  # warm-up
                    run()
                timed(samples, run)
        lines.append(f"/stats (this month), SQL, {label:<20} {percentiles(samples)}")
    samples, mismatches = [], 0
    for team_id in picks:
        with db.session() as session:
            team = session.get(Team, team_id)
            assert team is not None
            period = parse_period("", now=NOW, tz=ZoneInfo(team.timezone))
            edges = [period.start, period.end]
            python = timed(samples, lambda: baseline_by_channel(session, team, edges, NOW))
            sql = stats.team_stats(session=session, team=team, period=period, now=NOW)
            assert isinstance(python, dict)
            for row in sql.rows:
                if not same(row.numbers, python.get((row.key, 0), Numbers())):
                    mismatches += 1
    lines.append(f"/stats baseline (rows → Python)         {percentiles(samples)}")
    lines.append(f"  SQL and baseline agree on {runs} teams: {'yes' if not mismatches else f'NO ({mismatches} rows differ)'}")
    return lines


def bench_digest(db: Database, team_ids: list[int], rng: random.Random, *, baseline: bool) -> list[str]:
    lines = []
    with db.session() as session:
        started = time.perf_counter()
        due = digest.due_digests(session=session, now=NOW)
        due_s = time.perf_counter() - started
        teams = list(session.scalars(select(Team).order_by(col(Team.id))))
        started = time.perf_counter()
        digests = digest.build_digests(session=session, teams=teams, now=NOW)
        compute_s = time.perf_counter() - started
        started = time.perf_counter()
        texts = [render_digest(d) for d in digests]
        render_s = time.perf_counter() - started
    verdict = "meets" if compute_s + render_s < DIGEST_TARGET_S else "MISSES"
    lines.append(f"digest: due teams found in {due_s * 1000:.0f} ms ({len(due)} due)")
    lines.append(
        f"digest of all {len(digests)} teams, SQL batched: {compute_s:6.2f} s numbers "
        f"+ {render_s:5.2f} s text = {compute_s + render_s:6.2f} s ({verdict} < {DIGEST_TARGET_S:.0f} s)"
    )
    assert all(t is not None for t in texts[:1])
    chart_samples: list[float] = []
    for weekly in digests[:10]:
        timed(chart_samples, lambda weekly=weekly: charts.trend_chart(weekly))
    lines.append(f"digest chart (PNG, 8-week trend), per team: {percentiles(chart_samples)}")
    sample = rng.sample(range(len(teams)), min(50, len(teams)))
    with db.session() as session:
        started = time.perf_counter()
        for i in sample:
            digest.build_digests(session=session, teams=[teams[i]], now=NOW)
        one_by_one = (time.perf_counter() - started) / len(sample) * len(teams)
    lines.append(f"digest, same SQL one team at a time (est. from {len(sample)}): {one_by_one:6.2f} s")
    if baseline:
        mismatches = 0
        with db.session() as session:
            started = time.perf_counter()
            for team, weekly in zip(teams, digests, strict=True):
                week = last_full_week(now=NOW, tz=ZoneInfo(team.timezone))
                weeks = weeks_ending(week, TREND_WEEKS)
                edges = [w.start for w in weeks] + [week.end]
                python = baseline_by_channel(session, team, edges, NOW)
                channel_ids = {c.name: c.id for c in stats.channels_of(session=session, team_ids=[team.id or 0]).get(team.id or 0, [])}
                for name, numbers in weekly.channels:
                    key = channel_ids.get(name) if name else None
                    for b, n in enumerate(numbers):
                        other = python.get((key, b), Numbers())
                        if (n.leads, n.visits, n.wins) != (other.leads, other.visits, other.wins) or abs(n.revenue - other.revenue) >= 1:
                            mismatches += 1
            baseline_s = time.perf_counter() - started
        lines.append(f"digest baseline (rows → Python, per team): {baseline_s:6.2f} s for the channel-week numbers only")
        lines.append(f"  SQL and baseline agree on every team's 8 weeks: {'yes' if not mismatches else f'NO ({mismatches} differ)'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=200, help="/stats calls to time")
    parser.add_argument("--no-baseline", action="store_true", help="skip the digest baseline")
    args = parser.parse_args(argv)
    db = Database(args.database_url)
    rng = random.Random(7)
    print("\n".join(machine(db)))
    with db.session() as session:
        print(f"dataset: {dataset(session)}")
        team_ids = list(session.scalars(select(Team.id)))
    if not team_ids:
        raise SystemExit("no teams: run benchmarks/generate.py first")
    print(f"now: {NOW.isoformat()} ({db.engine.dialect.name})")
    for line in bench_stats(db, team_ids, args.runs, rng):
        print(line)
    for line in bench_digest(db, team_ids, rng, baseline=not args.no_baseline):
        print(line)
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["Period"]
