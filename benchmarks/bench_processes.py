"""Benchmark: two webhook processes on one PostgreSQL database, behind a round-robin proxy.

The emulator delivers every update to a small aiohttp reverse proxy in this process, which
hands them to `crmbot run --webhook` subprocesses in turn (benchmarks/webhook_worker.py: the
same server, with the send limiter relaxed). Twenty groups are set up, then a burst of
`--updates` /visit messages, interleaved, is timed from its first message to the last answer,
with two processes and with one (same proxy, same database server, a fresh database each).

Then Telegram's redeliveries, on top: more /visit messages of which every tenth is answered
502 by the proxy after a process took it (the emulator, like Telegram, sends it again, and the
proxy hands it to the next process, usually while the first is still handling it), every
tenth other one is handed to every process at once, and a hundred updates handled earlier
are posted again at the end (a redelivery after a restart). Finally, in the database and in
the emulator: every /visit logged exactly once (one entry, one visit activity), exactly one
answer each, and one processed-update row per update.

    .venv/bin/python -m benchmarks.bench_processes
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_pg [--updates 5000]

The named database is emptied before each run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import func
from sqlmodel import col, select

from benchmarks.common import Cpu, database_version, fresh_database, load, machine, postgres_pids
from benchmarks.harness import (
    SECRET,
    Group,
    Traffic,
    add_group,
    groups,
    start_emulator,
    visit_text,
)
from bot.webhook import SECRET_HEADER, WEBHOOK_PATH
from models.db import Database
from models.tables import Activity, Entry, ProcessedUpdate
from tgemu import BotApiEmulator
from tgemu.sandbox import TOKEN, _free_port

ROOT = Path(__file__).resolve().parent.parent
REDELIVERED = 0  # update_id % 10: answered 502 once after a process took it
FANNED_OUT = 5  # update_id % 10: handed to every process at once
LATE = 100  # updates posted again at the end


@dataclass
class Proxy:
    """Round-robin reverse proxy for webhook posts, which can also play Telegram redelivering."""

    backends: list[str]
    redeliver: bool = False  # refuse and fan out as above
    forwarded: Counter[str] = field(default_factory=Counter)
    refused: set[int] = field(default_factory=set)
    fanned_out: set[int] = field(default_factory=set)
    _turn: int = 0
    _session: aiohttp.ClientSession | None = None

    async def _post(self, backend: str, body: bytes, secret: str) -> int:
        assert self._session is not None
        headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
        self.forwarded[backend] += 1
        try:
            async with self._session.post(backend, data=body, headers=headers) as response:
                await response.read()
                return response.status
        except aiohttp.ClientError:
            return 502  # that process is not up (yet): Telegram will try again

    async def post(self, body: bytes, secret: str) -> int:
        """Hand an update to the next process; return the status to answer."""
        backend = self.backends[self._turn % len(self.backends)]
        self._turn += 1
        update_id = int(json.loads(body)["update_id"])
        if self.redeliver and update_id % 10 == FANNED_OUT and update_id not in self.fanned_out:
            self.fanned_out.add(update_id)
            statuses = await asyncio.gather(*(self._post(b, body, secret) for b in self.backends))
            return min(statuses)
        status = await self._post(backend, body, secret)
        if self.redeliver and status == 200 and update_id % 10 == REDELIVERED:
            if update_id not in self.refused:
                self.refused.add(update_id)
                return 502  # as if the answer was lost on the way: Telegram sends it again
        return status

    async def receive(self, request: web.Request) -> web.Response:
        status = await self.post(await request.read(), request.headers.get(SECRET_HEADER, ""))
        return web.Response(status=status)

    @asynccontextmanager
    async def serving(self, port: int) -> AsyncIterator[str]:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        server = web.Application()
        server.router.add_post(WEBHOOK_PATH, self.receive)
        runner = web.AppRunner(server, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            yield f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
        finally:
            await runner.cleanup()
            await self._session.close()


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    port: int
    log: Path


def start_worker(emu: BotApiEmulator, url: str, proxy_url: str, log: Path) -> Worker:
    port = _free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"{emu.base_url}/bot",
        "DATABASE_URL": url,
        "CRMBOT_WEBHOOK_URL": proxy_url,
        "CRMBOT_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "CRMBOT_WEBHOOK_SECRET": SECRET,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.webhook_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    return Worker(process, port, log)


async def healthy(workers: list[Worker], timeout: float = 60) -> None:
    """Wait until every worker's /healthz answers 200."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        for worker in workers:
            while True:
                if worker.process.poll() is not None:
                    raise RuntimeError(f"worker died: {worker.log.read_text()[-2000:]}")
                try:
                    url = f"http://127.0.0.1:{worker.port}/healthz"
                    async with session.get(url) as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"worker on {worker.port} not healthy")
                await asyncio.sleep(0.2)


def stop_workers(workers: list[Worker]) -> None:
    for worker in workers:
        worker.process.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


@dataclass
class Result:
    processes: int
    updates: int
    seconds: float
    checks: list[str]
    ok: bool

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


async def burst(
    traffic: Traffic, teams: list[Group], count: int, start: int
) -> tuple[list[tuple[int, int]], float]:
    """Send `count` /visit messages round-robin over the groups; return them and the seconds."""
    keys = []
    for i in range(count):
        group = teams[i % len(teams)]
        keys.append(await traffic.send(group.chat_id, group.rep, visit_text(start + i)))
    await traffic.wait_answered(keys, timeout=900, what="the burst's answers")
    first = min(traffic.sent_at[k] for k in keys)
    last = max(traffic.answered_at[k] for k in keys)
    return keys, last - first


async def quiet(traffic: Traffic, seconds: float = 2.0) -> None:
    """Wait until the bots have made no call for `seconds` (late doubles would show by then)."""
    while True:
        before = len(traffic.emu.calls)
        await asyncio.sleep(seconds)
        if len(traffic.emu.calls) == before:
            return


def check(
    db: Database, traffic: Traffic, visits: list[tuple[int, int]], queued: int
) -> tuple[list[str], bool]:
    """Compare what the database and the emulator hold with what was sent."""
    traffic.collect()
    wanted = Counter(visits)
    with db.session() as session:
        entries = Counter(
            (chat, message)
            for chat, message in session.exec(
                select(Entry.chat_id, Entry.message_id).where(col(Entry.intent) == "visit")
            )
        )
        activities = Counter(
            (chat, message)
            for chat, message in session.exec(
                select(Entry.chat_id, Entry.message_id)
                .join(Activity, col(Activity.entry_id) == col(Entry.id))
                .where(col(Activity.kind) == "visit")
            )
        )
        processed = session.exec(select(func.count()).select_from(ProcessedUpdate)).one()
    answers = Counter({key: traffic.answers.get(key, 0) for key in wanted})
    lines, ok = [], True
    for what, found in (("entries", entries), ("visit activities", activities)):
        lost = sum(1 for key in wanted if found[key] == 0)
        doubled = sum(1 for key in wanted if found[key] > 1)
        extra = sum(1 for key in found if key not in wanted)
        ok &= lost == doubled == extra == 0
        lines.append(
            f"{what}: {len(wanted)} expected, {lost} lost, {doubled} doubled, {extra} extra"
        )
    lost = sum(1 for key in wanted if answers[key] == 0)
    doubled = sum(1 for key in wanted if answers[key] > 1)
    ok &= lost == doubled == 0
    lines.append(f"answers in the emulator: {lost} missing, {doubled} doubled")
    ok &= processed == queued
    lines.append(f"processed-update rows: {processed} for {queued} updates queued")
    return lines, ok


async def run(
    url: str, processes: int, teams: list[Group], updates: int, redeliveries: int, tmp: Path
) -> Result:
    fresh_database(url)
    db = Database(url)
    db.upgrade()  # before the workers start, so they do not race to migrate
    emu = await start_emulator()
    for group in teams:
        add_group(emu, group.chat_id, group.admin, [group.rep])
    workers: list[Worker] = []
    proxy = Proxy([])
    try:
        async with proxy.serving(_free_port()) as proxy_url:
            for n in range(processes):
                workers.append(start_worker(emu, url, proxy_url, tmp / f"worker{n}.log"))
            proxy.backends = [f"http://127.0.0.1:{w.port}{WEBHOOK_PATH}" for w in workers]
            await healthy(workers)
            traffic = Traffic(emu)
            for group in teams:
                await traffic.set_up(group)
            warm, _ = await burst(traffic, teams, 2 * len(teams), 0)
            cpu = Cpu(
                {
                    "emulator and proxy": [os.getpid()],
                    **{f"bot {n + 1}": [w.process.pid] for n, w in enumerate(workers)},
                    "postgres (all)": postgres_pids(),
                }
            )
            cpu.begin()
            keys, seconds = await burst(traffic, teams, updates, 0)
            usage = f"CPU during the burst: {cpu.describe(seconds)}"
            visits = warm + keys
            if redeliveries:
                proxy.redeliver = True
                more, _ = await burst(traffic, teams, redeliveries, updates)
                visits += more
                proxy.redeliver = False
                # Telegram redelivering updates handled long ago (say, after a restart)
                for update in random.Random(1).sample(emu.updates, LATE):
                    await proxy.post(json.dumps(update).encode(), SECRET)
            await emu.wait_consumed(timeout=60)
            await quiet(traffic)
            lines, ok = check(db, traffic, visits, len(emu.updates))
            if redeliveries:
                lines.append(
                    f"redelivered by the emulator after a 502: {len(proxy.refused)}; handed to "
                    f"every process at once: {len(proxy.fanned_out)}; posted again late: {LATE}"
                )
            lines.append(
                "handed to each process: "
                + ", ".join(str(proxy.forwarded[b]) for b in proxy.backends)
            )
            lines.append(usage)
    finally:
        stop_workers(workers)
        await emu.stop()
        db.dispose()
    for worker in workers:
        errors = [
            line
            for line in worker.log.read_text(errors="replace").splitlines()
            if " ERROR " in line
        ]
        if errors:
            ok = False
            lines.append(f"{worker.log.name}: {len(errors)} errors, first: {errors[0][:200]}")
    return Result(processes, updates, seconds, lines, ok)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to empty")
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--redeliveries", type=int, default=500, help="messages in that phase")
    parser.add_argument("--groups", type=int, default=20)
    args = parser.parse_args()
    teams = groups(args.groups)
    print(f"machine: {machine()} · {load()}")
    db = Database(fresh_database(args.database_url))
    print(f"database: {database_version(db.engine)}")
    db.dispose()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for processes in (2, 1):
            result = await run(
                args.database_url, processes, teams, args.updates, args.redeliveries, Path(tmp)
            )
            results.append(result)
            print(
                f"{processes} process(es): {result.updates} /visit in {result.seconds:.1f} s = "
                f"{result.rate:.1f} updates/s; checks {'pass' if result.ok else 'FAIL'}",
                flush=True,
            )
            for line in result.checks:
                print(f"  {line}")
    two, one = results
    print(f"two processes / one: {two.rate / one.rate:.2f}×")
    print(f"after: {load()}")


if __name__ == "__main__":
    asyncio.run(main())
