"""Team numbers, aggregated in SQL: stats, funnel, pipeline, leaderboard, partners, churn.

The metric queries take many teams and many time buckets at once, so /stats (one team, one
bucket) and the weekly digest (every due team, eight weekly buckets) share them. Each query
computes a bucket index per row in a subquery and groups outside it: PostgreSQL would not
accept the same bound CASE expression in both SELECT and GROUP BY.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, case, exists, extract, func, literal_column, select
from sqlmodel import Session, col

from bot.i18n.format import member_label
from bot.parsing.ids import parse_digits
from bot.reports.numbers import (
    ZERO,
    Churn,
    Funnel,
    Numbers,
    PartnerScore,
    Pipeline,
    PipelineStage,
    Row,
    Scope,
    StatsReport,
    build_funnel,
    rank_key,
    stage_weight,
    total,
)
from bot.reports.periods import Period, PeriodError, parse_report_period
from bot.reports.requests import StatsRequest
from bot.services import partners, pipeline, teams
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
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
CLOSED_STAGES = ("won", "lost")
CHUNK = 500  # team ids per IN (…) list
SHOWN = 10


# -- the shared metric queries ---------------------------------------------------------------


def _bucket(column: Any, edges: Sequence[datetime]) -> ColumnElement[Any]:
    """Index of the [edges[i], edges[i+1]) bucket a time falls in (rows are pre-filtered)."""
    if len(edges) == 2:
        return literal_column("0")
    whens = [(column < edge, i) for i, edge in enumerate(edges[1:-1])]
    return case(*whens, else_=len(edges) - 2)


def _seconds(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return extract("epoch", end - start)


def _scope_filter(scope: Scope | None, member_column: Any) -> list[ColumnElement[bool]]:
    if scope is None or scope.kind == "team":
        return []
    if scope.kind == "channel":
        return [col(Customer.channel_id) == scope.id]
    if scope.kind == "partner":
        return [col(Customer.partner_id) == scope.id]
    return [member_column == scope.id]


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def _dim(dim: Dim, member_column: Any) -> Any:
    return {
        "channel": col(Customer.channel_id),
        "partner": col(Customer.partner_id),
        "member": member_column,
    }[dim]


def _lead_rows(
    session: Session, ids: list[int], edges: Sequence[datetime], dim: Dim, scope: Scope | None
) -> Iterator[tuple[Key, dict[str, Any]]]:
    won = exists().where(col(Deal.customer_id) == Customer.id, col(Deal.status) == DealStatus.WON)
    created = col(Customer.created_at)
    inner = (
        select(
            col(Customer.team_id).label("team_id"),
            _dim(dim, col(Customer.created_by)).label("dim"),
            _bucket(created, edges).label("bucket"),
            case((won, 1), else_=0).label("won"),
        )
        .where(col(Customer.team_id).in_(ids), created >= edges[0], created < edges[-1])
        .where(*_scope_filter(scope, col(Customer.created_by)))
        .subquery()
    )
    query = select(
        inner.c.team_id, inner.c.dim, inner.c.bucket, func.count(), func.sum(inner.c.won)
    ).group_by(inner.c.team_id, inner.c.dim, inner.c.bucket)
    for team_id, key, bucket, leads, won_leads in session.execute(query):
        yield (team_id, key, int(bucket)), {"leads": leads, "won_leads": int(won_leads or 0)}


def _activity_rows(
    session: Session, ids: list[int], edges: Sequence[datetime], dim: Dim, scope: Scope | None
) -> Iterator[tuple[Key, dict[str, Any]]]:
    when = col(Activity.occurred_at)
    inner = (
        select(
            col(Activity.team_id).label("team_id"),
            _dim(dim, col(Activity.member_id)).label("dim"),
            _bucket(when, edges).label("bucket"),
            case((col(Activity.kind) == ActivityKind.VISIT, 1), else_=0).label("visit"),
        )
        .select_from(Activity)
        .join(Customer, col(Customer.id) == Activity.customer_id, isouter=True)
        .where(col(Activity.team_id).in_(ids), when >= edges[0], when < edges[-1])
        .where(*_scope_filter(scope, col(Activity.member_id)))
        .subquery()
    )
    query = select(
        inner.c.team_id, inner.c.dim, inner.c.bucket, func.count(), func.sum(inner.c.visit)
    ).group_by(inner.c.team_id, inner.c.dim, inner.c.bucket)
    for team_id, key, bucket, count, visits in session.execute(query):
        yield (team_id, key, int(bucket)), {"activities": count, "visits": int(visits or 0)}


def _deal_rows(
    session: Session, ids: list[int], edges: Sequence[datetime], dim: Dim, scope: Scope | None
) -> Iterator[tuple[Key, dict[str, Any]]]:
    closed = col(Deal.closed_at)
    is_won = col(Deal.status) == DealStatus.WON
    dialect = session.get_bind().dialect.name
    inner = (
        select(
            col(Deal.team_id).label("team_id"),
            _dim(dim, col(Deal.owner_id)).label("dim"),
            _bucket(closed, edges).label("bucket"),
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
        .where(col(Deal.team_id).in_(ids), closed >= edges[0], closed < edges[-1])
        .where(col(Deal.status).in_((DealStatus.WON, DealStatus.LOST)))
        .where(*_scope_filter(scope, col(Deal.owner_id)))
        .subquery()
    )
    query = select(
        inner.c.team_id,
        inner.c.dim,
        inner.c.bucket,
        func.sum(inner.c.won),
        func.sum(inner.c.lost),
        func.sum(inner.c.amount),
        func.sum(inner.c.secs),
    ).group_by(inner.c.team_id, inner.c.dim, inner.c.bucket)
    for team_id, key, bucket, wins, losses, amount, secs in session.execute(query):
        yield (
            (team_id, key, int(bucket)),
            {
                "wins": int(wins or 0),
                "losses": int(losses or 0),
                "revenue": _money(amount),
                "close_days": float(secs or 0) / 86400.0,
            },
        )


def _task_rows(
    session: Session, ids: list[int], edges: Sequence[datetime], dim: Dim, scope: Scope | None
) -> Iterator[tuple[Key, dict[str, Any]]]:
    due = col(Task.due_at)
    on_time = and_(col(Task.done_at).is_not(None), col(Task.done_at) <= due)
    inner = (
        select(
            col(Task.team_id).label("team_id"),
            _dim(dim, col(Task.owner_id)).label("dim"),
            _bucket(due, edges).label("bucket"),
            case((on_time, 1), else_=0).label("on_time"),
        )
        .select_from(Task)
        .join(Customer, col(Customer.id) == Task.customer_id, isouter=True)
        .where(col(Task.team_id).in_(ids), due >= edges[0], due < edges[-1])
        .where(col(Task.status) != TaskStatus.CANCELLED)
        .where(*_scope_filter(scope, col(Task.owner_id)))
        .subquery()
    )
    query = select(
        inner.c.team_id, inner.c.dim, inner.c.bucket, func.count(), func.sum(inner.c.on_time)
    ).group_by(inner.c.team_id, inner.c.dim, inner.c.bucket)
    for team_id, key, bucket, count, done in session.execute(query):
        yield (team_id, key, int(bucket)), {"tasks_due": count, "tasks_on_time": int(done or 0)}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


METRICS = ("leads", "activities", "deals", "tasks")


def numbers_by(
    *,
    session: Session,
    team_ids: Sequence[int],
    edges: Sequence[datetime],
    dim: Dim,
    now: datetime,
    scope: Scope | None = None,
    metrics: Sequence[str] = METRICS,
) -> dict[Key, Numbers]:
    """Return Numbers per (team, channel|member|partner, bucket) for buckets between `edges`.

    Tasks count only up to `now`: a follow-up due later is not yet late or on time.
    """
    result: dict[Key, Numbers] = defaultdict(Numbers)
    task_edges = [min(edge, now) for edge in edges]
    for ids in _chunks(team_ids):
        sources = []
        if "leads" in metrics:
            sources.append(_lead_rows(session, ids, edges, dim, scope))
        if "activities" in metrics:
            sources.append(_activity_rows(session, ids, edges, dim, scope))
        if "deals" in metrics:
            sources.append(_deal_rows(session, ids, edges, dim, scope))
        if "tasks" in metrics and task_edges[0] < task_edges[-1]:
            sources.append(_task_rows(session, ids, task_edges, dim, scope))
        for source in sources:
            for key, values in source:
                result[key].add(**values)
    return dict(result)


# -- scopes and permissions ------------------------------------------------------------------


def resolve_scope(*, session: Session, actor: Actor, request: StatsRequest) -> Scope:
    """Find the channel, partner or rep a request names; check the actor may see it.

    Reps see the team's totals and their own numbers; another rep's numbers and partner
    scorecards are for managers.
    """
    team = actor.team
    if request.channel:
        channel = partners.find_channel(session=session, team=team, text=request.channel)
        if channel is None:
            raise CrmError("channel.unknown", name=request.channel)
        return Scope("channel", channel.id, channel.name)
    if request.partner:
        actor.require_manager()
        partner = partners.find_partner(session=session, team=team, name=request.partner)
        if partner is None:
            raise CrmError("partner.unknown", name=request.partner)
        return Scope("partner", partner.id, partner.name)
    if request.rep:
        member = teams.find_member(session=session, team=team, username=request.rep)
        if member.id != actor.member.id:
            actor.require_manager()
        return Scope("member", member.id, member_label(member.username, member.full_name))
    return Scope()


def scope_from_code(*, session: Session, actor: Actor, code: str) -> Scope:
    """Rebuild a scope from its code (t, c12, p3, m7), re-checking permissions."""
    if code == "t":
        return Scope()
    kind = {"c": "channel", "p": "partner", "m": "member"}.get(code[:1])
    key = parse_digits(code[1:])
    if kind is None or key is None:
        raise UsageError("usage.stats")
    team_id = actor.team.id
    if kind == "channel":
        channel = session.get(Channel, key)
        if channel is None or channel.team_id != team_id:
            raise UsageError("usage.stats")
        return Scope(kind, key, channel.name)
    if kind == "partner":
        actor.require_manager()
        partner = session.get(Partner, key)
        if partner is None or partner.team_id != team_id:
            raise UsageError("usage.stats")
        return Scope(kind, key, partner.name)
    member = session.get(Member, key)
    if member is None or member.team_id != team_id:
        raise UsageError("usage.stats")
    if member.id != actor.member.id:
        actor.require_manager()
    return Scope(kind, key, member_label(member.username, member.full_name))


def period_for(actor: Actor, text: str, *, now: datetime) -> Period:
    """Parse a period phrase in the team's zone, or raise the stats usage."""
    try:
        return parse_report_period(text, now=now, tz=actor.tz)
    except PeriodError:
        raise UsageError("usage.period", text=text) from None


# -- /stats ----------------------------------------------------------------------------------


def team_stats(
    *, session: Session, team: Team, period: Period, now: datetime, scope: Scope | None = None
) -> StatsReport:
    """Return the period's numbers by channel (in the team's channel order) and the total."""
    assert team.id is not None
    scope = scope or Scope()
    edges = [period.start, period.end]
    found = numbers_by(
        session=session, team_ids=[team.id], edges=edges, dim="channel", now=now, scope=scope
    )
    by_channel = {key: numbers for (_, key, _), numbers in found.items()}
    rows = [
        Row(channel.id, channel.name, by_channel.pop(channel.id, Numbers()))
        for channel in _channels(session, team)
    ]
    if scope.kind == "channel":
        rows = [row for row in rows if row.key == scope.id]
    for key, numbers in by_channel.items():  # no channel (or one since deleted)
        rows.append(Row(key, "", numbers))
    report_total = total([row.numbers for row in rows])
    return StatsReport(period, scope, team.currency, rows, report_total)


def stats_for(
    *, session: Session, actor: Actor, request: StatsRequest, now: datetime
) -> StatsReport:
    """/stats as the actor may see it: the team's (or a scope's) numbers, plus their own."""
    actor.require_active()
    period = period_for(actor, request.period, now=now)
    scope = resolve_scope(session=session, actor=actor, request=request)
    return stats_in_scope(session=session, actor=actor, period=period, scope=scope, now=now)


def stats_in_scope(
    *, session: Session, actor: Actor, period: Period, scope: Scope, now: datetime
) -> StatsReport:
    """The stats of a resolved scope, with the asker's own numbers for a team-wide report."""
    report = team_stats(session=session, team=actor.team, period=period, now=now, scope=scope)
    if scope.kind == "team" and not actor.is_manager:
        mine = Scope("member", actor.member.id)
        own = team_stats(session=session, team=actor.team, period=period, now=now, scope=mine)
        report.mine = own.total
    return report


def _channels(session: Session, team: Team) -> list[Channel]:
    return list(
        session.scalars(
            select(Channel).where(col(Channel.team_id) == team.id).order_by(col(Channel.id))
        )
    )


# -- /leaderboard ----------------------------------------------------------------------------


def leaderboard(
    *, session: Session, team: Team, period: Period, now: datetime, limit: int = SHOWN
) -> list[Row]:
    """Return reps by revenue, then wins, then visits, for the period."""
    assert team.id is not None
    found = numbers_by(
        session=session,
        team_ids=[team.id],
        edges=[period.start, period.end],
        dim="member",
        now=now,
        metrics=("leads", "activities", "deals"),
    )
    by_member = {key: numbers for (_, key, _), numbers in found.items() if key is not None}
    members = {m.id: m for m in teams.team_members(session=session, team=team)}
    rows = [
        Row(key, member_label(members[key].username, members[key].full_name), numbers)
        for key, numbers in by_member.items()
        if key in members
    ]
    return sorted(rows, key=rank_key)[:limit]


def leaderboard_for(*, session: Session, actor: Actor, period: Period, now: datetime) -> list[Row]:
    actor.require_active()
    actor.require_manager()
    return leaderboard(session=session, team=actor.team, period=period, now=now)


# -- /partners -------------------------------------------------------------------------------


def partner_scores(
    *, session: Session, team: Team, period: Period, now: datetime, limit: int = 15
) -> list[PartnerScore]:
    """Return each partner's tier, leads, win rate, revenue and last activity, best first."""
    assert team.id is not None
    found = numbers_by(
        session=session,
        team_ids=[team.id],
        edges=[period.start, period.end],
        dim="partner",
        now=now,
        metrics=("leads", "deals"),
    )
    by_partner = {key: numbers for (_, key, _), numbers in found.items() if key is not None}
    last = _last_partner_activity(
        session, col(Activity.team_id) == team.id, col(Customer.partner_id).is_not(None)
    )
    channels = {c.id: c.name for c in _channels(session, team)}
    scores = [
        PartnerScore(
            partner_id=p.id or 0,
            name=p.name,
            tier=p.tier,
            channel=channels.get(p.channel_id, "") if p.channel_id is not None else "",
            numbers=by_partner.get(p.id, Numbers()) if p.id is not None else Numbers(),
            last_activity=last.get(p.id) if p.id is not None else None,
        )
        for p in session.scalars(select(Partner).where(col(Partner.team_id) == team.id))
    ]
    scores.sort(
        key=lambda s: (-s.numbers.revenue, -s.numbers.wins, -s.numbers.leads, s.tier, s.name)
    )
    return scores[:limit]


def partner_scores_for(
    *, session: Session, actor: Actor, period: Period, now: datetime
) -> list[PartnerScore]:
    actor.require_active()
    actor.require_manager()
    return partner_scores(session=session, team=actor.team, period=period, now=now)


# -- /funnel and /pipeline -------------------------------------------------------------------


def funnel(*, session: Session, team: Team, lang: str, period: Period | None = None) -> Funnel:
    """Return customers per stage in the team's order (those created in `period`, if given)."""
    query = (
        select(col(Customer.stage), func.count())
        .where(col(Customer.team_id) == team.id)
        .group_by(col(Customer.stage))
    )
    if period is not None:
        query = query.where(
            col(Customer.created_at) >= period.start, col(Customer.created_at) < period.end
        )
    counts = {stage: int(n) for stage, n in session.execute(query)}
    stages = [(key, pipeline.stage_name(team, key, lang)) for key in pipeline.stage_keys(team)]
    return build_funnel(stages, counts, period=period)


def open_pipeline(*, session: Session, team: Team, lang: str) -> Pipeline:
    """Return open deals by their customer's current stage: count, value, weighted value."""
    # A deal's own stage is only written when it changes hands; the customer's is current.
    amount_ok = and_(col(Deal.amount).is_not(None), col(Deal.currency) == team.currency)
    rows = session.execute(
        select(
            col(Customer.stage),
            func.count(),
            func.sum(case((amount_ok, col(Deal.amount)), else_=None)),
            func.sum(case((amount_ok, 0), else_=1)),
        )
        .select_from(Deal)
        .join(Customer, col(Customer.id) == Deal.customer_id)
        .where(col(Deal.team_id) == team.id, col(Deal.status) == DealStatus.OPEN)
        .group_by(col(Customer.stage))
    ).all()
    found = {stage: (int(n), _money(value), int(blank or 0)) for stage, n, value, blank in rows}
    order = pipeline.stage_keys(team)
    keys = [k for k in order if k not in CLOSED_STAGES]
    keys += [k for k in found if k not in keys]  # deals of customers in other stages
    stages = [
        PipelineStage(
            key,
            pipeline.stage_name(team, key, lang),
            found[key][0] if key in found else 0,
            found[key][1] if key in found else ZERO,
            stage_weight(order, key),
        )
        for key in keys
    ]
    return Pipeline(
        stages=stages,
        currency=team.currency,
        without_amount=sum(blank for _, _, blank in found.values()),
    )


# -- /churn ----------------------------------------------------------------------------------


def churn(
    *, session: Session, team: Team, period: Period, now: datetime, limit: int = SHOWN
) -> Churn:
    """Return customers silent for the team's churn days, those lost in the period, the rate."""
    threshold = now - timedelta(days=team.churn_silent_days)
    seen = func.coalesce(col(Customer.last_activity_at), col(Customer.created_at))
    open_customer = and_(
        col(Customer.team_id) == team.id, col(Customer.stage).not_in(CLOSED_STAGES)
    )
    open_count, silent_count = session.execute(
        select(func.count(), func.sum(case((seen < threshold, 1), else_=0))).where(open_customer)
    ).one()
    silent_rows = session.execute(
        select(col(Customer.name), seen.label("seen"))
        .where(open_customer, seen < threshold)
        .order_by(seen.desc(), col(Customer.id))
        .limit(limit)
    ).all()
    lost_query = (
        select(col(Customer.name))
        .select_from(Customer)
        .where(col(Customer.team_id) == team.id)
        .where(
            exists().where(
                col(Deal.customer_id) == Customer.id,
                col(Deal.status) == DealStatus.LOST,
                col(Deal.closed_at) >= period.start,
                col(Deal.closed_at) < period.end,
            )
        )
        .order_by(col(Customer.name))
    )
    lost_names = list(session.execute(lost_query).scalars())
    return Churn(
        period=period,
        silent_days=team.churn_silent_days,
        silent=int(silent_count or 0),
        lost=len(lost_names),
        open_customers=int(open_count or 0),
        silent_names=[(name, _days_since(seen_at, now)) for name, seen_at in silent_rows],
        lost_names=lost_names[:limit],
    )


def _days_since(when: datetime | str, now: datetime) -> int:
    if isinstance(when, str):  # a driver may hand back coalesce() of timestamps as text
        when = datetime.fromisoformat(when)
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return max(0, (now - aware).days)


def churn_for(*, session: Session, actor: Actor, period: Period, now: datetime) -> Churn:
    actor.require_active()
    return churn(session=session, team=actor.team, period=period, now=now)


@dataclass(frozen=True)
class Silence:
    """Customers silent a long time, per team, for the digest."""

    count: int
    newly: list[str]


def silent_customers(
    *,
    session: Session,
    team_ids: Sequence[int],
    silent_days: int,
    week: Period,
    now: datetime,
    names: int = 5,
) -> dict[int, Silence]:
    """Count open customers silent ≥ `silent_days` per team; name those who crossed last week."""
    threshold = now - timedelta(days=silent_days)
    days = timedelta(days=silent_days)
    seen = func.coalesce(col(Customer.last_activity_at), col(Customer.created_at))
    result: dict[int, Silence] = {}
    for ids in _chunks(team_ids):
        base = and_(col(Customer.team_id).in_(ids), col(Customer.stage).not_in(CLOSED_STAGES))
        counts = session.execute(
            select(col(Customer.team_id), func.count())
            .where(base, seen < threshold)
            .group_by(col(Customer.team_id))
        ).all()
        newly: dict[int, list[str]] = defaultdict(list)
        crossed = and_(seen >= week.start - days, seen < week.end - days, seen < threshold)
        for team_id, name in session.execute(
            select(col(Customer.team_id), col(Customer.name))
            .where(base, crossed)
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


def quiet_partners(
    *, session: Session, team_ids: Sequence[int], silent_days: int, now: datetime
) -> dict[int, list[tuple[Partner, datetime | None]]]:
    """Return per team the partners with no activity for `silent_days`, and their last one.

    A partner's activity is any activity with one of its customers; a partner added less
    than `silent_days` ago is not silent yet.
    """
    since = now - timedelta(days=silent_days)
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
            result[partner.team_id].append((partner, last.get(partner.id or 0)))
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


def member_labels(*, session: Session, team_ids: Sequence[int]) -> dict[int, str]:
    """Return how each member of these teams is named in the chat."""
    labels: dict[int, str] = {}
    for ids in _chunks(team_ids):
        for member_id, username, full_name in session.execute(
            select(col(Member.id), col(Member.username), col(Member.full_name)).where(
                col(Member.team_id).in_(ids)
            )
        ):
            labels[member_id] = member_label(username, full_name)
    return labels


def channels_of(*, session: Session, team_ids: Sequence[int]) -> dict[int, list[Channel]]:
    """Return each team's channels in their order."""
    result: dict[int, list[Channel]] = defaultdict(list)
    for ids in _chunks(team_ids):
        for channel in session.scalars(
            select(Channel).where(col(Channel.team_id).in_(ids)).order_by(col(Channel.id))
        ):
            result[channel.team_id].append(channel)
    return dict(result)


def partner_names(*, session: Session, team_ids: Sequence[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for ids in _chunks(team_ids):
        for partner_id, name in session.execute(
            select(col(Partner.id), col(Partner.name)).where(col(Partner.team_id).in_(ids))
        ):
            names[partner_id] = name
    return names
