"""Reminder buttons (Done / Snooze / Reassign) and /settings for working time and reminders."""

from __future__ import annotations

import html
import logging

from sqlmodel import Session
from telegram import Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import Html, normalize_lang, t
from bot.keyboards import markup
from bot.services import reminders, settings
from bot.services.errors import CrmError, UsageError
from bot.services.reminders import Presser
from bot.services.teams import Actor
from handlers.common import Reply, command, command_args, is_group, respond, team_language

log = logging.getLogger(__name__)


async def on_reminder_button(update: Update, context: BotContext) -> None:
    """Done / Snooze 1h / Snooze 1 day / Reassign on a reminder: act, then edit the message."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    pressed = reminders.parse_press(query.data or "")
    message = query.message
    if pressed is None or not isinstance(message, Message):
        await query.answer()
        return
    presser = Presser(user.id, user.username, user.full_name, chat.id)
    try:
        with context.db.session() as session:
            outcome = reminders.press(
                session=session,
                presser=presser,
                pressed=pressed,
                message_id=message.message_id,
                now=context.clock(),
            )
    except CrmError as exc:
        if is_group(chat):
            lang = team_language(context, chat.id)
        else:
            lang = normalize_lang(user.language_code, context.settings.default_lang)
        # Answers to a press are plain text: no HTML entities.
        await query.answer(html.unescape(t(lang, exc.key, **exc.params)), show_alert=True)
        return
    await query.answer(html.unescape(outcome.toast) if outcome.toast else None)
    try:
        if outcome.line is not None:
            text = reminders.replace_task_line(message.text_html, outcome.task_id, outcome.line)
            await message.edit_text(text, reply_markup=markup(outcome.keyboard))
        else:
            await message.edit_reply_markup(reply_markup=markup(outcome.keyboard))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.warning("could not edit reminder %s", message.message_id, exc_info=True)
    except TelegramError:
        log.warning("could not edit reminder %s", message.message_id, exc_info=True)


async def refresh_keyboard(context: BotContext, lang: str, chat_id: int, message_id: int) -> None:
    """Show only the buttons a reminder still needs after a task changed by command."""
    with context.db.session() as session:
        keyboard = reminders.message_keyboard(
            session=session, lang=lang, chat_id=chat_id, message_id=message_id
        )
    try:
        await context.bot.edit_message_reply_markup(
            chat_id, message_id, reply_markup=markup(keyboard)
        )
    except TelegramError:
        log.info("reminder %s in chat %s kept its buttons", message_id, chat_id, exc_info=True)


async def cmd_settings(update: Update, context: BotContext) -> None:
    """Show the team's reminder settings, or change one: /settings hours 09:00-18:00 …"""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Reply:
        actor.require_active()
        actor.require_manager()
        if not args:
            return Reply(render_settings(actor))
        if len(args) < 2:
            raise UsageError("usage.settings")
        settings.change(session=session, actor=actor, name=args[0], value=" ".join(args[1:]),
                        now=now)  # fmt: skip
        return Reply(t(actor.lang, "settings.changed", summary=render_settings(actor)))

    await respond(update, context, work)


def render_settings(actor: Actor) -> Html:
    """The team's working time, reminder, escalation and agenda settings."""
    team, lang = actor.team, actor.lang
    escalate = (
        t(lang, "settings.escalate.hours", hours=team.escalate_after_hours)
        if team.escalate_after_hours
        else t(lang, "settings.escalate.off")
    )
    return t(
        lang,
        "settings.show",
        start=team.workday_start,
        end=team.workday_end,
        tz=team.timezone,
        days=reminders.weekdays_label(team.work_weekdays, lang),
        remind=t(
            lang, "settings.remind.private" if team.remind_privately else "settings.remind.group"
        ),
        escalate=escalate,
        agenda=t(lang, "settings.on" if team.morning_agenda else "settings.off"),
    )


def register(app: Application) -> None:
    """Add the reminder buttons and /settings."""
    app.add_handler(CallbackQueryHandler(on_reminder_button, pattern=r"^r:"))
    app.add_handler(command("settings", cmd_settings))
