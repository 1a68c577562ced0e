"""Teams: lookup by chat, the settings their notices need, the claim of each day's agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, bindparam, delete, exists, or_, update
from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models.queries import updates
from models.tables import (
    AuditLog,
    CompanyGroup,
    Customer,
    Entry,
    GroupKind,
    Member,
    Partner,
    Task,
    Team,
)


def team_by_chat(*, session: Session, chat_id: int, lock: bool = False) -> Team | None:
    """The team of a chat, if it has one; `lock`: its row locked until the transaction ends."""
    query = select(Team).where(Team.chat_id == chat_id)
    return session.exec(query.with_for_update() if lock else query).first()


def teams_by_id(*, session: Session, team_ids: list[int]) -> list[Team]:
    """The active teams of these ids, by title."""
    if not team_ids:
        return []
    query = select(Team).where(col(Team.id).in_(team_ids), col(Team.active))
    return list(session.exec(query.order_by(col(Team.title), col(Team.id))))


def holds_data(*, session: Session, team_id: int) -> bool:
    """Whether a team has anything of its own: customers, partners, tasks, entries or a place
    in a company (which an absorbed team's deletion would silently cascade away)."""
    return any(
        session.execute(select_columns(exists().where(col(table.team_id) == team_id))).scalar()
        for table in (Customer, Partner, Task, Entry, CompanyGroup)
    )


def absorb_team(*, session: Session, survivor: Team, gone: Team) -> None:
    """Delete `gone`, a team with nothing logged; its members not in `survivor` move there."""
    known = select_columns(col(Member.user_id)).where(col(Member.team_id) == survivor.id)
    session.execute(
        update(Member)
        .where(col(Member.team_id) == gone.id, col(Member.user_id).not_in(known))
        .values(team_id=survivor.id)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(Team).where(col(Team.id) == gone.id))
    session.expunge(gone)


def language_chosen(*, session: Session, team_id: int) -> bool:
    """Whether someone set the team's language with /lang (its settings are audited)."""
    changes = session.exec(
        select(AuditLog.detail).where(
            AuditLog.team_id == team_id, AuditLog.action == "setting", AuditLog.entity == "team"
        )
    )
    return any(detail.get("field") == "language" for detail in changes)


class Standing(NamedTuple):
    """Where a team stands in its company, and a user's role in the company's head office."""

    company_id: int
    kind: str  # GroupKind
    partner_id: int | None  # a partner room's partner (one of the head office's)
    head_team_id: int
    head_role: str | None  # the user's role in the head office, if a member there


_OWN = aliased(CompanyGroup)
_HEAD = aliased(CompanyGroup)
_HEAD_MEMBER = aliased(Member)
# Built once, as every message runs it: a statement's cache key is then computed only once.
# The team's place in a company and the user's role in its head office come along (primary-key
# and unique-index joins that find nothing for a group in no company): company managers manage
# every group of it without a query of their own.
_TEAM_AND_MEMBER = (
    select_columns(
        Team,
        Member,
        col(_OWN.company_id),
        col(_OWN.kind),
        col(_OWN.partner_id),
        col(_HEAD.team_id),
        col(_HEAD_MEMBER.role),
    )
    .select_from(Team)
    .join(
        Member,
        and_(col(Member.team_id) == col(Team.id), col(Member.user_id) == bindparam("user_id")),
        isouter=True,
    )
    .join(_OWN, col(_OWN.team_id) == col(Team.id), isouter=True)
    .join(
        _HEAD,
        and_(
            col(_HEAD.company_id) == col(_OWN.company_id), col(_HEAD.kind) == GroupKind.HEAD_OFFICE
        ),
        isouter=True,
    )
    .join(
        _HEAD_MEMBER,
        and_(
            col(_HEAD_MEMBER.team_id) == col(_HEAD.team_id),
            col(_HEAD_MEMBER.user_id) == bindparam("user_id"),
        ),
        isouter=True,
    )
    .where(col(Team.chat_id) == bindparam("chat_id"))
)


_CLAIMED_TEAM_AND_MEMBER = _TEAM_AND_MEMBER.add_cte(updates.CLAIM_CTE)


def team_and_member(
    *, session: Session, chat_id: int, user_id: int, claim: updates.Claim | None = None
) -> tuple[Team | None, Member | None, Standing | None]:
    """The team of a chat, a user's member row in it and the team's standing, in one query.

    With `claim`, the update is marked handled first, in the same statement on PostgreSQL
    (IntegrityError: it was already).
    """
    params = {"chat_id": chat_id, "user_id": user_id}
    found = updates.execute_claimed(
        session, _TEAM_AND_MEMBER, _CLAIMED_TEAM_AND_MEMBER, params, claim
    )
    row = found.first()
    if row is None:
        return None, None, None
    team, member, company_id, kind, partner_id, head_team_id, head_role = row
    standing = (
        Standing(company_id, kind, partner_id, head_team_id, head_role)
        if company_id is not None and head_team_id is not None
        else None
    )
    return team, member, standing


@dataclass(frozen=True)
class TeamView:
    """The columns of a team that its notices need (whole rows are slow to build by the 1000)."""

    id: int
    chat_id: int
    title: str
    language: str
    timezone: str
    workday_start: str
    workday_end: str
    work_weekdays: str
    remind_privately: bool
    escalate_after_hours: int


def active_teams(*, session: Session, wanting_agenda: bool = False) -> list[TeamView]:
    """Return the active teams with the bot in their group (wanting an agenda, if asked), by id."""
    query = select_columns(
        col(Team.id),
        col(Team.chat_id),
        col(Team.title),
        col(Team.language),
        col(Team.timezone),
        col(Team.workday_start),
        col(Team.workday_end),
        col(Team.work_weekdays),
        col(Team.remind_privately),
        col(Team.escalate_after_hours),
    ).where(col(Team.active).is_(True), col(Team.bot_present).is_(True))
    if wanting_agenda:
        query = query.where(col(Team.morning_agenda).is_(True))
    return [TeamView(*row) for row in session.execute(query.order_by(col(Team.id)))]


def claim_agenda(*, session: Session, team_id: int, day: date) -> bool:
    """Mark a team's agenda of `day` as sent, unless it already is; return whether it was not.

    A conditional UPDATE is the claim: of two processes, only one changes the row.
    """
    claimed = session.execute(
        update(Team)
        .where(
            col(Team.id) == team_id,
            or_(col(Team.agenda_sent_for).is_(None), col(Team.agenda_sent_for) < day),
        )
        .values(agenda_sent_for=day)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def release_agenda(*, session: Session, team_id: int, day: date) -> None:
    """Unmark a team's agenda of `day`, so that it is claimed again."""
    session.execute(
        update(Team)
        .where(col(Team.id) == team_id, col(Team.agenda_sent_for) == day)
        .values(agenda_sent_for=None)
        .execution_options(synchronize_session=False)
    )
