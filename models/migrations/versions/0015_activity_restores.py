"""activity.restores: what an entry changed in rows it did not create, for undo to put back

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 19:50:00

A nullable column on the entry's activity; entries logged before it have nothing recorded, and
taking one of them back removes its rows as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("activity", sa.Column("restores", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activity") as batch_op:
        batch_op.drop_column("restores")
