"""the team counters: the per-day report figures per channel and per partner, without the member

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 16:00:00

Company reports read 50 groups by channel or by partner, never by member; this table holds
stat_counter's figures summed per (team, day, channel) and per (team, day, partner), so they
read a fraction of the rows. Filled from stat_counter as it is (INSERT … SELECT … GROUP BY),
so the two agree from the start.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURES = ("leads", "won_leads", "activities", "visits", "wins", "losses", "revenue", "close_secs")


def upgrade() -> None:
    team_counter = op.create_table(
        "stat_counter_team",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("dim", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dim_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES[:6]),
        sa.Column("revenue", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("close_secs", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "dim", "day", "dim_id"),
    )
    counter = sa.Table("stat_counter", sa.MetaData(), autoload_with=op.get_bind())
    for dim in ("channel", "partner"):
        keys = [counter.c.team_id, sa.literal(dim), counter.c.day, counter.c[f"{dim}_id"]]
        summed = sa.select(*keys, *(sa.func.sum(counter.c[m]) for m in MEASURES)).group_by(
            counter.c.team_id, counter.c.day, counter.c[f"{dim}_id"]
        )
        columns = ["team_id", "dim", "day", "dim_id", *MEASURES]
        op.execute(sa.insert(team_counter).from_select(columns, summed))


def downgrade() -> None:
    op.drop_table("stat_counter_team")
