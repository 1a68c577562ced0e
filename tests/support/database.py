"""Test databases: a migrated SQLite file per test, or the shared PostgreSQL one, cleaned."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

from sqlalchemy import text
from sqlalchemy.engine import make_url
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


@contextmanager
def empty_database_url(directory: Path) -> Iterator[str]:
    """Yield a URL to a database with no tables at all, not even Alembic's.

    On PostgreSQL it is a schema of its own in the test database, dropped afterwards, so the
    shared migrated schema the other tests use is left alone.
    """
    if not on_postgres():
        yield f"sqlite:///{directory / 'empty.db'}"
        return
    assert TEST_DATABASE_URL is not None
    schema = f"empty_{uuid4().hex[:12]}"
    admin = Database(TEST_DATABASE_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(TEST_DATABASE_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
