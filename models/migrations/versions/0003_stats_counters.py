"""per-day report counters per team, channel, partner and member, backfilled from the rows

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00

The backfill counts what the row queries of models/queries/stats.py counted at this revision,
on the team's local days; it is written against the columns as they are here, not the models,
so later changes to the models cannot change what it does.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURES = ("leads", "won_leads", "activities", "visits", "wins", "losses", "revenue", "close_secs")


def upgrade() -> None:
    counter = op.create_table(
        "stat_counter",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES[:6]),
        sa.Column("revenue", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("close_secs", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "day", "channel_id", "partner_id", "member_id"),
    )
    _backfill(op.get_bind(), counter)


def downgrade() -> None:
    op.drop_table("stat_counter")


def _aware(when: Any) -> datetime:
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _backfill(bind: sa.Connection, counter: sa.Table) -> None:
    meta = sa.MetaData()
    team, customer, activity, deal = (
        sa.Table(name, meta, autoload_with=bind)
        for name in ("team", "customer", "activity", "deal")
    )
    keys = ("team_id", "day", "channel_id", "partner_id", "member_id")
    for team_id, zone, currency in bind.execute(
        sa.select(team.c.id, team.c.timezone, team.c.currency)
    ):
        sums = _team_sums(bind, (customer, activity, deal), team_id, ZoneInfo(zone), currency)
        rows = [{**dict(zip(keys, key, strict=True)), **values} for key, values in sums.items()]
        for start in range(0, len(rows), 500):
            bind.execute(sa.insert(counter), rows[start : start + 500])


def _team_sums(
    bind: sa.Connection, tables: tuple[sa.Table, ...], team_id: int, tz: ZoneInfo, currency: str
) -> dict[tuple[Any, ...], dict[str, Any]]:
    customer, activity, deal = tables
    sums: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))

    def slot(when: Any, channel: Any, partner: Any, member: Any) -> dict[str, Any]:
        day = _aware(when).astimezone(tz).date()
        return sums[(team_id, day, channel or 0, partner or 0, member or 0)]

    won = sa.exists().where(deal.c.customer_id == customer.c.id, deal.c.status == "won")
    for created, by, channel, partner, is_won in bind.execute(
        sa.select(customer.c.created_at, customer.c.created_by, customer.c.channel_id,
                  customer.c.partner_id, won).where(customer.c.team_id == team_id)
    ):  # fmt: skip
        row = slot(created, channel, partner, by)
        row["leads"] += 1
        row["won_leads"] += int(bool(is_won))
    for when, kind, member, channel, partner in bind.execute(
        sa.select(activity.c.occurred_at, activity.c.kind, activity.c.member_id,
                  customer.c.channel_id, customer.c.partner_id)
        .select_from(activity.outerjoin(customer, customer.c.id == activity.c.customer_id))
        .where(activity.c.team_id == team_id)
    ):  # fmt: skip
        row = slot(when, channel, partner, member)
        row["activities"] += 1
        row["visits"] += int(kind == "visit")
    for closed, status, owner, amount, deal_currency, opened, channel, partner in bind.execute(
        sa.select(deal.c.closed_at, deal.c.status, deal.c.owner_id, deal.c.amount,
                  deal.c.currency, deal.c.created_at, customer.c.channel_id,
                  customer.c.partner_id)
        .select_from(deal.join(customer, customer.c.id == deal.c.customer_id))
        .where(deal.c.team_id == team_id, deal.c.status.in_(("won", "lost")))
        .where(deal.c.closed_at.is_not(None))
    ):  # fmt: skip
        row = slot(closed, channel, partner, owner)
        if status == "lost":
            row["losses"] += 1
            continue
        row["wins"] += 1
        if deal_currency == currency:
            row["revenue"] += Decimal(str(amount or 0))
        row["close_secs"] += (_aware(closed) - _aware(opened)).total_seconds()
    return sums
