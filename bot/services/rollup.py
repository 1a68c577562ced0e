"""/stats org: a company's numbers for a period, per member group and per channel kind.

The figures are /stats's (leads, visits, wins, revenue from the per-day counters), summed over
the company's groups in one query rather than one report per group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.i18n import channel_name
from bot.reports.numbers import Numbers, Row, total
from bot.reports.periods import Period
from bot.services import companies, stats
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.queries import companies as company_queries
from models.queries import stats as stat_queries
from models.tables import ChannelKind, Company, Team

# The counters /stats shows in its table (follow-ups are counted from tasks, per group).
ROLLED_UP = ("leads", "activities", "deals")
KIND_ORDER = {kind.value: i for i, kind in enumerate(ChannelKind)}


@dataclass(frozen=True)
class CompanyStats:
    """A company's numbers for a period: per group (head office first), per channel kind."""

    company: str
    period: Period
    currency: str  # the head office's
    groups: list[Row]  # every group, with zeros for a quiet one
    channels: list[Row]  # channel kinds with numbers; name "" for entries with no channel
    total: Numbers


def company_stats(
    *, session: Session, company: Company, head: Team, period: Period, now: datetime
) -> CompanyStats:
    """Sum the period's numbers of all the company's groups, by group and by channel kind."""
    groups = company_queries.groups_of(session=session, company_id=company.id)
    team_ids = [team.id for _, team, _ in groups]
    found = stats.numbers_by(
        session=session,
        team_ids=team_ids,
        edges=[period.start, period.end],
        dim="channel",
        now=now,
        metrics=ROLLED_UP,
    )
    kinds = {
        channel.id: channel.kind
        for channels in stat_queries.channels_of(session=session, team_ids=team_ids).values()
        for channel in channels
    }
    by_team: dict[int, Numbers] = defaultdict(Numbers)
    by_kind: dict[str | None, Numbers] = defaultdict(Numbers)
    for (team_id, channel_id, _), numbers in found.items():
        by_team[team_id] += numbers
        by_kind[kinds.get(channel_id) if channel_id is not None else None] += numbers
    group_rows = [Row(team.id, team.title, by_team[team.id]) for _, team, _ in groups]
    ordered = sorted(by_kind, key=lambda k: KIND_ORDER.get(k, len(KIND_ORDER)) if k else 99)
    channel_rows = [
        Row(None, channel_name(None, kind, head.language) if kind else "", by_kind[kind])
        for kind in ordered
        if not by_kind[kind].is_empty()
    ]
    return CompanyStats(
        company=company.name,
        period=period,
        currency=head.currency,
        groups=group_rows,
        channels=channel_rows,
        total=total([row.numbers for row in group_rows]),
    )


def company_stats_for(
    *, session: Session, actor: Actor, period_text: str, head_admin: bool, now: datetime
) -> CompanyStats:
    """/stats org as a company manager asks it in the head office (`head_admin`: its chat admin)."""
    actor.require_active()
    found = companies.place(session=session, team=actor.team)
    if found is None:
        raise CrmError("stats.org.none")
    if not found.is_head_office:
        raise CrmError("stats.org.not_head", head=found.head.title)
    if not head_admin:
        actor.require_manager("stats.org.not_manager")
    period = stats.period_for(actor, period_text, now=now)
    return company_stats(
        session=session, company=found.company, head=found.head, period=period, now=now
    )
