"""Ownership of customers: 报备 (registration), 撞单 (conflicts), 公海 (the shared pool)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.services import audit, customers
from bot.services.errors import CrmError
from bot.services.teams import Actor, find_member
from models.queries import customers as queries
from models.tables import Customer, Member, Team


def assign(
    *, session: Session, actor: Actor, name: str, username: str, now: datetime
) -> tuple[Customer, Member]:
    """Give a customer to a rep (managers only); the protection period restarts."""
    actor.require_active()
    actor.require_manager("error.not_manager.assign")
    customer = customers.resolve(session=session, team=actor.team, name=name)
    member = find_member(session=session, team=actor.team, username=username)
    customers.set_owner(
        session=session, actor=actor, customer=customer, owner=member, now=now, action="assign"
    )
    return customer, member


def claim(*, session: Session, actor: Actor, name: str, now: datetime) -> Customer:
    """Take a customer from the shared pool (公海)."""
    actor.require_active()
    customer = customers.resolve(session=session, team=actor.team, name=name)
    if customer.owner_id == actor.member.id:
        raise CrmError("claim.already_yours", customer=customer.name)
    if customer.owner_id is not None:
        owner = session.get(Member, customer.owner_id)
        raise CrmError(
            "claim.owned",
            customer=customer.name,
            owner=f"@{owner.username}" if owner and owner.username else "?",
        )
    customers.set_owner(
        session=session, actor=actor, customer=customer, owner=actor.member, now=now, action="claim"
    )
    return customer


@dataclass(frozen=True)
class Pooled:
    """Customers one team returned to the pool in one run."""

    team: Team
    customers: list[Customer]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.customers]


def return_silent_to_pool(*, session: Session, now: datetime, limit: int = 500) -> list[Pooled]:
    """Return customers with no activity for their team's pool_after_days to the pool (公海).

    Won customers stay with their owner. Each change is audited; the caller announces it.
    """
    rows = queries.owned_customers_silent_since(session=session, since=now - timedelta(days=1))
    by_team: dict[int, Pooled] = {}
    count = 0
    for customer, team in rows:
        silent_since = customer.last_activity_at or customer.created_at
        if silent_since >= now - timedelta(days=team.pool_after_days):
            continue
        if count >= limit:
            break
        count += 1
        old = customer.owner_id
        customer.owner_id = None
        customer.pooled_at = now
        customer.protected_until = None
        audit.record(
            session=session,
            team_id=team.id,
            actor_user_id=None,
            action="pool",
            entity="customer",
            entity_id=customer.id,
            now=now,
            old_owner=old,
        )
        by_team.setdefault(team.id, Pooled(team, [])).customers.append(customer)
    return list(by_team.values())
