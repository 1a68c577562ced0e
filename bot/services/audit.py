"""The audit log: who changed what, when."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from models.tables import AuditLog, Team

if TYPE_CHECKING:
    from bot.services.teams import Actor


def record(
    *,
    session: Session,
    team_id: int,
    actor_user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    now: datetime,
    **detail: Any,
) -> None:
    """Add one audit row in the caller's transaction."""
    session.add(
        AuditLog(
            team_id=team_id,
            actor_user_id=actor_user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail={k: _jsonable(v) for k, v in detail.items()},
            at=now,
        )
    )


def by_actor(
    actor: Actor,
    *,
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    now: datetime,
    in_team: Team | None = None,
    **detail: Any,
) -> None:
    """Add one audit row for something a team member (or the group's anonymous admin) did.

    The change is in the actor's group, or in `in_team` (a company manager's move of a customer
    to another group adds its partner there). A company manager's change in a group they
    manage only as such crosses groups: it is in the head office's log too, naming the group.
    """
    if actor.anonymous is not None:  # named by the group (or channel) it wrote as
        detail = {**detail, "by": actor.anonymous.label}
    group = in_team or actor.team
    teams = [group.id]
    crossing = actor.by_company or group.id != actor.team.id
    if crossing and actor.standing is not None:
        teams.append(actor.standing.head_team_id)
        detail = {**detail, "group_team_id": group.id, "by": "company manager"}
    for team_id in dict.fromkeys(teams):
        record(
            session=session,
            team_id=team_id,
            actor_user_id=actor.user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            now=now,
            **detail,
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
