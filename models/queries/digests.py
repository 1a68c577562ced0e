"""The weekly digest's rows: teams that send one, and DigestRun, the claim on a team's week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from models.tables import DigestRun, Team


def digest_teams(*, session: Session) -> list[Team]:
    """Return the active teams with the bot in their group and the digest on, by id."""
    return list(
        session.scalars(
            select(Team)
            .where(col(Team.active), col(Team.bot_present), col(Team.digest_enabled))
            .order_by(col(Team.id))
        )
    )


def teams_by_id(*, session: Session, team_ids: Sequence[int]) -> list[Team]:
    """Return these teams."""
    return list(session.scalars(select(Team).where(col(Team.id).in_(team_ids))))


def claimed_weeks(*, session: Session, since: datetime) -> set[tuple[int, datetime]]:
    """Return (team id, week start) of every claim on a week starting at `since` or later."""
    return {
        (team_id, start)
        for team_id, start in session.execute(
            select(col(DigestRun.team_id), col(DigestRun.period_start)).where(
                col(DigestRun.period_start) >= since
            )
        )
    }


def is_claimed(*, session: Session, team_id: int, period_start: datetime) -> bool:
    """Whether a team's week is claimed (its digest sent, being sent or skipped)."""
    found = session.execute(
        select(col(DigestRun.id)).where(
            col(DigestRun.team_id) == team_id, col(DigestRun.period_start) == period_start
        )
    ).first()
    return found is not None


def claim(*, session: Session, team_id: int, period_start: datetime, now: datetime) -> None:
    """Insert the claim on a team's week; raise IntegrityError if it is already claimed."""
    session.add(DigestRun(team_id=team_id, period_start=period_start, claimed_at=now))
    session.flush()


def unclaim(*, session: Session, team_id: int, period_start: datetime) -> None:
    """Delete a claim whose digest has not been sent."""
    session.execute(
        delete(DigestRun).where(
            col(DigestRun.team_id) == team_id,
            col(DigestRun.period_start) == period_start,
            col(DigestRun.sent_at).is_(None),
        )
    )


def mark_sent(
    *,
    session: Session,
    team_id: int,
    period_start: datetime,
    message_id: int | None,
    now: datetime,
) -> None:
    """Record that a claimed digest went out (message_id None: an empty week, skipped)."""
    session.execute(
        update(DigestRun)
        .where(col(DigestRun.team_id) == team_id, col(DigestRun.period_start) == period_start)
        .values(sent_at=now, message_id=message_id)
    )
