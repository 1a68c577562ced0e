"""Teams and their members."""

from __future__ import annotations

from sqlmodel import Session, col, desc, func, select

from models.tables import Member, Team


def team_by_chat(*, session: Session, chat_id: int) -> Team | None:
    """The team of a chat, if it has one."""
    return session.exec(select(Team).where(Team.chat_id == chat_id)).first()


def member_by_user(*, session: Session, team_id: int, user_id: int) -> Member | None:
    """A team's member for a Telegram user."""
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
