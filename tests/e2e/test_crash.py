"""SIGKILL in the middle of an update, then a restart: the update is applied exactly once.

The bot runs as a real `crmbot run` process (long polling, or webhook mode) against the
emulator; the test kills it with SIGKILL at the worst moments and starts it again on the same
PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import text
from sqlmodel import select

from models.db import Database
from models.tables import Activity, ProcessedUpdate
from tests.support.database import on_postgres
from tgemu import BotApiEmulator
from tgemu.sandbox import BOT_USERNAME, TOKEN

pytestmark = pytest.mark.skipif(not on_postgres(), reason="needs a database server to lock")

GROUP = -1001000000077
MARIA, ALICE = 100, 200


class BotProcess:
    """`crmbot run` in a child process, against the emulator and the test database."""

    def __init__(self, emulator: BotApiEmulator, database_url: str, *, webhook: bool) -> None:
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": f"{emulator.base_url}/bot",
            "DATABASE_URL": database_url,
            "CRMBOT_REMINDER_INTERVAL": "3600",
        }
        self.args = ["run"]
        if webhook:
            port = _free_port()
            self.env["CRMBOT_WEBHOOK_LISTEN"] = f"127.0.0.1:{port}"
            self.env["CRMBOT_WEBHOOK_URL"] = f"http://127.0.0.1:{port}"
            self.args.append("--webhook")
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *self.args, env=self.env, stdin=asyncio.subprocess.DEVNULL
        )

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["polling", "webhook"])
async def world(
    database_url: str, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[BotApiEmulator, BotProcess]]:
    emulator = BotApiEmulator()
    await emulator.start(host="127.0.0.1", port=0)
    emulator.add_bot(TOKEN, BOT_USERNAME, "crmbot")
    emulator.add_user(MARIA, "Maria", "maria")
    emulator.add_user(ALICE, "Alice", "alice")
    bot_id = int(TOKEN.split(":")[0])
    emulator.add_group(GROUP, "Crash test", admins=[MARIA], members=[ALICE, bot_id])
    bot = BotProcess(emulator, database_url, webhook=request.param == "webhook")
    await bot.start()
    try:
        yield emulator, bot
    finally:
        await bot.stop()
        await emulator.stop()


async def _until(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.05)


async def _say(emulator: BotApiEmulator, user: int, words: str) -> int:
    """Send a message; return its update's id."""
    await emulator.send_message(GROUP, user, words)
    return int(emulator.state.updates_log[-1]["update_id"])


def _visits(db: Database) -> tuple[int, int]:
    with db.session() as s:
        visits = len(s.exec(select(Activity).where(Activity.kind == "visit")).all())
        claims = len(s.exec(select(ProcessedUpdate)).all())
    return visits, claims


async def _setup(emulator: BotApiEmulator) -> None:
    await _say(emulator, MARIA, "/setup")
    await _until(lambda: len(emulator.sent(GROUP)) >= 1, "the /setup reply")


async def test_killed_inside_the_transaction_the_update_is_applied_after_restart(
    world: tuple[BotApiEmulator, BotProcess], database_url: str
) -> None:
    emulator, bot = world
    await _setup(emulator)
    db = Database(database_url)
    try:
        with db.engine.connect() as locker:
            # Hold the activity table: the bot's unit of work blocks after its claim, uncommitted.
            locker.execute(text("LOCK TABLE activity IN ACCESS EXCLUSIVE MODE"))
            update_id = await _say(emulator, ALICE, "/visit Acme showed the samples")

            def blocked() -> bool:
                with db.engine.connect() as probe:
                    waiting = probe.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity"
                            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                        )
                    ).scalar_one()
                return bool(waiting)

            await _until(blocked, "the bot to block")
            await bot.kill()
            locker.rollback()
        assert _visits(db)[0] == 0  # nothing of the killed unit of work was kept
        before = len(emulator.sent(GROUP))
        # Unconfirmed (polling: below the offset it sent; webhook: unanswered), the update is
        # still with the emulator, as with Telegram, which delivers it again after the restart.
        assert update_id > emulator.confirmed_update_id
        await bot.start()
        await _until(lambda: len(emulator.sent(GROUP)) > before, "the card after the restart")
        assert "Acme" in emulator.sent(GROUP)[-1].text
        assert _visits(db)[0] == 1
        await emulator.wait_consumed(timeout=30)
        assert [m for m in emulator.sent(GROUP)[before:] if "Acme" in m.text][1:] == []
    finally:
        db.dispose()


async def test_killed_after_the_commit_the_redelivery_is_skipped(
    world: tuple[BotApiEmulator, BotProcess], database_url: str
) -> None:
    emulator, bot = world
    await _setup(emulator)
    db = Database(database_url)
    try:
        emulator.inject_fault("sendMessage", "hang", chat_id=GROUP, seconds=60)
        update_id = await _say(emulator, ALICE, "/visit Acme showed the samples")
        await _until(lambda: _visits(db)[0] == 1, "the visit to be committed")
        await bot.kill()  # before its card could be sent
        emulator.redeliver(update_id)
        await bot.start()
        await _say(emulator, ALICE, "/tasks")  # a later update, to know the redelivery was seen
        await _until(lambda: "task" in emulator.sent(GROUP)[-1].text.lower(), "the /tasks reply")
        assert _visits(db)[0] == 1  # applied once: the redelivery was recognised and skipped
    finally:
        db.dispose()
