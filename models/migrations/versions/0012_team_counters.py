"""the team counters: the per-day report figures per channel and partner, without the member

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 16:00:00

Company reports read 50 groups by channel or partner, never by member; this table holds
stat_counter's figures summed over the member, so they read a fraction of the rows. Filled
from stat_counter as it is (one INSERT … SELECT … GROUP BY), so the two agree from the start.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ("team_id", "day", "channel_id", "partner_id")
MEASURES = ("leads", "won_leads", "activities", "visits", "wins", "losses", "revenue", "close_secs")


def upgrade() -> None:
    team_counter = op.create_table(
        "stat_counter_team",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES[:6]),
        sa.Column("revenue", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("close_secs", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint(*KEY),
    )
    counter = sa.Table("stat_counter", sa.MetaData(), autoload_with=op.get_bind())
    keys = [counter.c[name] for name in KEY]
    summed = sa.select(*keys, *(sa.func.sum(counter.c[m]).label(m) for m in MEASURES)).group_by(
        *keys
    )
    op.execute(sa.insert(team_counter).from_select([*KEY, *MEASURES], summed))


def downgrade() -> None:
    op.drop_table("stat_counter_team")
