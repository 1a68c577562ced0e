"""Talking to Telegram, shared by handlers and jobs: markup from plain buttons, sends and edits
that never raise into the caller, and files drawn by a worker process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from types import TracebackType

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, WebAppInfo
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.i18n import Html
from bot.views.files import Files, OutFile
from bot.views.keyboards import Button, Keyboard
from bot.views.text import MAX_CAPTION, fit, visible_length
from bot.workers import Workers

log = logging.getLogger(__name__)

PROGRESS_EVERY = 2.5  # seconds between a status message's edits: far below Telegram's limits


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """Turn plain button rows into Telegram's inline keyboard (None for no buttons)."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup([[_button(b) for b in row] for row in keyboard])


def _button(button: Button) -> InlineKeyboardButton:
    if button.web_app is not None:
        return InlineKeyboardButton(button.label, web_app=WebAppInfo(button.web_app))
    if button.url is not None:
        return InlineKeyboardButton(button.label, url=button.url)
    return InlineKeyboardButton(button.label, callback_data=button.data)


async def send_text(
    bot: ExtBot[None],
    chat_id: int,
    text: Html,
    *,
    keyboard: Keyboard | None = None,
    reply_to: int | None = None,
    thread_id: int | None = None,
) -> Message | None:
    """Send an HTML message, as a reply when possible; log and return None if Telegram refuses."""
    try:
        return await bot.send_message(
            chat_id,
            fit(text),
            reply_markup=markup(keyboard),
            reply_to_message_id=reply_to,
            message_thread_id=thread_id,
            allow_sending_without_reply=True,
        )
    except TelegramError:
        log.exception("could not send a message to chat %s", chat_id)
        return None


async def edit_message(
    bot: ExtBot[None],
    chat_id: int,
    message_id: int,
    *,
    text: Html | None = None,
    keyboard: Keyboard | None = None,
) -> bool:
    """Change a sent message's text and buttons (text None: only the buttons).

    "Message is not modified" counts as done; any other refusal is logged, never raised: the
    change it shows has already been committed.
    """
    try:
        if text is None:
            await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup(keyboard))
        else:
            await bot.edit_message_text(
                fit(text), chat_id=chat_id, message_id=message_id, reply_markup=markup(keyboard)
            )
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return True
        log.warning("could not edit message %s in chat %s", message_id, chat_id, exc_info=True)
        return False
    except TelegramError:
        log.warning("could not edit message %s in chat %s", message_id, chat_id, exc_info=True)
        return False
    return True


async def take_buttons(bot: ExtBot[None], chat_id: int, message_id: int) -> bool:
    """Remove a message's buttons; False only if they were already gone ("not modified").

    Telegram's own answer is the one record of whether an earlier press removed them, shared
    by every process and surviving restarts. Any other refusal counts as taken: the press
    still gets what it asked for.
    """
    try:
        await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return False
        log.warning("could not edit message %s in chat %s", message_id, chat_id, exc_info=True)
    except TelegramError:
        log.warning("could not edit message %s in chat %s", message_id, chat_id, exc_info=True)
    return True


async def send_files(
    bot: ExtBot[None],
    chat_id: int,
    files: Files | list[OutFile],
    *,
    workers: Workers,
    reply_to: int | None = None,
    thread_id: int | None = None,
) -> bool:
    """Draw or write files in a worker (unless already made), then send each.

    A caption longer than Telegram allows goes right after its file, as a text replying to it,
    and the file keeps the caption's first line. False if one could not be made or sent.
    """
    try:
        made = files if isinstance(files, list) else await workers.run(files)
    except Exception:
        log.exception("could not make the files for chat %s", chat_id)
        return False
    for file in made:
        caption, after = file.caption, None
        if caption is not None and visible_length(caption) > MAX_CAPTION:
            caption, after = fit(Html(caption.split("\n", 1)[0]), MAX_CAPTION), caption
        try:
            if file.photo:
                sent = await bot.send_photo(
                    chat_id,
                    photo=file.content,
                    caption=caption,
                    reply_to_message_id=reply_to,
                    message_thread_id=thread_id,
                    allow_sending_without_reply=True,
                )
            else:
                sent = await bot.send_document(
                    chat_id,
                    document=file.content,
                    filename=file.filename,
                    caption=caption,
                    reply_to_message_id=reply_to,
                    message_thread_id=thread_id,
                    allow_sending_without_reply=True,
                )
        except TelegramError:
            log.exception("could not send %s to chat %s", file.filename, chat_id)
            return False
        if after is not None:
            await send_text(bot, chat_id, after, reply_to=sent.message_id, thread_id=thread_id)
    return True


class Status:
    """The one message that says long work is under way, and its chat action.

    Nothing is sent unless the work takes `after` seconds; from then on, every `every`
    seconds, the chat action (`upload_document`, `upload_photo`, `typing`) is renewed and the
    message shows the latest progress (sent once, then edited). replace() turns it into the
    result; remove() deletes it when the result is a file. `message_id` given: that message
    (a pressed preview) is the status, edited in place.
    """

    def __init__(
        self,
        bot: ExtBot[None],
        chat_id: int,
        text: Html,
        *,
        action: str,
        after: float,
        every: float = PROGRESS_EVERY,
        reply_to: int | None = None,
        message_id: int | None = None,
    ) -> None:
        self._bot, self._chat_id, self._action = bot, chat_id, action
        self._after, self._every, self._reply_to = after, every, reply_to
        self._text: Html = text
        self._shown: Html | None = None
        self._own = message_id is None  # a message of its own, to be replaced or removed
        self.message_id = message_id
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Status:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def report(self, text: Html) -> None:
        """Say how far the work is; shown at the next refresh."""
        self._text = text

    async def stop(self) -> None:
        """Stop refreshing; a send or edit under way finishes first (its id is not lost)."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def replace(self, text: Html, keyboard: Keyboard | None = None) -> int | None:
        """Turn a status message of its own into the result; its id, or None if none was sent."""
        await self.stop()
        if not self._own or self.message_id is None:
            return None
        if not await edit_message(
            self._bot, self._chat_id, self.message_id, text=text, keyboard=keyboard
        ):
            return None
        self._own = False  # it is the result now: remove() leaves it
        return self.message_id

    async def remove(self) -> None:
        """Delete a status message of its own (the result came as files)."""
        await self.stop()
        if self._own and self.message_id is not None:
            try:
                await self._bot.delete_message(self._chat_id, self.message_id)
            except TelegramError:
                log.info("could not delete status message %s", self.message_id, exc_info=True)
            self.message_id = None

    async def _run(self) -> None:
        if await self._wait(self._after):
            return
        while True:
            try:
                await self._bot.send_chat_action(self._chat_id, self._action)
            except TelegramError:
                log.info("could not send a chat action to chat %s", self._chat_id, exc_info=True)
            if self._text != self._shown:
                self._shown = self._text
                if self.message_id is None:
                    sent = await send_text(
                        self._bot, self._chat_id, self._text, reply_to=self._reply_to
                    )
                    self.message_id = sent.message_id if sent else None
                else:
                    await edit_message(self._bot, self._chat_id, self.message_id, text=self._text)
            if await self._wait(self._every):
                return

    async def _wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True once stop() was called."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)
        return self._stop.is_set()
