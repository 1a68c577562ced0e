"""The per-day report counters: adding deltas, summing days, and the rows they are counted from.

models.counters decides what a write changes; these are the statements it and the reports run.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, delete, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func

from models.tables import Activity, Customer, Deal, DealStatus, StatCounter, StatCounterTeam, Team

CounterKey = tuple[int, date, int, int, int]  # team, local day, channel, partner, member; 0 = none
Deltas = dict[CounterKey, dict[str, Any]]
COUNTS = ("leads", "won_leads", "activities", "visits", "wins", "losses")
MEASURES = (*COUNTS, "revenue", "close_secs")
KEY = ("team_id", "day", "channel_id", "partner_id", "member_id")
COUNTER = StatCounter.__table__  # type: ignore[attr-defined]
TEAM_COUNTER = StatCounterTeam.__table__  # type: ignore[attr-defined]
TEAM_DIMS = ("channel", "partner")  # StatCounterTeam's dims
DIM_COLUMNS = {"channel": "channel_id", "partner": "partner_id", "member": "member_id"}


def add(connection: Connection, deltas: Deltas) -> None:
    """Add the deltas to their counters (triggers add them to the team's too, revision 0014)."""
    rows = [
        {**dict(zip(KEY, key, strict=True)), **{m: values.get(m, 0) for m in MEASURES}}
        for key, values in sorted(deltas.items())  # one lock order for concurrent writers
        if any(values.get(m) for m in MEASURES)
    ]
    if rows:
        # A few rows per write, so one statement built once per dialect with bind parameters
        # (executemany) instead of a VALUES list built and compiled each write.
        connection.execute(_upsert(connection.dialect.name), rows)


@functools.cache
def _upsert(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    stmt = dialect.insert(COUNTER)
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in COUNTER.primary_key.columns],
        set_={m: COUNTER.c[m] + stmt.excluded[m] for m in MEASURES},
    )


def clear(connection: Connection, team_id: int) -> None:
    """Drop a team's counters, both grains (before they are counted again)."""
    for table in (COUNTER, TEAM_COUNTER):
        connection.execute(delete(table).where(table.c.team_id == team_id))


def day_sums(
    *,
    session: Session,
    team_ids: Sequence[int],
    spans: Sequence[tuple[date, date, int]],
    dim: str,
    only: tuple[str, int | None] | None,
) -> Iterator[tuple[tuple[int, int | None, int], dict[str, Any]]]:
    """Sum the counters per (team, dimension, bucket) over the [first, end) day spans given.

    The spans are sorted and do not overlap; a day between two spans is left out. Sums by
    channel or by partner, of all rows or of one of that dimension's, read the team counters:
    the same figures in fewer rows.
    """
    coarse = dim in TEAM_DIMS and (only is None or only[0] == dim)
    table = TEAM_COUNTER if coarse else COUNTER
    day = table.c.day
    whens: list[tuple[ColumnElement[bool], int]] = []
    previous: date | None = None
    for first, end, bucket in spans:
        if previous is not None and first > previous:
            whens.append((day < first, -1))
        whens.append((day < end, bucket))
        previous = end
    bucket_of = case(*whens, else_=-1) if len(whens) > 1 else literal_column(str(spans[0][2]))
    dim_column = table.c.dim_id if coarse else table.c[DIM_COLUMNS[dim]]
    inner = select(
        table.c.team_id, dim_column.label("dim"), bucket_of.label("bucket"),
        *(table.c[m] for m in MEASURES),
    ).where(
        table.c.team_id.in_(team_ids), day >= spans[0][0], day < spans[-1][1]
    )  # fmt: skip
    if coarse:
        inner = inner.where(table.c.dim == dim)
    if only is not None:
        column = dim_column if coarse else table.c[DIM_COLUMNS[only[0]]]
        inner = inner.where(column == (only[1] or 0))
    sub = inner.subquery()
    query = select(
        sub.c.team_id, sub.c.dim, sub.c.bucket, *(func.sum(sub.c[m]) for m in MEASURES)
    ).group_by(sub.c.team_id, sub.c.dim, sub.c.bucket)
    for team_id, key, bucket, *sums in session.execute(query):
        if int(bucket) < 0:
            continue
        yield (team_id, key or None, int(bucket)), dict(zip(MEASURES, sums, strict=True))


def team_zones(*, session: Session, team_ids: Sequence[int]) -> dict[int, str]:
    """Return each team's timezone name (its counters' days are local dates there)."""
    rows = session.execute(
        select(col(Team.id), col(Team.timezone)).where(col(Team.id).in_(team_ids))
    )
    return {team_id: zone for team_id, zone in rows}


# -- the rows counters are counted from --------------------------------------------------------


def activity_facts(connection: Connection, *where: ColumnElement[bool]) -> Iterable[Any]:
    """Activities with their customer's channel and partner: (team, when, kind, member, …)."""
    return connection.execute(
        select(
            col(Activity.team_id), col(Activity.occurred_at), col(Activity.kind),
            col(Activity.member_id), col(Customer.channel_id), col(Customer.partner_id),
        )
        .select_from(Activity)
        .join(Customer, col(Customer.id) == Activity.customer_id, isouter=True)
        .where(*where)
    )  # fmt: skip


def deal_facts(connection: Connection, *where: ColumnElement[bool]) -> Iterable[Any]:
    """Closed deals with their customer's channel and partner."""
    return connection.execute(
        select(
            col(Deal.team_id), col(Deal.closed_at), col(Deal.status), col(Deal.owner_id),
            col(Deal.amount), col(Deal.currency), col(Deal.created_at),
            col(Customer.channel_id), col(Customer.partner_id),
        )
        .select_from(Deal)
        .join(Customer, col(Customer.id) == Deal.customer_id)
        .where(col(Deal.status).in_((DealStatus.WON, DealStatus.LOST)), *where)
        .where(col(Deal.closed_at).is_not(None))
    )  # fmt: skip


def lead_facts(connection: Connection, *where: ColumnElement[bool]) -> Iterable[Any]:
    """Customers as leads: (team, created, creator, channel, partner, has a won deal)."""
    won = (
        select(col(Deal.id))
        .where(col(Deal.customer_id) == Customer.id, col(Deal.status) == DealStatus.WON)
        .exists()
    )
    return connection.execute(
        select(
            col(Customer.team_id), col(Customer.created_at), col(Customer.created_by),
            col(Customer.channel_id), col(Customer.partner_id), won,
        ).where(*where)
    )  # fmt: skip


def of_team(model: Any, team_id: int) -> ColumnElement[bool]:
    return col(model.team_id) == team_id


def of_customers(model: Any, customer_ids: Sequence[int]) -> ColumnElement[bool]:
    column = col(Customer.id) if model is Customer else col(model.customer_id)
    return column.in_(customer_ids)


def won_deal_ids(connection: Connection, customer_ids: Sequence[int]) -> dict[int, set[int]]:
    """Return the won deals of these customers as the database holds them."""
    found: dict[int, set[int]] = {cid: set() for cid in customer_ids}
    for deal_id, customer_id in connection.execute(
        select(col(Deal.id), col(Deal.customer_id)).where(
            col(Deal.customer_id).in_(customer_ids), col(Deal.status) == DealStatus.WON
        )
    ):
        found[customer_id].add(deal_id)
    return found


def stored_row(connection: Connection, model: Any, row_id: int, names: Sequence[str]) -> Any:
    """Return a row's columns as the database holds them (before a flush writes it)."""
    columns = [col(getattr(model, name)) for name in names]
    return connection.execute(select(*columns).where(col(model.id) == row_id)).one_or_none()
