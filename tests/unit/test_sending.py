"""Files: a job that fails is logged and reported as not sent; the caller tells the chat."""

from __future__ import annotations

import logging
from typing import Any, cast

import pytest
from telegram.ext import ExtBot

from bot.sending import send_files
from bot.views.files import OutFile
from bot.workers import Workers


def broken_export() -> list[OutFile]:
    raise ValueError("a row no workbook can hold")


async def test_a_job_that_raises_sends_nothing_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = cast(ExtBot[Any], object())  # any call on it would fail the test
    with caplog.at_level(logging.ERROR, logger="bot.sending"):
        sent = await send_files(bot, -1001, broken_export, workers=Workers(0))
    assert sent is False
    assert "could not make the files for chat -1001" in caplog.text
    assert "a row no workbook can hold" in caplog.text
