"""The /channel list and the /partner card."""

from __future__ import annotations

from bot.i18n import Html, channel_name, t
from bot.i18n.format import format_amount, format_date, member_label
from bot.services.profiles import PartnerProfile
from bot.services.teams import Actor
from models.tables import Channel


def channel_list(lang: str, rows: list[tuple[Channel, int]]) -> Html:
    """The team's channels with their kind (unless that is their name) and customers."""
    lines = [t(lang, "channel.title")]
    lines += [channel_line(lang, c, n) for c, n in rows]
    return Html("\n".join(lines))


def channel_line(lang: str, channel: Channel, customers: int) -> Html:
    name = channel_name(channel.name, channel.kind, lang)
    kind = channel_name(None, channel.kind, lang)
    counted = t(lang, "count.customers", count=customers)
    if name.casefold() == kind.casefold():
        return t(lang, "channel.line.default", name=name, customers=counted)
    return t(lang, "channel.line", name=name, kind=kind, customers=counted)


def channel_added(lang: str, channel: Channel) -> Html:
    name = channel_name(channel.name, channel.kind, lang)
    return t(lang, "channel.added", name=name, kind=channel_name(None, channel.kind, lang))


def partner_card(actor: Actor, card: PartnerProfile) -> Html:
    """Tier, channel, owner, customers, open deals and last activity of a partner."""
    lang = actor.lang
    owner = member_label(card.owner.username, card.owner.full_name) if card.owner else "—"
    last = (
        format_date(card.last_activity, lang=lang, tz=actor.tz)
        if card.last_activity
        else t(lang, "partner.never")
    )
    channel = channel_name(card.channel.name, card.channel.kind, lang) if card.channel else "—"
    value = format_amount(card.open_value, actor.team.currency, lang=lang)
    lines = [
        t(lang, "partner.title", name=card.partner.name, tier=card.partner.tier),
        t(lang, "partner.info", channel=channel, owner=owner),
        t(
            lang,
            "partner.numbers",
            customers=t(lang, "count.customers", count=card.customers),
            deals=t(lang, "count.open_deals", count=card.open_deals),
            value=value,
            last=last,
        ),
    ]
    return Html("\n".join(lines))
