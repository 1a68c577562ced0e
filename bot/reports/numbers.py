"""The numbers reports show, as plain dataclasses, and the pure arithmetic on them.

Definitions (one place, so stats, digests and tests agree):
- leads: customers created in the period (a /lead or the first entry about a new customer);
- conversion: the share of those leads that already have a won deal (a cohort rate);
- visits: visit activities in the period; activities: every logged activity;
- follow-ups on time: tasks due in the period (until now), not cancelled, done by their due time;
- wins / losses: deals closed won / lost in the period; revenue: the won deals' amounts in the
  team currency; days to close: from a won deal's opening to its close, averaged (a deal
  closed without one opened first opened at its customer's first lead, when it is the
  customer's first: bot.services.entries);
- win rate: wins / (wins + losses).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.reports.periods import Period

ZERO = Decimal("0.00")


@dataclass
class Numbers:
    """Counts and sums for one slice (a channel, a rep, a partner, a week …)."""

    leads: int = 0
    won_leads: int = 0
    visits: int = 0
    activities: int = 0
    tasks_due: int = 0
    tasks_on_time: int = 0
    wins: int = 0
    losses: int = 0
    revenue: Decimal = ZERO
    close_days: float = 0.0  # summed over wins

    def __add__(self, other: Numbers) -> Numbers:
        # Field by field, not a loop over fields(): a company digest adds ~10,000 of these.
        return Numbers(
            self.leads + other.leads,
            self.won_leads + other.won_leads,
            self.visits + other.visits,
            self.activities + other.activities,
            self.tasks_due + other.tasks_due,
            self.tasks_on_time + other.tasks_on_time,
            self.wins + other.wins,
            self.losses + other.losses,
            self.revenue + other.revenue,
            self.close_days + other.close_days,
        )

    def with_revenue(self, revenue: Decimal) -> Numbers:
        """These numbers with another revenue (a chart's, in one currency)."""
        return replace(self, revenue=revenue)

    def add(self, **values: int | float | Decimal) -> None:
        """Add values to fields in place (used while folding query rows)."""
        for name, value in values.items():
            setattr(self, name, getattr(self, name) + value)

    @property
    def conversion(self) -> float | None:
        return self.won_leads / self.leads if self.leads else None

    @property
    def avg_days_to_close(self) -> float | None:
        return round(self.close_days / self.wins, 2) if self.wins else None

    @property
    def on_time_rate(self) -> float | None:
        return self.tasks_on_time / self.tasks_due if self.tasks_due else None

    @property
    def win_rate(self) -> float | None:
        closed = self.wins + self.losses
        return self.wins / closed if closed else None

    def is_empty(self) -> bool:
        return not (
            self.leads
            or self.activities
            or self.visits
            or self.wins
            or self.losses
            or self.tasks_due
            or self.revenue
        )


_FIELDS = fields(Numbers)


def sum_revenue(items: list[Numbers]) -> Decimal:
    return sum((item.revenue for item in items), ZERO)


def total(items: list[Numbers]) -> Numbers:
    result = Numbers()
    for item in items:
        result = result + item
    return result


@dataclass(frozen=True)
class Row:
    """One labelled line of a breakdown: a channel, a rep or a partner."""

    key: int | None
    name: str
    numbers: Numbers
    extra: str = ""  # e.g. a partner's tier; in a company roll-up, the currency of its amounts


def rank_key(row: Row) -> tuple[Decimal, int, int, int, str]:
    """Order reps and partners: revenue, then wins, visits, leads (most first), then name."""
    n = row.numbers
    return (-n.revenue, -n.wins, -n.visits, -n.leads, row.name)


@dataclass(frozen=True)
class Scope:
    """Whose numbers: the team, one channel, one partner or one rep."""

    kind: str = "team"  # team | channel | partner | member
    id: int | None = None
    name: str = ""

    def code(self) -> str:
        return "t" if self.kind == "team" else f"{self.kind[0]}{self.id}"


@dataclass
class StatsReport:
    """/stats: numbers by channel for a period, the total, and the asker's own."""

    period: Period
    scope: Scope
    currency: str
    rows: list[Row]
    total: Numbers
    mine: Numbers | None = None
    # Deals won in other currencies, not in the revenue above: (currency, deals, their sum)
    won_elsewhere: list[tuple[str, int, Decimal]] = field(default_factory=list)


# -- funnel ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    key: str
    name: str
    count: int  # customers in this stage now
    reached: int  # customers in this stage or further on (lost excluded)
    conversion: float | None  # reached(next) / reached(this); None for the last stage


@dataclass
class Funnel:
    stages: list[FunnelStage]
    lost: int
    total: int
    period: Period | None = None  # None: every customer; else those created in the period


def build_funnel(
    stages: list[tuple[str, str]], counts: dict[str, int], *, period: Period | None = None
) -> Funnel:
    """Turn customers per stage into a funnel with stage-to-stage conversion.

    `stages` is the team's (key, name) order; a customer in a stage has passed every stage
    before it, so reaching a stage counts it and everything after it. Lost customers left
    the funnel at an unknown stage: counted apart, not in the conversion.
    """
    ordered = [(key, name) for key, name in stages if key != "lost"]
    reached: list[int] = []
    running = 0
    for key, _ in reversed(ordered):
        running += counts.get(key, 0)
        reached.append(running)
    reached.reverse()
    result = []
    for i, (key, name) in enumerate(ordered):
        nxt = reached[i + 1] if i + 1 < len(ordered) else None
        conversion = None if nxt is None or not reached[i] else nxt / reached[i]
        result.append(FunnelStage(key, name, counts.get(key, 0), reached[i], conversion))
    return Funnel(
        stages=result, lost=counts.get("lost", 0), total=sum(counts.values()), period=period
    )


# -- pipeline --------------------------------------------------------------------------------

# The chance an open deal in each stage closes won; the one place these are defined.
STAGE_WEIGHTS: dict[str, Decimal] = {
    "lead": Decimal("0.10"),
    "contacted": Decimal("0.20"),
    "visited": Decimal("0.30"),
    "quoted": Decimal("0.50"),
    "contract": Decimal("0.80"),
    "shipped": Decimal("0.90"),
    "won": Decimal("1.00"),
    "lost": Decimal("0.00"),
}
DEFAULT_WEIGHT = STAGE_WEIGHTS["lead"]


def stage_weight(stage_order: list[str], key: str) -> Decimal:
    """Return a stage's weight; a team's own stage takes the weight of the known one before it."""
    if key in STAGE_WEIGHTS:
        return STAGE_WEIGHTS[key]
    if key in stage_order:
        for earlier in reversed(stage_order[: stage_order.index(key)]):
            if earlier in STAGE_WEIGHTS:
                return STAGE_WEIGHTS[earlier]
    return DEFAULT_WEIGHT


@dataclass(frozen=True)
class PipelineStage:
    key: str
    name: str
    deals: int
    value: Decimal
    weight: Decimal

    @property
    def weighted(self) -> Decimal:
        return (self.value * self.weight).quantize(Decimal("0.01"))


@dataclass
class Pipeline:
    stages: list[PipelineStage]
    currency: str
    without_amount: int = 0  # open deals with no amount yet
    # Open deals in other currencies, not in the values above: (currency, deals, their sum)
    elsewhere: list[tuple[str, int, Decimal]] = field(default_factory=list)

    @property
    def deals(self) -> int:
        return sum(s.deals for s in self.stages)

    @property
    def value(self) -> Decimal:
        return sum((s.value for s in self.stages), ZERO)

    @property
    def weighted(self) -> Decimal:
        return sum((s.weighted for s in self.stages), ZERO)


# -- churn -----------------------------------------------------------------------------------


@dataclass
class Churn:
    """Customers gone silent for `silent_days`, customers lost in the period, and the rate.

    The rate is (silent + lost) / (open customers + customers lost in the period).
    """

    period: Period
    silent_days: int
    silent: int
    lost: int
    open_customers: int
    silent_names: list[tuple[str, int]] = field(default_factory=list)  # (name, days silent)
    lost_names: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        base = self.open_customers + self.lost
        return (self.silent + self.lost) / base if base else None


# -- partners --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerScore:
    partner_id: int
    name: str
    tier: str
    channel: str
    numbers: Numbers
    last_activity: datetime | None


# -- the weekly digest -----------------------------------------------------------------------


class DropWarning(NamedTuple):
    """A channel's metric fell more than the team's threshold below its 4-week average."""

    channel: str
    metric: str  # leads | visits | revenue
    change_pct: int  # e.g. -50


class SilentPartner(NamedTuple):
    name: str
    days: int | None  # None: never any activity


WARNING_METRICS = ("leads", "visits", "revenue")
LOOKBACK_WEEKS = 4
TREND_WEEKS = 8


def drop_warnings(
    channels: list[tuple[str, list[Numbers]]], *, threshold_pct: int, lookback: int = LOOKBACK_WEEKS
) -> list[DropWarning]:
    """Warn when last week's leads, visits or revenue fell over the threshold below average.

    `channels` holds each channel's weeks, oldest first, the last being the reported week;
    the average is over the `lookback` weeks before it. No average, no warning.
    """
    result = []
    for name, weeks in channels:
        if len(weeks) < lookback + 1:
            continue
        last, before = weeks[-1], weeks[-1 - lookback : -1]
        for metric in WARNING_METRICS:
            average = Decimal(sum(Decimal(getattr(w, metric)) for w in before)) / lookback
            if average <= 0:
                continue
            change = (Decimal(getattr(last, metric)) - average) / average * 100
            if change < -threshold_pct:
                result.append(DropWarning(name, metric, int(change.to_integral_value())))
    return result


@dataclass(frozen=True)
class Weekly:
    """A group's, a channel kind's or a partner's weeks in one currency, oldest first."""

    name: str
    currency: str
    weeks: list[Numbers]

    def change(self) -> int:
        """How much its counts moved against the week before (leads, visits, wins)."""
        last, prev = self.weeks[-1], self.weeks[-2] if len(self.weeks) > 1 else Numbers()
        return sum(abs(getattr(last, m) - getattr(prev, m)) for m in ("leads", "visits", "wins"))


class CompanyWarning(NamedTuple):
    """A group, channel kind or partner of a company whose week fell below its average."""

    of: str  # group | channel | partner
    currency: str
    warning: DropWarning


MOVERS = 3


@dataclass
class CompanyPart:
    """What a head office's digest says of its whole company."""

    name: str
    currencies: list[str]  # the head office's first
    groups: list[Weekly]  # every group, the head office first
    kinds: list[Weekly]  # channel kinds with numbers, per currency; name "" for no channel
    warnings: list[CompanyWarning]  # groups, then kinds, then partners; worst first in each

    def totals(self, week: int) -> list[tuple[str, Numbers]]:
        """The company's numbers of one week (-1: the last) per currency."""
        return [
            (money, total([g.weeks[week] for g in self.groups if g.currency == money]))
            for money in self.currencies
        ]

    def movers(self) -> list[Weekly]:
        """The groups whose counts moved most against the week before, most first."""
        moved = [g for g in self.groups if g.change()]
        return sorted(moved, key=lambda g: (-g.change(), g.name))[:MOVERS]

    def is_empty(self) -> bool:
        return all(g.weeks[-1].is_empty() for g in self.groups)


@dataclass
class TeamDigest:
    """Everything one team's weekly digest says; built by the digest service, rendered pure."""

    team_id: int
    chat_id: int
    thread_id: int | None
    lang: str
    tz: ZoneInfo
    currency: str
    week: Period
    now: datetime
    channels: list[tuple[str, list[Numbers]]]  # each channel's TREND_WEEKS weeks, oldest first
    top_reps: list[Row] = field(default_factory=list)
    top_partners: list[Row] = field(default_factory=list)
    overdue: int = 0
    overdue_by_owner: list[tuple[str, int]] = field(default_factory=list)
    silent_customers: int = 0
    newly_silent: list[str] = field(default_factory=list)
    silent_partners: list[SilentPartner] = field(default_factory=list)
    # Customers that went back to the shared pool (公海) in the week and are still there
    pooled: list[str] = field(default_factory=list)
    warnings: list[DropWarning] = field(default_factory=list)
    churn_silent_days: int = 30
    partner_silent_days: int = 14
    skip_empty: bool = False
    so_far: bool = False  # `week` is this week until today (/digest now), not a full week
    # A head office's digest covers its company; the fields above stay its own group's
    company: CompanyPart | None = None

    def week_totals(self) -> list[Numbers]:
        """Return the team's (a head office's: the company's) totals per week, oldest first.

        A company's revenue is the groups' in the head office's currency only.
        """
        if self.company is not None:
            groups = [g.weeks for g in self.company.groups]
            same = [g.weeks for g in self.company.groups if g.currency == self.currency]
            return [
                total([w[i] for w in groups]).with_revenue(sum_revenue([w[i] for w in same]))
                for i in range(len(groups[0]) if groups else TREND_WEEKS)
            ]
        weeks = max((len(w) for _, w in self.channels), default=TREND_WEEKS)
        return [total([w[i] for _, w in self.channels if i < len(w)]) for i in range(weeks)]

    @property
    def last(self) -> Numbers:
        return total([w[-1] for _, w in self.channels if w])

    @property
    def previous(self) -> Numbers:
        return total([w[-2] for _, w in self.channels if len(w) > 1])

    def is_empty(self) -> bool:
        quiet = self.last.is_empty() if self.company is None else self.company.is_empty()
        return quiet and not self.pooled
