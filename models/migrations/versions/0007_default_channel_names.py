"""default channels read in the team's language: their stored name becomes NULL

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00

Until this revision a team's six default channels were stored with their kind's name in the
team's language at activation ("Distributor", 经销商), so after /lang every card, /stats table,
chart and export kept the old language. A NULL name now means "the kind's name in the team's
language". A default channel still named as it was made (in English or Chinese) loses its
stored name; a channel the team named or renamed keeps it. The names are written out here, as
they were in the catalogs, not imported, so this revision stays what it is.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_NAMES = {
    "distributor": {"en": "Distributor", "zh": "经销商"},
    "agent": {"en": "Agent", "zh": "代理商"},
    "ecommerce": {"en": "E-commerce", "zh": "电商"},
    "direct": {"en": "Direct store", "zh": "直营店"},
    "referral": {"en": "Referral", "zh": "转介绍"},
    "other": {"en": "Other", "zh": "其他"},
}


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(), nullable=True)
    bind = op.get_bind()
    clear = sa.text("UPDATE channel SET name = NULL WHERE kind = :kind AND name IN (:en, :zh)")
    for kind, names in DEFAULT_NAMES.items():
        bind.execute(clear, {"kind": kind, **names})


def downgrade() -> None:
    """Name each default channel in its team's language again (English for any other)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT c.id, c.kind, t.language FROM channel c JOIN team t ON t.id = c.team_id"
            " WHERE c.name IS NULL ORDER BY c.id"
        )
    ).all()
    taken = {
        (team_id, name)
        for team_id, name in bind.execute(
            sa.text("SELECT team_id, name FROM channel WHERE name IS NOT NULL")
        )
    }
    team_of = dict(bind.execute(sa.text("SELECT id, team_id FROM channel")).all())
    name_it = sa.text("UPDATE channel SET name = :name WHERE id = :id")
    for channel_id, kind, language in rows:
        names = DEFAULT_NAMES.get(kind, {"en": kind, "zh": kind})
        name = names.get(language, names["en"])
        team_id = team_of[channel_id]
        suffix = 2
        base = name
        while (team_id, name) in taken:  # (team, name) is unique: a second one gets a number
            name, suffix = f"{base} {suffix}", suffix + 1
        taken.add((team_id, name))
        bind.execute(name_it, {"id": channel_id, "name": name})
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(), nullable=False)
