"""Companies: a team's place in one, a company's groups, join codes and their single use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, update
from sqlmodel import Session, col, func, select

from models.tables import Company, CompanyGroup, GroupKind, JoinCode, Partner, Team


def place_of(*, session: Session, team_id: int) -> tuple[CompanyGroup, Company] | None:
    """A team's place in its company and the company, if it is in one."""
    row = session.exec(
        select(CompanyGroup, Company)
        .join(Company, col(Company.id) == CompanyGroup.company_id)
        .where(CompanyGroup.team_id == team_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


def peers_of(*, session: Session, team_id: int) -> list[tuple[int, str]]:
    """The other teams of a team's company, with their titles: none if it is in no company."""
    mine = select(CompanyGroup.company_id).where(CompanyGroup.team_id == team_id)
    rows = session.exec(
        select(Team.id, Team.title)
        .join(CompanyGroup, col(CompanyGroup.team_id) == Team.id)
        .where(col(CompanyGroup.company_id).in_(mine.scalar_subquery()), Team.id != team_id)
        .order_by(col(Team.id))
    ).all()
    return [(int(peer_id), title) for peer_id, title in rows]


def head_office(*, session: Session, company_id: int) -> Team:
    """The team that is a company's head office."""
    return session.exec(
        select(Team)
        .join(CompanyGroup, col(CompanyGroup.team_id) == Team.id)
        .where(CompanyGroup.company_id == company_id, CompanyGroup.kind == GroupKind.HEAD_OFFICE)
    ).one()


def groups_of(
    *, session: Session, company_id: int
) -> list[tuple[CompanyGroup, Team, Partner | None]]:
    """A company's groups with their teams and bound partners: the head office first."""
    rows = session.exec(
        select(CompanyGroup, Team, Partner)
        .join(Team, col(Team.id) == CompanyGroup.team_id)
        .join(Partner, col(Partner.id) == CompanyGroup.partner_id, isouter=True)
        .where(CompanyGroup.company_id == company_id)
        .order_by(
            case((col(CompanyGroup.kind) == GroupKind.HEAD_OFFICE, 0), else_=1),
            col(CompanyGroup.joined_at),
            col(CompanyGroup.team_id),
        )
    ).all()
    return [(group, team, partner) for group, team, partner in rows]


def room_copies(*, session: Session, partner: Partner) -> list[Partner]:
    """The partner rooms' own copies of a head-office partner they are bound to."""
    rooms = select(CompanyGroup.team_id).where(CompanyGroup.partner_id == partner.id)
    return list(
        session.exec(
            select(Partner).where(
                col(Partner.team_id).in_(rooms.scalar_subquery()),
                Partner.normalized_name == partner.normalized_name,
            )
        )
    )


def partners_by_key(*, session: Session, team_ids: list[int], key: str) -> list[Partner]:
    """The partners of that normalized name among these teams (one each at most), by team."""
    return list(
        session.exec(
            select(Partner)
            .where(col(Partner.team_id).in_(team_ids), Partner.normalized_name == key)
            .order_by(col(Partner.team_id))
        ).all()
    )


def group_count(*, session: Session, company_id: int) -> int:
    """How many groups a company has, its head office included."""
    return int(
        session.exec(
            select(func.count())
            .select_from(CompanyGroup)
            .where(CompanyGroup.company_id == company_id)
        ).one()
    )


def code_exists(*, session: Session, code_hash: str) -> bool:
    return (
        session.exec(select(JoinCode.id).where(JoinCode.code_hash == code_hash)).first() is not None
    )


def code_by_hash(*, session: Session, code_hash: str) -> JoinCode | None:
    return session.exec(select(JoinCode).where(JoinCode.code_hash == code_hash)).first()


def use_code(*, session: Session, code_id: int, team_id: int, now: datetime) -> bool:
    """Mark a join code used by a team, unless it is used or expired; return whether it was.

    A conditional UPDATE is the claim: of two groups racing for one code, only one changes it.
    """
    used = session.execute(
        update(JoinCode)
        .where(
            col(JoinCode.id) == code_id,
            col(JoinCode.used_at).is_(None),
            col(JoinCode.expires_at) > now,
        )
        .values(used_at=now, used_by_team_id=team_id)
        .execution_options(synchronize_session=False)
    )
    return bool(used.rowcount == 1)  # type: ignore[attr-defined]


def companies_headed(*, session: Session, team_ids: list[int]) -> dict[int, Company]:
    """The companies whose head office is one of these teams, by that team."""
    if not team_ids:
        return {}
    rows = session.exec(
        select(CompanyGroup.team_id, Company)
        .join(Company, col(Company.id) == CompanyGroup.company_id)
        .where(col(CompanyGroup.team_id).in_(team_ids), CompanyGroup.kind == GroupKind.HEAD_OFFICE)
    ).all()
    return {int(team_id): company for team_id, company in rows}
