"""Alembic environment: runs migrations against the URL crmbot configured."""

from __future__ import annotations

import os

from alembic import context
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from models.db import make_engine

config = context.config
target_metadata = SQLModel.metadata
# crmbot sets the URL (models.db.alembic_config); the alembic command line uses DATABASE_URL.
DEFAULT_URL = "sqlite:///data/crmbot.db"


def run_migrations_online() -> None:
    url = config.get_alembic_option("sqlalchemy.url")
    engine = make_engine(str(url) if url else os.environ.get("DATABASE_URL", DEFAULT_URL))
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch mode rebuilds a table by copy, drop and rename: with foreign keys enforced,
            # dropping `team` would cascade to every row that references it. The pragma only
            # takes effect outside a transaction, so it goes to the driver before one begins.
            cursor = connection.connection.cursor()
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.close()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
