"""Test databases: a migrated SQLite file per test, or the shared PostgreSQL one, cleaned."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import text
from sqlmodel import SQLModel

from models.db import Database

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or None


def on_postgres() -> bool:
    return bool(TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"))


def prepare_template(directory: Path) -> str:
    """Migrate a database once per test session; return its URL (a template file for SQLite)."""
    if on_postgres():
        assert TEST_DATABASE_URL is not None
        db = Database(TEST_DATABASE_URL)
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.upgrade()
        db.dispose()
        return TEST_DATABASE_URL
    path = directory / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    return f"sqlite:///{path}"


def fresh_database_url(template_url: str, directory: Path) -> str:
    """Return a URL to an empty, migrated database for one test."""
    if on_postgres():
        db = Database(template_url)
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.dispose()
        return template_url
    source = Path(template_url.removeprefix("sqlite:///"))
    target = directory / "crmbot.db"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"
