"""recompute customers' and partners' name keys: Traditional and Simplified forms now share one

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:00:00

The dedupe key (bot.parsing.names.normalize_name) now converts Traditional Chinese to Simplified,
so 華為 and 华为 are one customer. Stored keys are recomputed with the application's own function
(the one way in; import-linter allows this module that import). Nothing is merged: when two
rows of a team now share a key, the one whose key is already that (else the oldest) takes it,
the others keep the key they had (or that key with their id, if another row now takes it), and
each is logged so that a manager can merge them by hand.
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.parsing.names import normalize_name

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

logger = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    for name in ("customer", "partner"):
        _recompute(name)


def downgrade() -> None:
    # The older keys differ only for Traditional forms, and the older function is gone: the
    # recomputed keys stay (every key is still unique within its team).
    pass


def _recompute(table_name: str) -> None:
    table = sa.table(
        table_name,
        sa.column("id", sa.Integer),
        sa.column("team_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("normalized_name", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(table.c.id, table.c.team_id, table.c.name, table.c.normalized_name).order_by(
            table.c.team_id, table.c.id
        )
    ).all()
    final = _new_keys([(r.id, r.team_id, r.name, r.normalized_name) for r in rows], table_name)
    old = {r.id: r.normalized_name for r in rows}
    changed = [(row_id, key) for row_id, key in final.items() if key != old[row_id]]
    if not changed:
        return
    update = sa.update(table).where(table.c.id == sa.bindparam("row_id"))
    # Two steps, so that no row ever holds a key another row still has (unique per team); a
    # real key is word characters only, so "#…" is free.
    conn.execute(
        update.values(normalized_name=sa.bindparam("key")),
        [{"row_id": row_id, "key": f"#migrating#{row_id}"} for row_id, _ in changed],
    )
    conn.execute(
        update.values(normalized_name=sa.bindparam("key")),
        [{"row_id": row_id, "key": key} for row_id, key in changed],
    )


def _new_keys(rows: list[tuple[int, int, str, str]], table_name: str) -> dict[int, str]:
    """Return each row's key: the new one, unless another row of its team has the better claim."""
    groups: dict[tuple[int, str], list[tuple[int, str, str]]] = {}
    for row_id, team_id, name, old in rows:
        groups.setdefault((team_id, normalize_name(name) or old), []).append((row_id, name, old))
    final: dict[int, str] = {}
    taken: set[tuple[int, str]] = set()
    losers: list[tuple[int, int, str, str, str]] = []
    for (team_id, key), members in groups.items():
        winner = next((m for m in members if m[2] == key), members[0])
        final[winner[0]] = key
        taken.add((team_id, key))
        losers.extend((team_id, m[0], m[1], m[2], key) for m in members if m is not winner)
    for team_id, row_id, name, old, key in losers:
        kept = old if (team_id, old) not in taken else f"{old}#{row_id}"
        final[row_id] = kept
        taken.add((team_id, kept))
        logger.warning(
            "%s %d (%r) of team %d now has the same name key %r as another; kept apart as %r",
            table_name, row_id, name, team_id, key, kept,
        )  # fmt: skip
    return final
