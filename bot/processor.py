"""Every chat in parallel, each chat in order: python-telegram-bot's update processor for crmbot."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Process updates of different chats concurrently and the updates of one chat one by one.

    A chat's updates (messages, edits and presses on its messages) keep their arrival order:
    the Application starts a task per update in that order, and each waits for the chat's lock,
    which asyncio hands out first come, first served. Updates without a chat run at once.
    `max_concurrent_updates` bounds the updates in flight, waiting ones included, so set it
    well above the number of chats that are busy at the same time.
    """

    __slots__ = ("_chats",)

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, _ChatQueue] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        queue = self._chats.get(chat.id)
        if queue is None:
            queue = self._chats[chat.id] = _ChatQueue()
        queue.users += 1
        try:
            async with queue.lock:
                await coroutine
        finally:
            queue.users -= 1
            if queue.users == 0:
                del self._chats[chat.id]  # an idle chat costs nothing

    @property
    def busy_chats(self) -> int:
        """How many chats have an update in flight or waiting."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up: chat queues are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to release: the Application waits for the updates in flight."""


class _ChatQueue:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0
