"""Benchmark: where the database work runs — crmbot's threads, inline on the loop, async engine.

crmbot runs each unit of work (a blocking SQLAlchemy session) in the database's own threads,
one per pooled connection (`Database.run`). The alternatives, measured on the same burst as
bench_capacity (many groups' /visit at once, the send limiter relaxed):

- inline: the same unit of work called directly on the event loop, blocking it for every
  statement's round trip (what crmbot did before `Database.run`);
- async engine: the same unit of work on SQLAlchemy's asyncio engine (psycopg's async mode)
  through `AsyncSession.run_sync`: the ORM code runs on the event loop and only the database
  I/O is awaited. That is what moving the product to an async engine would buy without
  rewriting every unit of work; it needs PostgreSQL and the greenlet package
  (`.venv/bin/pip install greenlet`).

For each: throughput, CPU per update, and the event loop's lag during the burst (how late a
5 ms sleeper wakes; every update in flight waits that long too). The variants take turns,
`--rounds` times.

    .venv/bin/python -m benchmarks.bench_engine [--rounds 2] [--per-group 20]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_pg]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from sqlmodel import Session

from benchmarks.bench_capacity import Burst, Run, measure
from benchmarks.common import database_version, fresh_database, load, machine, percentile
from benchmarks.harness import groups
from models.db import CONNECT_TIMEOUT, MAX_OVERFLOW, POOL_SIZE, Database

T = TypeVar("T")


class InlineDatabase(Database):
    """Runs each unit of work directly on the event loop."""

    async def run(self, work: Callable[[], T]) -> T:
        return work()


class AsyncEngineDatabase(Database):
    """Runs each unit of work on an asyncio engine: ORM on the event loop, I/O awaited."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.ext.asyncio import create_async_engine

        super().__init__(url)
        # postgresql+psycopg is psycopg 3, whose async mode SQLAlchemy picks for this engine.
        self.async_engine = create_async_engine(
            url,
            pool_size=POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
            connect_args={"connect_timeout": CONNECT_TIMEOUT},
        )
        self._current: ContextVar[Session | None] = ContextVar("session", default=None)

    async def run(self, work: Callable[[], T]) -> T:
        from sqlalchemy.ext.asyncio import AsyncSession

        def within(session: Any) -> T:
            token = self._current.set(session)
            try:
                return work()
            finally:
                self._current.reset(token)

        async with AsyncSession(
            self.async_engine, expire_on_commit=False, sync_session_class=Session
        ) as session:
            return await session.run_sync(within)

    @contextmanager
    def session(self, *, read_only: bool = False) -> Iterator[Session]:
        """Inside run(): the async session's own; elsewhere a blocking one, as before."""
        current = self._current.get()
        if current is None:
            with super().session(read_only=read_only) as session:
                yield session
            return
        try:
            yield current
            current.commit()
        except BaseException:
            current.rollback()
            raise


def variants(url: str) -> list[tuple[str, Callable[[], Database]]]:
    found: list[tuple[str, Callable[[], Database]]] = [
        ("threads (crmbot)", lambda: Database(url)),
        ("inline on the loop", lambda: InlineDatabase(url)),
    ]
    if url.startswith("postgresql"):
        try:
            import greenlet  # noqa: F401  (SQLAlchemy's asyncio needs it)
        except ImportError:
            print("async engine: skipped, greenlet is not installed")
        else:
            found.append(("async engine (run_sync)", lambda: AsyncEngineDatabase(url)))
    return found


async def one(label: str, make: Callable[[], Database], url: str, args: Any) -> Burst:
    fresh_database(url)
    db = make()
    try:
        return await measure(
            Run(label, crm=True, concurrent=256), groups(args.groups), args.per_group, url, db
        )
    finally:
        if isinstance(db, AsyncEngineDatabase):
            await db.async_engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--per-group", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(f"machine: {machine()} · {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = Database(fresh_database(url))
        print(f"database: {database_version(db.engine)}")
        db.dispose()
        found = variants(url)
        results: dict[str, list[Burst]] = {label: [] for label, _ in found}
        for round_ in range(1, args.rounds + 1):
            for label, make in found:
                if url.startswith("sqlite"):
                    for suffix in ("", "-wal", "-shm"):
                        Path(tmp, f"bench.db{suffix}").unlink(missing_ok=True)
                result = await one(label, make, url, args)
                results[label].append(result)
                print(
                    f"round {round_}: {label:<24} {result.rate:6.1f} updates/s · CPU "
                    f"{result.cpu_ms['process']:.1f} ms/update · loop lag p50 "
                    f"{percentile(result.loop_lag, 50) * 1000:.1f} ms, p99 "
                    f"{percentile(result.loop_lag, 99) * 1000:.1f} ms, "
                    f"max {max(result.loop_lag) * 1000:.0f} ms",
                    flush=True,
                )
    for label, runs in results.items():
        lags = [lag for run in runs for lag in run.loop_lag]
        print(
            f"{label:<24} median {statistics.median(r.rate for r in runs):6.1f} updates/s · "
            f"loop lag p99 {percentile(lags, 99) * 1000:.1f} ms, max {max(lags) * 1000:.0f} ms"
        )
    print(f"after: {load()}")


if __name__ == "__main__":
    asyncio.run(main())
