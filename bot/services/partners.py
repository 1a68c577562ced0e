"""Channels and partners (distributors, agents, dealers) of a team."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlmodel import Session

from bot.i18n import LANGUAGES, channel_name
from bot.parsing import dedupe, match_customers, normalize_name
from bot.services import audit
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.queries import companies as company_queries
from models.queries import partners as queries
from models.tables import Channel, ChannelKind, Partner, Team


def channel_by_kind(*, session: Session, team: Team, kind: str | None) -> Channel | None:
    """Return the team's first channel of a kind."""
    if not kind:
        return None
    return queries.first_channel_of_kind(session=session, team_id=team.id, kind=kind)


def find_partner(*, session: Session, team: Team, name: str) -> Partner | None:
    """Return the team's partner with that (normalized) name."""
    return queries.partner_by_key(session=session, team_id=team.id, key=normalize_name(name))


def near_partners(*, session: Session, team: Team, name: str) -> list[Partner]:
    """Return the team's partner a user named (by its key), else the ones near it, best first."""
    partner = find_partner(session=session, team=team, name=name)
    if partner is not None:
        return [partner]
    by_name = {p.name: p for p in queries.partners_of(session=session, team_id=team.id)}
    matches = match_customers(name, list(by_name), cutoff=dedupe.ASK_SCORE)
    return [by_name[m.name] for m in matches]


def ensure_partner(
    *, session: Session, actor: Actor, name: str, channel: Channel | None, now: datetime
) -> Partner:
    """Return the named partner, creating it in `channel` when the team has none by that name."""
    partner = find_partner(session=session, team=actor.team, name=name)
    if partner is not None:
        return partner
    return _create_partner(session=session, actor=actor, name=name, channel=channel, now=now)


def room_partner(*, session: Session, actor: Actor, now: datetime) -> Partner | None:
    """Return the partner a partner room's entries are attributed to (None: not a room).

    That is the room's own copy of the head office's partner it is bound to (see copy_partner).
    """
    if actor.room_partner_id is None:
        return None
    bound = session.get_one(Partner, actor.room_partner_id)
    found = find_partner(session=session, team=actor.team, name=bound.name)
    return found or copy_partner(session=session, actor=actor, bound=bound, now=now)


def copy_partner(
    *, session: Session, actor: Actor, bound: Partner, now: datetime, team: Team | None = None
) -> Partner:
    """Give a group (the actor's, or `team`) its own copy of another's partner: name, tier, channel.

    Every row of a team is the team's own (its reports, exports and cards read only its own
    partners and channels), so a partner room's customers name the partner through the room's
    copy of it; the name is the company's key for it. The copy's channel is the group's of the
    same kind, or one named as the other group's.
    """
    team = team or actor.team
    channel = same_channel(
        session=session, actor=actor, team=team, theirs=bound.channel_id, now=now
    )
    partner = find_partner(session=session, team=team, name=bound.name)
    if partner is None:
        partner = _create_partner(
            session=session, actor=actor, team=team, name=bound.name, channel=channel, now=now
        )
    partner.tier = bound.tier
    if channel is not None:
        partner.channel_id = channel.id
    return partner


def same_channel(
    *, session: Session, actor: Actor, team: Team, theirs: int | None, now: datetime
) -> Channel | None:
    """Return `team`'s channel that matches another group's channel `theirs`, made if need be."""
    other = session.get(Channel, theirs) if theirs else None
    if other is None:
        return None
    if other.name is None:
        found = channel_by_kind(session=session, team=team, kind=other.kind)
    else:
        found = find_channel(session=session, team=team, text=other.name)
    if found is not None:  # a named channel is the group's by that name, whatever its kind
        return found
    channel = Channel(team_id=team.id, kind=other.kind, name=other.name)
    return _created(session, actor, channel, "channel", other.name, now, team)


def _create_partner(
    *,
    session: Session,
    actor: Actor,
    name: str,
    channel: Channel | None,
    now: datetime,
    team: Team | None = None,
) -> Partner:
    team = team or actor.team
    partner = Partner(
        team_id=team.id,
        channel_id=channel.id if channel else None,
        name=name.strip()[:120],
        normalized_name=normalize_name(name),
        created_at=now,
    )
    return _created(session, actor, partner, "partner", partner.name, now, team)


Row = TypeVar("Row", Channel, Partner)


def _created(
    session: Session,
    actor: Actor,
    row: Row,
    entity: str,
    name: str | None,
    now: datetime,
    team: Team | None = None,
) -> Row:
    """Add a new channel or partner (of the actor's group, or `team`) and audit its creation."""
    session.add(row)
    session.flush()
    audit.by_actor(
        actor, session=session, action="create", entity=entity, entity_id=row.id, now=now,
        in_team=team, name=name,
    )  # fmt: skip
    return row


def list_channels(*, session: Session, team: Team) -> list[tuple[Channel, int]]:
    """Return the team's channels with how many customers each has."""
    return queries.channels_with_counts(session=session, team_id=team.id)


def add_channel(*, session: Session, actor: Actor, name: str, kind: str, now: datetime) -> Channel:
    """Add a named channel of a kind (managers only)."""
    actor.require_active()
    actor.require_manager("error.not_manager.channel")
    if kind not in {k.value for k in ChannelKind}:
        raise CrmError("usage.channel")
    name = name.strip()[:60]
    if not name:
        raise CrmError("usage.channel")
    # A default channel's name is its kind's, in either language ("Agent", 代理商).
    if find_channel(session=session, team=actor.team, text=name) is not None:
        raise CrmError("channel.exists", name=name)
    return _created(
        session, actor, Channel(team_id=actor.team.id, kind=kind, name=name), "channel", name, now
    )


def find_channel(*, session: Session, team: Team, text: str) -> Channel | None:
    """Return the channel a user named: by name, or by kind word in either language."""
    wanted = text.strip().casefold()
    channels = queries.channels_of(session=session, team_id=team.id)
    for channel in channels:
        if channel.name and channel.name.casefold() == wanted:
            return channel
    for channel in channels:
        kind_names = {channel.kind} | {
            channel_name(None, channel.kind, lang).casefold() for lang in LANGUAGES
        }
        if wanted in kind_names:
            return channel
    return None


def upsert_partner(
    *,
    session: Session,
    actor: Actor,
    name: str,
    channel: Channel | None,
    tier: str | None,
    owner_id: int | None,
    now: datetime,
) -> tuple[Partner, bool]:
    """Add a partner or update its channel, tier and owner (managers only)."""
    actor.require_active()
    actor.require_manager("error.not_manager.partner")
    partner = find_partner(session=session, team=actor.team, name=name)
    created = partner is None
    if partner is None:
        partner = _create_partner(session=session, actor=actor, name=name, channel=channel, now=now)
    if channel is not None:
        partner.channel_id = channel.id
    if tier is not None:
        partner.tier = tier
        for copy in company_queries.room_copies(session=session, partner=partner):
            copy.tier = tier  # a partner room's copy is the head office's partner, tier and all
    if owner_id is not None:
        partner.owner_id = owner_id
    audit.by_actor(
        actor,
        session=session,
        action="partner",
        entity="partner",
        entity_id=partner.id,
        now=now,
        tier=partner.tier,
        channel=partner.channel_id,
        owner=partner.owner_id,
    )
    return partner, created
