"""customer aliases: the names a team uses for a customer, kept when a rep picks it for one

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:00:00

A new table; nothing to fill (no rep has picked a customer for a name under this revision yet).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_alias",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("normalized_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["member.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "normalized_name"),
    )
    with op.batch_alter_table("customer_alias", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_alias_customer_id"), ["customer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_alias_customer_id"))
    op.drop_table("customer_alias")
