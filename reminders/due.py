"""Due-task jobs: overdue reminders, escalation to managers, the morning agenda.

Each run asks a service to claim what is due (exactly once, in the database), words each
notice with a view and sends it. Chats are sent to concurrently, each chat's messages in
order; the Application's rate limiter paces them and waits out flood control, so a burst is
delayed, never dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.context import BotContext
from bot.sending import markup
from bot.services import reminders
from bot.services.reminders import Notice
from bot.views.reminders import notice_keyboard, notice_text
from reminders.jobs import run_every

log = logging.getLogger(__name__)

REMINDERS_JOB = "due_reminders"
ESCALATIONS_JOB = "escalations"
AGENDA_JOB = "morning_agenda"

Claim = Callable[..., list[Notice]]


async def due_reminders(context: BotContext) -> None:
    """Remind owners of their overdue tasks: one message per owner."""
    await _claim_and_send(context, reminders.claim_due_reminders)


async def escalations(context: BotContext) -> None:
    """Tell managers about tasks overdue for too long: one message per team."""
    await _claim_and_send(context, reminders.claim_escalations)


async def morning_agenda(context: BotContext) -> None:
    """Post each team's tasks for the day at the start of its working morning."""
    await _claim_and_send(context, reminders.claim_agendas)


async def _claim_and_send(context: BotContext, claim: Claim) -> None:
    now = context.clock()
    notices = await context.db.in_session(lambda session: claim(session=session, now=now))
    by_chat: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_chat[notice.chat_id].append(notice)
    await asyncio.gather(*(_send_in_order(context, queue) for queue in by_chat.values()))


async def _send_in_order(context: BotContext, queue: list[Notice]) -> None:
    for notice in queue:
        await deliver(context, notice)


async def deliver(context: BotContext, notice: Notice) -> None:
    """Send one notice; fall back to the group, or release the claim, when Telegram refuses."""
    try:
        message = await context.bot.send_message(
            notice.chat_id, notice_text(notice), reply_markup=markup(notice_keyboard(notice))
        )
    except Forbidden:
        if notice.fallback is None or notice.member_id is None:
            log.warning("%s for team %s refused in chat %s", notice.kind, notice.team_id,
                        notice.chat_id)  # fmt: skip
            return
        # The member blocked the bot or never opened it: the group hears it from now on.
        await context.db.in_session(lambda s: reminders.forget_private_chat(
            session=s, member_id=notice.member_id or 0))  # fmt: skip
        await deliver(context, notice.fallback)
        return
    except BadRequest:
        # Permanent (chat gone, bot removed): retrying every minute would not help.
        log.warning("%s for team %s rejected", notice.kind, notice.team_id, exc_info=True)
        return
    except TelegramError:
        # Network trouble or flood control beyond the limiter's retries: try again next run.
        log.warning("%s for team %s not sent; released", notice.kind, notice.team_id,
                    exc_info=True)  # fmt: skip
        await context.db.in_session(lambda s: reminders.release(session=s, notice=notice))
        return
    await context.db.in_session(
        lambda s: reminders.remember_message(
            session=s, notice=notice, chat_id=message.chat_id, message_id=message.message_id
        ),
    )


def schedule(app: Application) -> None:
    """Run the three jobs every reminder interval under fixed names."""
    interval = timedelta(seconds=app.bot_data.settings.reminder_interval_seconds)
    run_every(app, due_reminders, name=REMINDERS_JOB, interval=interval, first=10)
    run_every(app, escalations, name=ESCALATIONS_JOB, interval=interval, first=20)
    run_every(app, morning_agenda, name=AGENDA_JOB, interval=interval, first=30)
