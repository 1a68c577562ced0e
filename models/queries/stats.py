"""The counting queries behind the reports and the weekly digest, aggregated in SQL.

The metric queries take many teams and many time buckets at once, so /stats (one team, one
bucket) and the weekly digest (every due team, eight weekly buckets) share them. Each query
computes a bucket index per row in a subquery and groups outside it: PostgreSQL would not
accept the same bound CASE expression in both SELECT and GROUP BY.

They return plain values (counts, sums, rows); the stats service folds them into report data.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Float,
    Numeric,
    and_,
    case,
    cast,
    exists,
    extract,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import Select
from sqlmodel import Session, col

from models.counters import settle
from models.queries import counters as counter_queries
from models.tables import (
    Activity,
    ActivityKind,
    Channel,
    Customer,
    Deal,
    DealStatus,
    Member,
    Partner,
    Task,
    TaskStatus,
    Team,
)

Dim = Literal["channel", "member", "partner"]
Key = tuple[int, int | None, int]  # team id, dimension key, bucket index
Only = tuple[Dim, int | None]  # rows of one channel, partner or member
Values = dict[str, Any]  # summed columns of one key: leads, won_leads, visits, revenue …
CLOSED_STAGES = ("won", "lost")
CHUNK = 500  # team ids per IN (…) list
METRICS = ("leads", "activities", "deals", "tasks")


# -- the shared metric queries ---------------------------------------------------------------


def metric_counts(
    *,
    session: Session,
    team_ids: Sequence[int],
    edges: Sequence[datetime],
    dim: Dim,
    now: datetime,
    only: Only | None = None,
    metrics: Sequence[str] = METRICS,
) -> dict[Key, Values]:
    """Return the summed metric columns per (team, channel|member|partner, bucket).

    Buckets lie between `edges`. Leads, activities and deals come from the per-day counters
    for the whole local days of a team a bucket covers, and from the rows for any part of a
    day at its edges. Tasks count only up to `now`: a follow-up due later is not yet late or
    on time.
    """
    result: dict[Key, Values] = defaultdict(dict)
    counted = [m for m in metrics if m in COUNTED]
    if counted:
        settle(session)
        # Teams whose zones cut the buckets into the same local days (Shanghai and Hong Kong)
        # share their queries.
        cuts: dict[str, Any] = {}
        by_cut: dict[Any, list[int]] = defaultdict(list)
        for ids in _chunks(team_ids):
            for team_id, zone in counter_queries.team_zones(session=session, team_ids=ids).items():
                if zone not in cuts:
                    spans, pieces = day_spans(edges, ZoneInfo(zone))
                    cuts[zone] = (tuple(spans), tuple(pieces))
                by_cut[cuts[zone]].append(team_id)
        edge_parts: list[tuple[list[int], Intervals]] = []
        for (spans, pieces), cut_ids in by_cut.items():
            for ids in _chunks(cut_ids):
                if spans:
                    _counted(session, result, ids, list(spans), dim, only, counted)
                if pieces:
                    edge_parts.append((ids, sorted(pieces)))
        # The parts of days at the buckets' edges, of every zone and metric, in one query.
        for key, values in _row_counts(session, edge_parts, dim, only, counted):
            _add(result[key], values)
    task_edges = [min(edge, now) for edge in edges]
    if "tasks" in metrics and task_edges[0] < task_edges[-1]:
        for ids in _chunks(team_ids):
            for key, values in _task_rows(session, ids, task_edges, dim, only):
                _add(result[key], values)
    return dict(result)


def _counted(
    session: Session,
    result: dict[Key, Values],
    ids: list[int],
    spans: list[tuple[date, date, int]],
    dim: Dim,
    only: Only | None,
    metrics: list[str],
) -> None:
    found = counter_queries.day_sums(session=session, team_ids=ids, spans=spans, dim=dim, only=only)
    names = [name for metric in metrics for name in COUNTED[metric]]
    for key, values in found:
        counted = _counted_values(values, names)
        slot = result.get(key)
        if slot:
            _add(slot, counted)
        else:
            result[key] = counted


COUNTED = {
    "leads": ("leads", "won_leads"),
    "activities": ("activities", "visits"),
    "deals": ("wins", "losses", "revenue", "close_secs"),
}


def day_spans(
    edges: Sequence[datetime], tz: ZoneInfo
) -> tuple[list[tuple[date, date, int]], list[tuple[datetime, datetime, int]]]:
    """Split buckets into whole local days [first, end) and the parts of days at their edges."""
    spans: list[tuple[date, date, int]] = []
    pieces: list[tuple[datetime, datetime, int]] = []
    for bucket, (start, end) in enumerate(itertools.pairwise(edges)):
        first = start.astimezone(tz).date()
        if _midnight(first, tz) < start:
            first += timedelta(days=1)
        last = end.astimezone(tz).date()  # its midnight is at or before `end`
        if first >= last:
            pieces.append((start, end, bucket))
            continue
        spans.append((first, last, bucket))
        for piece in ((start, _midnight(first, tz)), (_midnight(last, tz), end)):
            if piece[0] < piece[1]:
                pieces.append((*piece, bucket))
    return spans, pieces


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _counted_values(values: Values, names: Sequence[str]) -> Values:
    """The report values of summed counter columns: ints, money, days to close."""
    found: Values = {}
    for name in names:
        value = values[name] or 0
        if name == "revenue":
            found[name] = _money(value)
        elif name == "close_secs":
            found["close_days"] = float(value) / 86400.0
        else:
            found[name] = int(value)
    return found


def _add(into: Values, values: Values) -> None:
    for name, value in values.items():
        into[name] = into[name] + value if name in into else value


def row_counts(
    session: Session,
    ids: list[int],
    edges: Sequence[datetime],
    dim: Dim,
    only: Only | None,
    metrics: Sequence[str],
) -> Iterator[tuple[Key, Values]]:
    """Count leads, activities and deals from their rows between `edges`: what tests check the
    counters against."""
    return _row_counts(session, [(ids, _intervals(edges))], dim, only, metrics)


Intervals = Sequence[tuple[datetime, datetime, int]]  # sorted, apart: [start, end), bucket


def _row_counts(
    session: Session,
    parts: Sequence[tuple[list[int], Intervals]],
    dim: Dim,
    only: Only | None,
    metrics: Sequence[str],
) -> Iterator[tuple[Key, Values]]:
    """Count leads, activities and deals from their rows: for each (teams, intervals) part,
    per team, dimension and the intervals' buckets, all in one statement."""
    dialect = session.get_bind().dialect.name
    queries = [
        ROW_QUERIES[metric](ids, intervals, dim, only, dialect)
        for ids, intervals in parts
        for metric in metrics
        if metric in ROW_QUERIES
    ]
    if not queries:
        return
    rows = session.execute(queries[0] if len(queries) == 1 else union_all(*queries))
    for metric, team_id, key, bucket, *sums in rows:
        yield (team_id, key, int(bucket)), DECODE[metric](*sums)


def _intervals(edges: Sequence[datetime]) -> list[tuple[datetime, datetime, int]]:
    return [(start, end, i) for i, (start, end) in enumerate(itertools.pairwise(edges))]


def _bucket(column: Any, intervals: Intervals) -> ColumnElement[Any]:
    """The bucket of the interval a time falls in (rows are pre-filtered by `_within`)."""
    if len({bucket for _, _, bucket in intervals}) == 1:
        return literal_column(str(intervals[0][2]))
    whens = [(column < end, bucket) for _, end, bucket in intervals[:-1]]
    return case(*whens, else_=intervals[-1][2])


def _within(column: Any, intervals: Intervals) -> ColumnElement[bool]:
    """A time inside one of the intervals; those that touch make one range."""
    ranges: list[list[datetime]] = []
    for start, end, _ in intervals:
        if ranges and ranges[-1][1] == start:
            ranges[-1][1] = end
        else:
            ranges.append([start, end])
    return or_(*(and_(column >= start, column < end) for start, end in ranges))


def _seconds(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return extract("epoch", end - start)


def _dim(dim: Dim, member_column: Any) -> Any:
    return {
        "channel": col(Customer.channel_id),
        "partner": col(Customer.partner_id),
        "member": member_column,
    }[dim]


def _only(only: Only | None, member_column: Any) -> list[ColumnElement[bool]]:
    if only is None:
        return []
    dim, key = only
    return [_dim(dim, member_column) == key]


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


# Each metric's row query has the same columns, so one statement can UNION them: the metric,
# team, dimension key, bucket, and four sums that DECODE names. Typed NULLs for the sums only
# deals have: PostgreSQL would take a bare NULL in the first branch for text.
NO_MONEY = (cast(null(), Numeric(18, 2)), cast(null(), Float))


def _lead_query(
    ids: list[int], intervals: Intervals, dim: Dim, only: Only | None, _dialect: str
) -> Select[Any]:
    won = exists().where(col(Deal.customer_id) == Customer.id, col(Deal.status) == DealStatus.WON)
    created = col(Customer.created_at)
    inner = (
        select(
            col(Customer.team_id).label("team_id"),
            _dim(dim, col(Customer.created_by)).label("dim"),
            _bucket(created, intervals).label("bucket"),
            case((won, 1), else_=0).label("won"),
        )
        .where(col(Customer.team_id).in_(ids), _within(created, intervals))
        .where(*_only(only, col(Customer.created_by)))
        .subquery()
    )
    return _summed("leads", inner, func.count(), func.sum(inner.c.won), *NO_MONEY)


def _activity_query(
    ids: list[int], intervals: Intervals, dim: Dim, only: Only | None, _dialect: str
) -> Select[Any]:
    when = col(Activity.occurred_at)
    inner = (
        select(
            col(Activity.team_id).label("team_id"),
            _dim(dim, col(Activity.member_id)).label("dim"),
            _bucket(when, intervals).label("bucket"),
            case((col(Activity.kind) == ActivityKind.VISIT, 1), else_=0).label("visit"),
        )
        .select_from(Activity)
        .join(Customer, col(Customer.id) == Activity.customer_id, isouter=True)
        .where(col(Activity.team_id).in_(ids), _within(when, intervals))
        .where(*_only(only, col(Activity.member_id)))
        .subquery()
    )
    return _summed("activities", inner, func.count(), func.sum(inner.c.visit), *NO_MONEY)


def _deal_query(
    ids: list[int], intervals: Intervals, dim: Dim, only: Only | None, dialect: str
) -> Select[Any]:
    closed = col(Deal.closed_at)
    is_won = col(Deal.status) == DealStatus.WON
    inner = (
        select(
            col(Deal.team_id).label("team_id"),
            _dim(dim, col(Deal.owner_id)).label("dim"),
            _bucket(closed, intervals).label("bucket"),
            case((is_won, 1), else_=0).label("won"),
            case((is_won, 0), else_=1).label("lost"),
            # Revenue counts only the team currency: amounts in others cannot be added up.
            case(
                (and_(is_won, col(Deal.currency) == Team.currency), col(Deal.amount)), else_=None
            ).label("amount"),
            case((is_won, _seconds(Deal.created_at, closed, dialect)), else_=None).label("secs"),
        )
        .select_from(Deal)
        .join(Team, col(Team.id) == Deal.team_id)
        .join(Customer, col(Customer.id) == Deal.customer_id)
        .where(col(Deal.team_id).in_(ids), _within(closed, intervals))
        .where(col(Deal.status).in_((DealStatus.WON, DealStatus.LOST)))
        .where(*_only(only, col(Deal.owner_id)))
        .subquery()
    )
    return _summed(
        "deals", inner, func.sum(inner.c.won), func.sum(inner.c.lost),
        func.sum(inner.c.amount), func.sum(inner.c.secs),
    )  # fmt: skip


def _summed(metric: str, inner: Any, *sums: Any) -> Select[Any]:
    return select(
        literal(metric).label("metric"), inner.c.team_id, inner.c.dim, inner.c.bucket, *sums
    ).group_by(inner.c.team_id, inner.c.dim, inner.c.bucket)


ROW_QUERIES = {"leads": _lead_query, "activities": _activity_query, "deals": _deal_query}
DECODE: dict[str, Callable[..., Values]] = {
    "leads": lambda n, won, *_: {"leads": int(n), "won_leads": int(won or 0)},
    "activities": lambda n, visits, *_: {"activities": int(n), "visits": int(visits or 0)},
    "deals": lambda wins, losses, amount, secs: {
        "wins": int(wins or 0),
        "losses": int(losses or 0),
        "revenue": _money(amount),
        "close_days": float(secs or 0) / 86400.0,
    },
}


def _task_rows(
    session: Session, ids: list[int], edges: Sequence[datetime], dim: Dim, only: Only | None
) -> Iterator[tuple[Key, Values]]:
    due = col(Task.due_at)
    on_time = and_(col(Task.done_at).is_not(None), col(Task.done_at) <= due)
    inner = (
        select(
            col(Task.team_id).label("team_id"),
            _dim(dim, col(Task.owner_id)).label("dim"),
            _bucket(due, _intervals(edges)).label("bucket"),
            case((on_time, 1), else_=0).label("on_time"),
        )
        .select_from(Task)
        .join(Customer, col(Customer.id) == Task.customer_id, isouter=True)
        .where(col(Task.team_id).in_(ids), due >= edges[0], due < edges[-1])
        .where(col(Task.status) != TaskStatus.CANCELLED)
        .where(*_only(only, col(Task.owner_id)))
        .subquery()
    )
    query = select(
        inner.c.team_id, inner.c.dim, inner.c.bucket, func.count(), func.sum(inner.c.on_time)
    ).group_by(inner.c.team_id, inner.c.dim, inner.c.bucket)
    for team_id, key, bucket, count, done in session.execute(query):
        yield (team_id, key, int(bucket)), {"tasks_due": count, "tasks_on_time": int(done or 0)}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _aware(when: datetime | str) -> datetime:
    """A driver may hand back coalesce() of timestamps as text, or without a zone."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


# -- /funnel and /pipeline -------------------------------------------------------------------


def stage_counts(
    *, session: Session, team_id: int, created: tuple[datetime, datetime] | None = None
) -> dict[str, int]:
    """Return the team's customers per stage (those created in [start, end), if given)."""
    query = (
        select(col(Customer.stage), func.count())
        .where(col(Customer.team_id) == team_id)
        .group_by(col(Customer.stage))
    )
    if created is not None:
        start, end = created
        query = query.where(col(Customer.created_at) >= start, col(Customer.created_at) < end)
    return {stage: int(n) for stage, n in session.execute(query)}


def open_deals_by_stage(
    *, session: Session, team_id: int, currency: str
) -> dict[str, tuple[int, Decimal, int]]:
    """Return open deals per customer stage: count, value in `currency`, how many lack an amount.

    Deals in another currency are counted but not valued here (see open_deals_elsewhere).
    """
    # A deal's own stage is only written when it changes hands; the customer's is current.
    amount_ok = and_(col(Deal.amount).is_not(None), col(Deal.currency) == currency)
    rows = session.execute(
        select(
            col(Customer.stage),
            func.count(),
            func.sum(case((amount_ok, col(Deal.amount)), else_=None)),
            func.sum(case((col(Deal.amount).is_(None), 1), else_=0)),
        )
        .select_from(Deal)
        .join(Customer, col(Customer.id) == Deal.customer_id)
        .where(col(Deal.team_id) == team_id, col(Deal.status) == DealStatus.OPEN)
        .group_by(col(Customer.stage))
    ).all()
    return {stage: (int(n), _money(value), int(blank or 0)) for stage, n, value, blank in rows}


def open_deals_elsewhere(
    *, session: Session, team_id: int, currency: str
) -> list[tuple[str, int, Decimal]]:
    """Return the team's open deals in other currencies than `currency`: count and sum each."""
    return _other_currencies(
        session, currency, col(Deal.team_id) == team_id, col(Deal.status) == DealStatus.OPEN
    )


def won_deals_elsewhere(
    *,
    session: Session,
    team_id: int,
    currency: str,
    start: datetime,
    end: datetime,
    only: Only | None = None,
) -> list[tuple[str, int, Decimal]]:
    """Return deals won in [start, end) in other currencies than `currency`: count and sum each.

    `only` keeps one channel's or partner's (by the customer's) or one member's (the deal's owner).
    """
    return _other_currencies(
        session, currency,
        col(Deal.team_id) == team_id, col(Deal.status) == DealStatus.WON,
        col(Deal.closed_at) >= start, col(Deal.closed_at) < end,
        *_only(only, col(Deal.owner_id)),
    )  # fmt: skip


def _other_currencies(
    session: Session, currency: str, *where: ColumnElement[bool]
) -> list[tuple[str, int, Decimal]]:
    """Deals matching `where` with an amount in another currency: count and sum per currency."""
    rows = session.execute(
        select(col(Deal.currency), func.count(), func.sum(col(Deal.amount)))
        .select_from(Deal)
        .join(Customer, col(Customer.id) == Deal.customer_id)
        .where(*where, col(Deal.amount).is_not(None), col(Deal.currency) != currency)
        .group_by(col(Deal.currency))
        .order_by(col(Deal.currency))
    ).all()
    return [(str(code), int(n), _money(value)) for code, n, value in rows]


# -- /churn and the digest's silence ----------------------------------------------------------


@dataclass(frozen=True)
class ChurnCounts:
    """Open customers, those silent since a threshold, and those lost in a period."""

    open_customers: int
    silent: int
    silent_seen: list[tuple[str, datetime]]  # name, last seen; most recently seen first
    lost_names: list[str]  # by name


def churn_counts(
    *,
    session: Session,
    team_id: int,
    silent_before: datetime,
    lost: tuple[datetime, datetime],
    limit: int,
) -> ChurnCounts:
    """Count open customers and those unseen since `silent_before`; name the lost in [start, end).

    A customer is seen at its last activity, or when it was created.
    """
    seen = func.coalesce(col(Customer.last_activity_at), col(Customer.created_at))
    open_customer = and_(
        col(Customer.team_id) == team_id, col(Customer.stage).not_in(CLOSED_STAGES)
    )
    open_count, silent_count = session.execute(
        select(func.count(), func.sum(case((seen < silent_before, 1), else_=0))).where(
            open_customer
        )
    ).one()
    silent_rows = session.execute(
        select(col(Customer.name), seen.label("seen"))
        .where(open_customer, seen < silent_before)
        .order_by(seen.desc(), col(Customer.id))
        .limit(limit)
    ).all()
    start, end = lost
    lost_query = (
        select(col(Customer.name))
        .select_from(Customer)
        .where(col(Customer.team_id) == team_id)
        .where(
            exists().where(
                col(Deal.customer_id) == Customer.id,
                col(Deal.status) == DealStatus.LOST,
                col(Deal.closed_at) >= start,
                col(Deal.closed_at) < end,
            )
        )
        .order_by(col(Customer.name))
    )
    return ChurnCounts(
        open_customers=int(open_count or 0),
        silent=int(silent_count or 0),
        silent_seen=[(name, _aware(seen_at)) for name, seen_at in silent_rows],
        lost_names=list(session.execute(lost_query).scalars()),
    )


@dataclass(frozen=True)
class Silence:
    """Customers silent a long time, per team, for the digest."""

    count: int
    newly: list[str]


def silent_customers(
    *,
    session: Session,
    team_ids: Sequence[int],
    silent_before: datetime,
    crossed: tuple[datetime, datetime],
    names: int = 5,
) -> dict[int, Silence]:
    """Count open customers unseen since `silent_before` per team; name those last seen in
    [start, end) of `crossed`, the most recently seen first."""
    seen = func.coalesce(col(Customer.last_activity_at), col(Customer.created_at))
    start, end = crossed
    result: dict[int, Silence] = {}
    for ids in _chunks(team_ids):
        base = and_(col(Customer.team_id).in_(ids), col(Customer.stage).not_in(CLOSED_STAGES))
        counts = session.execute(
            select(col(Customer.team_id), func.count())
            .where(base, seen < silent_before)
            .group_by(col(Customer.team_id))
        ).all()
        newly: dict[int, list[str]] = defaultdict(list)
        for team_id, name in session.execute(
            select(col(Customer.team_id), col(Customer.name))
            .where(base, seen >= start, seen < end, seen < silent_before)
            .order_by(col(Customer.team_id), seen.desc())
        ):
            if len(newly[team_id]) < names:
                newly[team_id].append(name)
        for team_id, count in counts:
            result[team_id] = Silence(int(count), newly.get(team_id, []))
    return result


def overdue_tasks(
    *, session: Session, team_ids: Sequence[int], now: datetime
) -> dict[int, list[tuple[int, int]]]:
    """Return per team the open overdue tasks per owner: [(member id, count)], most first."""
    result: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for ids in _chunks(team_ids):
        rows = session.execute(
            select(col(Task.team_id), col(Task.owner_id), func.count())
            .where(col(Task.team_id).in_(ids), col(Task.status) == TaskStatus.OPEN)
            .where(col(Task.due_at) < now)
            .group_by(col(Task.team_id), col(Task.owner_id))
        ).all()
        for team_id, owner_id, count in rows:
            result[team_id].append((owner_id, int(count)))
    for owners in result.values():
        owners.sort(key=lambda pair: (-pair[1], pair[0]))
    return dict(result)


# -- partners ------------------------------------------------------------------------------


def team_partners(*, session: Session, team_ids: Sequence[int]) -> list[Partner]:
    """Return the partners of these teams, each team's in order."""
    found: list[Partner] = []
    for ids in _chunks(team_ids):
        found += session.scalars(
            select(Partner)
            .where(col(Partner.team_id).in_(ids))
            .order_by(col(Partner.team_id), col(Partner.id))
        )
    return found


def partner_last_activity(*, session: Session, team_ids: Sequence[int]) -> dict[int, datetime]:
    """Return when each partner of these teams last had an activity with one of its customers."""
    last: dict[int, datetime] = {}
    for ids in _chunks(team_ids):
        last.update(
            _last_partner_activity(
                session, col(Activity.team_id).in_(ids), col(Customer.partner_id).is_not(None)
            )
        )
    return last


def quiet_partners(
    *, session: Session, team_ids: Sequence[int], since: datetime
) -> dict[int, list[tuple[Partner, datetime | None]]]:
    """Return per team the partners with no activity since `since`, and their last one.

    A partner's activity is any activity with one of its customers; a partner added after
    `since` is not silent yet.
    """
    result: dict[int, list[tuple[Partner, datetime | None]]] = defaultdict(list)
    for ids in _chunks(team_ids):
        active = (
            select(col(Customer.partner_id))
            .select_from(Activity)
            .join(Customer, col(Customer.id) == Activity.customer_id)
            .where(col(Activity.team_id).in_(ids), col(Activity.occurred_at) >= since)
            .where(col(Customer.partner_id).is_not(None))
            .distinct()
        )
        silent = list(
            session.scalars(
                select(Partner)
                .where(col(Partner.team_id).in_(ids), col(Partner.created_at) < since)
                .where(col(Partner.id).not_in(active))
                .order_by(col(Partner.team_id), col(Partner.id))
            )
        )
        if not silent:
            continue
        last = _last_partner_activity(session, col(Customer.partner_id).in_([p.id for p in silent]))
        for partner in silent:
            result[partner.team_id].append((partner, last.get(partner.id)))
    return dict(result)


def _last_partner_activity(session: Session, *where: ColumnElement[bool]) -> dict[int, datetime]:
    """Return when each partner's customers last had an activity, for partners matching `where`."""
    return dict(
        session.execute(
            select(col(Customer.partner_id), func.max(Activity.occurred_at))
            .select_from(Activity)
            .join(Customer, col(Customer.id) == Activity.customer_id)
            .where(*where)
            .group_by(col(Customer.partner_id))
        ).all()
    )


def partner_names(*, session: Session, team_ids: Sequence[int]) -> dict[int, str]:
    """Return the name of each partner of these teams."""
    names: dict[int, str] = {}
    for ids in _chunks(team_ids):
        for partner_id, name in session.execute(
            select(col(Partner.id), col(Partner.name)).where(col(Partner.team_id).in_(ids))
        ):
            names[partner_id] = name
    return names


# -- names ---------------------------------------------------------------------------------


def member_names(*, session: Session, team_ids: Sequence[int]) -> dict[int, tuple[str | None, str]]:
    """Return each member of these teams: (username, full name)."""
    names: dict[int, tuple[str | None, str]] = {}
    for ids in _chunks(team_ids):
        for member_id, username, full_name in session.execute(
            select(col(Member.id), col(Member.username), col(Member.full_name)).where(
                col(Member.team_id).in_(ids)
            )
        ):
            names[member_id] = (username, full_name)
    return names


def channels_of(*, session: Session, team_ids: Sequence[int]) -> dict[int, list[Channel]]:
    """Return each team's channels in their order."""
    result: dict[int, list[Channel]] = defaultdict(list)
    for ids in _chunks(team_ids):
        for channel in session.scalars(
            select(Channel).where(col(Channel.team_id).in_(ids)).order_by(col(Channel.id))
        ):
            result[channel.team_id].append(channel)
    return dict(result)
