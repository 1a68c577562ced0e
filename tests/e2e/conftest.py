"""End-to-end fixtures: the real Application, polling the emulator over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from bot.clock import ManualClock
from bot.config import Settings
from tgemu.sandbox import Person, Sandbox

# Debian's chromium package; Playwright drives it and never downloads a browser of its own.
CHROMIUM = Path("/usr/bin/chromium")
GROUP = -1001000000001
OTHER_GROUP = -1001000000002
HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as e2e, before `-m` selects by marks."""
    # The hook sees the whole session's items, not just this directory's.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)


@dataclass
class Team:
    """A group with a manager (chat admin) and two reps."""

    chat_id: int
    manager: Person
    alice: Person
    bob: Person


@pytest.fixture
async def sandbox(database_url: str, clock: ManualClock) -> AsyncIterator[Sandbox]:
    # No "working on it…" status in the tests' answers, however slow a loaded machine is
    # (a worker process starting takes seconds there); test_progress sets its own threshold.
    settings = Settings(CRMBOT_PROGRESS_AFTER=600)
    async with Sandbox(database_url=database_url, clock=clock, settings=settings) as box:
        yield box


def make_team(
    sandbox: Sandbox,
    chat_id: int = GROUP,
    *,
    lang: str = "en",
    offset: int = 0,
    with_bot: bool = True,
    basic: bool = False,
) -> Team:
    manager = sandbox.person(100 + offset, "Maria", f"maria{offset or ''}", lang)
    alice = sandbox.person(200 + offset, "Alice", f"alice{offset or ''}", lang)
    bob = sandbox.person(300 + offset, "Bob", f"bob{offset or ''}", lang)
    sandbox.group(
        chat_id,
        f"Sales {chat_id}",
        admins=[manager],
        members=[alice, bob],
        with_bot=with_bot,
        basic=basic,
    )
    return Team(chat_id, manager, alice, bob)


@pytest.fixture
def team(sandbox: Sandbox) -> Team:
    return make_team(sandbox)


@pytest.fixture
async def active_team(sandbox: Sandbox, team: Team) -> Team:
    replies = await sandbox.say(team.chat_id, team.manager, "/setup")
    assert "active" in replies[0].text
    return team


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    """Headless chromium, or a skip that says it is missing (scripts/install-chromium)."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser test: skipped, chromium not found at {CHROMIUM}")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        await browser.close()
