"""Housekeeping: forget old processed-update records."""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import Application

from bot.context import BotContext
from bot.services.updates import forget_old_updates
from reminders.jobs import run_every

JOB = "housekeeping"


async def housekeeping(context: BotContext) -> None:
    """Forget processed-update records Telegram can no longer redeliver."""
    now = context.clock()
    await context.db.in_session(lambda session: forget_old_updates(session=session, now=now))


def schedule(app: Application) -> None:
    run_every(app, housekeeping, name=JOB, interval=timedelta(hours=6), first=60)
