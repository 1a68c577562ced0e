"""Customer and partner profiles: what the /customer and /partner cards show, read in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, col, func, select

from bot.services import customers, partners
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.tables import (
    Activity,
    Channel,
    Contact,
    Customer,
    Deal,
    DealStatus,
    Member,
    Partner,
    Task,
    TaskStatus,
)


@dataclass
class CustomerProfile:
    customer: Customer
    owner: Member | None
    channel: Channel | None
    partner: Partner | None
    contacts: list[Contact]
    deals: list[Deal]
    timeline: list[tuple[Activity, Member | None]]
    tasks: list[Task]


@dataclass
class PartnerProfile:
    partner: Partner
    channel: Channel | None
    owner: Member | None
    customers: int
    open_deals: int
    open_value: Decimal
    last_activity: datetime | None


def customer_profile(
    *, session: Session, actor: Actor, name: str, timeline: int = 8
) -> CustomerProfile:
    """Gather a customer's owner, attribution, deals, recent activities and open tasks."""
    actor.require_active()
    customer = customers.resolve(session=session, team=actor.team, name=name)
    activities = session.exec(
        select(Activity, Member)
        .join(Member, col(Member.id) == Activity.member_id, isouter=True)
        .where(Activity.team_id == actor.team.id, Activity.customer_id == customer.id)
        .order_by(col(Activity.occurred_at).desc(), col(Activity.id).desc())
        .limit(timeline)
    ).all()
    channel, partner = customers.attribution(session=session, customer=customer)
    return CustomerProfile(
        customer=customer,
        owner=customers.owner_of(session=session, customer=customer),
        channel=channel,
        partner=partner,
        contacts=list(session.exec(select(Contact).where(Contact.customer_id == customer.id))),
        deals=list(
            session.exec(
                select(Deal)
                .where(Deal.customer_id == customer.id)
                .order_by(col(Deal.created_at).desc())
            )
        ),
        timeline=[(a, m) for a, m in activities],
        tasks=list(
            session.exec(
                select(Task)
                .where(Task.customer_id == customer.id, Task.status == TaskStatus.OPEN)
                .order_by(col(Task.due_at))
            )
        ),
    )


def partner_profile(*, session: Session, actor: Actor, name: str) -> PartnerProfile:
    """Gather a partner's tier, owner, customers, open deals and last activity."""
    actor.require_active()
    partner = partners.find_partner(session=session, team=actor.team, name=name)
    if partner is None:
        raise CrmError("partner.unknown", name=name)
    customer_ids = select(Customer.id).where(Customer.partner_id == partner.id)
    count = session.exec(
        select(func.count()).select_from(Customer).where(Customer.partner_id == partner.id)
    ).one()
    deals = session.exec(
        select(func.count(), func.coalesce(func.sum(Deal.amount), 0)).where(
            col(Deal.customer_id).in_(customer_ids), Deal.status == DealStatus.OPEN
        )
    ).one()
    last = session.exec(
        select(func.max(Activity.occurred_at)).where(col(Activity.customer_id).in_(customer_ids))
    ).one()
    return PartnerProfile(
        partner=partner,
        channel=session.get(Channel, partner.channel_id) if partner.channel_id else None,
        owner=session.get(Member, partner.owner_id) if partner.owner_id else None,
        customers=int(count),
        open_deals=int(deals[0]),
        open_value=Decimal(deals[1] or 0),
        last_activity=_aware(last),
    )


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
