"""Team numbers as the reports show them: stats, funnel, pipeline, leaderboard, partners, churn.

Who may see which numbers (scopes and permissions) and how query rows become report data.
The SQL lives in models.queries.stats, shared with the weekly digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.i18n import channel_name
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
from models.queries import stats as queries
from models.queries.stats import CLOSED_STAGES, METRICS, Dim, Key, Only
from models.tables import Channel, Member, Partner, Team

SHOWN = 10


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
    """Return Numbers per (team, channel|member|partner, bucket) of a scope's rows."""
    found = queries.metric_counts(
        session=session,
        team_ids=team_ids,
        edges=edges,
        dim=dim,
        now=now,
        only=_only(scope),
        metrics=metrics,
    )
    return {key: Numbers(**values) for key, values in found.items()}


def _only(scope: Scope | None) -> Only | None:
    """The query filter of a scope: none for the team, else its channel, partner or member."""
    if scope is None:
        return None
    dims: dict[str, Dim] = {"channel": "channel", "partner": "partner", "member": "member"}
    return (dims[scope.kind], scope.id) if scope.kind in dims else None


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
        return Scope("channel", channel.id, channel_name(channel.name, channel.kind, actor.lang))
    if request.partner:
        actor.require_manager("error.not_manager.stats_partner")
        partner = partners.find_partner(session=session, team=team, name=request.partner)
        if partner is None:
            raise CrmError("partner.unknown", name=request.partner)
        return Scope("partner", partner.id, partner.name)
    if request.rep:
        member = teams.find_member(session=session, team=team, username=request.rep)
        if not actor.is_manager and member.id != actor.member.id:
            actor.require_manager("error.not_manager.stats_rep")
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
        return Scope(kind, key, channel_name(channel.name, channel.kind, actor.lang))
    if kind == "partner":
        actor.require_manager("error.not_manager.stats_partner")
        partner = session.get(Partner, key)
        if partner is None or partner.team_id != team_id:
            raise UsageError("usage.stats")
        return Scope(kind, key, partner.name)
    member = session.get(Member, key)
    if member is None or member.team_id != team_id:
        raise UsageError("usage.stats")
    if not actor.is_manager and member.id != actor.member.id:
        actor.require_manager("error.not_manager.stats_rep")
    return Scope(kind, key, member_label(member.username, member.full_name))


def period_for(actor: Actor, text: str, *, now: datetime) -> Period:
    """Parse a period phrase in the team's zone, or raise the stats usage."""
    try:
        return parse_report_period(text, now=now, tz=actor.tz)
    except PeriodError:
        raise UsageError("usage.period", text=text) from None


def period_from_code(actor: Actor, code: str) -> Period:
    """Rebuild a period from its code (a 📊 button's) in the team's zone, or raise the usage."""
    try:
        return Period.from_code(code, actor.tz)
    except ValueError:  # a PeriodError, or dates that make no period
        raise UsageError("usage.stats") from None


# -- /stats ----------------------------------------------------------------------------------


def team_stats(
    *, session: Session, team: Team, period: Period, now: datetime, scope: Scope | None = None
) -> StatsReport:
    """Return the period's numbers by channel (in the team's channel order) and the total."""
    scope = scope or Scope()
    edges = [period.start, period.end]
    found = numbers_by(
        session=session, team_ids=[team.id], edges=edges, dim="channel", now=now, scope=scope
    )
    by_channel = {key: numbers for (_, key, _), numbers in found.items()}
    rows = [
        Row(
            channel.id,
            channel_name(channel.name, channel.kind, team.language),
            by_channel.pop(channel.id, Numbers()),
        )
        for channel in _channels(session, team)
    ]
    if scope.kind == "channel":
        rows = [row for row in rows if row.key == scope.id]
    for key, numbers in by_channel.items():  # no channel (or one since deleted)
        rows.append(Row(key, "", numbers))
    report_total = total([row.numbers for row in rows])
    elsewhere = queries.won_deals_elsewhere(
        session=session, team_id=team.id, currency=team.currency, start=period.start,
        end=period.end, only=_only(scope),
    )  # fmt: skip
    return StatsReport(period, scope, team.currency, rows, report_total, won_elsewhere=elsewhere)


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


def breakdown_for(
    *, session: Session, actor: Actor, period: Period, now: datetime
) -> dict[str, list[Row]]:
    """The period's numbers per rep and per partner, for managers (reps: none); best first."""
    actor.require_active()
    if not actor.is_manager:
        return {}
    team, edges = actor.team, [period.start, period.end]
    labels = member_labels(session=session, team_ids=[team.id])
    by_member = numbers_by(session=session, team_ids=[team.id], edges=edges, dim="member", now=now)
    reps = [
        Row(key, labels.get(key, ""), numbers)
        for (_, key, _), numbers in by_member.items()
        if key is not None and key in labels
    ]
    by_partner = numbers_by(
        session=session, team_ids=[team.id], edges=edges, dim="partner", now=now
    )
    partner_names = {
        p.id: p.name for p in queries.team_partners(session=session, team_ids=[team.id])
    }
    partner_rows = [
        Row(key, partner_names[key], numbers)
        for (_, key, _), numbers in by_partner.items()
        if key in partner_names
    ]
    return {"rep": sorted(reps, key=rank_key), "partner": sorted(partner_rows, key=rank_key)}


def _channels(session: Session, team: Team) -> list[Channel]:
    return queries.channels_of(session=session, team_ids=[team.id]).get(team.id, [])


# -- /leaderboard ----------------------------------------------------------------------------


def leaderboard(
    *, session: Session, team: Team, period: Period, now: datetime, limit: int = SHOWN
) -> list[Row]:
    """Return reps by revenue, then wins, then visits, for the period."""
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
    actor.require_manager("error.not_manager.leaderboard")
    return leaderboard(session=session, team=actor.team, period=period, now=now)


# -- /partners -------------------------------------------------------------------------------


def partner_scores(
    *, session: Session, team: Team, period: Period, now: datetime, limit: int = 15
) -> list[PartnerScore]:
    """Return each partner's tier, leads, win rate, revenue and last activity, best first."""
    found = numbers_by(
        session=session,
        team_ids=[team.id],
        edges=[period.start, period.end],
        dim="partner",
        now=now,
        metrics=("leads", "deals"),
    )
    by_partner = {key: numbers for (_, key, _), numbers in found.items() if key is not None}
    last = queries.partner_last_activity(session=session, team_ids=[team.id])
    channels = {c.id: channel_name(c.name, c.kind, team.language) for c in _channels(session, team)}
    scores = [
        PartnerScore(
            partner_id=p.id,
            name=p.name,
            tier=p.tier,
            channel=channels.get(p.channel_id, "") if p.channel_id is not None else "",
            numbers=by_partner.get(p.id, Numbers()) if p.id is not None else Numbers(),
            last_activity=last.get(p.id) if p.id is not None else None,
        )
        for p in queries.team_partners(session=session, team_ids=[team.id])
    ]
    return best_partners(scores, limit)


def best_partners(scores: list[PartnerScore], limit: int) -> list[PartnerScore]:
    """The partners with the most revenue, wins and leads first; then by tier and name."""
    scores.sort(
        key=lambda s: (-s.numbers.revenue, -s.numbers.wins, -s.numbers.leads, s.tier, s.name)
    )
    return scores[:limit]


def partner_scores_for(
    *, session: Session, actor: Actor, period: Period, now: datetime
) -> list[PartnerScore]:
    actor.require_active()
    actor.require_manager("error.not_manager.partners")
    return partner_scores(session=session, team=actor.team, period=period, now=now)


# -- /funnel and /pipeline -------------------------------------------------------------------


def funnel(*, session: Session, team: Team, lang: str, period: Period | None = None) -> Funnel:
    """Return customers per stage in the team's order (those created in `period`, if given)."""
    created = (period.start, period.end) if period is not None else None
    counts = queries.stage_counts(session=session, team_id=team.id, created=created)
    stages = [(key, pipeline.stage_name(team, key, lang)) for key in pipeline.stage_keys(team)]
    return build_funnel(stages, counts, period=period)


def open_pipeline(*, session: Session, team: Team, lang: str) -> Pipeline:
    """Return open deals by their customer's current stage: count, value, weighted value."""
    found = queries.open_deals_by_stage(session=session, team_id=team.id, currency=team.currency)
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
        elsewhere=queries.open_deals_elsewhere(
            session=session, team_id=team.id, currency=team.currency
        ),
    )


# -- /churn ----------------------------------------------------------------------------------


def churn(
    *, session: Session, team: Team, period: Period, now: datetime, limit: int = SHOWN
) -> Churn:
    """Return customers silent for the team's churn days, those lost in the period, the rate."""
    found = queries.churn_counts(
        session=session,
        team_id=team.id,
        silent_before=now - timedelta(days=team.churn_silent_days),
        lost=(period.start, period.end),
        limit=limit,
    )
    return Churn(
        period=period,
        silent_days=team.churn_silent_days,
        silent=found.silent,
        lost=len(found.lost_names),
        open_customers=found.open_customers,
        silent_names=[(name, max(0, (now - seen).days)) for name, seen in found.silent_seen],
        lost_names=found.lost_names[:limit],
    )


def churn_for(*, session: Session, actor: Actor, period: Period, now: datetime) -> Churn:
    actor.require_active()
    return churn(session=session, team=actor.team, period=period, now=now)


def member_labels(*, session: Session, team_ids: Sequence[int]) -> dict[int, str]:
    """Return how each member of these teams is named in the chat."""
    names = queries.member_names(session=session, team_ids=team_ids)
    return {key: member_label(username, full_name) for key, (username, full_name) in names.items()}
