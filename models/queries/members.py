"""Members: the few columns a notice mentions, managers, teammates, a member by Telegram id."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, desc, func, select

from models.tables import Member, Role, Team


@dataclass(frozen=True)
class MemberView:
    """The columns of a member that a notice mentions (whole rows are slow by the thousand)."""

    id: int
    user_id: int
    username: str | None
    full_name: str
    private_chat: bool


_VIEW_COLUMNS = (
    col(Member.id),
    col(Member.user_id),
    col(Member.username),
    col(Member.full_name),
    col(Member.private_chat),
)


def members_by_id(*, session: Session, ids: Collection[int]) -> dict[int, MemberView]:
    """Return these members, by id."""
    if not ids:
        return {}
    rows = session.execute(select_columns(*_VIEW_COLUMNS).where(col(Member.id).in_(list(ids))))
    return {row[0]: MemberView(*row) for row in rows}


def managers(*, session: Session, team_id: int) -> list[MemberView]:
    """Return a team's managers and admins, oldest first."""
    rows = session.execute(
        select_columns(*_VIEW_COLUMNS)
        .where(col(Member.team_id) == team_id, col(Member.role).in_([Role.MANAGER, Role.ADMIN]))
        .order_by(col(Member.id))
    )
    return [MemberView(*row) for row in rows]


def teammates(*, session: Session, team_id: int, but: int, limit: int) -> list[MemberView]:
    """Return up to `limit` members of a team other than member `but`, by name."""
    rows = session.execute(
        select_columns(*_VIEW_COLUMNS)
        .where(col(Member.team_id) == team_id, col(Member.id) != but)
        .order_by(col(Member.full_name), col(Member.id))
        .limit(limit)
    )
    return [MemberView(*row) for row in rows]


def member_by_user(*, session: Session, team_id: int, user_id: int) -> Member | None:
    """Return the member a Telegram user is in a team, if they are one."""
    return session.exec(
        select(Member).where(Member.team_id == team_id, Member.user_id == user_id)
    ).first()


def member_by_username(*, session: Session, team_id: int, username: str) -> Member | None:
    """A team's member by @username: case-insensitive (as Telegram's), an exact spelling first."""
    return session.exec(
        select(Member)
        .where(Member.team_id == team_id, func.lower(Member.username) == username.lower())
        .order_by(desc(col(Member.username) == username))
    ).first()


def members_of_team(*, session: Session, team_id: int) -> list[Member]:
    """Every member of a team."""
    return list(session.exec(select(Member).where(Member.team_id == team_id)))


def memberships_of_user(*, session: Session, user_id: int) -> list[Member]:
    """A Telegram user's member rows, one per team."""
    return list(session.exec(select(Member).where(Member.user_id == user_id)))


def teams_of_user(*, session: Session, user_id: int) -> list[tuple[Team, Member]]:
    """A Telegram user's active teams and their member rows there, by title."""
    rows = session.exec(
        select(Team, Member)
        .join(Member, col(Member.team_id) == Team.id)
        .where(Member.user_id == user_id, col(Team.active))
        .order_by(col(Team.title), col(Team.id))
    ).all()
    return [(team, member) for team, member in rows]


def members_by_username(*, session: Session, team_ids: list[int], username: str) -> list[Member]:
    """The members of these teams with that @username (case-insensitive), by team."""
    return list(
        session.exec(
            select(Member)
            .where(
                col(Member.team_id).in_(team_ids), func.lower(Member.username) == username.lower()
            )
            .order_by(col(Member.team_id))
        ).all()
    )
