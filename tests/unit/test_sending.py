"""Files: a job that fails is logged and reported as not sent; the caller tells the chat."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from telegram import Chat, Message
from telegram.ext import ExtBot

from bot.i18n import Html
from bot.sending import Status, send_files
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


class RecordingBot:
    """Just the calls a Status makes, recorded with the event loop's time."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.next_id = 10

    async def send_chat_action(self, chat_id: int, action: str) -> bool:
        self.calls.append(("action", action))
        return True

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any:
        self.calls.append(("send", text))
        self.next_id += 1
        return Message(self.next_id, datetime.now(UTC), Chat(chat_id, "group"))

    async def edit_message_text(self, text: str, **kwargs: Any) -> bool:
        self.calls.append(("edit", text))
        return True

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        self.calls.append(("delete", str(message_id)))
        return True


async def test_quick_work_shows_no_status() -> None:
    bot = RecordingBot()
    async with Status(cast(ExtBot[Any], bot), -1, Html("⏳"), action="typing", after=5):
        await asyncio.sleep(0.01)
    assert bot.calls == []


async def test_a_status_shows_after_the_threshold_and_is_edited_at_most_every_interval() -> None:
    bot = RecordingBot()
    status = Status(
        cast(ExtBot[Any], bot), -1, Html("reading"), action="upload_document", after=0.01, every=0.5
    )
    async with status:
        await asyncio.sleep(0.05)
        for rows in range(1, 6):  # five reports within one interval: one edit
            status.report(Html(f"{rows} rows read"))
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.6)
    assert bot.calls == [
        ("action", "upload_document"),
        ("send", "reading"),
        ("action", "upload_document"),
        ("edit", "5 rows read"),
    ]
    assert await status.replace(Html("done")) == 11
    await status.remove()  # the result stays
    assert bot.calls[-1] == ("edit", "done")


async def test_a_status_whose_result_is_a_file_is_removed() -> None:
    bot = RecordingBot()
    async with Status(cast(ExtBot[Any], bot), -1, Html("⏳"), action="typing", after=0) as status:
        await asyncio.sleep(0.02)
    await status.remove()
    assert bot.calls == [("action", "typing"), ("send", "⏳"), ("delete", "11")]
