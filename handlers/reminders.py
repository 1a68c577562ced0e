"""Reminder buttons (Done / Snooze / Reassign) and /settings for working time and reminders."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session
from telegram import Message, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services import reminders, settings
from bot.services.errors import UsageError
from bot.services.reminders import Act, Pressed, Presser
from bot.services.teams import Actor
from bot.views import reminders as views
from bot.views.callbacks import ReminderAction, ReminderPress, SnoozeFor
from handlers.common import (
    Outcome,
    answer,
    button,
    command,
    command_args,
    in_transaction,
    respond,
)

ACTS = {
    ReminderAction.DONE: Act.DONE,
    ReminderAction.SNOOZE: Act.SNOOZE,
    ReminderAction.TO: Act.HAND_OVER,
    ReminderAction.PICK: Act.PICK,
    ReminderAction.BACK: Act.BACK,
}
SNOOZES = {SnoozeFor.HOUR: timedelta(hours=1), SnoozeFor.DAY: timedelta(days=1)}


def _snooze(pressed: ReminderPress) -> timedelta | None:
    """How long a snooze button puts its task off (None for the other buttons)."""
    if pressed.action is not ReminderAction.SNOOZE:
        return None
    return SNOOZES[SnoozeFor(pressed.arg or "")]


async def on_reminder_button(update: Update, context: BotContext, pressed: ReminderPress) -> None:
    """Done / Snooze 1h / Snooze 1 day / Reassign on a reminder: act, then edit the message."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    message = query.message if isinstance(query.message, Message) else None
    presser = Presser(user.id, user.username, user.full_name, chat.id)
    now = context.clock()

    async def unit() -> Outcome | None:
        if message is None:  # too old for Telegram to show us: nothing to edit
            return None
        message_id = message.message_id

        def act(session: Session) -> Pressed:
            return reminders.press(
                session=session,
                presser=presser,
                act=ACTS[pressed.action],
                task_id=pressed.task_id,
                message_id=message_id,
                now=now,
                snooze=_snooze(pressed),
                to_member=pressed.member_id,
            )

        done = await in_transaction(update, context, act)
        view = views.press_view(done, now=now)
        text = None
        if view.line is not None:
            text = views.replace_task_line(message.text_html, done.task.number, view.line)
        return Outcome(text=text, keyboard=view.keyboard, toast=view.toast)

    await answer(update, context, unit)


async def cmd_settings(update: Update, context: BotContext) -> None:
    """Show the team's reminder settings, or change one: /settings hours 09:00-18:00 …"""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        actor.require_manager()
        if not args:
            return Outcome(views.settings_text(actor.team))
        if len(args) < 2:
            raise UsageError("usage.settings")
        settings.change(
            session=session, actor=actor, name=args[0], value=" ".join(args[1:]), now=now
        )
        return Outcome(views.settings_changed(actor.team))

    await respond(update, context, work)


def register(app: Application) -> None:
    """Add the reminder buttons and /settings."""
    app.add_handler(button(ReminderPress, on_reminder_button))
    app.add_handler(command("settings", cmd_settings))
