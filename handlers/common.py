"""The handler toolkit: a unit of work returns one Outcome; respond() and press() deliver it.

A handler unpacks the update, runs a unit of work (one transaction, as the update's actor)
that calls services and views, and returns what to send. Nothing is sent before the unit of
work has committed, and a CrmError it raises becomes one localized reply (or alert).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import Session
from telegram import CallbackQuery, Chat, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.i18n import Html, normalize_lang, t
from bot.sending import Status, edit_message, send_files, send_text
from bot.services import companies, console, teams
from bot.services.errors import CrmError, NotManager
from bot.services.teams import Actor, Anonymous, TeamDefaults
from bot.services.updates import Claim, claim_update
from bot.views.callbacks import CallbackData
from bot.views.files import Files, OutFile
from bot.views.keyboards import Keyboard
from bot.views.text import plain

log = logging.getLogger(__name__)

# A database that does not answer (down, restarting, a dropped connection, SQLite locked).
UNREACHABLE = (OperationalError, InterfaceError)
RETRY_FIRST = 0.5  # seconds before the first retry; doubled up to RETRY_MAX
RETRY_MAX = 30.0
TELL_AFTER = 5.0  # seconds of waiting before the chat is told its message is kept


@dataclass(frozen=True)
class Edit:
    """A change to a message sent earlier: new text (None keeps it) and buttons."""

    chat_id: int
    message_id: int
    text: Html | None = None
    keyboard: Keyboard | None = None


@dataclass(frozen=True)
class Notice:
    """A message to another chat that the change concerns (a group a customer moved to)."""

    chat_id: int
    text: Html


@dataclass
class Outcome:
    """What a unit of work asks to be sent once it has committed.

    For a command, `text` and `keyboard` are the reply. For a button press they are the new
    state of the pressed message (text None and keyboard None: leave it as it is; text None
    and keyboard []: remove its buttons), and `toast` answers the press.
    """

    text: Html | None = None
    keyboard: Keyboard | None = None
    toast: Html | None = None
    edits: list[Edit] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # A job that draws files off the loop, or files already made; sent as replies to the reply
    files: Files | list[OutFile] | None = None
    files_failed: Html | None = None  # said when a file could not be sent
    # Runs in a second, short transaction with the id of the sent reply (e.g. a card's id)
    remember: Callable[[Session, int], None] | None = None


Work = Callable[[Session, Actor], Outcome | None]
Press = TypeVar("Press", bound=CallbackData)
Result = TypeVar("Result")


def status(
    update: Update,
    context: BotContext,
    text: Html,
    *,
    action: str,
    message_id: int | None = None,
) -> Status:
    """A status for long work in the update's chat (see Status), as a reply to its message."""
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None
    return Status(
        context.bot,
        chat.id,
        text,
        action=action,
        after=context.settings.progress_after_seconds,
        reply_to=message.message_id if message and message_id is None else None,
        message_id=message_id,
    )


def defaults(context: BotContext) -> TeamDefaults:
    """Return what new teams start with."""
    s = context.settings
    return TeamDefaults(timezone=s.default_tz, language=s.default_lang, currency=s.default_currency)


def anonymous_sender(update: Update) -> Anonymous | None:
    """Who wrote a message as a chat rather than as themselves: an anonymous admin, a channel.

    Telegram then sets `sender_chat` (the group itself for its anonymous admins, else the
    channel) and `from` is a placeholder bot (GroupAnonymousBot, Channel_Bot), nobody's account.
    """
    message, chat = update.effective_message, update.effective_chat
    sender = message.sender_chat if message is not None else None
    if sender is None or chat is None or update.callback_query is not None:
        return None  # a button press always comes from a person
    return Anonymous(chat_id=sender.id, admin=sender.id == chat.id)


def load_actor(
    session: Session,
    update: Update,
    context: BotContext,
    *,
    team_id: int | None = None,
    claim: bool = False,
) -> Actor:
    """Return the team and member behind an update, creating them on first contact.

    An anonymous admin or a channel gets no Member (see Actor). With `team_id` (a command in a
    private chat, the console), the user acts in that team as who they are there; nothing is
    created, and someone not of the team is refused. With `claim`, the update is marked
    handled first (see in_transaction), in the query that reads the team where it can be.
    """
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    now = context.clock()
    if team_id is not None:
        if claim:
            claim_update(
                session=session, bot_id=context.bot.id, update_id=update.update_id, now=now
            )
        return console.actor_in(
            session=session,
            team_id=team_id,
            user_id=user.id,
            username=user.username,
            full_name=user.full_name,
        )
    actor = teams.ensure_actor(
        session=session,
        chat_id=chat.id,
        title=chat.title or "",
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        defaults=defaults(context),
        now=now,
        anonymous=anonymous_sender(update),
        claim=Claim(context.bot.id, update.update_id, now) if claim else None,
    )
    context.bot_data.languages[chat.id] = actor.team.language
    return actor


async def note_member(update: Update, context: BotContext) -> None:
    """Know a member of an existing team who only chats, so /role @user and /assign find them."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or not is_group(chat) or anonymous_sender(update):
        return

    def note(session: Session) -> None:
        team = teams.get_team(session=session, chat_id=chat.id)
        if team is not None:
            teams.ensure_member(
                session=session,
                team=team,
                user_id=user.id,
                username=user.username,
                full_name=user.full_name,
                now=context.clock(),
            )

    await in_transaction(update, context, note, claim=False)


def team_language(context: BotContext, chat_id: int, fallback: str | None = None) -> str:
    """Return the language to answer a chat in (its team's, else the default)."""
    with context.db.session() as session:
        team = teams.get_team(session=session, chat_id=chat_id)
        if team is not None:
            return team.language
    return normalize_lang(fallback, context.settings.default_lang)


def chat_language(update: Update, context: BotContext) -> str:
    """The language of the chat an update came from: the team's, or the user's in private."""
    chat, user = update.effective_chat, update.effective_user
    fallback = user.language_code if user else None
    if chat is not None and is_group(chat):
        return team_language(context, chat.id, fallback)
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


async def in_transaction(
    update: Update,
    context: BotContext,
    fn: Callable[[Session], Result],
    *,
    claim: bool = True,
    read_only: bool = False,
) -> Result:
    """Run `fn` in one transaction for an update, exactly once, waiting out database outages.

    With `claim`, the update's ProcessedUpdate row is the transaction's first statement, so the
    update is applied and marked handled together or not at all; a redelivery raises
    AlreadyHandled (the error handler drops it quietly). While the database is unreachable the
    transaction is retried with backoff for `database_retry_seconds`; the chat hears once that
    its message is waiting. The transaction runs in the database's threads, off the event loop;
    `read_only` promises it writes nothing (SQLite then leaves its writer lock free).
    """

    def run() -> Result:
        with context.db.session(read_only=read_only) as session:
            if claim:
                claim_update(
                    session=session,
                    bot_id=context.bot.id,
                    update_id=update.update_id,
                    now=context.clock(),
                )
            return fn(session)

    loop = asyncio.get_running_loop()
    started, delay, told = loop.time(), RETRY_FIRST, False
    while True:
        try:
            return await context.db.run(run)
        except UNREACHABLE:
            waited = loop.time() - started
            if waited + delay > context.settings.database_retry_seconds:
                raise
            log.warning(
                "database unreachable; update %s retried in %.1f s",
                update.update_id,
                delay,
                exc_info=waited == 0,
            )
            if not told and waited + delay > TELL_AFTER:  # it will have been a while
                told = await _tell_waiting(update, context)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX)


async def _tell_waiting(update: Update, context: BotContext) -> bool:
    """Say once, in the language the chat was last answered in, that its update is waiting."""
    chat, message = update.effective_chat, update.effective_message
    if chat is not None:
        lang = context.bot_data.languages.get(chat.id, context.settings.default_lang)
        reply_to = message.message_id if message else None
        await send_text(context.bot, chat.id, t(lang, "error.db_waiting"), reply_to=reply_to)
    return True


async def run_unit(
    update: Update,
    context: BotContext,
    work: Callable[[Session, Actor], Result],
    *,
    claim: bool = True,
    read_only: bool = False,
    team_id: int | None = None,
) -> Result:
    """Run `work` as the update's actor in one transaction (see in_transaction); raise CrmError.

    Roles come from the chat's admins: refused as not a manager, a chat admin of the team's
    chat is promoted (audited) and the work runs once more; so is a chat admin of the company's
    head office, there (a manager of every group of the company). `team_id`: see load_actor.
    """
    acted_in: list[int] = []  # the team's chat, whose admins Telegram is asked about

    def as_actor(session: Session) -> Result:
        # The actor's query claims the update, as in_transaction would in a statement of its own
        actor = load_actor(session, update, context, team_id=team_id, claim=claim)
        acted_in.append(actor.team.chat_id)
        return work(session, actor)

    try:
        return await in_transaction(update, context, as_actor, claim=False, read_only=read_only)
    except NotManager:
        user = update.effective_user
        if user is None or not acted_in:
            raise
        team_chat = acted_in[-1]  # from a private chat too: the team's, never the private one
        if not await is_chat_admin(context, team_chat, user.id):
            if not await _promote_head_admin(update, context, team_chat):
                raise
            return await in_transaction(update, context, as_actor, claim=False, read_only=read_only)

        def promote(session: Session) -> None:
            actor = load_actor(session, update, context, team_id=team_id)
            teams.promote_chat_admin(actor=actor, session=session, now=context.clock())

        await in_transaction(update, context, promote, claim=False)
        return await in_transaction(update, context, as_actor, claim=False, read_only=read_only)


async def head_office_chat(
    update: Update, context: BotContext, chat_id: int | None = None
) -> int | None:
    """Return the chat of the head office of the update's group's (or `chat_id`'s) company."""
    chat = update.effective_chat
    assert chat is not None
    group = chat.id if chat_id is None else chat_id
    return await in_transaction(
        update,
        context,
        lambda session: companies.head_office_chat(session=session, chat_id=group),
        claim=False,
        read_only=True,
    )


async def _promote_head_admin(update: Update, context: BotContext, chat_id: int) -> bool:
    """Promote a chat admin of the group's company's head office there; False if none."""
    user = update.effective_user
    assert user is not None
    head = await head_office_chat(update, context, chat_id)
    if head is None or head == chat_id or not await is_chat_admin(context, head, user.id):
        return False

    def promote(session: Session) -> None:
        companies.promote_head_admin(
            session=session,
            chat_id=chat_id,
            user_id=user.id,
            username=user.username,
            full_name=user.full_name,
            now=context.clock(),
        )

    await in_transaction(update, context, promote, claim=False)
    return True


async def respond(
    update: Update,
    context: BotContext,
    work: Work,
    *,
    status: Status | None = None,
    team_id: int | None = None,
) -> Message | None:
    """Run a command's unit of work and send its outcome; a CrmError becomes the reply.

    With a `status` (long work), the reply replaces its message if one was shown. In a private
    chat the work needs the `team_id` it acts in (see load_actor); without one it is refused.
    Run by a press of the console's team picker, the outcome replaces the picker instead.
    """
    chat, message = update.effective_chat, update.effective_message
    if chat is None or update.effective_user is None:
        return None
    if update.callback_query is not None:
        await press(update, context, _answered(work), team_id=team_id)
        if status is not None:
            await status.remove()
        return None
    reply_to = message.message_id if message else None
    if not is_group(chat) and team_id is None:
        lang = normalize_lang(update.effective_user.language_code, context.settings.default_lang)
        return await send_text(context.bot, chat.id, t(lang, "error.group_only"), reply_to=reply_to)
    try:
        outcome = await run_unit(update, context, work, team_id=team_id)
    except CrmError as exc:
        # Nothing was written, but the refusal is an answer: a redelivery is not answered twice.
        await in_transaction(update, context, lambda session: None)
        if status is not None:
            await status.remove()
        return await reply_error(update, context, exc)
    if outcome is None:
        if status is not None:
            await status.remove()
        return None
    return await deliver(context, outcome, chat_id=chat.id, reply_to=reply_to, status=status)


def _answered(work: Work) -> Work:
    """The work of a pressed question: its buttons go with the answer, whatever it brings."""

    def answered(session: Session, actor: Actor) -> Outcome | None:
        outcome = work(session, actor)
        if outcome is not None and outcome.keyboard is None:
            outcome.keyboard = []
        return outcome

    return answered


async def reply_error(update: Update, context: BotContext, exc: CrmError) -> Message | None:
    """Tell the chat, in its language, why a command was refused (a presser: as an alert)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return None
    text = t(chat_language(update, context), exc.key, **exc.params)
    if update.callback_query is not None:
        await _answer(update.callback_query, text, alert=True)
        return None
    return await send_text(
        context.bot, chat.id, text, reply_to=message.message_id if message else None
    )


async def deliver(
    context: BotContext,
    outcome: Outcome,
    *,
    chat_id: int,
    reply_to: int | None,
    status: Status | None = None,
) -> Message | None:
    """Send an outcome's reply (or turn a shown status into it), apply its edits, send its files.

    Return the reply when one was sent as a new message.
    """
    sent, reply_id = None, None
    if outcome.text is not None:
        if status is not None:
            reply_id = await status.replace(outcome.text, outcome.keyboard)
        if reply_id is None:
            sent = await send_text(
                context.bot, chat_id, outcome.text, keyboard=outcome.keyboard, reply_to=reply_to
            )
            reply_id = sent.message_id if sent else None
        if reply_id is not None and outcome.remember is not None:
            await _remember(context, outcome.remember, reply_id)
    await _apply(context, outcome, reply_to=reply_id or reply_to, chat_id=chat_id)
    if status is not None:
        await status.remove()  # the reply came as files: the status has said its piece
    return sent


async def _remember(
    context: BotContext, remember: Callable[[Session, int], None], message_id: int
) -> None:
    """Note a sent message's id; the unit of work has committed, so a failure only loses that."""
    try:
        await context.db.in_session(lambda session: remember(session, message_id))
    except UNREACHABLE:
        log.warning("could not note message %s: database unreachable", message_id, exc_info=True)


async def _apply(
    context: BotContext, outcome: Outcome, *, chat_id: int, reply_to: int | None
) -> None:
    for edit in outcome.edits:
        await edit_message(
            context.bot, edit.chat_id, edit.message_id, text=edit.text, keyboard=edit.keyboard
        )
    for notice in outcome.notices:
        await send_text(context.bot, notice.chat_id, notice.text)
    if outcome.files is not None:
        sent = await send_files(
            context.bot, chat_id, outcome.files, workers=context.workers, reply_to=reply_to
        )
        if not sent and outcome.files_failed is not None:
            await send_text(context.bot, chat_id, outcome.files_failed, reply_to=reply_to)


async def press(
    update: Update, context: BotContext, work: Work, *, team_id: int | None = None
) -> None:
    """Run a button's unit of work as the presser; answer the press and edit its message."""
    await answer(update, context, lambda: run_unit(update, context, work, team_id=team_id))


async def answer(
    update: Update, context: BotContext, unit: Callable[[], Awaitable[Outcome | None]]
) -> None:
    """Answer a button press with the outcome of `unit` (a CrmError as an alert)."""
    query = update.callback_query
    assert query is not None
    try:
        outcome = await unit()
    except CrmError as exc:
        await _answer(query, t(chat_language(update, context), exc.key, **exc.params), alert=True)
        return
    await _answer(query, outcome.toast if outcome else None)
    if outcome is None:
        return
    # A message too old for Telegram to show us (InaccessibleMessage) can still be edited.
    message = query.message
    if message is not None and (outcome.text is not None or outcome.keyboard is not None):
        await edit_message(
            context.bot,
            message.chat.id,
            message.message_id,
            text=outcome.text,
            keyboard=outcome.keyboard,
        )
    chat_id = (
        message.chat.id if message else (update.effective_chat.id if update.effective_chat else 0)
    )
    await _apply(
        context, outcome, chat_id=chat_id, reply_to=message.message_id if message else None
    )


async def _answer(query: CallbackQuery, text: str | None, *, alert: bool = False) -> None:
    """Answer a press; its text is plain (no HTML), and a stale query is only logged."""
    try:
        await query.answer(plain(text) if text else None, show_alert=alert)
    except TelegramError:
        log.info("could not answer callback query %s", query.id, exc_info=True)


def command_args(message: Message | None) -> list[str]:
    """Return the words after a /command."""
    if message is None or not message.text:
        return []
    return message.text.split()[1:]


def command(names: str | list[str], callback: Any) -> CommandHandler[Any, Any]:
    """A command handler for new messages only: editing a command does not run it again."""
    return CommandHandler(names, callback, filters=filters.UpdateType.MESSAGE)


def button(
    codec: type[Press], callback: Callable[[Update, BotContext, Press], Awaitable[None]]
) -> CallbackQueryHandler[Any, Any]:
    """A handler for one kind of button: its data decoded, or the press told it has expired."""

    async def on_press(update: Update, context: BotContext) -> None:
        query = update.callback_query
        if query is None:
            return
        pressed = codec.decode(query.data)
        if pressed is None:
            await button_expired(update, context)
            return
        await callback(update, context, pressed)

    return CallbackQueryHandler(on_press, pattern=f"^{re.escape(codec.PREFIX)}:")


async def button_expired(update: Update, context: BotContext) -> None:
    """Answer a press whose data this version of crmbot cannot read."""
    if update.callback_query is not None:
        lang = chat_language(update, context)
        await _answer(update.callback_query, t(lang, "error.button_expired"), alert=True)
