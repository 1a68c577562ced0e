"""JobQueue jobs: thin callbacks that ask services what is due and send it.

Jobs have fixed names so a restart or a second schedule() replaces rather than duplicates them.
"""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import Application

from bot.context import BotContext
from bot.services.updates import forget_old_updates

HOUSEKEEPING_JOB = "housekeeping"


async def housekeeping(context: BotContext) -> None:
    """Forget old processed-update records."""
    with context.db.session() as session:
        forget_old_updates(session=session, now=context.clock())


def schedule(app: Application) -> None:  # type: ignore[type-arg]
    """(Re)create the recurring jobs; the database says what is due, not the scheduler."""
    queue = app.job_queue
    if queue is None:
        raise RuntimeError("crmbot needs python-telegram-bot[job-queue]")
    for job in queue.get_jobs_by_name(HOUSEKEEPING_JOB):
        job.schedule_removal()
    queue.run_repeating(housekeeping, interval=timedelta(hours=6), first=60, name=HOUSEKEEPING_JOB)


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Add the handlers reminders need (their buttons)."""
