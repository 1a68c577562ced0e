"""Entries waiting for the rep to say which customer they meant."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.services.entries import Source
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.tables import PendingChoice

EXPIRES_AFTER = timedelta(days=2)


def save(
    *,
    session: Session,
    actor: Actor,
    source: Source,
    now: datetime,
    addressed: bool,
    replaces: int | None = None,
) -> PendingChoice:
    """Keep the message until the rep picks a customer."""
    pending = PendingChoice(
        team_id=actor.team.id,
        member_id=actor.member.id,
        chat_id=source.chat_id,
        payload={
            "text": source.text,
            "message_id": source.message_id,
            "now": now.isoformat(),
            "addressed": addressed,
            "replaces": replaces,
        },
        created_at=now,
    )
    session.add(pending)
    session.flush()
    return pending


def remember_message(session: Session, pending_id: int, message_id: int) -> None:
    """Note which bot message carries the choice keyboard."""
    pending = session.get(PendingChoice, pending_id)
    if pending is not None:
        pending.message_id = message_id


def take(*, session: Session, actor: Actor, pending_id: int, now: datetime) -> PendingChoice:
    """Resolve a pending choice once; only the rep who wrote the message (or a manager) may."""
    pending = session.get(PendingChoice, pending_id)
    if (
        pending is None
        or pending.team_id != actor.team.id
        or pending.resolved_at is not None
        or pending.created_at + EXPIRES_AFTER < now
    ):
        raise CrmError("error.choice_gone")
    if pending.member_id != actor.member.id and not actor.is_manager:
        raise CrmError("error.not_your_entry")
    pending.resolved_at = now
    return pending
