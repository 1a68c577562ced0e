"""Ownership of customers: 报备 (registration), 撞单 (conflicts), 公海 (the shared pool)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.services import audit, customers, transfer
from bot.services.errors import CrmError, NotManager
from bot.services.reminders import working_teams
from bot.services.teams import Actor
from models.queries import customers as queries
from models.tables import Customer, Member, Team


@dataclass(frozen=True)
class Assigned:
    """A customer given to a rep: in its own group, or moved to the rep's (`moved`)."""

    customer: str
    owner: Member
    moved: transfer.Moved | None = None


def assign(
    *, session: Session, actor: Actor, name: str, username: str, group: str = "", now: datetime
) -> Assigned:
    """Give a customer to a rep (managers only); the protection period restarts.

    A company manager may name a customer of another group of the company, and a rep of
    another group (`group`, part of a title, picks one when the rep is in several): the
    customer then moves to the rep's group (bot.services.transfer).
    """
    actor.require_active()
    actor.require_manager("error.not_manager.assign")
    customer = _to_assign(session, actor, name)
    home = (
        actor.team if customer.team_id == actor.team.id else session.get_one(Team, customer.team_id)
    )
    dest, member = transfer.destination(
        session=session, actor=actor, home=home, username=username, group=group
    )
    if dest.id != home.id:
        moved = transfer.move_customer(
            session=session, actor=actor, customer=customer, home=home, dest=dest, owner=member,
            now=now,
        )  # fmt: skip
        return Assigned(moved.customer, member, moved)
    customers.set_owner(
        session=session, actor=actor, customer=customer, owner=member, now=now, action="assign",
        team=home,
    )  # fmt: skip
    return Assigned(customer.name, member)


def _to_assign(session: Session, actor: Actor, name: str) -> Customer:
    """The customer /assign names: the group's own, else (company managers) the company's."""
    try:
        return customers.resolve(session=session, team=actor.team, name=name)
    except CrmError as exc:
        if exc.key != "error.customer_not_found":
            raise
        found = transfer.company_customer_named(session=session, actor=actor, name=name)
        if found is None:
            raise
        return found


def claim(*, session: Session, actor: Actor, name: str, now: datetime) -> Customer:
    """Take a customer from the shared pool (公海)."""
    actor.require_active()
    customer = customers.resolve(session=session, team=actor.team, name=name)
    if customer.owner_id == actor.member.id:
        raise CrmError("claim.already_yours", customer=customer.name)
    if customer.owner_id is not None:
        raise CrmError("claim.owned", customer=customer.name, owner=_owner(session, customer))
    customers.set_owner(
        session=session, actor=actor, customer=customer, owner=actor.member, now=now, action="claim"
    )
    return customer


def release(*, session: Session, actor: Actor, name: str, now: datetime) -> Customer:
    """Return a customer to the shared pool (公海) at once: its owner or a manager may."""
    actor.require_active()
    customer = customers.resolve(session=session, team=actor.team, name=name)
    if customer.owner_id is None:
        raise CrmError("release.in_pool", customer=customer.name)
    if not actor.is_manager and customer.owner_id != actor.member.id:
        # NotManager: a chat admin not yet known as a manager is promoted and asked again
        raise NotManager(
            "release.not_yours", customer=customer.name, owner=_owner(session, customer)
        )
    customers.set_owner(
        session=session, actor=actor, customer=customer, owner=None, now=now, action="release"
    )
    return customer


def _owner(session: Session, customer: Customer) -> str:
    owner = customers.owner_of(session=session, customer=customer)
    return f"@{owner.username}" if owner and owner.username else "?"


def pool_due(customer: Customer, team: Team) -> datetime | None:
    """When an owned customer goes back to the pool if nothing happens; None: it stays.

    The rule of models.queries.customers.lock_due_to_pool, which the pool job applies.
    """
    if customer.owner_id is None or customer.stage == "won" or customer.last_activity_at is None:
        return None
    silent = customer.last_activity_at + timedelta(days=team.pool_after_days)
    return max(silent, customer.protected_until) if customer.protected_until else silent


@dataclass(frozen=True)
class Pooled:
    """Customers one team returned to the pool in one run."""

    team: Team
    customers: list[Customer]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.customers]


def return_silent_to_pool(*, session: Session, now: datetime, limit: int = 500) -> list[Pooled]:
    """Return to the pool (公海) the customers whose 报备 protection is over and who have had no
    activity for their team's pool_after_days.

    While protected, a customer stays with its owner however silent; won customers stay for
    good. The rows are locked as they are chosen, so with several processes each customer is
    returned (audited, announced by the caller) exactly once. A team is served inside its
    working hours only, so the announcement never lands at night: a customer due at 2 a.m.
    goes back when the day starts.
    """
    by_team: dict[int, Pooled] = {}
    left = limit
    working = working_teams(session=session, now=now)
    for days, all_ids in queries.active_teams_by_pool_days(session=session).items():
        team_ids = [team_id for team_id in all_ids if team_id in working]
        if left <= 0:
            break
        if not team_ids:
            continue
        due = queries.lock_due_to_pool(
            session=session,
            team_ids=team_ids,
            silent_before=now - timedelta(days=days),
            now=now,
            limit=left,
        )
        left -= len(due)
        for customer in due:
            old = customer.owner_id
            customer.owner_id = None
            customer.pooled_at = now
            customer.protected_until = None
            audit.record(
                session=session,
                team_id=customer.team_id,
                actor_user_id=None,
                action="pool",
                entity="customer",
                entity_id=customer.id,
                now=now,
                old_owner=old,
            )
            if customer.team_id not in by_team:
                by_team[customer.team_id] = Pooled(session.get_one(Team, customer.team_id), [])
            by_team[customer.team_id].customers.append(customer)
    return list(by_team.values())
