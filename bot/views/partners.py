"""The /channel list and the /partner card."""

from __future__ import annotations

from bot.i18n import Html, t
from bot.i18n.format import format_amount, format_date, member_label
from bot.services.profiles import PartnerProfile
from bot.services.teams import Actor
from models.tables import Channel


def channel_list(lang: str, rows: list[tuple[Channel, int]]) -> Html:
    """The team's channels with their kind and number of customers."""
    lines = [t(lang, "channel.title")]
    lines += [
        t(lang, "channel.line", name=c.name, kind=t(lang, f"channel.{c.kind}"), count=n)
        for c, n in rows
    ]
    return Html("\n".join(lines))


def channel_added(lang: str, channel: Channel) -> Html:
    return t(lang, "channel.added", name=channel.name, kind=t(lang, f"channel.{channel.kind}"))


def partner_card(actor: Actor, card: PartnerProfile) -> Html:
    """Tier, channel, owner, customers, open deals and last activity of a partner."""
    lang = actor.lang
    owner = member_label(card.owner.username, card.owner.full_name) if card.owner else "—"
    last = (
        format_date(card.last_activity, lang=lang, tz=actor.tz)
        if card.last_activity
        else t(lang, "partner.never")
    )
    channel = card.channel.name if card.channel else "—"
    value = format_amount(card.open_value, actor.team.currency, lang=lang)
    lines = [
        t(lang, "partner.title", name=card.partner.name, tier=card.partner.tier),
        t(lang, "partner.info", channel=channel, owner=owner),
        t(
            lang,
            "partner.numbers",
            customers=card.customers,
            deals=card.open_deals,
            value=value,
            last=last,
        ),
    ]
    return Html("\n".join(lines))
