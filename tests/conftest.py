"""Fixtures shared by every test: a clean database per test, a controlled clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from models.db import Database
from tests.support.database import fresh_database_url, prepare_template

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday morning in Shanghai; every test's clock starts here unless it says otherwise.
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="session")
def template_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    import models.tables  # noqa: F401

    return prepare_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def database_url(template_url: str, tmp_path: Path) -> str:
    return fresh_database_url(template_url, tmp_path)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)
