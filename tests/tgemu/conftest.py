"""Fixtures: a started emulator with one bot, two users and a group; a PTB Bot on it."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from telegram import Bot, Message, Update

from tgemu import BotApiEmulator

TOKEN = "123456:TEST-TOKEN"
BOT_USERNAME = "crm_test_bot"
ALICE = 101
BOB = 102
GROUP = -1001234567890
FROZEN_NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(clock=lambda: FROZEN_NOW) as emulator:
        emulator.add_bot(TOKEN, BOT_USERNAME)
        emulator.add_user(ALICE, "Alice", "alice_sales", language_code="en")
        emulator.add_user(BOB, "Bob", "bob_rep", language_code="ru")
        emulator.add_group(GROUP, "Sales team", admins=[ALICE], members=[BOB, 123456])
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(
        TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot"
    ) as ptb_bot:
        yield ptb_bot


def message_of(update: Update) -> Message:
    """Return the update's message, failing the test if there is none."""
    assert update.message is not None, update
    return update.message


def text_of(update: Update) -> str | None:
    """Return the text of the update's message."""
    return message_of(update).text
