"""triggers: the team counters follow stat_counter, and task numbers bump their team's counter

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 13:00:00

Two statements fewer per logged message (issue 9, item 5), counted in the same transaction as
before, inside the statements that already run:

- `stat_counter_team` is kept by row triggers on `stat_counter`: an inserted row adds its
  figures to its team's channel and partner rows, an updated one (the upsert's other path)
  takes its old figures out and puts the new ones in. So models.queries.counters.add writes
  stat_counter only. A delete is not followed: counters are deleted by team (`clear` drops
  both grains, a team's deletion cascades to both), and a trigger writing a team's row while
  its team is deleted would fail the delete.
- A new task's number is drawn inside its INSERT (models/numbering.py: `task_seq + 1` of its
  team's row, locked on PostgreSQL), and a trigger after the insert moves `team.task_seq` up to
  it, where the flush ran an `UPDATE team … RETURNING` of its own before.

Nothing to fill: the data already agrees (0012 filled the team counters, 0009 the sequence; 0013 is the customers' aliases).
SQLite drops a table's triggers with the table: a later revision that rebuilds `stat_counter`
or `task` in batch mode must create these again.

The trigger bodies' upserts are compiled from SQLAlchemy statements for the dialect.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql, sqlite

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURES = ("leads", "won_leads", "activities", "visits", "wins", "losses", "revenue", "close_secs")
DIMS = ("channel", "partner")
COUNTER_TRIGGERS = ("stat_counter_team_insert", "stat_counter_team_update")
TEAM_COUNTER = sa.table(
    "stat_counter_team",
    *(sa.column(name) for name in ("team_id", "dim", "day", "dim_id", *MEASURES)),
)
TASK_SEQ = "UPDATE team SET task_seq = NEW.number WHERE id = NEW.team_id AND task_seq < NEW.number;"


def _team_upserts(dialect: sa.engine.Dialect, row: str, sign: int) -> str:
    """Add (sign 1) or take out (-1) a stat_counter row's figures (`row`: NEW or OLD) from its
    team's two rows: the upserts a trigger body runs, compiled for the dialect."""
    insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert

    def of_row(name: str) -> sa.ColumnElement[object]:
        return sa.literal_column(f"{row}.{name}")

    upserts = []
    for dim in DIMS:
        stmt = insert(TEAM_COUNTER).values(
            team_id=of_row("team_id"),
            dim=sa.literal(dim),
            day=of_row("day"),
            dim_id=of_row(f"{dim}_id"),
            **{m: of_row(m) if sign > 0 else -of_row(m) for m in MEASURES},
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["team_id", "dim", "day", "dim_id"],
            set_={m: TEAM_COUNTER.c[m] + stmt.excluded[m] for m in MEASURES},
        )
        upserts.append(f"{stmt.compile(dialect=dialect, compile_kwargs={'literal_binds': True})};")
    return "\n".join(upserts)


def upgrade() -> None:
    dialect = op.get_bind().dialect
    if dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION stat_counter_team_sync() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"IF TG_OP = 'UPDATE' THEN\n{_team_upserts(dialect, 'OLD', -1)}\nEND IF;\n"
            f"{_team_upserts(dialect, 'NEW', 1)}\n"
            "RETURN NULL;\nEND $$"
        )
        op.execute(
            "CREATE TRIGGER stat_counter_team_sync AFTER INSERT OR UPDATE ON stat_counter "
            "FOR EACH ROW EXECUTE FUNCTION stat_counter_team_sync()"
        )
        op.execute(
            "CREATE FUNCTION task_number_seq() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{TASK_SEQ}\nRETURN NULL;\nEND $$"
        )
        op.execute(
            "CREATE TRIGGER task_number_seq AFTER INSERT ON task FOR EACH ROW "
            "WHEN (NEW.number IS NOT NULL) EXECUTE FUNCTION task_number_seq()"
        )
        return
    op.execute(
        "CREATE TRIGGER stat_counter_team_insert AFTER INSERT ON stat_counter BEGIN\n"
        f"{_team_upserts(dialect, 'NEW', 1)}\nEND"
    )
    op.execute(
        "CREATE TRIGGER stat_counter_team_update AFTER UPDATE ON stat_counter BEGIN\n"
        f"{_team_upserts(dialect, 'OLD', -1)}\n{_team_upserts(dialect, 'NEW', 1)}\nEND"
    )
    op.execute(
        "CREATE TRIGGER task_number_seq AFTER INSERT ON task "
        f"WHEN NEW.number IS NOT NULL BEGIN\n{TASK_SEQ}\nEND"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER task_number_seq ON task")
        op.execute("DROP FUNCTION task_number_seq()")
        op.execute("DROP TRIGGER stat_counter_team_sync ON stat_counter")
        op.execute("DROP FUNCTION stat_counter_team_sync()")
        return
    op.execute("DROP TRIGGER task_number_seq")
    for name in COUNTER_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
