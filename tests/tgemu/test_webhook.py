"""Webhook mode: delivery with the secret header, retries, and getUpdates conflicts."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import Conflict

from tests.tgemu.conftest import ALICE, BOB, GROUP, text_of
from tgemu import BotApiEmulator


class Receiver:
    """A tiny webhook endpoint on 127.0.0.1 that fails the first ``failures`` requests."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, object], str | None]] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=500)
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.received.append((await request.json(), secret))
        return web.Response()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/hook"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver(failures=2)
    await hook.start()
    yield hook
    await hook.stop()


async def test_webhook_delivery_with_secret_and_retries(
    emu: BotApiEmulator, bot, receiver: Receiver
) -> None:
    await emu.send_message(GROUP, BOB, "queued before the webhook")
    assert await bot.set_webhook(receiver.url, secret_token="s3cret-token")
    await emu.send_message(GROUP, BOB, "second")
    await emu.wait_consumed(timeout=3)

    texts = [update["message"]["text"] for update, _ in receiver.received]  # type: ignore[index]
    assert texts == ["queued before the webhook", "second"]
    assert {secret for _, secret in receiver.received} == {"s3cret-token"}
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_get_updates_conflicts_while_webhook_is_set(
    emu: BotApiEmulator, bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, drop_pending_updates=True)
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    await emu.send_message(GROUP, BOB, "polling again")
    [update] = await bot.get_updates()
    assert text_of(update) == "polling again"


async def test_failed_update_stays_pending(emu: BotApiEmulator, bot: Bot) -> None:
    # Nothing listens on this port: every attempt fails and the update is kept.
    await bot.set_webhook("http://127.0.0.1:9/hook")
    await emu.send_message(GROUP, BOB, "lost?")

    def delivery_failed() -> bool:
        webhook = emu.state.default_bot().webhook
        return webhook is not None and webhook.last_error_message is not None

    await emu.wait_until(delivery_failed, timeout=3, what="a failed delivery")
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    await bot.delete_webhook()
    [update] = await bot.get_updates()
    assert text_of(update) == "lost?"


class SlowReceiver(Receiver):
    """An endpoint that holds each request until its chat's gate opens, and logs the order."""

    def __init__(self) -> None:
        super().__init__()
        self.gates: dict[int, asyncio.Event] = {}
        self.started: list[tuple[int, str]] = []

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        chat_id, text = update["message"]["chat"]["id"], update["message"]["text"]
        self.started.append((chat_id, text))
        await self.gates.setdefault(chat_id, asyncio.Event()).wait()
        self.received.append((update, None))
        return web.Response()


async def test_chats_are_delivered_in_parallel_and_each_chat_in_order(
    emu: BotApiEmulator, bot: Bot
) -> None:
    other = -1009876543210
    emu.add_group(other, "Other team", admins=[ALICE], members=[BOB, bot.id])
    hook = SlowReceiver()
    await hook.start()
    try:
        await bot.set_webhook(hook.url)
        for text in ("a1", "a2"):
            await emu.send_message(GROUP, BOB, text)
        await emu.send_message(other, BOB, "b1")
        # Both chats' first updates are in flight; the second of GROUP waits for the first.
        await emu.wait_until(lambda: len(hook.started) == 2, timeout=3, what="two in flight")
        assert sorted(hook.started) == sorted([(GROUP, "a1"), (other, "b1")])
        hook.gates[other].set()
        await emu.wait_until(lambda: len(hook.received) == 1, timeout=3, what="b1 answered")
        assert (GROUP, "a2") not in hook.started
        hook.gates[GROUP].set()
        await emu.wait_consumed(timeout=3)
        assert [u["message"]["text"] for u, _ in hook.received] == ["b1", "a1", "a2"]  # type: ignore[index]
    finally:
        for gate in hook.gates.values():
            gate.set()
        await hook.stop()
