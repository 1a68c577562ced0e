"""The /customer card and the replies of ownership and pipeline commands."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Html, t
from bot.i18n.format import format_amount, format_date, format_when, member_label
from bot.services import pipeline
from bot.services.ownership import Assigned
from bot.services.pipeline import StageChoice
from bot.services.profiles import CustomerProfile
from bot.services.teams import Actor
from bot.services.transfer import Moved
from bot.views.callbacks import StagePress
from bot.views.entries import attribution_label, proposal_text
from bot.views.keyboards import Button, Keyboard
from bot.views.text import name_list

SHOWN = 3  # contacts and deals on a card
CLIP = 80  # characters of an activity's text or a task's title


def customer_card(actor: Actor, card: CustomerProfile, *, now: datetime) -> Html:
    """Owner, channel, partner, stage, amount; then the timeline and open tasks."""
    lang, tz, c = actor.lang, actor.tz, card.customer
    owner = (
        member_label(card.owner.username, card.owner.full_name)
        if card.owner
        else t(lang, "customer.pool")
    )
    stage = pipeline.stage_name(actor.team, c.stage, lang)
    lines = [
        t(lang, "customer.title", name=c.name),
        t(lang, "customer.owner", owner=owner, stage=stage),
    ]
    if card.channel or card.partner:
        channel = attribution_label(card.channel, card.partner, lang)
        lines.append(t(lang, "customer.channel", channel=channel))
    if c.protected_until and card.owner and c.protected_until > now:
        until = format_date(c.protected_until, lang=lang, tz=tz)
        lines.append(t(lang, "customer.protected", until=until))
    elif card.pool_due:
        when = format_date(card.pool_due, lang=lang, tz=tz)
        lines.append(t(lang, "customer.pool_due", when=when))
    for contact in card.contacts[:SHOWN]:
        lines.append(
            Html(
                t(
                    lang, "customer.contact", name=contact.name or "", phone=contact.phone or ""
                ).strip()
            )
        )
    for deal in card.deals[:SHOWN]:
        amount = (
            format_amount(deal.amount, deal.currency, lang=lang) if deal.amount is not None else "—"
        )
        lines.append(t(lang, "customer.deal", amount=amount, status=t(lang, f"deal.{deal.status}")))
    if card.proposals:
        lines.append(t(lang, "customer.proposals"))
        for entry, member in card.proposals:
            lines.append(
                t(
                    lang,
                    "customer.proposal",
                    when=format_date(entry.created_at, lang=lang, tz=tz),
                    who=member_label(member.username, member.full_name) if member else "",
                    what=proposal_text(lang, entry),
                )
            )
    if card.timeline:
        lines.append(t(lang, "customer.timeline"))
        for activity, member in card.timeline:
            lines.append(
                t(
                    lang,
                    "customer.activity",
                    when=format_date(activity.occurred_at, lang=lang, tz=tz),
                    kind=t(lang, f"activity.{activity.kind}"),
                    who=member_label(member.username, member.full_name) if member else "",
                    text=activity.text[:CLIP],
                )
            )
    if card.tasks:
        lines.append(t(lang, "customer.tasks"))
        for task in card.tasks:
            lines.append(
                t(
                    lang,
                    "customer.task",
                    id=task.number,
                    title=task.title[:CLIP],
                    when=format_when(task.due_at, lang=lang, tz=tz, now=now),
                )
            )
    return Html("\n".join(lines))


def assigned(lang: str, done: Assigned) -> Html:
    """The reply to /assign: the new owner, and where the customer went if it moved."""
    owner = member_label(done.owner.username, done.owner.full_name)
    moved = done.moved
    if moved is None:
        return t(lang, "assign.done", customer=done.customer, owner=owner)
    text = t(
        lang, "move.done", customer=moved.customer, source=moved.source, dest=moved.dest,
        owner=owner, activities=t(lang, "count.activities", count=moved.activities),
        deals=t(lang, "count.deals", count=moved.deals),
        tasks=t(lang, "count.tasks", count=moved.tasks),
    )  # fmt: skip
    note = t(lang, "move.partner", dest=moved.dest, partner=moved.partner) if moved.partner else ""
    return Html(text + note)


def moved_here(moved: Moved, owner: str) -> Html:
    """The note in the group a customer moved to, in that group's language."""
    lang = moved.dest_lang
    days = t(lang, "count.days", count=moved.protection_days)
    text = t(lang, "move.notice", customer=moved.customer, source=moved.source, owner=owner,
             days=days)  # fmt: skip
    note = t(lang, "move.partner.here", partner=moved.partner) if moved.partner else ""
    return Html(text + note)


def stage_moved(actor: Actor, customer: str, key: str) -> Html:
    """Confirm a customer's new stage, named in the team's language."""
    stage = pipeline.stage_name(actor.team, key, actor.lang)
    return t(actor.lang, "stage.done", customer=customer, stage=stage)


def stage_question(actor: Actor, choice: StageChoice) -> Html:
    """Ask which of several stages a /stage meant."""
    return t(actor.lang, "stage.which", customer=choice.customer.name)


def stage_buttons(actor: Actor, choice: StageChoice) -> Keyboard:
    """One button per stage that fits, named in the team's language."""
    return [
        [
            Button(
                pipeline.stage_name(actor.team, key, actor.lang),
                StagePress(choice.customer.id, key).encode(),
            )
        ]
        for key in choice.keys
    ]


def stages(actor: Actor) -> Html:
    """The team's pipeline, in order."""
    names = (
        pipeline.stage_name(actor.team, key, actor.lang) for key in pipeline.stage_keys(actor.team)
    )
    return t(actor.lang, "stages.list", stages=" → ".join(names))


def pool_returned(lang: str, days: int, names: list[str]) -> Html:
    """Announce the customers that went back to the shared pool (公海)."""
    return t(
        lang, "pool.returned", days=t(lang, "count.days", count=days), names=name_list(lang, names)
    )
