"""A small process pool for the CPU-heavy pure work: charts, export files, import parsing.

Writing a workbook and drawing a chart are pure Python that holds the GIL for seconds, so a
thread of the bot process still stalls every other chat; a worker process does not. The pool
is created on the first job, not at start-up, and starts its workers one at a time as jobs
need them (at most `size`), so an idle bot is one process. A job is a picklable callable
(see bot.views.files); its result comes back pickled too.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

# Spawn, never fork: forking the bot would copy a process with a running event loop, the HTTP
# client's and the scheduler's threads (and any lock one of them held at that instant, which no
# one would ever release in the child) and the database pool's open sockets. A spawned worker is
# a fresh interpreter that imports what its jobs need on its first job (about two seconds, off
# the loop). A fork server would start workers faster, but its own copy of those imports costs
# about 60 MiB more for one worker (docs/performance.md); workers live as long as the bot.
START_METHOD = "spawn"


# Workers yield the CPU to the bot: on a small machine a worker writing a workbook for seconds
# otherwise takes a core the event loop needs to answer other chats in time.
NICENESS = 10


class Workers:
    """Runs jobs in up to `size` worker processes; `size` 0 runs them in a thread instead.

    Long jobs (export files, reading an import) take seconds; short ones (a chart) a fraction of
    one. With two workers or more, one of them is kept for short jobs, so a chart never waits
    behind an export; with one, both kinds share it.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._long = _Pool(max(size - 1, 1))
        self._short = _Pool(1) if size >= 2 else self._long

    @property
    def started(self) -> bool:
        """Whether a worker pool exists (one is created by the first job of its kind)."""
        return self._long.started or self._short.started

    async def run(self, job: Callable[[], T], *, long: bool = False) -> T:
        """Run `job` in a worker and return its result, or raise what it raised.

        `long` says the job takes seconds (see the class).
        """
        if self.size == 0:
            return await asyncio.to_thread(job)
        return await (self._long if long else self._short).run(job)

    async def close(self) -> None:
        """Stop the workers once their current jobs are done; a later job starts a new pool."""
        await self._long.close()
        await self._short.close()


class _Pool:
    """Up to `size` worker processes, created on the first job, replaced when one dies."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    async def run(self, job: Callable[[], T]) -> T:
        """Run `job` in a worker.

        A worker that died (killed, out of memory) breaks the whole pool: it is replaced and
        the job is tried once more before BrokenProcessPool reaches the caller.
        """
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return await loop.run_in_executor(pool, job)
            except BrokenProcessPool:
                self._discard(pool)
                if attempt == 2:
                    raise
                log.warning("a worker process died; retrying its job in a new pool")
        raise AssertionError("unreachable")

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Starting a worker (on a job that finds none idle) is a fork and exec: 6 ms.
            self._pool = ProcessPoolExecutor(
                max_workers=self.size,
                mp_context=multiprocessing.get_context(START_METHOD),
                initializer=_start_worker,
            )
        return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        # Several jobs fail together when a pool breaks: only the first replaces it.
        if self._pool is pool:
            self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


def _start_worker() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the bot shuts down in order and
    # stops its workers itself, so a worker must not die mid-job with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(NICENESS)
