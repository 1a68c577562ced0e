"""公海: customers silent for too long go back to the shared pool; the group is told once."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import t
from bot.services.ownership import return_silent_to_pool
from reminders.jobs import run_every

log = logging.getLogger(__name__)
JOB = "pool"
NAMES_SHOWN = 10


async def pool_job(context: BotContext) -> None:
    """Return silent customers to the pool and announce them, one message per team."""
    with context.db.session() as session:
        returned = return_silent_to_pool(session=session, now=context.clock())
        notices = [
            (p.team.chat_id, p.team.language, p.team.pool_after_days, [c.name for c in p.customers])
            for p in returned
        ]
    for chat_id, lang, days, names in notices:
        shown = ", ".join(names[:NAMES_SHOWN])
        if len(names) > NAMES_SHOWN:
            shown = t(lang, "list.more", names=shown, count=len(names) - NAMES_SHOWN)
        try:
            await context.bot.send_message(
                chat_id, t(lang, "pool.returned", days=days, names=shown)
            )
        except TelegramError:
            log.warning("could not announce pooled customers in chat %s", chat_id, exc_info=True)


def schedule(app: Application) -> None:
    run_every(app, pool_job, name=JOB, interval=timedelta(hours=1), first=120)
