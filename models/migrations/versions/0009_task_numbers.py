"""number tasks per team (#1, #2, … in each team) instead of by their global id

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:00:00

The tasks already there are numbered per team in id order, so the oldest keeps the smallest
number; each team's counter starts after its last one. Written against the columns as they
are here, not the models.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("task_seq", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
    bind = op.get_bind()
    # Both databases run UPDATE … FROM with a window function (SQLite since 3.33).
    bind.execute(
        sa.text(
            "UPDATE task SET number = numbered.n FROM ("
            " SELECT id, ROW_NUMBER() OVER (PARTITION BY team_id ORDER BY id) AS n FROM task"
            ") AS numbered WHERE task.id = numbered.id"
        )
    )
    bind.execute(
        sa.text(
            "UPDATE team SET task_seq = COALESCE("
            " (SELECT MAX(number) FROM task WHERE task.team_id = team.id), 0)"
        )
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint("uq_task_team_number", ["team_id", "number"])


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_constraint("uq_task_team_number", type_="unique")
        batch_op.drop_column("number")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("task_seq")
