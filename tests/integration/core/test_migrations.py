"""The migrations build exactly the schema the tables describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command

from models.db import alembic_config


def test_migrated_schema_matches_the_tables(database_url: str) -> None:
    # Raises if autogenerate would find anything to add, drop or alter.
    command.check(alembic_config(database_url))
