"""The worker pool: jobs run in another process, started on first use; errors come back."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bot.services.errors import CrmError
from bot.workers import NICENESS, Workers


def refuse() -> None:
    raise CrmError("import.error.too_big", limit_mb=5)


def die_once(marker: Path) -> int:
    """Kill the worker the first time (as the OOM killer would); then answer."""
    if not marker.exists():
        marker.touch()
        os._exit(1)
    return os.getpid()


def die() -> None:
    os._exit(1)


async def test_jobs_run_in_one_worker_process_started_by_the_first_job() -> None:
    workers = Workers(2)
    assert not workers.started
    try:
        pids = {await workers.run(os.getpid) for _ in range(3)}
        assert workers.started
        # One job at a time needs one worker: the second is never started.
        assert len(pids) == 1 and os.getpid() not in pids
    finally:
        await workers.close()
    assert not workers.started


async def test_a_job_that_raises_raises_in_the_caller() -> None:
    workers = Workers(1)
    try:
        with pytest.raises(CrmError) as raised:
            await workers.run(refuse)
        assert (raised.value.key, raised.value.params) == ("import.error.too_big", {"limit_mb": 5})
        assert await workers.run(os.getpid) != os.getpid()  # the worker survived it
    finally:
        await workers.close()


async def test_a_dead_worker_is_replaced_and_its_job_tried_again(tmp_path: Path) -> None:
    workers = Workers(1)
    try:
        pid = await workers.run(partial(die_once, tmp_path / "died"))
        assert pid != os.getpid()
        assert await workers.run(os.getpid) == pid  # the new pool serves what follows
    finally:
        await workers.close()


async def test_a_job_that_kills_every_worker_is_tried_twice_then_raises() -> None:
    workers = Workers(1)
    try:
        with pytest.raises(BrokenProcessPool):
            await workers.run(die)
        assert await workers.run(os.getpid) != os.getpid()  # and the next job has a pool
    finally:
        await workers.close()


async def test_a_closed_pool_starts_again_for_the_next_job() -> None:
    workers = Workers(1)
    first = await workers.run(os.getpid)
    await workers.close()
    try:
        assert await workers.run(os.getpid) not in (first, os.getpid())
    finally:
        await workers.close()


async def test_no_workers_runs_jobs_in_a_thread_of_this_process() -> None:
    workers = Workers(0)
    assert await workers.run(os.getpid) == os.getpid()
    with pytest.raises(CrmError):
        await workers.run(refuse)
    assert not workers.started


def niceness() -> int:
    return os.nice(0)


async def test_workers_yield_the_cpu_to_the_bot() -> None:
    workers = Workers(1)
    try:
        assert await workers.run(niceness) == min(niceness() + NICENESS, 19)
    finally:
        await workers.close()


def hold(started: Any, release: Any) -> str:
    """A long job: say it has started, then wait until told to finish."""
    started.set()
    assert release.wait(timeout=60)
    return "long"


async def test_a_short_job_does_not_wait_behind_a_long_one() -> None:
    workers = Workers(2)
    with multiprocessing.get_context("spawn").Manager() as manager:
        started, release = manager.Event(), manager.Event()
        try:
            long_job = asyncio.create_task(workers.run(partial(hold, started, release), long=True))
            assert await asyncio.to_thread(started.wait, 60)
            # The long job holds its worker until released: the short one runs in the other.
            assert await workers.run(os.getpid) != os.getpid()
            assert not long_job.done()
            release.set()
            assert await long_job == "long"
        finally:
            release.set()
            await workers.close()


async def test_one_worker_runs_both_kinds_of_job_in_one_process() -> None:
    workers = Workers(1)
    try:
        assert await workers.run(os.getpid, long=True) == await workers.run(os.getpid)
    finally:
        await workers.close()
