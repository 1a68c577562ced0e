"""The head office's weekly digest covers its company: every group's week, summed.

The numbers are /stats org's: one counters query for all the company's groups over the
digest's weeks (rollup.fold), folded per group and per channel kind, amounts never summed
across currencies. Groups, kinds and partners whose week fell below their 4-week average
are the company's early warnings. The weeks are the head office's, cut in its zone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlmodel import Session

from bot.reports.numbers import (
    TREND_WEEKS,
    CompanyPart,
    CompanyWarning,
    Numbers,
    TeamDigest,
    Weekly,
    drop_warnings,
)
from bot.reports.periods import Period, week_edges, weeks_ending
from bot.services import rollup, stats
from models.queries import companies as company_queries
from models.queries import stats as stat_queries
from models.tables import Company, Team


def add_companies(*, session: Session, digests: list[TeamDigest], teams: list[Team]) -> None:
    """Give the digest of each head office among `digests` its company's part."""
    heads = company_queries.companies_headed(session=session, team_ids=[d.team_id for d in digests])
    by_id = {team.id: team for team in teams}
    for weekly in digests:
        company = heads.get(weekly.team_id)
        if company is not None:
            weekly.company = company_part(
                session=session,
                company=company,
                head=by_id[weekly.team_id],
                week=weekly.week,
                now=weekly.now,
            )


def company_part(
    *, session: Session, company: Company, head: Team, week: Period, now: datetime
) -> CompanyPart:
    """The company's groups and channel kinds over the weeks up to `week`, and its warnings."""
    groups = [
        team for _, team, _ in company_queries.groups_of(session=session, company_id=company.id)
    ]
    weeks = weeks_ending(week, TREND_WEEKS)
    edges, step = week_edges(weeks)
    folded = rollup.fold(session=session, groups=groups, edges=edges, now=now)
    money = rollup.currencies_of(head, groups)

    def series(buckets: dict[int, Numbers]) -> list[Numbers]:
        return [buckets.get(i * step, Numbers()) for i in range(len(weeks))]

    by_group = [
        Weekly(team.title, team.currency, series(folded.by_team.get(team.id, {})))
        for team in groups
    ]
    kinds = [
        Weekly(rollup.kind_label(kind, head.language), currency, series(buckets))
        for (kind, currency), buckets in sorted(
            folded.by_kind.items(), key=lambda item: rollup.kind_order(item[0], money)
        )
        if any(not n.is_empty() for n in buckets.values())
    ]
    partners = _partner_weeks(session, groups, edges, step, len(weeks), now)
    warnings = [
        CompanyWarning(of, item.currency, warning)
        for of, items in (("group", by_group), ("channel", kinds), ("partner", partners))
        for item in items
        for warning in sorted(
            drop_warnings([(item.name, item.weeks)], threshold_pct=head.warn_drop_pct),
            key=lambda w: w.change_pct,
        )
    ]
    return CompanyPart(
        name=company.name, currencies=money, groups=by_group, kinds=kinds, warnings=warnings
    )


def _partner_weeks(
    session: Session,
    groups: list[Team],
    edges: list[datetime],
    step: int,
    count: int,
    now: datetime,
) -> list[Weekly]:
    """Each partner's weeks over the company's groups (a partner room's entries count for
    the head office's partner it is bound to), in its own group's currency."""
    ids = [team.id for team in groups]
    found = stats.numbers_by(
        session=session, team_ids=ids, edges=edges, dim="partner", now=now, metrics=rollup.ROLLED_UP
    )
    names = stat_queries.partner_names(session=session, team_ids=ids)
    currency = {team.id: team.currency for team in groups}
    weeks: dict[tuple[int, str], list[Numbers]] = defaultdict(lambda: [Numbers()] * count)
    for (team_id, partner_id, bucket), numbers in found.items():
        if partner_id is None or partner_id not in names or bucket % step:
            continue
        series = weeks[(partner_id, currency[team_id])]
        series[bucket // step] = series[bucket // step] + numbers
    return [
        Weekly(names[partner_id], money, series)
        for (partner_id, money), series in sorted(weeks.items(), key=lambda kv: names[kv[0][0]])
    ]
