"""Customer and partner profiles: what the /customer and /partner cards show, read in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session

from bot.services import customers, ownership, partners
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.queries import customers as queries
from models.queries import entries as entry_queries
from models.queries import partners as partner_queries
from models.tables import (
    Activity,
    Channel,
    Contact,
    Customer,
    Deal,
    Entry,
    Member,
    Partner,
    Task,
)

SHOWN = 3  # proposals on a customer's card


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
    proposals: list[tuple[Entry, Member | None]]  # 撞单 entries the owner's deal did not take
    pool_due: datetime | None = None  # when it goes back to the shared pool if nothing happens


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
    return profile_of(session=session, actor=actor, customer=customer, timeline=timeline)


def customer_profile_by_id(
    *, session: Session, actor: Actor, customer_id: int, timeline: int = 8
) -> CustomerProfile:
    """The card of one of the team's customers by id (the Mini App's); another's is gone."""
    actor.require_active()
    customer = customers.get_customer(session=session, team=actor.team, customer_id=customer_id)
    return profile_of(session=session, actor=actor, customer=customer, timeline=timeline)


def profile_of(
    *, session: Session, actor: Actor, customer: Customer, timeline: int = 8
) -> CustomerProfile:
    """Gather the card of a customer of the actor's team."""
    channel, partner = customers.attribution(session=session, customer=customer)
    return CustomerProfile(
        customer=customer,
        owner=customers.owner_of(session=session, customer=customer),
        channel=channel,
        partner=partner,
        contacts=queries.contacts_of(session=session, customer_id=customer.id),
        deals=queries.deals_of(session=session, customer_id=customer.id),
        timeline=queries.timeline(
            session=session, team_id=actor.team.id, customer_id=customer.id, limit=timeline
        ),
        tasks=queries.open_tasks_of(session=session, customer_id=customer.id),
        proposals=entry_queries.proposals(
            session=session, customer_id=customer.id, owner_id=customer.owner_id, limit=SHOWN
        )
        if _decides(actor, customer)
        else [],
        pool_due=ownership.pool_due(customer, actor.team),
    )


def _decides(actor: Actor, customer: Customer) -> bool:
    """Whether the actor applies others' proposals on this customer: its owner or a manager."""
    if actor.is_manager:
        return True
    return actor.anonymous is None and customer.owner_id == actor.member.id


def partner_profile(*, session: Session, actor: Actor, name: str) -> PartnerProfile:
    """Gather a partner's tier, owner, customers, open deals and last activity."""
    actor.require_active()
    partner = partners.find_partner(session=session, team=actor.team, name=name)
    if partner is None:
        raise CrmError("partner.unknown", name=name)
    count, deals, value, last = partner_queries.partner_totals(
        session=session, partner_id=partner.id
    )
    return PartnerProfile(
        partner=partner,
        channel=session.get(Channel, partner.channel_id) if partner.channel_id else None,
        owner=session.get(Member, partner.owner_id) if partner.owner_id else None,
        customers=count,
        open_deals=deals,
        open_value=value,
        last_activity=_aware(last),
    )


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
