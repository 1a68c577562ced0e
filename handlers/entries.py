"""Logging by message: /lead /visit /followup /won /lost /note, #hashtags, @mentions, edits."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session
from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import t
from bot.parsing import ParsedEntry, parse_entry
from bot.services import choices, customers, entries
from bot.services.entries import LoggedEntry, NeedsChoice, Source
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
from handlers.cards import choice_buttons, due_buttons, entry_buttons, entry_card
from handlers.common import MAX_TEXT, Reply, Work, command, load_actor, respond, team_language

ENTRY_COMMANDS = ("lead", "visit", "followup", "fu", "won", "lost", "note")
DUE_DAYS = {"1d": 1, "3d": 3, "1w": 7}


def parse(
    actor: Actor,
    session: Session,
    context: BotContext,
    text: str,
    *,
    now: datetime,
    addressed: bool,
) -> ParsedEntry:
    """Parse a message with the team's zone, currency and customers."""
    return parse_entry(
        text,
        now=now,
        tz=actor.tz,
        default_currency=actor.team.currency,
        known_customers=customers.customer_names(session=session, team=actor.team),
        bot_username=context.bot.username,
        addressed=addressed,
        default_time=actor.due_time,
    )


def logged_reply(
    actor: Actor,
    outcome: LoggedEntry | NeedsChoice,
    *,
    now: datetime,
    session: Session,
    source: Source,
    addressed: bool,
) -> Reply:
    """Render the card for a logged entry, or the keyboard asking which customer was meant."""
    if isinstance(outcome, NeedsChoice):
        pending = choices.save(
            session=session, actor=actor, source=source, now=now, addressed=addressed
        )
        return Reply(
            t(actor.lang, "choice.ask", name=outcome.name),
            markup=choice_buttons(actor.lang, pending.id or 0, outcome.candidates),
            after_send=lambda s, sent: choices.remember_message(
                s, pending.id or 0, sent.message_id
            ),
        )
    entry_id = outcome.entry.id or 0
    reply = card_reply(actor, outcome, now=now)
    reply.after_send = lambda s, sent: entries.remember_card(s, entry_id, sent.message_id)
    return reply


def card_reply(actor: Actor, logged: LoggedEntry, *, now: datetime) -> Reply:
    """An entry's card with its Undo / Change due / Not this customer buttons."""
    return Reply(
        entry_card(actor, logged, now=now),
        markup=entry_buttons(actor.lang, logged.entry.id or 0, has_task=logged.task is not None),
    )


async def log_message(update: Update, context: BotContext, text: str, *, addressed: bool) -> None:
    """Parse and record one message; answer with a short card."""
    message = update.effective_message
    if message is None:
        return
    now = context.clock()
    source = Source(message.chat_id, message.message_id, text)

    def work(session: Session, actor: Actor) -> Reply | None:
        if len(text) > MAX_TEXT:
            raise CrmError("error.too_long")
        parsed = parse(actor, session, context, text, now=now, addressed=addressed)
        if parsed.intent is None:
            return None
        actor.require_active()
        if not parsed.customer:
            raise UsageError(f"usage.{parsed.intent.value}")
        outcome = entries.log_entry(
            session=session, actor=actor, parsed=parsed, source=source, now=now
        )
        return logged_reply(
            actor, outcome, now=now, session=session, source=source, addressed=addressed
        )

    await respond(update, context, work)


async def on_entry_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message and message.text:
        await log_message(update, context, message.text, addressed=True)


async def on_text(update: Update, context: BotContext) -> None:
    """Log a message with a #hashtag, or one that mentions or replies to the bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    addressed = _addresses_bot(message, context)
    if addressed or "#" in message.text:
        await log_message(update, context, message.text, addressed=addressed)


def _addresses_bot(message: Message, context: BotContext) -> bool:
    username = (context.bot.username or "").lower()
    if message.reply_to_message and message.reply_to_message.from_user:
        if message.reply_to_message.from_user.id == context.bot.id:
            return True
    return bool(username) and f"@{username}" in (message.text or "").lower()


async def on_edit(update: Update, context: BotContext) -> None:
    """An edited message updates the entry it created, and its card."""
    message = update.edited_message
    if message is None or not message.text:
        return
    now = context.clock()
    text = message.text
    source = Source(message.chat_id, message.message_id, text)
    card_id: list[int] = []

    def work(session: Session, actor: Actor) -> Reply | None:
        if not actor.team.active:
            return None
        old = entries.entry_for_message(
            session=session, actor=actor, chat_id=message.chat_id, message_id=message.message_id
        )
        if old is None:
            return None
        addressed = _addresses_bot(message, context)
        parsed = parse(actor, session, context, text, now=now, addressed=addressed)
        if parsed.intent is None or not parsed.customer:
            return None
        entries.replace_entry(session=session, actor=actor, entry=old, now=now)
        outcome = entries.log_entry(
            session=session, actor=actor, parsed=parsed, source=source, now=now, force_new=True
        )
        assert isinstance(outcome, LoggedEntry)
        if old.card_message_id:
            card_id.append(old.card_message_id)
            outcome.entry.card_message_id = old.card_message_id
        return logged_reply(
            actor, outcome, now=now, session=session, source=source, addressed=addressed
        )

    reply = await _run_quiet(update, context, work)
    if reply is None:
        return
    if card_id:
        await _edit(context, message.chat_id, card_id[0], reply)
    else:
        await respond(update, context, lambda s, a: reply)


async def _run_quiet(update: Update, context: BotContext, work: Work) -> Reply | None:
    try:
        with context.db.session() as session:
            return work(session, load_actor(session, update, context))
    except CrmError:
        return None


async def _edit(context: BotContext, chat_id: int, message_id: int, reply: Reply) -> None:
    try:
        await context.bot.edit_message_text(
            reply.text, chat_id=chat_id, message_id=message_id, reply_markup=reply.markup
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def on_card_button(update: Update, context: BotContext) -> None:
    """Undo / Change due / Not this customer, pressed on an entry card."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    _, action, entry_id, *rest = query.data.split(":")
    now = context.clock()
    toast: list[str] = []

    def work(session: Session, actor: Actor) -> Reply | None:
        entry = entries.get_entry(session=session, actor=actor, entry_id=int(entry_id))
        entries.require_author(actor, entry)
        if action == "undo":
            entries.undo_entry(session=session, actor=actor, entry=entry, now=now)
            toast.append(t(actor.lang, "undo.done"))
            return Reply(t(actor.lang, "undo.card", text=entry.text[:200]))
        if action == "due":
            logged = entries.reload(session=session, actor=actor, entry=entry)
            return Reply(
                entry_card(actor, logged, now=now), markup=due_buttons(actor.lang, entry.id or 0)
            )
        if action == "set":
            logged = entries.change_due(
                session=session,
                actor=actor,
                entry_id=entry.id or 0,
                days=DUE_DAYS.get(rest[0], 1),
                now=now,
            )
            toast.append(t(actor.lang, "due.changed"))
            return card_reply(actor, logged, now=now)
        if action == "back":
            logged = entries.reload(session=session, actor=actor, entry=entry)
            return card_reply(actor, logged, now=now)
        if action == "nc":
            source = Source(entry.chat_id, entry.message_id, entry.text)
            pending = choices.save(
                session=session,
                actor=actor,
                source=source,
                now=now,
                addressed=True,
                replaces=entry.id,
            )
            pending.message_id = query.message.message_id if query.message else None
            current = customers.get_customer(
                session=session, team=actor.team, customer_id=entry.customer_id or 0
            )
            candidates = [
                c
                for c in customers.similar(
                    session=session, team=actor.team, name=current.name, limit=5
                )
                if c.customer_id != current.id
            ]
            return Reply(
                t(actor.lang, "choice.ask", name=current.name),
                markup=choice_buttons(actor.lang, pending.id or 0, candidates),
            )
        return None

    await _answer_and_edit(update, context, work, toast)


async def on_choice_button(update: Update, context: BotContext) -> None:
    """A rep picked which customer they meant (or a new one)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    _, pending_id, pick = query.data.split(":")
    toast: list[str] = []

    def work(session: Session, actor: Actor) -> Reply | None:
        pending = choices.take(
            session=session, actor=actor, pending_id=int(pending_id), now=context.clock()
        )
        if pick == "x":
            toast.append(t(actor.lang, "choice.cancelled"))
            return Reply(t(actor.lang, "choice.cancelled"))
        replaced = pending.payload.get("replaces")
        if replaced:
            old = entries.get_entry(session=session, actor=actor, entry_id=int(replaced))
            entries.replace_entry(session=session, actor=actor, entry=old, now=context.clock())
        when = datetime.fromisoformat(pending.payload["now"])
        text = pending.payload["text"]
        parsed = parse(
            actor,
            session,
            context,
            text,
            now=when,
            addressed=bool(pending.payload.get("addressed")),
        )
        source = Source(pending.chat_id, int(pending.payload["message_id"]), text)
        outcome = entries.log_entry(
            session=session,
            actor=actor,
            parsed=parsed,
            source=source,
            now=when,
            customer_id=None if pick == "new" else int(pick),
            force_new=pick == "new",
        )
        assert isinstance(outcome, LoggedEntry)
        if query.message is not None:
            outcome.entry.card_message_id = query.message.message_id
        return card_reply(actor, outcome, now=when)

    await _answer_and_edit(update, context, work, toast)


async def _answer_and_edit(
    update: Update, context: BotContext, work: Work, toast: list[str]
) -> None:
    """Run a button's work; edit the message it sits on; answer the press (errors as alerts)."""
    query = update.callback_query
    assert query is not None
    try:
        with context.db.session() as session:
            reply = work(session, load_actor(session, update, context))
    except CrmError as exc:
        chat = update.effective_chat
        lang = team_language(context, chat.id if chat else 0)
        await query.answer(t(lang, exc.key, **exc.params), show_alert=True)
        return
    await query.answer(toast[0] if toast else None)
    if reply is not None and query.message is not None:
        await _edit(context, query.message.chat.id, query.message.message_id, reply)


async def cmd_undo(update: Update, context: BotContext) -> None:
    """Take back the sender's last entry."""
    now = context.clock()
    edits: list[tuple[int, int]] = []

    def work(session: Session, actor: Actor) -> Reply:
        entry = entries.undo_last(session=session, actor=actor, now=now)
        if entry.card_message_id:
            edits.append((entry.chat_id, entry.card_message_id))
        return Reply(t(actor.lang, "undo.card", text=entry.text[:200]))

    sent = await respond(update, context, work)
    for chat_id, card_id in edits:
        if sent is not None:
            # The old card loses its buttons: its entry is gone.
            try:
                await context.bot.edit_message_reply_markup(chat_id, card_id, reply_markup=None)
            except BadRequest:
                pass


def register(app: Application) -> None:
    """Add the logging handlers; commands first, then free text in groups."""
    app.add_handler(command(list(ENTRY_COMMANDS), on_entry_command))
    app.add_handler(command("undo", cmd_undo))
    app.add_handler(CallbackQueryHandler(on_card_button, pattern=r"^e:"))
    app.add_handler(CallbackQueryHandler(on_choice_button, pattern=r"^p:"))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, on_edit))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND,
            on_text,
        )
    )
