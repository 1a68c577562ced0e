"""JobQueue jobs: thin callbacks that ask services what is due and send what they return.

Each module owns its jobs and gives them fixed names, so a restart or a second schedule()
replaces rather than duplicates them. The database, not the scheduler, says what is due.
"""

from __future__ import annotations

from telegram.ext import Application

from reminders import digest, due, housekeeping, pool


def schedule(app: Application) -> None:
    """(Re)create every recurring job."""
    if app.job_queue is None:
        raise RuntimeError("crmbot needs python-telegram-bot[job-queue]")
    for module in (housekeeping, due, digest, pool):
        module.schedule(app)
