"""/customer, /assign, /claim, /stage and /stages."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session
from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Html, t
from bot.i18n.format import format_amount, format_date, format_when, member_label
from bot.services import ownership, pipeline, profiles
from bot.services.errors import UsageError
from bot.services.teams import Actor
from handlers.cards import attribution_label
from handlers.common import Reply, command, command_args, respond


def render_customer(actor: Actor, card: profiles.CustomerProfile, *, now: datetime) -> Html:
    """Owner, channel, partner, stage, amount; then the timeline and open tasks."""
    lang, tz, c = actor.lang, actor.tz, card.customer
    owner = (
        member_label(card.owner.username, card.owner.full_name)
        if card.owner
        else t(lang, "customer.pool")
    )
    lines = [
        t(lang, "customer.title", name=c.name),
        t(
            lang,
            "customer.owner",
            owner=owner,
            stage=pipeline.stage_name(actor.team, c.stage, lang),
        ),
    ]
    if card.channel or card.partner:
        lines.append(
            t(
                lang,
                "customer.channel",
                channel=attribution_label(card.channel, card.partner),
            )
        )
    if c.protected_until and card.owner:
        lines.append(
            t(lang, "customer.protected", until=format_date(c.protected_until, lang=lang, tz=tz))
        )
    for contact in card.contacts[:3]:
        lines.append(
            t(lang, "customer.contact", name=contact.name or "", phone=contact.phone or "")
        )
    for deal in card.deals[:3]:
        amount = (
            format_amount(deal.amount, deal.currency, lang=lang) if deal.amount is not None else "—"
        )
        lines.append(t(lang, "customer.deal", amount=amount, status=t(lang, f"deal.{deal.status}")))
    if card.timeline:
        lines.append(t(lang, "customer.timeline"))
        for activity, member in card.timeline:
            who = member_label(member.username, member.full_name) if member else ""
            lines.append(
                t(
                    lang,
                    "customer.activity",
                    when=format_date(activity.occurred_at, lang=lang, tz=tz),
                    kind=t(lang, f"activity.{activity.kind}"),
                    who=who,
                    text=activity.text[:80],
                )
            )
    if card.tasks:
        lines.append(t(lang, "customer.tasks"))
        for task in card.tasks:
            lines.append(
                t(
                    lang,
                    "customer.task",
                    id=task.id,
                    title=task.title[:80],
                    when=format_when(task.due_at, lang=lang, tz=tz, now=now),
                )
            )
    return Html("\n".join(lines))


async def cmd_customer(update: Update, context: BotContext) -> None:
    """Show a customer's card: /customer NAME."""
    name = " ".join(command_args(update.effective_message))
    now = context.clock()

    def work(session: Session, actor: Actor) -> Reply:
        if not name:
            raise UsageError("usage.customer")
        card = profiles.customer_profile(session=session, actor=actor, name=name)
        return Reply(render_customer(actor, card, now=now))

    await respond(update, context, work)


async def cmd_assign(update: Update, context: BotContext) -> None:
    """Give a customer to a rep: /assign CUSTOMER @rep (managers)."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Reply:
        if len(args) < 2 or not args[-1].startswith("@"):
            raise UsageError("usage.assign")
        customer, member = ownership.assign(
            session=session,
            actor=actor,
            name=" ".join(args[:-1]),
            username=args[-1],
            now=context.clock(),
        )
        return Reply(
            t(
                actor.lang,
                "assign.done",
                customer=customer.name,
                owner=member_label(member.username, member.full_name),
            )
        )

    await respond(update, context, work)


async def cmd_claim(update: Update, context: BotContext) -> None:
    """Take a customer from the shared pool: /claim CUSTOMER."""
    name = " ".join(command_args(update.effective_message))

    def work(session: Session, actor: Actor) -> Reply:
        if not name:
            raise UsageError("usage.claim")
        customer = ownership.claim(session=session, actor=actor, name=name, now=context.clock())
        return Reply(
            t(actor.lang, "claim.done", customer=customer.name, days=actor.team.protection_days)
        )

    await respond(update, context, work)


async def cmd_stage(update: Update, context: BotContext) -> None:
    """Move a customer to a stage: /stage CUSTOMER STAGE."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Reply:
        customer, key = pipeline.move_customer(
            session=session, actor=actor, words=args, now=context.clock()
        )
        return Reply(
            t(
                actor.lang,
                "stage.done",
                customer=customer.name,
                stage=pipeline.stage_name(actor.team, key, actor.lang),
            )
        )

    await respond(update, context, work)


async def cmd_stages(update: Update, context: BotContext) -> None:
    """Show or change the pipeline: /stages [rename STAGE NAME | add NAME | move STAGE N]."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Reply:
        actor.require_active()
        if args:
            pipeline.edit_stages(session=session, actor=actor, words=args, now=context.clock())
        return Reply(
            t(actor.lang, "stages.list", stages=pipeline.stage_list(actor.team, actor.lang))
        )

    await respond(update, context, work)


def register(app: Application) -> None:
    """Add the customer and pipeline handlers."""
    app.add_handler(command("customer", cmd_customer))
    app.add_handler(command("assign", cmd_assign))
    app.add_handler(command("claim", cmd_claim))
    app.add_handler(command("stage", cmd_stage))
    app.add_handler(command("stages", cmd_stages))
