"""keep on the entry what a rep proposed for a customer someone else owns (撞单)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00

Until this revision such an entry changed the owner's deal; the backfill records what those
entries proposed (the activity's amount in the team currency, and won or lost), so the owner's
customer view lists them too. Written against the columns as they are here, not the models.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOSING = ("won", "lost")


def upgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proposed_amount", sa.Numeric(precision=18, scale=2), nullable=True)
        )
        batch_op.add_column(sa.Column("proposed_currency", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("proposed_stage", sa.String(), nullable=True))
    _backfill(op.get_bind())


def _backfill(bind: sa.Connection) -> None:
    """Mark the live entries of a rep on a customer owned by someone else, with what they said."""
    rows = bind.execute(
        sa.text(
            "SELECT e.id, e.intent, a.amount, t.currency FROM entry e"
            " JOIN customer c ON c.id = e.customer_id"
            " JOIN team t ON t.id = e.team_id"
            " LEFT JOIN activity a ON a.entry_id = e.id"
            " WHERE e.undone_at IS NULL AND c.owner_id IS NOT NULL AND c.owner_id <> e.member_id"
        )
    ).all()
    update = sa.text(
        "UPDATE entry SET proposed_amount = :amount, proposed_currency = :currency,"
        " proposed_stage = :stage WHERE id = :id"
    )
    for entry_id, intent, amount, currency in rows:
        stage = intent if intent in CLOSING else None
        if amount is None and stage is None:
            continue
        bind.execute(
            update,
            {
                "id": entry_id,
                "amount": amount,
                "currency": currency if amount is not None else None,
                "stage": stage,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_column("proposed_stage")
        batch_op.drop_column("proposed_currency")
        batch_op.drop_column("proposed_amount")
