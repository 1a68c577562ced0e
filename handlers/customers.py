"""/customer, /assign, /claim, /release, /stage and /stages."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import t
from bot.i18n.format import member_label
from bot.services import ownership, pipeline, profiles
from bot.services.errors import UsageError
from bot.services.pipeline import StageChoice
from bot.services.teams import Actor
from bot.views import customers as views
from bot.views.callbacks import StagePress
from handlers.common import Notice, Outcome, button, command, command_args, press, respond


async def cmd_customer(update: Update, context: BotContext) -> None:
    """Show a customer's card: /customer NAME."""
    name = " ".join(command_args(update.effective_message))
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        if not name:
            raise UsageError("usage.customer")
        card = profiles.customer_profile(session=session, actor=actor, name=name)
        return Outcome(views.customer_card(actor, card, now=now))

    await respond(update, context, work)


async def cmd_assign(update: Update, context: BotContext) -> None:
    """Give a customer to a rep: /assign CUSTOMER @rep [GROUP] (managers)."""
    args = command_args(update.effective_message)
    at = max((i for i, arg in enumerate(args) if arg.startswith("@")), default=0)
    chat_id = update.effective_chat.id if update.effective_chat else 0

    def work(session: Session, actor: Actor) -> Outcome:
        if at == 0 or len(args[at]) < 2:
            raise UsageError("usage.assign")
        done = ownership.assign(
            session=session,
            actor=actor,
            name=" ".join(args[:at]),
            username=args[at],
            group=" ".join(args[at + 1 :]),
            now=context.clock(),
        )
        moved = done.moved
        notices = []
        if moved is not None and moved.dest_chat_id != chat_id:  # told there, unless it is here
            owner = member_label(done.owner.username, done.owner.full_name)
            notices.append(Notice(moved.dest_chat_id, views.moved_here(moved, owner)))
        return Outcome(views.assigned(actor.lang, done), notices=notices)

    await respond(update, context, work)


async def cmd_claim(update: Update, context: BotContext) -> None:
    """Take a customer from the shared pool: /claim CUSTOMER."""
    name = " ".join(command_args(update.effective_message))

    def work(session: Session, actor: Actor) -> Outcome:
        if not name:
            raise UsageError("usage.claim")
        customer = ownership.claim(session=session, actor=actor, name=name, now=context.clock())
        return Outcome(
            t(
                actor.lang,
                "claim.done",
                customer=customer.name,
                days=t(actor.lang, "count.days", count=actor.team.protection_days),
            )
        )

    await respond(update, context, work)


async def cmd_release(update: Update, context: BotContext) -> None:
    """Return a customer to the shared pool: /release CUSTOMER (its owner or a manager)."""
    name = " ".join(command_args(update.effective_message))

    def work(session: Session, actor: Actor) -> Outcome:
        if not name:
            raise UsageError("usage.release")
        customer = ownership.release(session=session, actor=actor, name=name, now=context.clock())
        return Outcome(t(actor.lang, "release.done", customer=customer.name))

    await respond(update, context, work)


async def cmd_stage(update: Update, context: BotContext) -> None:
    """Move a customer to a stage: /stage CUSTOMER STAGE."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Outcome:
        moved = pipeline.move_customer(
            session=session, actor=actor, words=args, now=context.clock()
        )
        if isinstance(moved, StageChoice):
            return Outcome(views.stage_question(actor, moved), views.stage_buttons(actor, moved))
        customer, key = moved
        return Outcome(views.stage_moved(actor, customer.name, key))

    await respond(update, context, work)


async def on_stage_button(update: Update, context: BotContext, pressed: StagePress) -> None:
    """The stage picked after an ambiguous /stage."""

    def work(session: Session, actor: Actor) -> Outcome:
        customer, key = pipeline.choose_stage(
            session=session,
            actor=actor,
            customer_id=pressed.customer_id,
            key=pressed.key,
            now=context.clock(),
        )
        text = views.stage_moved(actor, customer.name, key)
        return Outcome(text, [], toast=text)

    await press(update, context, work)


async def cmd_stages(update: Update, context: BotContext) -> None:
    """Show or change the pipeline: /stages [rename STAGE NAME | add NAME | move STAGE N]."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        if args:
            pipeline.edit_stages(session=session, actor=actor, words=args, now=context.clock())
        return Outcome(views.stages(actor))

    await respond(update, context, work)


def register(app: Application) -> None:
    """Add the customer and pipeline handlers."""
    app.add_handler(command("customer", cmd_customer))
    app.add_handler(command("assign", cmd_assign))
    app.add_handler(command("claim", cmd_claim))
    app.add_handler(command("release", cmd_release))
    app.add_handler(command("stage", cmd_stage))
    app.add_handler(button(StagePress, on_stage_button))
    app.add_handler(command("stages", cmd_stages))
