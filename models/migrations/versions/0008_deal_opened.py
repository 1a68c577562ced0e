"""a customer's first deal, closed without one opened first, opened at the customer's first lead

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 10:00:00

A /won or /lost that finds no open deal (a /lead without an amount opens none) created the deal
at its close, so every average read "0 days to close". From this revision such a deal, when it
is the customer's first, opens at the customer's first lead (bot.services.entries); the backfill
does the same for the deals already closed that way and adds the days to the report counters of
their closing day. Data only, written against the columns as they are here, not the models; the
downgrade keeps the openings (no schema changed, and the old ones were the closing instants).
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _aware(when: Any) -> datetime:
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _stored(when: datetime, bind: sa.Connection) -> datetime:
    """A UTC datetime as the column keeps it (SQLite: naive UTC)."""
    return when.replace(tzinfo=None) if bind.dialect.name == "sqlite" else when


def upgrade() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    deal, customer, team, counter = (
        sa.Table(name, meta, autoload_with=bind)
        for name in ("deal", "customer", "team", "stat_counter")
    )
    earlier = sa.alias(deal)
    first = ~sa.exists().where(
        earlier.c.customer_id == deal.c.customer_id,
        earlier.c.id != deal.c.id,
        earlier.c.created_at <= deal.c.created_at,
    )
    rows = bind.execute(
        sa.select(
            deal.c.id, deal.c.team_id, deal.c.status, deal.c.owner_id, deal.c.closed_at,
            customer.c.created_at, customer.c.channel_id, customer.c.partner_id,
            team.c.timezone,
        )
        .select_from(deal.join(customer, customer.c.id == deal.c.customer_id))
        .join(team, team.c.id == deal.c.team_id)
        .where(deal.c.status.in_(("won", "lost")), deal.c.created_at == deal.c.closed_at)
        .where(first)
    ).all()  # fmt: skip
    for deal_id, team_id, status, owner, closed, lead, channel, partner, zone in rows:
        closed, lead = _aware(closed), _aware(lead)
        if lead >= closed:
            continue  # the customer came with the close: nothing opened earlier
        bind.execute(
            sa.update(deal).where(deal.c.id == deal_id).values(created_at=_stored(lead, bind))
        )
        if status != "won":
            continue
        day = closed.astimezone(ZoneInfo(zone)).date()
        bind.execute(
            sa.update(counter)
            .where(
                counter.c.team_id == team_id,
                counter.c.day == day,
                counter.c.channel_id == (channel or 0),
                counter.c.partner_id == (partner or 0),
                counter.c.member_id == (owner or 0),
            )
            .values(close_secs=counter.c.close_secs + (closed - lead).total_seconds())
        )


def downgrade() -> None:
    """Keep the openings: the schema is as 0007 left it."""
