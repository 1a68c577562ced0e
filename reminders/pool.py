"""公海: customers silent for too long go back to the shared pool; the group is told once."""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import Application

from bot.context import BotContext
from bot.sending import send_text
from bot.services.ownership import return_silent_to_pool
from bot.views.customers import pool_returned
from reminders.jobs import run_every

JOB = "pool"


async def pool_job(context: BotContext) -> None:
    """Return silent customers to the pool and announce them, one message per team."""
    now = context.clock()
    returned = await context.db.in_session(
        lambda session: return_silent_to_pool(session=session, now=now)
    )
    notices = [
        (p.team.chat_id, pool_returned(p.team.language, p.team.pool_after_days, p.names))
        for p in returned
    ]
    for chat_id, text in notices:
        await send_text(context.bot, chat_id, text)


def schedule(app: Application) -> None:
    run_every(app, pool_job, name=JOB, interval=timedelta(hours=1), first=120)
