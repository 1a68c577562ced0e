"""/channel and /partner."""

from __future__ import annotations

import re

from sqlmodel import Session
from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import t
from bot.services import partners, profiles
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor, find_member
from bot.views import partners as views
from handlers.common import Outcome, command, command_args, respond

OPTION = re.compile(r"(\w+)=(\S+)")
KIND_WORDS = {
    "distributor": "distributor", "经销": "distributor", "经销商": "distributor",
    "agent": "agent", "代理": "agent", "代理商": "agent",
    "ecommerce": "ecommerce", "e-commerce": "ecommerce", "电商": "ecommerce",
    "direct": "direct", "直营": "direct", "直营店": "direct", "门店": "direct",
    "referral": "referral", "转介绍": "referral", "other": "other", "其他": "other",
}  # fmt: skip


def split_options(args: list[str]) -> tuple[str, dict[str, str]]:
    """Split 'Huatai Trading channel=distributor tier=A' into the name and the options."""
    words, options = [], {}
    for arg in args:
        match = OPTION.fullmatch(arg)
        if match:
            options[match.group(1).lower()] = match.group(2)
        else:
            words.append(arg)
    return " ".join(words), options


async def cmd_channel(update: Update, context: BotContext) -> None:
    """/channel list | /channel add NAME kind=distributor|agent|ecommerce|direct|referral|other."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        if not args or args[0].lower() == "list":
            rows = partners.list_channels(session=session, team=actor.team)
            return Outcome(views.channel_list(actor.lang, rows))
        if args[0].lower() != "add":
            raise UsageError("usage.channel")
        name, options = split_options(args[1:])
        kind = KIND_WORDS.get(options.get("kind", "other").lower())
        if not name or kind is None:
            raise UsageError("usage.channel")
        channel = partners.add_channel(
            session=session, actor=actor, name=name, kind=kind, now=context.clock()
        )
        return Outcome(views.channel_added(actor.lang, channel))

    await respond(update, context, work)


async def cmd_partner(update: Update, context: BotContext) -> None:
    """/partner NAME (its card) | /partner add NAME channel=… tier=A|B|C owner=@user."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        if not args:
            raise UsageError("usage.partner")
        if args[0].lower() in ("add", "set"):
            name, options = split_options(args[1:])
            if not name:
                raise UsageError("usage.partner")
            tier = options.get("tier", "").upper() or None
            if tier not in (None, "A", "B", "C"):
                raise UsageError("usage.partner")
            channel = None
            if "channel" in options:
                channel = partners.find_channel(
                    session=session, team=actor.team, text=options["channel"]
                )
                if channel is None:
                    raise CrmError("channel.unknown", name=options["channel"])
            owner_id = None
            if "owner" in options:
                owner_id = find_member(
                    session=session, team=actor.team, username=options["owner"]
                ).id
            partner, created = partners.upsert_partner(
                session=session,
                actor=actor,
                name=name,
                channel=channel,
                tier=tier,
                owner_id=owner_id,
                now=context.clock(),
            )
            key = "partner.added" if created else "partner.updated"
            return Outcome(t(actor.lang, key, name=partner.name, tier=partner.tier))
        card = profiles.partner_profile(session=session, actor=actor, name=" ".join(args))
        return Outcome(views.partner_card(actor, card))

    await respond(update, context, work)


def register(app: Application) -> None:
    """Add the channel and partner handlers."""
    app.add_handler(command("channel", cmd_channel))
    app.add_handler(command("partner", cmd_partner))
