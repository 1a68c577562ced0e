"""Channels and partners."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, func, select

from models.tables import Activity, Channel, Customer, Deal, DealStatus, Partner


def first_channel_of_kind(*, session: Session, team_id: int, kind: str) -> Channel | None:
    return session.exec(
        select(Channel)
        .where(Channel.team_id == team_id, Channel.kind == kind)
        .order_by(col(Channel.id))
    ).first()


def channels_of(*, session: Session, team_id: int) -> list[Channel]:
    return list(session.exec(select(Channel).where(Channel.team_id == team_id)))


def channel_kinds(*, session: Session, team_id: int) -> set[str]:
    return set(session.exec(select(Channel.kind).where(Channel.team_id == team_id)))


def channels_with_counts(*, session: Session, team_id: int) -> list[tuple[Channel, int]]:
    """A team's channels with how many customers each has, in creation order."""
    rows = session.exec(
        select(Channel, func.count(col(Customer.id)))
        .join(Customer, col(Customer.channel_id) == Channel.id, isouter=True)
        .where(Channel.team_id == team_id)
        .group_by(col(Channel.id))
        .order_by(col(Channel.id))
    ).all()
    return [(channel, int(count)) for channel, count in rows]


def partner_by_key(*, session: Session, team_id: int, key: str) -> Partner | None:
    """A team's partner by normalized name."""
    return session.exec(
        select(Partner).where(Partner.team_id == team_id, Partner.normalized_name == key)
    ).first()


def partners_of(*, session: Session, team_id: int) -> list[Partner]:
    """A team's partners, oldest first."""
    return list(
        session.exec(select(Partner).where(Partner.team_id == team_id).order_by(col(Partner.id)))
    )


def partner_totals(
    *, session: Session, partner_id: int
) -> tuple[int, int, Decimal, datetime | None]:
    """A partner's customers, open deals, open deal value and last activity."""
    customer_ids = select(Customer.id).where(Customer.partner_id == partner_id)
    count = session.exec(
        select(func.count()).select_from(Customer).where(Customer.partner_id == partner_id)
    ).one()
    deals, value = session.exec(
        select(func.count(), func.coalesce(func.sum(Deal.amount), 0)).where(
            col(Deal.customer_id).in_(customer_ids), Deal.status == DealStatus.OPEN
        )
    ).one()
    last = session.exec(
        select(func.max(Activity.occurred_at)).where(col(Activity.customer_id).in_(customer_ids))
    ).one()
    return int(count), int(deals), Decimal(value or 0), last
