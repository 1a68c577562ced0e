"""Customers without duplicates: lookup, fuzzy candidates, creation and ownership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.parsing import dedupe, match_customers, normalize_name
from bot.parsing.names import NameIndex
from bot.services import audit, names
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.queries import companies as company_queries
from models.queries import customers as queries
from models.queries.customers import CustomerHit
from models.tables import Channel, Customer, Member, Partner, Team

MAX_NAME = 120
# Names other processes added in the last seconds may be missing from the parser's book; the
# lookups that decide (find_exact in the database, similar after a catch-up) are never stale.
PARSER_STALENESS = 10.0


@dataclass(frozen=True)
class Candidate:
    """A customer that might be the one a rep meant."""

    customer_id: int
    name: str
    score: float
    group: str | None = None  # the title of another group of the company it is a customer of


@dataclass(frozen=True)
class Registered:
    """A customer of another group of the team's company, its owner and that group's title."""

    customer: Customer
    owner: Member | None
    group: str


def customer_names(*, session: Session, team: Team) -> NameIndex:
    """Return the team's customer names, indexed for the parser (caught up, never reloaded)."""
    return names.team_names(session=session, team_id=team.id, fresh_within=PARSER_STALENESS).index


def get_customer(*, session: Session, team: Team, customer_id: int) -> Customer:
    """Return one of the team's customers by id, or raise."""
    customer = find_by_id(session=session, team=team, customer_id=customer_id)
    if customer is None:
        raise CrmError("error.customer_gone")
    return customer


def find_by_id(*, session: Session, team: Team, customer_id: int) -> Customer | None:
    """Return one of the team's customers by id, or None if it is not the team's."""
    customer = session.get(Customer, customer_id)
    return customer if customer is not None and customer.team_id == team.id else None


def owner_of(*, session: Session, customer: Customer) -> Member | None:
    """Return the member who owns a customer, or None while it is in the pool."""
    return session.get(Member, customer.owner_id) if customer.owner_id else None


def attribution(*, session: Session, customer: Customer) -> tuple[Channel | None, Partner | None]:
    """Return the channel and partner a customer is attributed to."""
    return (
        session.get(Channel, customer.channel_id) if customer.channel_id else None,
        session.get(Partner, customer.partner_id) if customer.partner_id else None,
    )


def find_exact(*, session: Session, team: Team, name: str) -> Customer | None:
    """Return the team's customer whose normalized name equals `name`'s."""
    key = normalize_name(name)
    if not key:
        return None
    return queries.customer_by_key(session=session, team_id=team.id, key=key)


def aliased(*, session: Session, team: Team, name: str) -> Customer | None:
    """Return the customer the team has called `name` before (a name a rep picked it for)."""
    key = normalize_name(name)
    return queries.aliased(session=session, team_id=team.id, key=key) if key else None


def find_exact_with_open_deal(*, session: Session, team: Team, name: str) -> CustomerHit | None:
    """Return the customer `find_exact` would, with its newest open deal, in one query."""
    key = normalize_name(name)
    if not key:
        return None
    return queries.customer_by_key_with_open_deal(session=session, team_id=team.id, key=key)


def similar(
    *,
    session: Session,
    team: Team,
    name: str,
    limit: int = dedupe.CANDIDATES,
    cutoff: float = dedupe.ASK_SCORE,
) -> list[Candidate]:
    """Return customers whose names are near `name` (dedupe.ASK_SCORE), best first."""
    book = names.team_names(session=session, team_id=team.id)
    return _near(book, name, limit=limit, cutoff=cutoff)


def _near(
    book: names.TeamNames, name: str, *, limit: int, cutoff: float, group: str | None = None
) -> list[Candidate]:
    matches = match_customers(name, book.index, limit=limit, cutoff=cutoff)
    found = [(book.id_of(m.name), m) for m in matches]
    return [Candidate(cid, m.name, m.score, group) for cid, m in found if cid]


@dataclass(frozen=True)
class Register:
    """The part of its company's register a group sees.

    Its other groups' customers (titles by team id); in a partner room only those attributed
    to the room's partner, by its name (the company's key of a partner: each group has its own
    copy), so nothing of the brand's other customers reaches a distributor's staff.
    """

    peers: dict[int, str]
    partner_key: str | None = None


def company_register(*, session: Session, actor: Actor) -> Register:
    """Return what of its company's register the actor's group sees (nothing in no company)."""
    peers = dict(company_queries.peers_of(session=session, team_id=actor.team.id))
    if actor.room_partner_id is None:
        return Register(peers)
    bound = session.get_one(Partner, actor.room_partner_id)
    return Register(peers, bound.normalized_name)


def registered_elsewhere(*, session: Session, register: Register, name: str) -> Registered | None:
    """Return the owned customer of `name`'s key in another group of the company, if one is.

    One indexed query (team_id IN the peers, normalized_name = key); the first registered wins.
    """
    key = normalize_name(name)
    found = (
        queries.registered_in(
            session=session,
            team_ids=list(register.peers),
            key=key,
            partner_key=register.partner_key,
        )
        if key and register.peers
        else None
    )
    if found is None:
        return None
    customer, owner = found
    return Registered(customer, owner, register.peers[customer.team_id])


def similar_elsewhere(*, session: Session, register: Register, name: str) -> list[Candidate]:
    """Return the customers of the company's other groups whose names are near `name`."""
    # Each group's book is kept in the process like the team's own (bot.services.names) and
    # caught up as `similar` does it, so a name registered a moment ago is offered: one range
    # query per group, almost always empty, and only for a name the team does not have.
    # A partner room keeps its partner's among more near names (one query for them).
    wanted = dedupe.CANDIDATES if register.partner_key is None else dedupe.CANDIDATES * 4
    found: list[Candidate] = []
    for team_id, title in register.peers.items():
        book = names.team_names(session=session, team_id=team_id)
        found += _near(book, name, limit=wanted, cutoff=dedupe.ASK_SCORE, group=title)
    if register.partner_key is not None and found:
        ids = [c.customer_id for c in found]
        of_partner = queries.of_partner(
            session=session, customer_ids=ids, partner_key=register.partner_key
        )
        found = [c for c in found if c.customer_id in of_partner]
    return sorted(found, key=lambda c: -c.score)[: dedupe.CANDIDATES]


def company_customer(*, session: Session, actor: Actor, customer_id: int) -> Registered:
    """Return a customer of another group of the actor's company it may see, or raise."""
    customer = session.get(Customer, customer_id)
    register = company_register(session=session, actor=actor)
    if customer is None or customer.team_id not in register.peers:
        raise CrmError("error.customer_gone")
    if register.partner_key is not None and not queries.of_partner(
        session=session, customer_ids=[customer.id], partner_key=register.partner_key
    ):
        raise CrmError("error.customer_gone")
    owner = owner_of(session=session, customer=customer)
    return Registered(customer, owner, register.peers[customer.team_id])


def sure_candidate(candidates: list[Candidate]) -> Candidate | None:
    """Return the candidate the dedupe rule takes without asking (see bot/parsing/dedupe.py)."""
    return candidates[0] if dedupe.is_sure([c.score for c in candidates]) else None


def alternatives(
    *, session: Session, team: Team, typed: list[str], exclude: int
) -> list[Candidate]:
    """Return the customers near any of the names a rep may have meant, but `exclude`."""
    seen: dict[int, Candidate] = {}
    for name in typed:
        near = similar(
            session=session,
            team=team,
            name=name,
            limit=dedupe.CANDIDATES + 1,
            cutoff=dedupe.OTHER_SCORE,
        )
        for c in near:
            if c.customer_id != exclude and c.customer_id not in seen:
                seen[c.customer_id] = c
    ranked = sorted(seen.values(), key=lambda c: -c.score)
    return ranked[: dedupe.CANDIDATES]


def resolve(*, session: Session, team: Team, name: str) -> Customer:
    """Return the customer a command names: exact, else the only near one, else raise.

    A command only ever acts on an existing customer and its reply names the one it took, so
    a single near name is taken; several near names are listed back to choose from.
    """
    customer = find_exact(session=session, team=team, name=name)
    if customer:
        return customer
    candidates = similar(session=session, team=team, name=name)
    if len(candidates) == 1:
        return get_customer(session=session, team=team, customer_id=candidates[0].customer_id)
    if candidates:
        listed = ", ".join(c.name for c in candidates)
        raise CrmError("error.customer_ambiguous", name=name, candidates=listed)
    raise CrmError("error.customer_not_found", name=name)


def create(*, session: Session, actor: Actor, name: str, now: datetime) -> Customer:
    """Register a new customer owned by the actor for the team's protection period (报备)."""
    team = actor.team
    name = name.strip()[:MAX_NAME]
    key = normalize_name(name)
    if not key:
        raise CrmError("error.bad_customer_name")
    customer = Customer(
        team_id=team.id,
        name=name,
        normalized_name=key,
        owner_id=actor.member.id,
        created_by=actor.member.id,
        registered_at=now,
        protected_until=now + timedelta(days=team.protection_days),
        last_activity_at=now,
        created_at=now,
        stage="lead",
    )
    session.add(customer)
    session.flush()
    audit.by_actor(
        actor,
        session=session,
        action="register",
        entity="customer",
        entity_id=customer.id,
        now=now,
        name=name,
    )
    return customer


def attribute_all(*, session: Session, actor: Actor, partner: Partner, now: datetime) -> int:
    """Attribute every customer of the actor's group to a partner and its channel; audited.

    Return how many changed. Their figures move with them (models.counters).
    """
    moved = queries.unattributed(
        session=session,
        team_id=actor.team.id,
        partner_id=partner.id,
        channel_id=partner.channel_id,
    )
    for customer in moved:
        old_channel, old_partner = customer.channel_id, customer.partner_id
        customer.partner_id = partner.id
        customer.channel_id = partner.channel_id or customer.channel_id
        audit.by_actor(
            actor,
            session=session,
            action="attribute",
            entity="customer",
            entity_id=customer.id,
            now=now,
            old_channel=old_channel,
            old_partner=old_partner,
            channel=customer.channel_id,
            partner=partner.id,
        )
    return len(moved)


def set_owner(
    *,
    session: Session,
    actor: Actor,
    customer: Customer,
    owner: Member | None,
    now: datetime,
    action: str,
    team: Team | None = None,
) -> None:
    """Change a customer's owner (None = the shared pool), restarting protection; audited.

    `team`: the customer's group, when a company manager acts on it from another.
    """
    team = team or actor.team
    old = customer.owner_id
    customer.owner_id = owner.id if owner else None
    if owner is not None:
        customer.pooled_at = None
        customer.registered_at = now
        customer.protected_until = now + timedelta(days=team.protection_days)
        customer.last_activity_at = now
    else:
        customer.pooled_at = now
        customer.protected_until = None
    audit.by_actor(
        actor,
        session=session,
        action=action,
        entity="customer",
        entity_id=customer.id,
        now=now,
        in_team=team,
        old_owner=old,
        new_owner=customer.owner_id,
    )
