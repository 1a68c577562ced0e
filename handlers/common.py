"""What every handler shares: the unit of work around a service call, and sending the reply."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from telegram import Chat, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot.context import BotContext
from bot.i18n import Html, normalize_lang, t
from bot.services import teams
from bot.services.errors import CrmError, NotManager
from bot.services.teams import Actor, TeamDefaults

log = logging.getLogger(__name__)

MAX_TEXT = 4096


@dataclass
class Reply:
    """A message to send once the unit of work has committed."""

    text: Html
    markup: InlineKeyboardMarkup | None = None
    # Called in a second, short transaction with the sent message (e.g. to remember a card id)
    after_send: Callable[[Session, Message], None] | None = None


Work = Callable[[Session, Actor], Reply | None]


def defaults(context: BotContext) -> TeamDefaults:
    """Return what new teams start with."""
    s = context.settings
    return TeamDefaults(timezone=s.default_tz, language=s.default_lang, currency=s.default_currency)


def load_actor(session: Session, update: Update, context: BotContext) -> Actor:
    """Return the team and member behind an update, creating them on first contact."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    now = context.clock()
    team = teams.ensure_team(
        session=session,
        chat_id=chat.id,
        title=chat.title or "",
        defaults=defaults(context),
        now=now,
    )
    member = teams.ensure_member(
        session=session,
        team=team,
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        now=now,
    )
    return Actor(team=team, member=member)


def team_language(context: BotContext, chat_id: int, fallback: str | None = None) -> str:
    """Return the language to answer a chat in (its team's, else the default)."""
    with context.db.session() as session:
        team = teams.get_team(session=session, chat_id=chat_id)
        if team is not None:
            return team.language
    return normalize_lang(fallback, context.settings.default_lang)


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def is_chat_admin(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Ask Telegram whether a user administers a chat."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def respond(update: Update, context: BotContext, work: Work) -> Message | None:
    """Run `work` in one transaction as the update's actor and send its reply.

    A CrmError becomes a localized reply; nothing of a failed unit of work is kept.
    """
    chat, message = update.effective_chat, update.effective_message
    if chat is None or update.effective_user is None:
        return None
    if not is_group(chat):
        lang = normalize_lang(update.effective_user.language_code, context.settings.default_lang)
        return await send(context, chat.id, t(lang, "error.group_only"), reply_to=message)
    try:
        reply = _run(update, context, work)
    except NotManager as exc:
        # Roles come from the chat's admins: a new admin becomes a manager on first need.
        if not await is_chat_admin(context, chat.id, update.effective_user.id):
            return await _send_error(update, context, exc)
        with context.db.session() as session:
            teams.promote_chat_admin(
                actor=load_actor(session, update, context), session=session, now=context.clock()
            )
        try:
            reply = _run(update, context, work)
        except CrmError as again:
            return await _send_error(update, context, again)
    except CrmError as exc:
        return await _send_error(update, context, exc)
    if reply is None:
        return None
    sent = await send(context, chat.id, reply.text, markup=reply.markup, reply_to=message)
    if sent is not None and reply.after_send is not None:
        with context.db.session() as session:
            reply.after_send(session, sent)
    return sent


def _run(update: Update, context: BotContext, work: Work) -> Reply | None:
    with context.db.session() as session:
        actor = load_actor(session, update, context)
        return work(session, actor)


async def _send_error(update: Update, context: BotContext, exc: CrmError) -> Message | None:
    chat = update.effective_chat
    assert chat is not None
    lang = team_language(context, chat.id)
    return await send(
        context, chat.id, t(lang, exc.key, **exc.params), reply_to=update.effective_message
    )


async def send(
    context: BotContext,
    chat_id: int,
    text: Html,
    *,
    markup: InlineKeyboardMarkup | None = None,
    reply_to: Message | None = None,
    thread_id: int | None = None,
) -> Message | None:
    """Send an HTML message, as a reply when possible; never raise into the handler."""
    text = Html(text[: MAX_TEXT - 1] + "…") if len(text) > MAX_TEXT else text
    try:
        return await context.bot.send_message(
            chat_id,
            text,
            reply_markup=markup,
            reply_to_message_id=reply_to.message_id if reply_to else None,
            message_thread_id=thread_id,
            allow_sending_without_reply=True,
        )
    except TelegramError:
        log.exception("could not send a message to chat %s", chat_id)
        return None


def command_args(message: Message | None) -> list[str]:
    """Return the words after a /command."""
    if message is None or not message.text:
        return []
    return message.text.split()[1:]


def command(names: str | list[str], callback: Any) -> CommandHandler[Any, Any]:
    """A command handler for new messages only: editing a command does not run it again."""
    return CommandHandler(names, callback, filters=filters.UpdateType.MESSAGE)
