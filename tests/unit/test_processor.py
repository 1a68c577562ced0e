"""PerChatUpdateProcessor: chats run side by side, each chat's updates one by one, in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update

from bot.processor import PerChatUpdateProcessor

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _update(update_id: int, chat_id: int | None) -> Update:
    if chat_id is None:
        return Update(update_id)
    chat = Chat(chat_id, Chat.GROUP)
    return Update(update_id, message=Message(update_id, WHEN, chat))


async def test_one_chat_waits_for_itself_and_not_for_others() -> None:
    processor = PerChatUpdateProcessor(16)
    started: list[int] = []
    release_first = asyncio.Event()

    async def work(update_id: int) -> None:
        started.append(update_id)
        if update_id == 1:
            await release_first.wait()

    tasks = [
        asyncio.create_task(processor.process_update(_update(i, chat), work(i)))
        for i, chat in [(1, -100), (2, -100), (3, -200), (4, None), (5, -100)]
    ]
    await asyncio.sleep(0.01)
    assert started == [1, 3, 4]  # chat -100 waits for update 1; the others do not
    assert processor.busy_chats == 1  # -100 only: -200 is done
    release_first.set()
    await asyncio.gather(*tasks)
    assert started == [1, 3, 4, 2, 5]  # and then its updates follow in arrival order
    assert processor.busy_chats == 0  # idle chats are forgotten


async def test_a_failing_update_does_not_block_its_chat() -> None:
    processor = PerChatUpdateProcessor(4)
    done: list[int] = []

    async def fail() -> None:
        raise RuntimeError("handler bug")

    async def ok() -> None:
        done.append(2)

    first = asyncio.create_task(processor.process_update(_update(1, -100), fail()))
    second = asyncio.create_task(processor.process_update(_update(2, -100), ok()))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert done == [2]
    assert processor.busy_chats == 0


async def test_many_updates_of_one_chat_keep_their_order() -> None:
    processor = PerChatUpdateProcessor(256)
    seen: list[int] = []

    async def work(update_id: int) -> None:
        await asyncio.sleep(0)  # yield: a later update must still not overtake
        seen.append(update_id)

    await asyncio.gather(*(processor.process_update(_update(i, -100), work(i)) for i in range(100)))
    assert seen == list(range(100))
