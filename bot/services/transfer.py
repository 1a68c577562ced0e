"""Moving a customer to a rep of another group of its company (company managers only).

`/assign CUSTOMER @rep` names a rep; when the rep is not in the customer's group but in
another group of its company, the customer moves there with its history: contacts, deals,
activities and tasks, and its figures in the report counters (what it did counts in the new
group's numbers from its first day; the company's sums do not change). Its channel and
partner become the new group's of the same kind and name (a partner room's: its partner).
The move is in the audit log of both groups and of the head office.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.parsing import normalize_name
from bot.services import audit, names, partners
from bot.services.errors import CrmError, NotManager
from bot.services.teams import Actor
from models import counters, numbering
from models.queries import companies as company_queries
from models.queries import customers as customer_queries
from models.queries import members as member_queries
from models.queries import transfer as queries
from models.queries.transfer import Destination
from models.tables import Channel, Customer, GroupKind, Member, Partner, Team


@dataclass(frozen=True)
class Moved:
    """A customer that went to another group."""

    customer: str
    source: str  # the groups' titles
    dest: str
    dest_chat_id: int
    dest_lang: str
    protection_days: int
    partner: str | None
    deals: int
    activities: int
    tasks: int


def company_customer_named(*, session: Session, actor: Actor, name: str) -> Customer | None:
    """Return the customer of that exact name in another group of the actor's company.

    For a company manager only (None otherwise); several groups having one is refused.
    """
    key = normalize_name(name)
    if not key or not actor.is_company_manager:
        return None
    peers = dict(company_queries.peers_of(session=session, team_id=actor.team.id))
    found = customer_queries.customers_by_key(session=session, team_ids=list(peers), key=key)
    if len(found) > 1:
        groups = ", ".join(peers[c.team_id] for c in found)
        raise CrmError("move.error.in_several", customer=found[0].name, groups=groups)
    return found[0] if found else None


def destination(
    *, session: Session, actor: Actor, home: Team, username: str, group: str
) -> tuple[Team, Member]:
    """Return the group of the company and the member there that @username names.

    `group` (a title, or empty) picks one when the rep is in several. Outside a company, or
    for someone who is no company manager, only the customer's own group counts.
    """
    name = username.lstrip("@")
    teams = {home.id: home.title}
    teams.update(company_queries.peers_of(session=session, team_id=home.id))
    found = member_queries.members_by_username(session=session, team_ids=list(teams), username=name)
    if group:
        wanted = group.strip().casefold()
        titled = [title for title in teams.values() if wanted in (title or "").casefold()]
        found = [m for m in found if teams[m.team_id] in titled]
        if not titled:
            raise CrmError("move.error.no_group", group=group.strip())
        if not found:  # the bot knows a group's members once they have written there
            raise CrmError("move.error.not_there", username=name, groups=", ".join(titled))
    at_home = [m for m in found if m.team_id == home.id]
    if at_home and (not group or len(found) == 1):  # the customer's own group: no move
        return home, at_home[0]
    if not found:
        raise CrmError("error.unknown_member", username=name)
    if not actor.is_company_manager:
        raise NotManager("move.error.not_company_manager")
    if len(found) > 1:
        groups = ", ".join(teams[m.team_id] for m in found)
        raise CrmError("move.error.several_groups", username=name, groups=groups)
    member = found[0]
    dest = home if member.team_id == home.id else session.get_one(Team, member.team_id)
    return dest, member


def move_customer(
    *,
    session: Session,
    actor: Actor,
    customer: Customer,
    home: Team,
    dest: Team,
    owner: Member,
    now: datetime,
) -> Moved:
    """Move a customer from its group `home` to the group `dest`, owned there by `owner`."""
    if not dest.active or not dest.bot_present:
        raise CrmError("move.error.inactive", group=dest.title)
    if customer_queries.customer_by_key(
        session=session, team_id=dest.id, key=customer.normalized_name
    ):
        raise CrmError("move.error.name_taken", customer=customer.name, group=dest.title)
    channel, partner = _attribution_in(session, actor, customer, dest, now)
    session.flush()
    old_id, old_owner, name = customer.id, customer.owner_id, customer.name
    counters.count_customers(session, [old_id], -1)
    tasks = queries.task_count(session=session, customer_id=old_id)
    first = numbering.reserve_task_numbers(session, dest.id, tasks) if tasks else 0
    to = Destination(
        team_id=dest.id,
        owner_id=owner.id,
        channel_id=channel.id if channel else None,
        partner_id=partner.id if partner else None,
        now=now,
        protected_until=now + timedelta(days=dest.protection_days),
    )
    rows = queries.move(session=session, customer=customer, to=to, first_number=first)
    session.expunge(customer)
    session.expire_all()  # the statements changed rows the session may hold
    counters.count_customers(session, [rows.customer_id], 1)
    names.forget(session=session, team_id=home.id, customer_id=old_id)
    for team_id in dict.fromkeys((home.id, dest.id, _head_office(actor))):
        audit.record(
            session=session, team_id=team_id, actor_user_id=actor.user_id, action="move",
            entity="customer", entity_id=rows.customer_id, now=now, customer=name,
            source=home.title, source_team_id=home.id, dest=dest.title, dest_team_id=dest.id,
            old_id=old_id, old_owner=old_owner, new_owner=owner.id, **_by(actor),
        )  # fmt: skip
    return Moved(
        customer=name,
        source=home.title,
        dest=dest.title,
        dest_chat_id=dest.chat_id,
        dest_lang=dest.language,
        protection_days=dest.protection_days,
        partner=partner.name if partner else None,
        deals=rows.deals,
        activities=rows.activities,
        tasks=rows.tasks,
    )


def _attribution_in(
    session: Session, actor: Actor, customer: Customer, dest: Team, now: datetime
) -> tuple[Channel | None, Partner | None]:
    """The customer's channel and partner in `dest`: its own of the same name, made if need be.

    In a partner room, the room's partner: all a room sees is its partner's customers.
    """
    place = company_queries.place_of(session=session, team_id=dest.id)
    bound = None
    if place is not None and place[0].kind == GroupKind.PARTNER_ROOM and place[0].partner_id:
        bound = session.get(Partner, place[0].partner_id)
    partner = None
    if bound is not None:
        partner = partners.copy_partner(
            session=session, actor=actor, bound=bound, now=now, team=dest
        )
    elif customer.partner_id is not None:
        theirs = session.get_one(Partner, customer.partner_id)
        partner = partners.find_partner(
            session=session, team=dest, name=theirs.name
        ) or partners.copy_partner(session=session, actor=actor, bound=theirs, now=now, team=dest)
    if partner is not None and partner.channel_id is not None:
        return session.get(Channel, partner.channel_id), partner
    channel = partners.same_channel(
        session=session, actor=actor, team=dest, theirs=customer.channel_id, now=now
    )
    return channel, partner


def _head_office(actor: Actor) -> int:
    return actor.standing.head_team_id if actor.standing is not None else actor.team.id


def _by(actor: Actor) -> dict[str, str]:
    """Who the audit rows name besides the user: the group an anonymous admin wrote as."""
    return {"by": actor.anonymous.label} if actor.anonymous is not None else {}
