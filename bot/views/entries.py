"""Entry cards: what was understood from a logged message, and the buttons that correct it."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Html, channel_name, plain, t
from bot.i18n.format import format_amount, format_when, member_label
from bot.parsing import Doubt, DoubtKind
from bot.services.customers import Candidate
from bot.services.entries import LoggedEntry
from bot.services.teams import Actor
from bot.views.callbacks import ChoicePress, DueChoice, EntryAction, EntryPress
from bot.views.keyboards import Button, Keyboard
from models.tables import Channel, Entry, Partner

UNDONE_SHOWN = 200  # characters of an undone entry's text quoted back


def attribution_label(channel: Channel | None, partner: Partner | None, lang: str) -> str:
    """Name a customer's channel and partner: 'Distributor / Huatai', a name said once."""
    names = [channel_name(channel.name, channel.kind, lang)] if channel else []
    if partner is not None and partner.name.casefold() not in {n.casefold() for n in names}:
        names.append(partner.name)
    return " / ".join(names)


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
            t(lang, "card.channel", channel=attribution_label(logged.channel, logged.partner, lang))
        )
    if logged.deal is not None and logged.deal.amount is not None:
        amount = format_amount(logged.deal.amount, logged.deal.currency, lang=lang)
        facts.append(t(lang, "card.amount", amount=amount))
    reason = customer.lost_reason if logged.entry.intent == "lost" else None
    if reason:
        facts.append(t(lang, "card.reason", reason=reason))
    lines = [head, " · ".join(facts)]
    if logged.cancelled_tasks:
        lines.append(t(lang, "card.tasks_cancelled", count=logged.cancelled_tasks))
    if logged.task is not None:
        when = format_when(logged.task.due_at, lang=lang, tz=actor.tz, now=now)
        lines.append(t(lang, "card.due", id=logged.task.number, when=when))
    lines.extend(doubt_line(lang, d) for d in logged.doubts)
    if logged.conflict and owner is not None:
        label = member_label(owner.username, owner.full_name)
        lines.append(t(lang, "card.conflict", owner=label, customer=customer.name))
        if logged.proposal:
            lines.append(
                t(lang, "card.proposal", what=proposal_text(lang, logged.entry), owner=label)
            )
    elsewhere = logged.elsewhere
    if elsewhere is not None and elsewhere.owner is not None:
        label = member_label(elsewhere.owner.username, elsewhere.owner.full_name)
        lines.append(
            t(
                lang,
                "card.conflict_group",
                customer=elsewhere.customer.name,
                owner=label,
                group=elsewhere.group,
            )
        )
    return Html("\n".join(lines))


def doubt_line(lang: str, doubt: Doubt) -> str:
    """Word one doubt; a date read by a rule names the rule in the team's language."""
    assumed = doubt.assumed
    if doubt.kind is DoubtKind.DATE_ASSUMED:
        assumed = t(lang, f"date_rule.{assumed}")
    return t(lang, f"doubt.{doubt.kind.value}", text=doubt.text, assumed=assumed)


def proposal_text(lang: str, entry: Entry) -> str:
    """Say what an entry proposed for someone else's customer: 'won · ¥80,000'."""
    parts: list[str] = [t(lang, f"proposal.{entry.proposed_stage}")] if entry.proposed_stage else []
    if entry.proposed_amount is not None:
        currency = entry.proposed_currency or "CNY"
        parts.append(format_amount(entry.proposed_amount, currency, lang=lang))
    return " · ".join(parts)


def entry_buttons(lang: str, entry_id: int, *, has_task: bool) -> Keyboard:
    """Undo / Change due / Not this customer."""
    row = [Button(t(lang, "btn.undo"), EntryPress(EntryAction.UNDO, entry_id).encode())]
    if has_task:
        row.append(
            Button(t(lang, "btn.change_due"), EntryPress(EntryAction.DUE, entry_id).encode())
        )
    row.append(Button(t(lang, "btn.not_this"), EntryPress(EntryAction.NOT_THIS, entry_id).encode()))
    return [row]


DUE_LABELS = {
    DueChoice.TOMORROW: "btn.due.tomorrow",
    DueChoice.IN_3_DAYS: "btn.due.in3days",
    DueChoice.NEXT_WEEK: "btn.due.nextweek",
}


def due_buttons(lang: str, entry_id: int) -> Keyboard:
    """Quick choices for a new due time, and Back."""
    row = [
        Button(t(lang, key), EntryPress(EntryAction.SET, entry_id, choice).encode())
        for choice, key in DUE_LABELS.items()
    ]
    return [row, [Button(t(lang, "btn.back"), EntryPress(EntryAction.BACK, entry_id).encode())]]


def candidate_label(lang: str, candidate: Candidate) -> str:
    """Name a candidate; another group's customer says which group: '万科 · 华东'."""
    if candidate.group is None:
        return candidate.name
    return plain(lang, "choice.elsewhere", name=candidate.name, group=candidate.group)


def choice_buttons(lang: str, pending_id: int, candidates: list[Candidate]) -> Keyboard:
    """One button per similar customer, then 'new customer' and 'cancel'."""
    rows = [
        [Button(candidate_label(lang, c), ChoicePress(pending_id, str(c.customer_id)).encode())]
        for c in candidates
    ]
    rows.append(
        [
            Button(t(lang, "btn.new_customer"), ChoicePress(pending_id, ChoicePress.NEW).encode()),
            Button(t(lang, "btn.cancel"), ChoicePress(pending_id, ChoicePress.CANCEL).encode()),
        ]
    )
    return rows


def choice_question(lang: str, name: str) -> Html:
    """Ask which customer a message meant."""
    return t(lang, "choice.ask", name=name)


def undone_card(lang: str, text: str) -> Html:
    """What an entry's card says once it was taken back."""
    return t(lang, "undo.card", text=text[:UNDONE_SHOWN])
