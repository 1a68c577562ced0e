"""Customers, their contacts and their deals."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, func, or_, union_all
from sqlalchemy import select as select_entities
from sqlmodel import Session, col, select

from models.tables import (
    Activity,
    Channel,
    CompanyGroup,
    Contact,
    Customer,
    CustomerAlias,
    Deal,
    DealStatus,
    Member,
    Partner,
    Task,
    TaskStatus,
    Team,
)


def customers_after(*, session: Session, team_id: int, after: int) -> list[tuple[int, str]]:
    """A team's customers with an id above `after`, oldest first (ix_customer_team_since)."""
    rows = session.exec(
        select(Customer.id, Customer.name)
        .where(Customer.team_id == team_id, col(Customer.id) > after)
        .order_by(col(Customer.id))
    )
    return list(rows.all())


def customer_by_key(*, session: Session, team_id: int, key: str) -> Customer | None:
    """A team's customer by normalized name."""
    return session.exec(
        select(Customer).where(Customer.team_id == team_id, Customer.normalized_name == key)
    ).first()


def customers_by_key(*, session: Session, team_ids: list[int], key: str) -> list[Customer]:
    """The customers of that normalized name among these teams (one each at most), by team."""
    if not team_ids:
        return []
    return list(
        session.exec(
            select(Customer)
            .where(col(Customer.team_id).in_(team_ids), Customer.normalized_name == key)
            .order_by(col(Customer.team_id))
        ).all()
    )


def aliased(*, session: Session, team_id: int, key: str) -> Customer | None:
    """The customer a team has called by that normalized name (a CustomerAlias), if any."""
    return session.exec(
        select(Customer)
        .join(CustomerAlias, col(CustomerAlias.customer_id) == Customer.id)
        .where(CustomerAlias.team_id == team_id, CustomerAlias.normalized_name == key)
    ).first()


def remember_alias(
    *, session: Session, team_id: int, key: str, customer_id: int, member_id: int | None,
    now: datetime,
) -> None:  # fmt: skip
    """Keep that a team means `customer_id` by the normalized name `key` (the latest wins)."""
    alias = session.get(CustomerAlias, (team_id, key))
    if alias is None:
        alias = CustomerAlias(team_id=team_id, normalized_name=key, customer_id=customer_id)
        alias.created_by, alias.created_at = member_id, now
        session.add(alias)
    else:
        alias.customer_id, alias.created_by, alias.created_at = customer_id, member_id, now


# Built once, as every logged message runs it (its cache key is then computed only once). The
# customer's channel, partner and owner come along (primary-key joins), so the session holds
# them and the card's `session.get` of each needs no round trip of its own. It reads from the
# team, so a name the team does not have still answers whether the team is in a company (the
# register then looks in its other groups) without a statement of its own.
_BY_KEY_WITH_OPEN_DEAL = (  # SQLAlchemy's select: sqlmodel's types take at most 4 entities
    select_entities(Customer, Deal, Channel, Partner, Member, col(CompanyGroup.company_id))
    .select_from(Team)
    .join(CompanyGroup, col(CompanyGroup.team_id) == col(Team.id), isouter=True)
    .join(
        Customer,
        and_(
            col(Customer.team_id) == col(Team.id),
            col(Customer.normalized_name) == bindparam("key"),
        ),
        isouter=True,
    )
    .join(
        Deal,
        and_(col(Deal.customer_id) == col(Customer.id), col(Deal.status) == DealStatus.OPEN),
        isouter=True,
    )
    .join(Channel, col(Channel.id) == col(Customer.channel_id), isouter=True)
    .join(Partner, col(Partner.id) == col(Customer.partner_id), isouter=True)
    .join(Member, col(Member.id) == col(Customer.owner_id), isouter=True)
    .where(col(Team.id) == bindparam("team_id"))
    .order_by(col(Deal.created_at).desc())
    .limit(1)
)


class CustomerHit(NamedTuple):
    """A customer found by its key (or None), its newest open deal, channel, partner and owner,
    and the company of the team, if it is in one.

    The session's identity map holds rows weakly: while the hit is referenced, `session.get`
    of its channel, partner or owner finds them there instead of querying.
    """

    customer: Customer | None
    open_deal: Deal | None
    channel: Channel | None
    partner: Partner | None
    owner: Member | None
    company_id: int | None


def customer_by_key_with_open_deal(*, session: Session, team_id: int, key: str) -> CustomerHit:
    """A team's customer by normalized name, its newest open deal and attribution, in one query."""
    row = session.execute(_BY_KEY_WITH_OPEN_DEAL, {"team_id": team_id, "key": key}).first()
    return CustomerHit(*row) if row is not None else CustomerHit(None, None, None, None, None, None)


def registered_in(
    *, session: Session, team_ids: list[int], key: str, partner_key: str | None = None
) -> tuple[Customer, Member] | None:
    """The first-registered owned customer of that normalized name among these teams.

    With `partner_key`, only one attributed to a partner of that normalized name.
    """
    query = (
        select(Customer, Member)
        .join(Member, col(Member.id) == Customer.owner_id)
        .where(col(Customer.team_id).in_(team_ids), Customer.normalized_name == key)
    )
    if partner_key is not None:
        query = query.join(Partner, col(Partner.id) == Customer.partner_id).where(
            Partner.normalized_name == partner_key
        )
    row = session.exec(query.order_by(col(Customer.registered_at), col(Customer.id))).first()
    return (row[0], row[1]) if row is not None else None


def of_partner(*, session: Session, customer_ids: list[int], partner_key: str) -> set[int]:
    """Those of these customers attributed to a partner of that normalized name."""
    rows = session.exec(
        select(Customer.id)
        .join(Partner, col(Partner.id) == Customer.partner_id)
        .where(col(Customer.id).in_(customer_ids), Partner.normalized_name == partner_key)
    )
    return set(rows.all())


def unattributed(
    *, session: Session, team_id: int, partner_id: int, channel_id: int | None
) -> list[Customer]:
    """A team's customers not attributed to this partner (and channel, if one is given)."""
    differs = col(Customer.partner_id).is_(None) | (col(Customer.partner_id) != partner_id)
    if channel_id is not None:
        differs = (
            differs | col(Customer.channel_id).is_(None) | (col(Customer.channel_id) != channel_id)
        )
    return list(
        session.exec(
            select(Customer).where(Customer.team_id == team_id, differs).order_by(col(Customer.id))
        )
    )


def open_deal(*, session: Session, customer_id: int) -> Deal | None:
    """A customer's newest open deal."""
    return session.exec(
        select(Deal)
        .where(Deal.customer_id == customer_id, Deal.status == DealStatus.OPEN)
        .order_by(col(Deal.created_at).desc())
    ).first()


def has_deal(*, session: Session, customer_id: int) -> bool:
    """Whether a customer has any deal, open or closed."""
    return session.exec(select(Deal.id).where(Deal.customer_id == customer_id)).first() is not None


def deals_of(*, session: Session, customer_id: int) -> list[Deal]:
    """A customer's deals, newest first."""
    return list(
        session.exec(
            select(Deal)
            .where(Deal.customer_id == customer_id)
            .order_by(col(Deal.created_at).desc())
        )
    )


def contacts_of(*, session: Session, customer_id: int) -> list[Contact]:
    return list(session.exec(select(Contact).where(Contact.customer_id == customer_id)))


def open_tasks_of(*, session: Session, customer_id: int) -> list[Task]:
    """A customer's open tasks, soonest first."""
    return list(
        session.exec(
            select(Task)
            .where(Task.customer_id == customer_id, Task.status == TaskStatus.OPEN)
            .order_by(col(Task.due_at))
        )
    )


def timeline(
    *, session: Session, team_id: int, customer_id: int, limit: int
) -> list[tuple[Activity, Member | None]]:
    """A customer's latest activities with who logged each, newest first."""
    rows = session.exec(
        select(Activity, Member)
        .join(Member, col(Member.id) == Activity.member_id, isouter=True)
        .where(Activity.team_id == team_id, Activity.customer_id == customer_id)
        .order_by(col(Activity.occurred_at).desc(), col(Activity.id).desc())
        .limit(limit)
    ).all()
    return [(activity, member) for activity, member in rows]


def has_activity(*, session: Session, customer_id: int) -> bool:
    """Whether any activity still refers to a customer."""
    found = session.exec(select(Activity.id).where(Activity.customer_id == customer_id)).first()
    return found is not None


def active_teams_by_pool_days(*, session: Session) -> dict[int, list[int]]:
    """The ids of active teams with the bot in their group, by their pool_after_days."""
    rows = session.exec(
        select(Team.pool_after_days, Team.id).where(
            col(Team.active).is_(True), col(Team.bot_present).is_(True)
        )
    )
    by_days: dict[int, list[int]] = {}
    for days, team_id in rows.all():
        by_days.setdefault(days, []).append(team_id)
    return by_days


def lock_due_to_pool(
    *,
    session: Session,
    team_ids: Collection[int],
    silent_before: datetime,
    now: datetime,
    limit: int,
) -> list[Customer]:
    """Lock the customers of these teams that go back to the pool; skip locked ones.

    Those are owned and not won, protected no longer (报备 over by `now`) and without activity
    since `silent_before`, longest silent first. The lock (PostgreSQL; SQLite has one writer)
    lets exactly one process return each.
    """
    query = (
        select(Customer)
        .where(
            col(Customer.team_id).in_(list(team_ids)),
            col(Customer.owner_id).is_not(None),
            Customer.stage != "won",
            col(Customer.last_activity_at) < silent_before,
            or_(col(Customer.protected_until).is_(None), col(Customer.protected_until) <= now),
        )
        .order_by(col(Customer.last_activity_at), col(Customer.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query))


def pooled_between(
    *, session: Session, team_ids: Collection[int], start: datetime, end: datetime
) -> dict[int, list[str]]:
    """The customers back in the pool since a time in [start, end), by team: names, in order."""
    rows = session.exec(
        select(Customer.team_id, Customer.name)
        .where(
            col(Customer.team_id).in_(list(team_ids)),
            col(Customer.owner_id).is_(None),
            col(Customer.pooled_at) >= start,
            col(Customer.pooled_at) < end,
        )
        .order_by(col(Customer.pooled_at), col(Customer.id))
    ).all()
    by_team: dict[int, list[str]] = {}
    for team_id, name in rows:
        by_team.setdefault(team_id, []).append(name)
    return by_team


def names_by_id(*, session: Session, ids: Collection[int]) -> dict[int, str]:
    """The names of these customers, by id."""
    if not ids:
        return {}
    rows = session.exec(
        select(Customer.id, Customer.name).where(col(Customer.id).in_(list(ids)))
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class CustomerFilter:
    """Which of a team's customers a list shows; None leaves a field unfiltered."""

    ids: Collection[int] | None = None  # those a name search found
    stage: str | None = None
    owner_id: int | None = None
    channel_id: int | None = None
    partner_id: int | None = None


class ListedCustomer(NamedTuple):
    """A customer on a list, with its owner, channel and partner."""

    customer: Customer
    owner: Member | None
    channel: Channel | None
    partner: Partner | None


def _filtered(query: Any, team_id: int, only: CustomerFilter) -> Any:
    query = query.where(col(Customer.team_id) == team_id)
    if only.ids is not None:
        query = query.where(col(Customer.id).in_(list(only.ids)))
    if only.stage is not None:
        query = query.where(col(Customer.stage) == only.stage)
    if only.owner_id is not None:
        query = query.where(col(Customer.owner_id) == only.owner_id)
    if only.channel_id is not None:
        query = query.where(col(Customer.channel_id) == only.channel_id)
    if only.partner_id is not None:
        query = query.where(col(Customer.partner_id) == only.partner_id)
    return query


_LISTED = (
    select_entities(Customer, Member, Channel, Partner)
    .join(Member, col(Member.id) == col(Customer.owner_id), isouter=True)
    .join(Channel, col(Channel.id) == col(Customer.channel_id), isouter=True)
    .join(Partner, col(Partner.id) == col(Customer.partner_id), isouter=True)
)


def customer_page(
    *, session: Session, team_id: int, only: CustomerFilter, limit: int, offset: int
) -> list[ListedCustomer]:
    """A page of a team's customers, latest activity first (ix_customer_team_activity).

    Every customer the bot makes has a last activity; where one has none, it sorts where the
    database puts NULL (first on PostgreSQL, last on SQLite): NULLS LAST would make
    PostgreSQL sort the whole team instead of reading the index backwards.
    """
    query = _filtered(_LISTED, team_id, only).order_by(
        col(Customer.last_activity_at).desc(), col(Customer.id).desc()
    )
    rows = session.execute(query.limit(limit).offset(offset)).all()
    return [ListedCustomer(customer, *rest) for customer, *rest in rows]


def stage_heads(
    *, session: Session, team_id: int, stages: Collection[str], limit: int
) -> list[ListedCustomer]:
    """The `limit` latest-active customers of each of these stages, in one statement.

    One indexed page query per stage (customer_page's order) in a UNION ALL: measured faster
    than ROW_NUMBER() over the team partitioned by stage, which sorts all of the team's rows
    (docs/performance.md, Mini App page). Latest activity first, across the stages.
    """
    if not stages:
        return []
    newest = (col(Customer.last_activity_at).desc(), col(Customer.id).desc())
    pages = []
    for stage in stages:
        page = (
            select_entities(col(Customer.id).label("id"))
            .where(col(Customer.team_id) == team_id, col(Customer.stage) == stage)
            .order_by(*newest)
            .limit(limit)
            .subquery()  # SQLite takes ORDER BY and LIMIT in a compound's parts only so
        )
        pages.append(select_entities(page.c.id))
    heads = union_all(*pages).subquery("heads")
    query = _LISTED.join(heads, heads.c.id == col(Customer.id)).order_by(*newest)
    return [ListedCustomer(customer, *rest) for customer, *rest in session.execute(query).all()]


def stage_counts(*, session: Session, team_id: int) -> dict[str, int]:
    """How many customers a team has in each stage that has any."""
    rows = session.execute(
        select_entities(col(Customer.stage), func.count())
        .where(col(Customer.team_id) == team_id)
        .group_by(col(Customer.stage))
    ).all()
    return {stage: int(count) for stage, count in rows}


def found_page(
    *, session: Session, team_id: int, only: CustomerFilter, limit: int, offset: int
) -> tuple[list[ListedCustomer], int]:
    """A page of the customers a search found (`only.ids`, best first) in that order, and how
    many the other filters keep of them.

    The ids come from the team's name book, so they are the team's; other filters are read as
    the set of the team's ids they keep (never an IN list of thousands), and the page's rows by
    primary key. A customer deleted by another process since is left off the page.
    """
    found = list(only.ids or ())
    others = CustomerFilter(None, only.stage, only.owner_id, only.channel_id, only.partner_id)
    if others != CustomerFilter():
        kept = set(
            session.execute(_filtered(select_entities(col(Customer.id)), team_id, others)).scalars()
        )
        found = [key for key in found if key in kept]
    page = found[offset : offset + limit]
    query = _LISTED.where(col(Customer.id).in_(page), col(Customer.team_id) == team_id)
    by_id = {c.id: ListedCustomer(c, *rest) for c, *rest in session.execute(query).all()}
    return [by_id[key] for key in page if key in by_id], len(found)


def customer_count(*, session: Session, team_id: int, only: CustomerFilter) -> int:
    """How many of a team's customers a filter keeps."""
    query = _filtered(select_entities(func.count()).select_from(Customer), team_id, only)
    return int(session.execute(query).scalar_one())


def open_amounts(*, session: Session, customer_ids: Collection[int]) -> dict[int, Deal]:
    """The newest open deal of each of these customers that has one."""
    if not customer_ids:
        return {}
    deals = session.exec(
        select(Deal)
        .where(col(Deal.customer_id).in_(list(customer_ids)), Deal.status == DealStatus.OPEN)
        .order_by(col(Deal.created_at))
    ).all()
    return {deal.customer_id: deal for deal in deals}  # the newest last, so it stays
