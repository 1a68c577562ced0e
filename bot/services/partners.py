"""Channels and partners (distributors, agents, dealers) of a team."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.parsing import normalize_name
from bot.services import audit
from bot.services.teams import Actor
from models.tables import Channel, Partner, Team


def channel_by_kind(*, session: Session, team: Team, kind: str | None) -> Channel | None:
    """Return the team's first channel of a kind."""
    if not kind:
        return None
    return session.exec(
        select(Channel).where(Channel.team_id == team.id, Channel.kind == kind).order_by(Channel.id)  # type: ignore[arg-type]
    ).first()


def find_partner(*, session: Session, team: Team, name: str) -> Partner | None:
    """Return the team's partner with that (normalized) name."""
    return session.exec(
        select(Partner).where(
            Partner.team_id == team.id, Partner.normalized_name == normalize_name(name)
        )
    ).first()


def ensure_partner(
    *, session: Session, actor: Actor, name: str, channel: Channel | None, now: datetime
) -> Partner:
    """Return the named partner, creating it in `channel` when the team has none by that name."""
    partner = find_partner(session=session, team=actor.team, name=name)
    if partner is not None:
        return partner
    partner = Partner(
        team_id=actor.team.id or 0,
        channel_id=channel.id if channel else None,
        name=name.strip()[:120],
        normalized_name=normalize_name(name),
        created_at=now,
    )
    session.add(partner)
    session.flush()
    audit.record(
        session=session,
        team_id=actor.team.id or 0,
        actor_user_id=actor.member.user_id,
        action="create",
        entity="partner",
        entity_id=partner.id,
        now=now,
        name=partner.name,
    )
    return partner
