"""/channel and /partner."""

from __future__ import annotations

import re

from sqlmodel import Session
from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Html, t
from bot.i18n.format import format_amount, format_date, member_label
from bot.services import partners, profiles
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor, find_member
from handlers.common import Reply, command, command_args, respond

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

    def work(session: Session, actor: Actor) -> Reply:
        actor.require_active()
        if not args or args[0].lower() == "list":
            rows = partners.list_channels(session=session, team=actor.team)
            lines = [t(actor.lang, "channel.title")]
            lines += [
                t(
                    actor.lang,
                    "channel.line",
                    name=c.name,
                    kind=t(actor.lang, f"channel.{c.kind}"),
                    count=n,
                )
                for c, n in rows
            ]
            return Reply(Html("\n".join(lines)))
        if args[0].lower() != "add":
            raise UsageError("usage.channel")
        name, options = split_options(args[1:])
        kind = KIND_WORDS.get(options.get("kind", "other").lower())
        if not name or kind is None:
            raise UsageError("usage.channel")
        channel = partners.add_channel(
            session=session, actor=actor, name=name, kind=kind, now=context.clock()
        )
        return Reply(
            t(actor.lang, "channel.added", name=channel.name, kind=t(actor.lang, f"channel.{kind}"))
        )

    await respond(update, context, work)


async def cmd_partner(update: Update, context: BotContext) -> None:
    """/partner NAME (its card) | /partner add NAME channel=… tier=A|B|C owner=@user."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Reply:
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
            return Reply(t(actor.lang, key, name=partner.name, tier=partner.tier))
        card = profiles.partner_profile(session=session, actor=actor, name=" ".join(args))
        return Reply(render_partner(actor, card))

    await respond(update, context, work)


def render_partner(actor: Actor, card: profiles.PartnerProfile) -> Html:
    """Tier, channel, owner, customers, open deals and last activity of a partner."""
    lang = actor.lang
    owner = member_label(card.owner.username, card.owner.full_name) if card.owner else "—"
    last = (
        format_date(card.last_activity, lang=lang, tz=actor.tz)
        if card.last_activity
        else t(lang, "partner.never")
    )
    return Html(
        "\n".join(
            [
                t(lang, "partner.title", name=card.partner.name, tier=card.partner.tier),
                t(
                    lang,
                    "partner.info",
                    channel=card.channel.name if card.channel else "—",
                    owner=owner,
                ),
                t(
                    lang,
                    "partner.numbers",
                    customers=card.customers,
                    deals=card.open_deals,
                    value=format_amount(card.open_value, actor.team.currency, lang=lang),
                    last=last,
                ),
            ]
        )
    )


def register(app: Application) -> None:
    """Add the channel and partner handlers."""
    app.add_handler(command("channel", cmd_channel))
    app.add_handler(command("partner", cmd_partner))
