"""The per-day counters give the numbers the rows give, whatever the writes did to them.

A randomised team is written, then changed the ways the bot changes rows (undo deletes
activities, deals and a fresh customer; deals are won, lost, reopened and reassigned;
customers change channel and partner; the team changes its zone), and after each round
every counter-based figure is compared with a count straight from the rows, over buckets
that are whole local days and over buckets with ragged edges.
"""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from models.db import Database
from models.queries.counters import MEASURES
from models.queries.stats import Dim, Only, metric_counts, row_counts
from models.tables import Activity, Customer, Deal, StatCounter, StatCounterTeam, Team
from tests.integration.reports.seed import Seed, at, new_team

KINDS = ("visit", "call", "note", "lead", "won")
DIMS: tuple[Dim, ...] = ("channel", "partner", "member")


def build(session: Session, rng: random.Random) -> Seed:
    s = new_team(session)
    for name in ("ann", "ben", "cat"):
        s.member(name)
    for name, kind in (("Dist", "distributor"), ("Shop", "ecommerce")):
        s.channel(name, kind)
    s.partner("P1", channel="Dist", created=at(9, 1))
    s.partner("P2", created=at(9, 1))
    for i in range(30):
        s.customer(
            f"C{i}",
            by=rng.choice(list(s.members)),
            created=random_time(rng),
            channel=rng.choice([None, *s.channels]),
            partner=rng.choice([None, *s.partners]),
        )
    for _ in range(120):
        s.activity(
            rng.choice(KINDS),
            rng.choice([None, *s.customers]),
            by=rng.choice(list(s.members)),
            when=random_time(rng),
        )
    for name in rng.sample(list(s.customers), 20):
        opened = random_time(rng)
        status = rng.choice(("open", "won", "lost"))
        s.deal(
            name,
            by=rng.choice(list(s.members)),
            created=opened,
            status=status,
            closed=opened + timedelta(hours=rng.randint(1, 300)) if status != "open" else None,
            amount=str(rng.randint(1, 90) * 1000),
            currency=rng.choice(("CNY", "CNY", "USD")),
        )
    session.flush()
    return s


def random_time(rng: random.Random) -> datetime:
    return at(10, 20) + timedelta(minutes=rng.randint(0, 60 * 24 * 50))


def shake(session: Session, s: Seed, rng: random.Random) -> None:
    """Change rows the ways undo, edits, wins and reassignment do."""
    activities = list(session.exec(select(Activity).where(Activity.team_id == s.team_id)))
    for activity in rng.sample(activities, 10):  # undo
        session.delete(activity)
    deals = list(session.exec(select(Deal).where(Deal.team_id == s.team_id)))
    members = [m.id for m in s.members.values()]
    for deal in rng.sample(deals, min(6, len(deals))):
        change = rng.choice(("win", "lose", "reopen", "reassign", "delete", "amount"))
        if change == "win":
            deal.status, deal.closed_at = "won", random_time(rng)
        elif change == "lose":
            deal.status, deal.closed_at = "lost", random_time(rng)
        elif change == "reopen":
            deal.status, deal.closed_at = "open", None
        elif change == "reassign":
            deal.owner_id = rng.choice(members)
        elif change == "amount":
            deal.amount, deal.currency = (
                Decimal(rng.randint(1, 9) * 500),
                rng.choice(("CNY", "USD")),
            )
        else:
            session.delete(deal)
    customers = list(session.exec(select(Customer).where(Customer.team_id == s.team_id)))
    channels = [None, *(c.id for c in s.channels.values())]
    partners = [None, *(p.id for p in s.partners.values())]
    for customer in rng.sample(customers, 6):  # channel and partner changes
        customer.channel_id = rng.choice(channels)
        if rng.random() < 0.5:
            customer.partner_id = rng.choice(partners)
    bare = Customer(
        team_id=s.team_id, name="Fresh", normalized_name=f"fresh{rng.random()}",
        created_by=rng.choice(members), created_at=random_time(rng), channel_id=channels[1],
    )  # fmt: skip
    session.add(bare)
    session.flush()
    session.add(
        Activity(team_id=s.team_id, customer_id=bare.id, member_id=members[0], kind="lead",
                 occurred_at=bare.created_at)
    )  # fmt: skip
    session.flush()
    if rng.random() < 0.5:  # undo of a lead: its activity, then the customer
        for activity in session.exec(select(Activity).where(Activity.customer_id == bare.id)):
            session.delete(activity)
        session.flush()
        session.delete(bare)
    session.flush()


def edges_of(s: Seed, rng: random.Random, team: Team) -> list[list[datetime]]:
    days = [at(10, 25) + timedelta(days=7 * i) for i in range(7)]  # whole Shanghai weeks
    ragged = sorted(random_time(rng) for _ in range(4))
    return [days, ragged, [days[0], days[-1]]]


def from_rows(
    session: Session, team_id: int, edges: list[datetime], dim: Dim, only: Only | None
) -> Any:
    found: dict[Any, dict[str, Any]] = {}
    for bucket, (start, end) in enumerate(itertools.pairwise(edges)):
        for (team, key, _), values in row_counts(
            session,
            [team_id],
            [start, end],
            dim,
            only,
            ("leads", "activities", "deals"),
        ):
            slot = found.setdefault((team, key, bucket), {})
            for name, value in values.items():
                slot[name] = slot.get(name, 0) + value
    return found


def check(session: Session, s: Seed, rng: random.Random) -> None:
    team = session.get(Team, s.team_id)
    assert team is not None
    member = next(iter(s.members.values())).id
    channel = next(iter(s.channels.values())).id
    partner = next(iter(s.partners.values())).id
    for edges in edges_of(s, rng, team):
        for dim in DIMS:
            only: Only | None
            for only in (None, ("channel", channel), ("partner", partner), ("member", member)):
                got = metric_counts(
                    session=session, team_ids=[s.team_id], edges=edges, dim=dim,
                    now=edges[-1], only=only, metrics=("leads", "activities", "deals"),
                )  # fmt: skip
                want = from_rows(session, s.team_id, edges, dim, only)
                assert normal(got) == normal(want), (dim, only, edges)
    stored, summed = team_counters(session, s.team_id)
    assert stored == summed != {}


def team_counters(session: Session, team_id: int) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """The team counters as stored, and stat_counter summed per channel and per partner;
    zero rows left out."""
    summed: dict[Any, Any] = {}
    for dim in ("channel", "partner"):
        keys = [col(StatCounter.day), col(getattr(StatCounter, f"{dim}_id"))]
        rows = session.execute(
            select(*keys, *(func.sum(getattr(StatCounter, m)) for m in MEASURES))
            .where(col(StatCounter.team_id) == team_id)
            .group_by(*keys)
        )
        summed.update(_nonzero((dim, *row) for row in rows))
    columns = [col(getattr(StatCounterTeam, name)) for name in ("dim", "day", "dim_id", *MEASURES)]
    stored = session.execute(select(*columns).where(col(StatCounterTeam.team_id) == team_id))
    return _nonzero(stored), summed


def _nonzero(rows: Any) -> dict[Any, Any]:
    return {
        tuple(row[:3]): tuple(round(float(v), 3) for v in row[3:]) for row in rows if any(row[3:])
    }


def normal(found: dict[Any, dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """Drop zeros (a counter row can be left at zero, a report reads a missing 0); round days."""
    out = {}
    for key, values in found.items():
        values = {k: round(v, 3) if isinstance(v, float) else v for k, v in values.items() if v}
        if any(values.values()):
            out[key] = values
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counters_match_the_rows_after_random_writes(db: Database, seed: int) -> None:
    rng = random.Random(seed)
    with db.session() as session:
        s = build(session, rng)
        team_id = s.team_id
    for _ in range(3):
        with db.session() as session:
            s.session = session
            shake(session, s, rng)
        with db.session() as session:
            check(session, s, rng)
    with db.session() as session:  # a new zone moves every local day: counted again
        team = session.get(Team, team_id)
        assert team is not None
        team.timezone = "America/New_York"
    with db.session() as session:
        check(session, s, rng)
