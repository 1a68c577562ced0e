"""Benchmark: do other groups wait while a big team exports and draws a chart (head-of-line)?

Twenty groups log /visit at a steady, random pace (open loop: each message is sent on its own
schedule, whether or not earlier ones were answered). In "quiet" phases nothing else runs; in
"heavy" phases, at the same time, the manager of a 5,000-customer team runs `/export all`
again and again, and the manager of a second 5,000-customer team `/stats month chart`, each
as soon as the previous one was answered. The figure is the p99 of the /visit answers in heavy
phases against quiet ones; phases alternate, so a change in the machine's load hits both. The
event loop's lag (how late a 5 ms sleeper wakes) is sampled throughout: it is what every
update in flight waits while something holds the loop or the GIL.

    .venv/bin/python -m benchmarks.bench_headofline [--rate 10] [--phase-seconds 20]
        [--rounds 2] [--customers 5000] [--workers N] [--database-url URL]

The two big teams are seeded by benchmarks/generate.py (into a fresh database); the twenty
groups are set up through the bot. Through the real Application and its webhook server, the
send limiter relaxed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import NOW, database_version, fresh_database, load, machine, percentile
from benchmarks.generate import Size, generate, team_chat_id, team_user_ids
from benchmarks.harness import (
    Group,
    LoopLag,
    Traffic,
    add_group,
    crmbot,
    groups,
    start_emulator,
    summary,
    visit_text,
    webhook,
)
from models.db import Database

TARGET = 1.5  # heavy p99 at most 1.5× the quiet p99
EXPORTER, CHARTER = 1, 2  # the generated teams' numbers
REPS = Size().reps


@dataclass
class Heavy:
    """One kind of heavy command, run back to back during heavy phases."""

    chat_id: int
    user_id: int
    text: str
    method: str  # the call that ends it
    per_run: int  # how many of those calls one run makes
    seconds: list[float] = field(default_factory=list)

    async def loop(self, traffic: Traffic, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.once(traffic)

    async def once(self, traffic: Traffic) -> None:
        traffic.collect()
        done = traffic.calls[(self.chat_id, self.method)] + self.per_run
        started = time.monotonic()
        key = await traffic.send(self.chat_id, self.user_id, self.text)
        try:
            await traffic.wait_calls(self.chat_id, self.method, done, timeout=300)
        except TimeoutError:
            calls = [
                (c.method, c.ok, c.params.get("reply_parameters"))
                for c in traffic.emu.calls
                if c.chat_id == self.chat_id
            ]
            print(f"{self.text!r} (message {key[1]}) not done; calls to its chat: {calls}")
            raise
        self.seconds.append(time.monotonic() - started)


async def visits(
    traffic: Traffic, teams: list[Group], rate: float, stop: asyncio.Event, rng: random.Random
) -> list[tuple[int, int]]:
    """Send /visit from random groups at `rate` a second (Poisson) until `stop` is set."""
    keys: list[tuple[int, int]] = []
    loop = asyncio.get_running_loop()
    due = loop.time()
    while not stop.is_set():
        due += rng.expovariate(rate)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), max(0.0, due - loop.time()))
        if stop.is_set():
            break
        group = rng.choice(teams)
        keys.append(await traffic.send(group.chat_id, group.rep, visit_text(len(keys))))
    await traffic.wait_answered(keys, timeout=120, what="the phase's /visit answers")
    return keys


async def phase(
    traffic: Traffic,
    teams: list[Group],
    heavy: list[Heavy],
    *,
    rate: float,
    seconds: float,
    rng: random.Random,
) -> list[tuple[int, int]]:
    """Send /visit for `seconds`; with `heavy` jobs, also until the last one has finished."""
    stop_visits, stop_heavy = asyncio.Event(), asyncio.Event()
    sending = asyncio.create_task(visits(traffic, teams, rate, stop_visits, rng))
    jobs = [asyncio.create_task(job.loop(traffic, stop_heavy)) for job in heavy]
    await asyncio.sleep(seconds)
    stop_heavy.set()
    await asyncio.gather(*jobs)  # each finishes the run it is in
    stop_visits.set()
    return await sending


def seed(url: str, customers: int) -> None:
    started = time.perf_counter()
    size = Size(teams=2, customers_per_team=customers, first_team=EXPORTER)
    counts = generate(url, size, force=True)
    print(
        f"seeded 2 teams × {customers:,} customers ({counts['activity']:,} activities, "
        f"{counts['deal']:,} deals, {counts['task']:,} tasks) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


async def run(args: argparse.Namespace, url: str) -> None:
    rng = random.Random(9)
    emu = await start_emulator()
    db = Database(url)
    print(f"database: {database_version(db.engine)}")
    teams = groups(args.groups)
    for group in teams:
        add_group(emu, group.chat_id, group.admin, [group.rep])
    heavy = []
    for number, text, method, per_run in (
        (EXPORTER, "/export all", "sendDocument", 2),  # a zip of CSV files and a workbook
        (CHARTER, f"/stats {NOW:%Y-%m} chart", "sendPhoto", 1),
    ):
        manager, *reps = team_user_ids(number, REPS)
        add_group(emu, team_chat_id(number), manager, reps)
        heavy.append(Heavy(team_chat_id(number), manager, text, method, per_run))
    traffic, lag = Traffic(emu), LoopLag()
    samples: dict[str, list[float]] = {"quiet": [], "heavy": []}
    lags: dict[str, list[float]] = {"quiet": [], "heavy": []}
    try:
        async with webhook(crmbot(emu, db, workers=args.workers)):
            for group in teams:
                await traffic.set_up(group)
            for job in heavy:  # warm-up, and a look at what it answers
                await job.once(traffic)
                reply = emu.sent(job.chat_id)[0]
                print(
                    f"{job.text!r} alone: {job.seconds.pop():.1f} s; answers "
                    f"{reply.kind} {reply.text[:50]!r}…",
                    flush=True,
                )
            await phase(traffic, teams, [], rate=args.rate, seconds=3, rng=rng)  # warm-up
            lag.start()
            for round_ in range(1, args.rounds + 1):
                for name in ("quiet", "heavy"):
                    lag.take()
                    keys = await phase(
                        traffic,
                        teams,
                        heavy if name == "heavy" else [],
                        rate=args.rate,
                        seconds=args.phase_seconds,
                        rng=rng,
                    )
                    phase_lag = lag.take()
                    latencies = traffic.latencies(keys)
                    samples[name] += latencies
                    lags[name] += phase_lag
                    print(
                        f"round {round_} {name}: /visit {summary(latencies)} · "
                        f"loop lag p99 {percentile(phase_lag, 99) * 1000:.1f} ms",
                        flush=True,
                    )
            await lag.stop()
    finally:
        await emu.stop()
        db.dispose()
    for job in heavy:
        runs = job.seconds
        print(
            f"{job.text!r}: {len(runs)} runs, {statistics.median(runs):.2f} s median, "
            f"{max(runs):.2f} s max"
        )
    for name in ("quiet", "heavy"):
        print(f"{name:<5} /visit {summary(samples[name])}")
        print(f"{name:<5} loop lag {summary(lags[name])}")
    quiet, heavy_p99 = percentile(samples["quiet"], 99), percentile(samples["heavy"], 99)
    ratio = heavy_p99 / quiet
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"p99 heavy / quiet: {ratio:.2f}× ({verdict} ≤ {TARGET}×)")
    print(f"after: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--rate", type=float, default=10, help="/visit per second, all groups")
    parser.add_argument("--phase-seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--customers", type=int, default=5000, help="in each big team")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--workers", type=int, default=None, help="CRMBOT_WORKERS (default: crmbot's own)"
    )
    parser.add_argument(
        "--switch-interval",
        type=float,
        default=None,
        help="sys.setswitchinterval, in seconds (Python's default: 0.005); a diagnostic",
    )
    args = parser.parse_args()
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    workers = "crmbot's default" if args.workers is None else args.workers
    print(f"machine: {machine()} · {load()} · GIL switch interval {sys.getswitchinterval()} s")
    print(f"CRMBOT_WORKERS: {workers}")
    print(
        f"{args.groups} groups, /visit at {args.rate:g}/s in all; {args.rounds} rounds of "
        f"{args.phase_seconds:g} s quiet + {args.phase_seconds:g} s heavy"
    )
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        seed(url, args.customers)
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
