"""Rendering entries and tasks as short HTML cards in the team's language."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Html, t
from bot.i18n.format import format_amount, format_when, member_label
from bot.services.customers import Candidate
from bot.services.entries import LoggedEntry
from bot.services.tasks import TaskView
from bot.services.teams import Actor
from models.tables import Channel, Partner


def attribution_label(channel: Channel | None, partner: Partner | None) -> str:
    """Name a customer's channel and partner: 'Distributor / Huatai'."""
    return " / ".join(x.name for x in (channel, partner) if x is not None)


def entry_card(actor: Actor, logged: LoggedEntry, *, now: datetime) -> Html:
    """Render what was understood from a logged message, in three short lines at most."""
    lang = actor.lang
    customer = logged.customer
    head = t(lang, f"card.{logged.entry.intent}", customer=customer.name)
    if logged.customer_created:
        head = t(lang, "card.new_customer", base=head)
    facts: list[str] = []
    owner = logged.owner
    facts.append(
        t(lang, "card.owner", owner=member_label(owner.username, owner.full_name))
        if owner
        else t(lang, "card.pool")
    )
    if logged.channel or logged.partner:
        facts.append(
            t(lang, "card.channel", channel=attribution_label(logged.channel, logged.partner))
        )
    if logged.deal is not None and logged.deal.amount is not None:
        facts.append(
            t(
                lang,
                "card.amount",
                amount=format_amount(logged.deal.amount, logged.deal.currency, lang=lang),
            )
        )
    lines = [head, " · ".join(facts)]
    if logged.task is not None:
        lines.append(
            t(
                lang,
                "card.due",
                id=logged.task.id,
                when=format_when(logged.task.due_at, lang=lang, tz=actor.tz, now=now),
            )
        )
    if logged.conflict and owner is not None:
        lines.append(
            t(
                lang,
                "card.conflict",
                owner=member_label(owner.username, owner.full_name),
                customer=customer.name,
            )
        )
    return Html("\n".join(lines))


def entry_buttons(lang: str, entry_id: int, *, has_task: bool) -> InlineKeyboardMarkup:
    """Undo / Change due / Not this customer."""
    row = [InlineKeyboardButton(t(lang, "btn.undo"), callback_data=f"e:undo:{entry_id}")]
    if has_task:
        row.append(
            InlineKeyboardButton(t(lang, "btn.change_due"), callback_data=f"e:due:{entry_id}")
        )
    row.append(InlineKeyboardButton(t(lang, "btn.not_this"), callback_data=f"e:nc:{entry_id}"))
    return InlineKeyboardMarkup([row])


def due_buttons(lang: str, entry_id: int) -> InlineKeyboardMarkup:
    """Quick choices for a new due time."""
    options = [("tomorrow", "1d"), ("in3days", "3d"), ("nextweek", "1w")]
    row = [
        InlineKeyboardButton(t(lang, f"btn.due.{key}"), callback_data=f"e:set:{entry_id}:{code}")
        for key, code in options
    ]
    back = [InlineKeyboardButton(t(lang, "btn.back"), callback_data=f"e:back:{entry_id}")]
    return InlineKeyboardMarkup([row, back])


def choice_buttons(lang: str, pending_id: int, candidates: list[Candidate]) -> InlineKeyboardMarkup:
    """One button per similar customer, then 'new customer' and 'cancel'."""
    rows = [
        [InlineKeyboardButton(c.name, callback_data=f"p:{pending_id}:{c.customer_id}")]
        for c in candidates
    ]
    rows.append(
        [
            InlineKeyboardButton(t(lang, "btn.new_customer"), callback_data=f"p:{pending_id}:new"),
            InlineKeyboardButton(t(lang, "btn.cancel"), callback_data=f"p:{pending_id}:x"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def task_line(actor: Actor, view: TaskView, *, now: datetime, show_owner: bool) -> Html:
    """One line of a task list: id, due, customer, title, owner; overdue marked."""
    task = view.task
    when = format_when(task.due_at, lang=actor.lang, tz=actor.tz, now=now)
    key = "tasks.line.overdue" if task.due_at < now else "tasks.line"
    owner = member_label(view.owner.username, view.owner.full_name) if show_owner else ""
    about = view.customer_name or ""
    title = task.title if task.title != about else ""
    line = t(
        actor.lang,
        key,
        id=task.id,
        when=when,
        what=" — ".join(x for x in (about, title) if x),
        owner=owner,
    )
    return Html(line.rstrip())
