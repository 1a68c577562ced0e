"""Benchmark: /visit, /lead and /stats in a 20,000-customer team against a 10-customer team.

Both teams live in one database, behind the real Application and its webhook server (the send
limiter relaxed). The big team is seeded by benchmarks/generate.py (20,000 customers with a
year of activities, deals and tasks); the small one is set up through the bot and registers
its 10 customers with /lead. Messages go one at a time, alternating between the teams, so a
change in the machine's load hits both; latency is from a message entering the emulator to
the bot's answer. /visit names an existing customer, /lead a new one. /stats asks for the
month that holds the generated data, through the bot and, like bench_stats, as the service
call alone.

    .venv/bin/python -m benchmarks.bench_teamsize [--messages 100] [--customers 20000]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_pg]

--profile prints where a big-team /visit (parse and log) and /stats spend their time (cProfile).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, col, select

from benchmarks.common import NOW, database_version, fresh_database, load, machine, percentile
from benchmarks.generate import Size, customer_name, generate, team_chat_id, team_user_ids
from benchmarks.harness import Traffic, add_group, crmbot, start_emulator, summary, webhook
from bot.parsing import parse_entry
from bot.reports.requests import StatsRequest
from bot.services import customers, entries, stats
from bot.services.entries import Source
from bot.services.teams import Actor
from models.db import Database
from models.tables import Member, Role, Team

BIG, SMALL = 1, 9  # team numbers: the generated one, and the one set up through the bot
SMALL_CUSTOMERS = 10
RATIO_TARGET = 1.3  # big-team latency at most 1.3× the small team's
STATS_TARGET_MS = 50.0


def seed(url: str, customers: int) -> None:
    started = time.perf_counter()
    counts = generate(url, Size(teams=1, customers_per_team=customers, first_team=BIG), force=True)
    print(
        f"seeded 1 team × {customers:,} customers ({counts['activity']:,} activities, "
        f"{counts['deal']:,} deals, {counts['task']:,} tasks) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


def visit(team: int, customer: int, i: int) -> str:
    return (
        f"/visit {customer_name(team, customer)}, showed the samples, follow up in {i % 9 + 1} days"
    )


async def alternate(
    traffic: Traffic, senders: dict[str, tuple[int, int]], texts: dict[str, list[str]]
) -> dict[str, list[float]]:
    """Send each team's texts one at a time, alternating teams; return each team's latencies."""
    latencies: dict[str, list[float]] = {name: [] for name in senders}
    for i in range(max(len(t) for t in texts.values())):
        for name, (chat_id, user_id) in senders.items():
            if i < len(texts[name]):
                key = await traffic.send(chat_id, user_id, texts[name][i])
                await traffic.wait_answered([key], timeout=120, what=texts[name][i])
                latencies[name] += traffic.latencies([key])
    return latencies


def actor_of(session: Session, number: int, role: Role) -> Actor:
    team = session.exec(select(Team).where(col(Team.chat_id) == team_chat_id(number))).one()
    member = session.exec(
        select(Member).where(col(Member.team_id) == team.id, col(Member.role) == role)
    ).first()
    assert member is not None
    return Actor(team=team, member=member)


def stats_calls(db: Database, runs: int) -> dict[str, list[float]]:
    """Time the /stats service call alone (numbers and text) in the big team, like bench_stats."""
    from bot.views.reports import render_stats

    out: dict[str, list[float]] = {}
    for label, role in (("manager", Role.MANAGER), ("rep", Role.REP)):
        samples = []
        for i in range(runs + 5):
            with db.session() as session:
                actor = actor_of(session, BIG, role)
                started = time.perf_counter()
                report = stats.stats_for(
                    session=session, actor=actor, request=StatsRequest(), now=NOW
                )
                render_stats(report, lang=actor.lang)
                if i >= 5:  # warm-up
                    samples.append(time.perf_counter() - started)
        out[label] = samples
    return out


def profile_visit(db: Database, customers_count: int) -> str:
    """Profile one big-team /visit unit of work (parse, log), as the handler runs it."""
    rng = random.Random(3)
    profiler = cProfile.Profile()
    with db.session() as session:
        actor = actor_of(session, BIG, Role.REP)
        for i in range(20):
            text = visit(BIG, rng.randrange(customers_count), i)
            if i == 10:
                profiler.enable()
            parsed = parse_entry(
                text,
                now=NOW,
                tz=actor.tz,
                default_currency=actor.team.currency,
                known_customers=customers.customer_names(session=session, team=actor.team),
                addressed=True,
                default_time=actor.due_time,
            )
            entries.log_entry(
                session=session,
                actor=actor,
                parsed=parsed,
                source=Source(team_chat_id(BIG), 10_000_000 + i, text),
                now=NOW,
            )
        profiler.disable()
        session.rollback()
    return _top(profiler, "one big-team /visit: parse and log (10 runs)")


def profile_stats(db: Database) -> str:
    """Profile the big team's /stats service call (manager)."""
    profiler = cProfile.Profile()
    with db.session() as session:
        actor = actor_of(session, BIG, Role.MANAGER)
        for i in range(15):
            if i == 5:
                profiler.enable()
            stats.stats_for(session=session, actor=actor, request=StatsRequest(), now=NOW)
        profiler.disable()
    return _top(profiler, "the big team's /stats numbers, manager (10 runs)")


def _top(profiler: cProfile.Profile, title: str) -> str:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
    return f"profile of {title}:\n{out.getvalue()}"


async def run(args: argparse.Namespace, url: str) -> None:
    rng = random.Random(5)
    emu = await start_emulator()
    db = Database(url)
    print(f"database: {database_version(db.engine)}")
    big_manager, *big_reps = team_user_ids(BIG, Size().reps)
    add_group(emu, team_chat_id(BIG), big_manager, big_reps)
    small_manager, small_rep = team_user_ids(SMALL, 1)
    add_group(emu, team_chat_id(SMALL), small_manager, [small_rep])
    reps = {"big": (team_chat_id(BIG), big_reps[0]), "small": (team_chat_id(SMALL), small_rep)}
    managers = {
        "big": (team_chat_id(BIG), big_manager),
        "small": (team_chat_id(SMALL), small_manager),
    }
    traffic = Traffic(emu)
    n = args.messages
    results: dict[str, dict[str, list[float]]] = {}
    try:
        async with webhook(crmbot(emu, db)):
            await traffic.ask(team_chat_id(SMALL), small_manager, "/setup")
            for c in range(SMALL_CUSTOMERS):
                await traffic.ask(
                    team_chat_id(SMALL), small_rep, f"/lead {customer_name(SMALL, c)}"
                )
            warm = {name: [visit(BIG if name == "big" else SMALL, 0, 0)] * 3 for name in reps}
            await alternate(traffic, reps, warm)
            results["/visit"] = await alternate(
                traffic,
                reps,
                {
                    "big": [visit(BIG, rng.randrange(args.customers), i) for i in range(n)],
                    "small": [visit(SMALL, rng.randrange(SMALL_CUSTOMERS), i) for i in range(n)],
                },
            )
            results["/lead"] = await alternate(
                traffic,
                reps,
                {name: [f"/lead Prospect {name} {i} Trading" for i in range(n)] for name in reps},
            )
            period = f"{NOW:%Y-%m}"
            results[f"/stats {period}"] = await alternate(
                traffic, managers, {name: [f"/stats {period}"] * n for name in managers}
            )
    finally:
        await emu.stop()
    for command, by_team in results.items():
        big, small = by_team["big"], by_team["small"]
        p50 = statistics.median(big) / statistics.median(small)
        p95 = percentile(big, 95) / percentile(small, 95)
        for name in ("big", "small"):
            print(f"{command:<14} {name:<5} {summary(by_team[name])}")
        verdict = "meets" if p50 <= RATIO_TARGET else "MISSES"
        print(
            f"{command:<14} big / small: p50 {p50:.2f}× ({verdict} ≤ {RATIO_TARGET}×), "
            f"p95 {p95:.2f}×"
        )
    for label, samples in stats_calls(db, args.stats_runs).items():
        p95 = percentile(samples, 95) * 1000
        verdict = "meets" if p95 < STATS_TARGET_MS else "MISSES"
        print(
            f"/stats service call alone, big team, {label:<7} {summary(samples)} "
            f"({verdict} p95 < {STATS_TARGET_MS:.0f} ms)"
        )
    if args.profile:
        print(profile_visit(db, args.customers))
        print(profile_stats(db))
    db.dispose()
    print(f"after: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100, help="of each kind, in each team")
    parser.add_argument("--customers", type=int, default=20_000, help="in the big team")
    parser.add_argument("--stats-runs", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(f"machine: {machine()} · {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        seed(url, args.customers)
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
