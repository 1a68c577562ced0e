"""/stats org: a company's numbers for a period, per member group and per channel kind.

The figures are /stats's (leads, visits, wins, revenue from the per-day counters), summed over
the company's groups in one query rather than one report per group. `/stats org partner NAME`
is one partner's across the company: each group has its own row of a partner (a partner
room's copy, a region's own), and the partner's normalized name is the company's key for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.i18n import channel_name
from bot.parsing import normalize_name
from bot.reports.numbers import Numbers, PartnerScore, Row, total
from bot.reports.periods import Period
from bot.services import companies, partners, stats
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.queries import companies as company_queries
from models.queries import stats as stat_queries
from models.tables import ChannelKind, Company, Team

# The counters /stats shows in its table (follow-ups are counted from tasks, per group).
ROLLED_UP = ("leads", "activities", "deals")
KIND_ORDER = {kind.value: i for i, kind in enumerate(ChannelKind)}
Kind = str | None  # a channel kind; None for entries with no channel


@dataclass(frozen=True)
class CompanyStats:
    """A company's numbers for a period: per group (head office first), per channel kind.

    Amounts are summed only within one currency: a group's revenue is in its own currency
    (its row's `extra`), and a company whose groups use several has a channel row and a
    total per currency, never one mixed sum. The period is cut in the head office's zone.
    """

    company: str
    period: Period
    tz: ZoneInfo  # the zone the period is cut in: the head office's
    groups: list[Row]  # every group, with zeros for a quiet one
    channels: list[Row]  # per channel kind and currency with numbers; name "" for no channel
    totals: list[Row]  # one per currency (its `extra`), the head office's first
    partner: str | None = None  # one partner's numbers: the groups where it has any

    @property
    def currencies(self) -> list[str]:
        return [row.extra for row in self.totals]

    def is_empty(self) -> bool:
        return all(row.numbers.is_empty() for row in self.totals)


@dataclass(frozen=True)
class Folded:
    """The numbers of a company's groups per bucket: by group, and by channel kind and currency."""

    by_team: dict[int, dict[int, Numbers]]
    by_kind: dict[tuple[Kind, str], dict[int, Numbers]]


def fold(
    *,
    session: Session,
    groups: list[Team],
    edges: Sequence[datetime],
    now: datetime,
    metrics: Sequence[str] = ROLLED_UP,
) -> Folded:
    """Count the groups' numbers between `edges` in one query, folded by group and by kind."""
    team_ids = [team.id for team in groups]
    found = stats.numbers_by(
        session=session, team_ids=team_ids, edges=edges, dim="channel", now=now, metrics=metrics
    )
    kinds = {
        channel.id: channel.kind
        for channels in stat_queries.channels_of(session=session, team_ids=team_ids).values()
        for channel in channels
    }
    currency = {team.id: team.currency for team in groups}
    by_team: dict[int, dict[int, Numbers]] = defaultdict(lambda: defaultdict(Numbers))
    by_kind: dict[tuple[Kind, str], dict[int, Numbers]] = defaultdict(lambda: defaultdict(Numbers))
    for (team_id, channel_id, bucket), numbers in found.items():
        by_team[team_id][bucket] += numbers
        kind = kinds.get(channel_id) if channel_id is not None else None
        by_kind[(kind, currency[team_id])][bucket] += numbers
    return Folded(by_team, by_kind)


def kind_order(key: tuple[Kind, str], currencies: list[str]) -> tuple[int, int]:
    """Channel kinds in their order, no channel last; within a kind, currencies in order."""
    kind, currency = key
    place = KIND_ORDER.get(kind, len(KIND_ORDER)) if kind else 99
    return place, currencies.index(currency)


def currencies_of(head: Team, groups: list[Team]) -> list[str]:
    """The currencies the groups count revenue in, the head office's first."""
    found = [head.currency]
    found += sorted({team.currency for team in groups} - {head.currency})
    return found


def kind_label(kind: Kind, lang: str) -> str:
    return channel_name(None, kind, lang) if kind else ""


def _report(
    company: Company, head: Team, period: Period, groups: list[Row], channels: list[Row],
    money: list[str], *, partner: str | None = None,
) -> CompanyStats:  # fmt: skip
    """A company's report from its rows: the totals per currency summed from the groups'."""
    totals = [
        Row(None, currency, total([r.numbers for r in groups if r.extra == currency]), currency)
        for currency in money
    ]
    return CompanyStats(
        company=company.name, period=period, tz=ZoneInfo(head.timezone), groups=groups,
        channels=channels, totals=totals, partner=partner,
    )  # fmt: skip


def _groups(session: Session, company: Company) -> list[Team]:
    return [
        team for _, team, _ in company_queries.groups_of(session=session, company_id=company.id)
    ]


def company_stats(
    *, session: Session, company: Company, head: Team, period: Period, now: datetime
) -> CompanyStats:
    """Sum the period's numbers of all the company's groups, by group and by channel kind."""
    groups = _groups(session, company)
    folded = fold(session=session, groups=groups, edges=[period.start, period.end], now=now)
    money = currencies_of(head, groups)
    group_rows = [
        Row(team.id, team.title, folded.by_team.get(team.id, {}).get(0, Numbers()), team.currency)
        for team in groups
    ]
    channel_rows = [
        Row(None, kind_label(kind, head.language), folded.by_kind[(kind, currency)][0], currency)
        for kind, currency in sorted(folded.by_kind, key=lambda k: kind_order(k, money))
        if not folded.by_kind[(kind, currency)][0].is_empty()
    ]
    return _report(company, head, period, group_rows, channel_rows, money)


def partner_stats(
    *, session: Session, company: Company, head: Team, name: str, period: Period, now: datetime
) -> CompanyStats:
    """Sum one partner's numbers for the period over the company's groups that have it."""
    groups = _groups(session, company)
    shown, key = _partner_named(session, head, [team.id for team in groups], name)
    rows = company_queries.partners_by_key(
        session=session, team_ids=[team.id for team in groups], key=key
    )
    ids = {partner.id for partner in rows}
    found = stats.numbers_by(
        session=session,
        team_ids=sorted({partner.team_id for partner in rows}),
        edges=[period.start, period.end],
        dim="partner",
        now=now,
        metrics=ROLLED_UP,
    )
    by_team: dict[int, Numbers] = defaultdict(Numbers)
    for (team_id, partner_id, _), numbers in found.items():
        if partner_id in ids:
            by_team[team_id] += numbers
    group_rows = [
        Row(team.id, team.title, by_team[team.id], team.currency)
        for team in groups
        if not by_team.get(team.id, Numbers()).is_empty()
    ]
    money = currencies_of(head, groups)
    return _report(company, head, period, group_rows, [], money, partner=shown)


def partner_scores(
    *, session: Session, company: Company, head: Team, period: Period, now: datetime,
    limit: int = 15,
) -> list[PartnerScore]:  # fmt: skip
    """Each partner's scorecard over the company's groups, as /partners shows a group's.

    A partner is its normalized name across the groups: its numbers summed, its last activity
    the latest; its name, tier and channel the head office's row of it, else the first group's.
    """
    groups = _groups(session, company)
    ids = [team.id for team in groups]
    found = stats.numbers_by(
        session=session,
        team_ids=ids,
        edges=[period.start, period.end],
        dim="partner",
        now=now,
        metrics=("leads", "deals"),
    )
    by_partner: dict[int, Numbers] = defaultdict(Numbers)
    for (_, partner_id, _), numbers in found.items():
        if partner_id is not None:
            by_partner[partner_id] += numbers
    last = stat_queries.partner_last_activity(session=session, team_ids=ids)
    channels = {
        channel.id: channel_name(channel.name, channel.kind, head.language)
        for rows in stat_queries.channels_of(session=session, team_ids=ids).values()
        for channel in rows
    }
    scores: dict[str, PartnerScore] = {}
    rows = stat_queries.team_partners(session=session, team_ids=ids)
    # The head office's row of a partner names it; the others add their numbers to it.
    for partner in sorted(rows, key=lambda p: p.team_id != head.id):
        numbers, seen = by_partner.get(partner.id, Numbers()), last.get(partner.id)
        score = scores.get(partner.normalized_name)
        if score is None:
            channel = channels.get(partner.channel_id, "") if partner.channel_id else ""
            scores[partner.normalized_name] = PartnerScore(
                partner.id, partner.name, partner.tier, channel, numbers, seen
            )
            continue
        latest = max((d for d in (score.last_activity, seen) if d is not None), default=None)
        scores[partner.normalized_name] = replace(
            score, numbers=score.numbers + numbers, last_activity=latest
        )
    return stats.best_partners(list(scores.values()), limit)


def partner_scores_for(
    *, session: Session, actor: Actor, period_text: str, head_admin: bool, now: datetime
) -> tuple[str, Period, list[PartnerScore]]:
    """/partners org: the company's name, the period and its partners' scorecards."""
    found = _head_office_for(actor, session, head_admin)
    period = stats.period_for(actor, period_text, now=now)
    scores = partner_scores(
        session=session, company=found.company, head=found.head, period=period, now=now
    )
    return found.company.name, period, scores


def _partner_named(session: Session, head: Team, team_ids: list[int], name: str) -> tuple[str, str]:
    """The partner a manager named: the head office's (found as elsewhere), else any group's.

    Return its name as shown and its key.
    """
    near = partners.near_partners(session=session, team=head, name=name)
    if len(near) > 1:
        listed = ", ".join(p.name for p in near)
        raise CrmError("org.error.partner_ambiguous", name=name.strip(), candidates=listed)
    if near:
        return near[0].name, near[0].normalized_name
    key = normalize_name(name)
    found = company_queries.partners_by_key(session=session, team_ids=team_ids, key=key)
    if not key or not found:
        raise CrmError("partner.unknown", name=name.strip())
    return found[0].name, key


def company_stats_for(
    *,
    session: Session,
    actor: Actor,
    period_text: str,
    head_admin: bool,
    now: datetime,
    partner: str | None = None,
) -> CompanyStats:
    """/stats org as a company manager asks it in the head office (`head_admin`: its chat admin).

    With `partner`, that partner's numbers across the company.
    """
    found = _head_office_for(actor, session, head_admin)
    period = stats.period_for(actor, period_text, now=now)
    if partner is not None:
        return partner_stats(
            session=session, company=found.company, head=found.head, name=partner,
            period=period, now=now,
        )  # fmt: skip
    return company_stats(
        session=session, company=found.company, head=found.head, period=period, now=now
    )


def _head_office_for(actor: Actor, session: Session, head_admin: bool) -> companies.Place:
    """The actor's company, asked in its head office by a company manager; else refused."""
    actor.require_active()
    found = companies.place(session=session, team=actor.team)
    if found is None:
        raise CrmError("stats.org.none")
    if not found.is_head_office:
        raise CrmError("stats.org.not_head", head=found.head.title)
    if not head_admin:
        actor.require_manager("stats.org.not_manager")
    return found
