"""a team's order for English numeric dates that read both ways ("3/4"): month/day or day/month

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Teams already there read "3/4" month first, as the parser did before the setting existed.
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "date_order",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="md",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("date_order")
