"""Benchmark: /visit throughput across many groups at once, next to a bare PTB echo bot.

A burst of messages from many groups, interleaved (group 1, group 2, …, group 1, …), enters
the emulator at once; throughput is the burst's size over the time from its first message to
the last answer. Both bots are served by crmbot's webhook server with the same number of
updates in flight (`--concurrent-updates`): crmbot with its PerChatUpdateProcessor (chats in
parallel, each chat in order), the echo bot with PTB's own processor (every update in
parallel). The send limiter is relaxed for both (no send rates), so the bots, not Telegram's
limits, are measured. crmbot handling one update at a time is measured too, for reference.
`crmbot run` tunes the process's garbage collector as it starts (bot.app.tune_gc); the echo bot
runs with Python's defaults, and once more with crmbot's setting, for comparison (each run
starts from the defaults). The bots take turns, `--rounds` times, so a change in the
machine's load hits all of them.

    .venv/bin/python -m benchmarks.bench_capacity [--groups 20] [--per-group 30] [--rounds 3]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_pg]

For PostgreSQL the named database is emptied before each crmbot run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import (
    Cpu,
    database_version,
    fresh_database,
    load,
    machine,
    percentile,
    postgres_pids,
)
from benchmarks.harness import (
    AnyApplication,
    Group,
    LoopLag,
    Traffic,
    add_group,
    crmbot,
    echo_bot,
    groups,
    start_emulator,
    summary,
    visit_text,
    webhook,
)
from bot.app import tune_gc
from models.db import Database

TARGET = 0.5  # crmbot's throughput, at least half the echo bot's
PYTHON_GC = gc.get_threshold()  # Python's defaults, as the process started


@dataclass(frozen=True)
class Run:
    label: str
    crm: bool
    concurrent: int
    tuned_gc: bool = False  # the echo bot with crmbot's garbage collection (crmbot: always)


@dataclass(frozen=True)
class Burst:
    rate: float  # updates/s
    latencies: list[float]
    cpu_ms: dict[str, float]  # CPU per update: this process, PostgreSQL
    loop_lag: list[float]  # how late a 5 ms sleeper woke, during the burst


async def burst(traffic: Traffic, teams: list[Group], per_group: int) -> Burst:
    """Send `per_group` messages from every group, interleaved, and wait for every answer."""
    cpu = Cpu({"process": [os.getpid()], "postgres": postgres_pids()})
    cpu.begin()
    lag = LoopLag()
    lag.start()
    keys = []
    for i in range(per_group):
        for group in teams:
            keys.append(await traffic.send(group.chat_id, group.rep, visit_text(i)))
    await traffic.wait_answered(keys, timeout=600, what="the burst's answers")
    first = min(traffic.sent_at[k] for k in keys)
    last = max(traffic.answered_at[k] for k in keys)
    await lag.stop()
    per_update = {name: used / len(keys) * 1000 for name, used in cpu.used().items()}
    return Burst(len(keys) / (last - first), traffic.latencies(keys), per_update, lag.take())


async def measure(
    run: Run, teams: list[Group], per_group: int, url: str, db: Database | None = None
) -> Burst:
    """Start the emulator and the bot, set the groups up, warm up, and time one burst.

    crmbot runs on `db` if given, else on a Database of `url`.
    """
    gc.unfreeze()
    gc.set_threshold(*PYTHON_GC)
    if run.crm or run.tuned_gc:
        tune_gc()  # as `crmbot run` does once it has loaded
    emu = await start_emulator()
    if run.crm and db is None:
        db = Database(url)
    try:
        for group in teams:
            add_group(emu, group.chat_id, group.admin, [group.rep])
        app: AnyApplication = (
            crmbot(emu, db, concurrent_updates=run.concurrent)
            if db is not None
            else echo_bot(emu, concurrent_updates=run.concurrent)
        )
        traffic = Traffic(emu)
        async with webhook(app):
            if db is not None:
                for group in teams:
                    await traffic.set_up(group)
            await burst(traffic, teams, 2)  # warm-up
            return await burst(traffic, teams, per_group)
    finally:
        await emu.stop()
        if db is not None:
            db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--per-group", type=int, default=30, help="messages from each group")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrent-updates", type=int, default=256)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    teams = groups(args.groups)
    runs = [
        Run("bare PTB echo bot", crm=False, concurrent=args.concurrent_updates),
        Run("echo bot, crmbot's gc", crm=False, concurrent=args.concurrent_updates, tuned_gc=True),
        Run("crmbot /visit", crm=True, concurrent=args.concurrent_updates),
        Run("crmbot /visit, 1 at a time", crm=True, concurrent=1),
    ]
    print(f"machine: {machine()} · {load()}")
    print(
        f"burst: {args.groups * args.per_group} messages, {args.groups} groups × "
        f"{args.per_group}, interleaved; {args.rounds} rounds"
    )
    rates: dict[str, list[float]] = {run.label: [] for run in runs}
    cpu: dict[str, list[dict[str, float]]] = {run.label: [] for run in runs}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = f"sqlite:///{Path(tmp) / 'bench.db'}"
        for round_ in range(1, args.rounds + 1):
            for run in runs:
                for suffix in ("", "-wal", "-shm"):
                    Path(tmp, f"bench.db{suffix}").unlink(missing_ok=True)
                url = fresh_database(args.database_url or sqlite)
                if round_ == 1 and run.crm and run.concurrent > 1:
                    db = Database(url)
                    print(f"database: {database_version(db.engine)}")
                    db.dispose()
                result = await measure(run, teams, args.per_group, url)
                rates[run.label].append(result.rate)
                cpu[run.label].append(result.cpu_ms)
                print(
                    f"round {round_}: {run.label:<27} ({run.concurrent:>3} in flight) "
                    f"{result.rate:6.1f} updates/s · CPU per update: this process "
                    f"{result.cpu_ms['process']:.1f} ms, "
                    f"postgres {result.cpu_ms['postgres']:.1f} ms · loop lag "
                    f"p99 {percentile(result.loop_lag, 99) * 1000:.0f} ms, "
                    f"max {max(result.loop_lag) * 1000:.0f} ms"
                    f" · burst latency {summary(result.latencies)}",
                    flush=True,
                )
    print(f"after: {load()}")
    median = {label: statistics.median(values) for label, values in rates.items()}
    for label, value in median.items():
        process = statistics.median(c["process"] for c in cpu[label])
        print(
            f"median {label:<27} {value:6.1f} updates/s · CPU per update in this process "
            f"(bot and emulator) {process:.1f} ms"
        )
    echo, crm = median["bare PTB echo bot"], median["crmbot /visit"]
    verdict = "meets" if crm / echo >= TARGET else "MISSES"
    print(f"ratio crmbot / echo (medians): {crm / echo:.2f}× ({verdict} ≥ {TARGET}×)")
    same_gc = median["echo bot, crmbot's gc"]
    print(f"ratio crmbot / echo with crmbot's gc: {crm / same_gc:.2f}×")
    print(f"concurrency gain: {crm / median['crmbot /visit, 1 at a time']:.2f}×")


if __name__ == "__main__":
    asyncio.run(main())
