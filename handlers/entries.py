"""Logging by message: /lead /visit /followup /won /lost /note, #hashtags, @mentions, edits."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session
from telegram import Message, Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import t
from bot.parsing import ParsedEntry, parse_entry
from bot.services import choices, customers, entries
from bot.services.entries import LoggedEntry, NeedsChoice, Source
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
from bot.views.callbacks import ChoicePress, DueChoice, EntryAction, EntryPress
from bot.views.entries import (
    choice_buttons,
    choice_question,
    due_buttons,
    entry_buttons,
    entry_card,
    undone_card,
)
from bot.views.text import MAX_MESSAGE
from handlers.common import (
    Edit,
    Outcome,
    button,
    command,
    deliver,
    note_member,
    press,
    respond,
    run_unit,
)
from models.tables import Entry

ENTRY_COMMANDS = ("lead", "visit", "call", "followup", "fu", "won", "lost", "note")
DUE_DAYS = {DueChoice.TOMORROW: 1, DueChoice.IN_3_DAYS: 3, DueChoice.NEXT_WEEK: 7}


def parse(
    actor: Actor,
    session: Session,
    context: BotContext,
    text: str,
    *,
    now: datetime,
    addressed: bool,
    known: bool = True,
) -> ParsedEntry:
    """Parse a message with the team's zone, currency and (unless not `known`) customers."""
    return parse_entry(
        text,
        now=now,
        tz=actor.tz,
        default_currency=actor.team.currency,
        known_customers=customers.customer_names(session=session, team=actor.team) if known else (),
        bot_username=context.bot.username,
        addressed=addressed,
        default_time=actor.due_time,
        habits=actor.date_habits,
    )


def logged_outcome(
    actor: Actor,
    outcome: LoggedEntry | NeedsChoice,
    *,
    now: datetime,
    session: Session,
    source: Source,
    addressed: bool,
) -> Outcome:
    """The card for a logged entry, or the keyboard asking which customer was meant."""
    if isinstance(outcome, NeedsChoice):
        pending = choices.save(
            session=session, actor=actor, source=source, now=now, addressed=addressed
        )
        return Outcome(
            choice_question(actor.lang, outcome.name),
            choice_buttons(actor.lang, pending.id, outcome.candidates),
            remember=lambda s, message_id: choices.remember_message(s, pending.id, message_id),
        )
    entry_id = outcome.entry.id
    card = card_outcome(actor, outcome, now=now)
    card.remember = lambda s, message_id: entries.remember_card(s, entry_id, message_id)
    return card


def card_outcome(actor: Actor, logged: LoggedEntry, *, now: datetime) -> Outcome:
    """An entry's card with its Undo / Change due / Not this customer buttons."""
    return Outcome(
        entry_card(actor, logged, now=now),
        entry_buttons(actor.lang, logged.entry.id, has_task=logged.task is not None),
    )


def reloaded(actor: Actor, session: Session, context: BotContext, entry: Entry) -> LoggedEntry:
    """An entry as the database has it, with its message's doubts read again for the card."""
    logged = entries.reload(session=session, actor=actor, entry=entry)
    parsed = parse(actor, session, context, entry.text, now=entry.created_at, addressed=True)
    logged.doubts = parsed.doubts
    return logged


async def log_message(
    update: Update, context: BotContext, text: str, *, addressed: bool, hint: bool = False
) -> None:
    """Parse and record one message; answer with a short card.

    `hint`: the message @mentions the bot, so one it cannot read gets a line saying how to
    write it (a reply to the bot or a hashtag that is no entry stays unanswered).
    """
    message = update.effective_message
    if message is None:
        return
    now = context.clock()
    source = Source(message.chat_id, message.message_id, text)

    def work(session: Session, actor: Actor) -> Outcome | None:
        if len(text) > MAX_MESSAGE:
            raise CrmError("error.too_long")
        parsed = parse(actor, session, context, text, now=now, addressed=addressed)
        if parsed.intent is None and hint:
            parsed = entries.news_of_known(session=session, actor=actor, parsed=parsed)
        if parsed.intent is None:
            return (
                Outcome(t(actor.lang, "entry.not_understood"))
                if hint and actor.team.active
                else None
            )
        actor.require_active()
        actor.require_person()
        if not parsed.customer:
            raise UsageError(f"usage.{parsed.intent.value}")
        outcome = entries.log_entry(
            session=session, actor=actor, parsed=parsed, source=source, now=now
        )
        return logged_outcome(
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
        username = (context.bot.username or "").lower()
        mentioned = bool(username) and f"@{username}" in message.text.lower()
        await log_message(update, context, message.text, addressed=addressed, hint=mentioned)
    else:
        await note_member(update, context)


def _addresses_bot(message: Message, context: BotContext) -> bool:
    username = (context.bot.username or "").lower()
    if message.reply_to_message and message.reply_to_message.from_user:
        if message.reply_to_message.from_user.id == context.bot.id:
            return True
    return bool(username) and f"@{username}" in (message.text or "").lower()


async def on_edit(update: Update, context: BotContext) -> None:
    """An edited message updates the entry it created, and its card (quietly: no errors)."""
    message = update.edited_message
    if message is None or not message.text:
        return
    now = context.clock()
    text = message.text
    source = Source(message.chat_id, message.message_id, text)

    def work(session: Session, actor: Actor) -> Outcome | None:
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
        if old.card_message_id is None:
            return logged_outcome(
                actor, outcome, now=now, session=session, source=source, addressed=addressed
            )
        outcome.entry.card_message_id = old.card_message_id
        card = card_outcome(actor, outcome, now=now)
        return Outcome(edits=[Edit(message.chat_id, old.card_message_id, card.text, card.keyboard)])

    try:
        result = await run_unit(update, context, work)
    except CrmError:
        return
    if result is not None:
        await deliver(context, result, chat_id=message.chat_id, reply_to=message.message_id)


async def on_card_button(update: Update, context: BotContext, pressed: EntryPress) -> None:
    """Undo / Change due / Not this customer, pressed on an entry card."""
    query = update.callback_query
    assert query is not None
    card_id = query.message.message_id if query.message else None
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome | None:
        entry = entries.get_entry(session=session, actor=actor, entry_id=pressed.entry_id)
        entries.require_author(actor, entry)
        action = pressed.action
        if action is EntryAction.UNDO:
            entries.undo_entry(session=session, actor=actor, entry=entry, now=now)
            return Outcome(undone_card(actor.lang, entry.text), toast=t(actor.lang, "undo.done"))
        if action is EntryAction.DUE:
            logged = reloaded(actor, session, context, entry)
            return Outcome(entry_card(actor, logged, now=now), due_buttons(actor.lang, entry.id))
        if action is EntryAction.SET:
            assert pressed.due is not None
            logged = entries.change_due(
                session=session, actor=actor, entry_id=entry.id, days=DUE_DAYS[pressed.due], now=now
            )
            card = card_outcome(actor, logged, now=now)
            card.toast = t(actor.lang, "due.changed")
            return card
        if action is EntryAction.BACK:
            return card_outcome(actor, reloaded(actor, session, context, entry), now=now)
        source = Source(entry.chat_id, entry.message_id, entry.text)
        pending = choices.save(
            session=session, actor=actor, source=source, now=now, addressed=True, replaces=entry.id
        )
        pending.message_id = card_id
        current = customers.get_customer(
            session=session, team=actor.team, customer_id=entry.customer_id or 0
        )
        typed = parse(actor, session, context, entry.text, now=now, addressed=True, known=False)
        candidates = customers.alternatives(
            session=session,
            team=actor.team,
            typed=[n for n in (typed.customer, current.name) if n],
            exclude=current.id,
        )
        return Outcome(
            choice_question(actor.lang, current.name),
            choice_buttons(actor.lang, pending.id, candidates),
        )

    await press(update, context, work)


async def on_choice_button(update: Update, context: BotContext, pressed: ChoicePress) -> None:
    """A rep picked which customer they meant (or a new one)."""
    query = update.callback_query
    assert query is not None
    card_id = query.message.message_id if query.message else None

    def work(session: Session, actor: Actor) -> Outcome:
        now = context.clock()
        pending = choices.take(session=session, actor=actor, pending_id=pressed.pending_id, now=now)
        if pressed.pick == ChoicePress.CANCEL:
            cancelled = t(actor.lang, "choice.cancelled")
            return Outcome(cancelled, toast=cancelled)
        replaced = pending.payload.get("replaces")
        if replaced:
            old = entries.get_entry(session=session, actor=actor, entry_id=int(replaced))
            entries.replace_entry(session=session, actor=actor, entry=old, now=now)
        when = datetime.fromisoformat(pending.payload["now"])
        text = pending.payload["text"]
        addressed = bool(pending.payload.get("addressed"))
        parsed = parse(actor, session, context, text, now=when, addressed=addressed)
        source = Source(pending.chat_id, int(pending.payload["message_id"]), text)
        outcome = entries.log_entry(
            session=session,
            actor=actor,
            parsed=parsed,
            source=source,
            now=when,
            customer_id=pressed.customer_id,
            force_new=pressed.pick == ChoicePress.NEW,
        )
        assert isinstance(outcome, LoggedEntry)
        outcome.entry.card_message_id = card_id
        return card_outcome(actor, outcome, now=when)

    await press(update, context, work)


async def cmd_undo(update: Update, context: BotContext) -> None:
    """Take back the sender's last entry; its old card loses its buttons."""

    def work(session: Session, actor: Actor) -> Outcome:
        entry = entries.undo_last(session=session, actor=actor, now=context.clock())
        outcome = Outcome(undone_card(actor.lang, entry.text))
        if entry.card_message_id:
            outcome.edits.append(Edit(entry.chat_id, entry.card_message_id, keyboard=[]))
        return outcome

    await respond(update, context, work)


def register(app: Application) -> None:
    """Add the logging handlers; commands first, then free text in groups."""
    app.add_handler(command(list(ENTRY_COMMANDS), on_entry_command))
    app.add_handler(command("undo", cmd_undo))
    app.add_handler(button(EntryPress, on_card_button))
    app.add_handler(button(ChoicePress, on_choice_button))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, on_edit))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND,
            on_text,
        )
    )
