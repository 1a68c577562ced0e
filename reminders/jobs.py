"""Scheduling helpers shared by the job modules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram.ext import Application


def run_every(
    app: Application, callback: Any, *, name: str, interval: timedelta, first: float = 5
) -> None:
    """Schedule `callback` every `interval` under a fixed name, replacing any earlier one."""
    queue = app.job_queue
    assert queue is not None
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_repeating(callback, interval=interval, first=first, name=name)
