"""Benchmark: memory of the bot's process tree, and /visit latency, through a busy Monday morning.

The bot runs as its own process (as `crmbot run` does) against the local Bot API emulator in
this one, on a copy of a generated dataset: 20 teams of 5,000 customers (about 50,000
activities each). It is measured idle, then through a burst: the weekly digest of all 20
teams (text and trend chart each) and one manager's `/export` (all data) at once, while 20
other groups each send `/visit` round after round. Memory is the sum over the bot's process
and every descendant (the fork server, its workers, multiprocessing's resource tracker): RSS,
which counts pages shared between processes once per process, and PSS, which splits them.

    .venv/bin/python -m benchmarks.bench_workers [--workers 0,1,2] [--baseline /path/to/checkout]

The first run generates data/bench-workers.db (about 45 s); later runs reuse it. Each mode
starts from a fresh copy. `--baseline` runs the same child with another checkout's code (e.g.
the main branch before workers existed) for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select

from benchmarks.common import NOW, machine, percentile
from benchmarks.generate import Size, generate
from models.tables import Team
from tgemu import BotApiEmulator, SentMessage
from tgemu.sandbox import BOT_USERNAME, TOKEN

DATASET = Path("data/bench-workers.db")
SIZE = Size(teams=20, customers_per_team=5000)
EXPORTER = 1  # the generated team whose manager exports (its manager is user 100)
VISIT_GROUP = -1009000000100
VISITOR = 900_000
CHUNK_DONE = "digest done"

# The bot process: built like `crmbot run` (polling the emulator), with the benchmark's fixed
# "now" and no rate limits; stdin says when to run the digest job and when to stop. It only
# uses APIs that predate the workers, so --baseline can run it on older code.
CHILD = textwrap.dedent(
    f"""
    import asyncio, os, sys
    from datetime import datetime
    from telegram.ext import AIORateLimiter
    from bot.app import ALLOWED_UPDATES, build_application
    from bot.clock import ManualClock
    from bot.config import Settings

    async def main() -> None:
        base, url, now, workers = sys.argv[1:5]
        settings = Settings(
            TELEGRAM_BOT_TOKEN={TOKEN!r}, TELEGRAM_API_BASE_URL=base, DATABASE_URL=url,
            CRMBOT_WORKERS=workers,
        )
        try:  # the sandbox's relaxed limiter: what build_application expects of one
            from tgemu.sandbox import sandbox_rate_limiter
            limiter = sandbox_rate_limiter()
        except ImportError:  # code from before it
            limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=5)
        app = build_application(
            settings, clock=ManualClock(datetime.fromisoformat(now)), rate_limiter=limiter
        )
        try:  # as `crmbot run` does, in code that has it (BENCH_PYTHON_GC=1: Python's own)
            from bot.app import tune_gc
        except ImportError:
            pass
        else:
            if not os.environ.get("BENCH_PYTHON_GC"):
                tune_gc()
        await app.initialize()
        await app.post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        app.job_queue.scheduler.pause()
        loop = asyncio.get_running_loop()
        worst = [0.0]  # the event loop's longest stall since asked last

        async def watch() -> None:
            while True:
                start = loop.time()
                await asyncio.sleep(0.01)
                worst[0] = max(worst[0], loop.time() - start - 0.01)

        watcher = asyncio.create_task(watch())
        print("ready", flush=True)
        while (line := (await loop.run_in_executor(None, sys.stdin.readline)).strip()) != "quit":
            if line == "digest":
                (job,) = app.job_queue.get_jobs_by_name("digest")
                await job.run(app)
                print({CHUNK_DONE!r}, flush=True)
            elif line == "stall":
                print(f"{{worst[0]:.3f}}", flush=True)
                worst[0] = 0.0
        watcher.cancel()
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)

    asyncio.run(main())
    """
)


@dataclass
class Memory:
    processes: int = 0
    rss: float = 0.0  # MiB, summed over the tree
    pss: float = 0.0
    each: list[str] = field(default_factory=list)  # one line per process


@dataclass
class Run:
    name: str
    idle: Memory = field(default_factory=Memory)
    peak: Memory = field(default_factory=Memory)
    after: Memory = field(default_factory=Memory)
    quiet: list[float] = field(default_factory=list)  # /visit latencies, nothing else running
    busy: list[float] = field(default_factory=list)  # /visit latencies during the burst
    export_s: float = 0.0
    digest_s: float = 0.0
    stall_quiet: float = 0.0  # the event loop's longest stall, seconds
    stall_busy: float = 0.0


def documents(emu: BotApiEmulator, chat_id: int) -> list[SentMessage]:
    return [m for m in emu.sent(chat_id) if m.kind == "document"]


def team_chat(number: int) -> int:
    """The chat id benchmarks.generate gives team `number`."""
    return -1001_000_000_000 - number


def process_tree(root: int) -> list[int]:
    """Return `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children[parent].append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children[pid])
    return tree


def memory(root: int) -> Memory:
    """Sum RSS and PSS (MiB) over a process tree (smaps_rollup: Linux 4.14+)."""
    total = Memory()
    for pid in process_tree(root):
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        values = {k: v for k, _, v in (line.partition(":") for line in lines)}
        rss = int(values.get("Rss", "0 kB").split()[0]) / 1024
        pss = int(values.get("Pss", "0 kB").split()[0]) / 1024
        total.processes += 1
        total.rss += rss
        total.pss += pss
        command = " ".join(Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0"))
        total.each.append(f"{rss:6.0f} / {pss:4.0f} MiB  {' '.join(command.split())[:70]}")
    return total


def dataset() -> Path:
    """Generate the dataset once; return its path."""
    url = f"sqlite:///{DATASET}"
    if DATASET.exists():
        engine = create_engine(url)
        with engine.connect() as conn:
            teams = conn.execute(select(func.count()).select_from(Team)).scalar()
        engine.dispose()
        if teams == SIZE.teams:
            return DATASET
    DATASET.parent.mkdir(exist_ok=True)
    print(f"generating {url} …", file=sys.stderr)
    generate(url, SIZE, force=True)
    return DATASET


async def ask(child: asyncio.subprocess.Process, command: str) -> str:
    """Send the bot process a command; return the line it answers."""
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(f"{command}\n".encode())
    await child.stdin.drain()
    return (await child.stdout.readline()).decode().strip()


async def visit_round(emu: BotApiEmulator, groups: int, round_no: int) -> list[float]:
    """Every visit group sends a /visit at once; return each reply's latency (seconds)."""
    chats = [VISIT_GROUP - i for i in range(groups)]
    before = {chat: len(emu.sent(chat)) for chat in chats}
    start = time.monotonic()
    for i, chat in enumerate(chats):
        text = f"/visit Client {round_no}-{i}, showed the samples, follow up Friday"
        await emu.send_message(chat, VISITOR + i, text)
    await emu.wait_until(
        lambda: all(len(emu.sent(chat)) > before[chat] for chat in chats), timeout=120
    )
    latencies = []
    for chat in chats:
        reply = next(
            c
            for c in emu.calls
            if c.method == "sendMessage" and c.chat_id == chat and c.time >= start
        )
        latencies.append(reply.time - start)
    return latencies


async def bench(name: str, workers: str, root: Path, groups: int) -> Run:
    run = Run(name)
    emu = BotApiEmulator()
    await emu.start()
    bot_id = int(emu.add_bot(TOKEN, BOT_USERNAME, "crmbot")["id"])
    for number in range(SIZE.teams):  # the generated teams; their manager is user number*100
        managers = [number * 100] if number else []  # (team 0's would be user 0: never asked)
        for uid in managers:
            emu.add_user(uid, f"Manager {number}", f"u{number}_0")
        emu.add_group(team_chat(number), f"Team {number}", admins=managers, members=[bot_id])
    for i in range(groups):
        emu.add_user(VISITOR + i, f"Rep {i}", f"rep{i}")
        emu.add_group(VISIT_GROUP - i, f"Visits {i}", admins=[VISITOR + i], members=[bot_id])

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        shutil.copy(dataset(), db)
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            CHILD,
            f"{emu.base_url}/bot",
            f"sqlite:///{db}",
            NOW.isoformat(),
            workers,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            ready = await asyncio.wait_for(child.stdout.readline(), timeout=120)
            assert ready.strip() == b"ready", ready
            for i in range(groups):
                await emu.send_message(VISIT_GROUP - i, VISITOR + i, "/setup")
            await emu.wait_until(
                lambda: all(emu.sent(VISIT_GROUP - i) for i in range(groups)), timeout=60
            )
            await ask(child, "stall")
            for r in range(3):  # warm up, then quiet latencies
                latencies = await visit_round(emu, groups, r)
                if r:
                    run.quiet += latencies
                else:
                    await ask(child, "stall")
            run.stall_quiet = float(await ask(child, "stall"))
            await asyncio.sleep(3)
            run.idle = memory(child.pid)

            exporter = team_chat(EXPORTER)
            exports_before = len(documents(emu, exporter))
            digests_before = len(emu.sent())
            start = time.monotonic()
            await emu.send_message(exporter, EXPORTER * 100, "/export")
            child.stdin.write(b"digest\n")
            await child.stdin.drain()
            digest_done = asyncio.create_task(child.stdout.readline())
            round_no = 10
            while True:
                run.busy += await visit_round(emu, groups, round_no)
                round_no += 1
                sample = memory(child.pid)
                if sample.pss > run.peak.pss:
                    run.peak = sample
                exported = len(documents(emu, exporter)) - exports_before >= 2
                if exported and not run.export_s:
                    run.export_s = time.monotonic() - start
                if digest_done.done() and not run.digest_s:
                    assert (await digest_done).strip().decode() == CHUNK_DONE
                    run.digest_s = time.monotonic() - start
                if run.export_s and run.digest_s:
                    break
                await asyncio.sleep(0.1)
            run.stall_busy = float(await ask(child, "stall"))
            photos = [m for m in emu.sent()[digests_before:] if m.kind == "photo"]
            print(f"  {name}: {len(photos)} digest charts sent", file=sys.stderr)
            await asyncio.sleep(3)
            run.after = memory(child.pid)
            for line in run.after.each:
                print(f"    {line}", file=sys.stderr)
            child.stdin.write(b"quit\n")
            await child.stdin.drain()
            await asyncio.wait_for(child.wait(), timeout=60)
        finally:
            if child.returncode is None:
                child.kill()
                await child.wait()
            await emu.stop()
    return run


def ms(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct) * 1000:,.0f}"


def report(runs: list[Run]) -> None:
    print()
    print("| | processes | idle RSS / PSS | peak RSS / PSS | after RSS / PSS |")
    print("|---|---|---|---|---|")
    for r in runs:
        print(
            f"| {r.name} | {r.idle.processes} → {r.peak.processes} | "
            f"{r.idle.rss:.0f} / {r.idle.pss:.0f} MiB | {r.peak.rss:.0f} / {r.peak.pss:.0f} MiB | "
            f"{r.after.rss:.0f} / {r.after.pss:.0f} MiB |"
        )
    print()
    print(
        "| | /visit quiet p50 / p95 | /visit in the burst p50 / p95 / max "
        "| longest loop stall quiet / burst | export | digest |"
    )
    print("|---|---|---|---|---|---|")
    for r in runs:
        print(
            f"| {r.name} | {ms(r.quiet, 50)} / {ms(r.quiet, 95)} ms | "
            f"{ms(r.busy, 50)} / {ms(r.busy, 95)} / {max(r.busy) * 1000:,.0f} ms "
            f"(n={len(r.busy)}) | {r.stall_quiet * 1000:,.0f} / {r.stall_busy * 1000:,.0f} ms "
            f"| {r.export_s:.1f} s | {r.digest_s:.1f} s |"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="0,1,2", help="CRMBOT_WORKERS values to run")
    parser.add_argument("--groups", type=int, default=20, help="groups sending /visit")
    parser.add_argument("--baseline", type=Path, help="another checkout to run first")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    dataset()
    runs = []
    if args.baseline:
        commit = subprocess.run(
            ["git", "-C", str(args.baseline), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        name = f"baseline {commit or args.baseline.name}"
        runs.append(await bench(name, "1", args.baseline.resolve(), args.groups))
    for workers in args.workers.split(","):
        runs.append(await bench(f"CRMBOT_WORKERS={workers}", workers, Path.cwd(), args.groups))
    report(runs)


if __name__ == "__main__":
    asyncio.run(main())
