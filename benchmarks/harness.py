"""What the end-to-end benchmarks share: bots behind their webhook server, and timed traffic.

crmbot is built by `build_application` exactly as `crmbot run` builds it, with the sandbox's
relaxed send limiter (no send rates; quick retries), and served by `serve_webhook`, the server
`crmbot run --webhook` uses; the emulator posts updates to it and answers its calls. The bare
python-telegram-bot echo bot is served the same way. `Traffic` sends users' messages into the
emulator and times each one to the bot's answer to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from benchmarks.common import percentile
from bot.app import build_application
from bot.config import Settings
from bot.context import CrmApplication
from bot.webhook import WEBHOOK_PATH, serve_webhook
from models.db import Database
from tgemu import BotApiEmulator
from tgemu.sandbox import BOT_USERNAME, TOKEN, _free_port, sandbox_rate_limiter

BOT_ID = int(TOKEN.split(":")[0])
SECRET = "bench-secret"
# Every answer to a user's message is one of these calls, sent as a reply to it.
ANSWERS = ("sendMessage", "sendDocument", "sendPhoto")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def start_emulator(*, first_update_id: int = 1) -> BotApiEmulator:
    """Start the emulator with crmbot's bot account registered."""
    emu = BotApiEmulator(first_update_id=first_update_id)
    await emu.start()
    emu.add_bot(TOKEN, BOT_USERNAME, "crmbot")
    return emu


@dataclass(frozen=True)
class Group:
    """A group of the benchmark: its chat, its admin (the manager) and a rep who logs visits."""

    chat_id: int
    admin: int
    rep: int


def groups(count: int, *, first_chat: int = -1009_000_000_000) -> list[Group]:
    """Return `count` made-up groups with distinct chats and people."""
    return [Group(first_chat - i, 10_000 + 10 * i, 10_000 + 10 * i + 1) for i in range(count)]


def add_group(emu: BotApiEmulator, chat_id: int, admin: int, members: Iterable[int] = ()) -> None:
    """Create a supergroup with one admin, some members and the bot; users are made up."""
    people = [admin, *members]
    for user_id in people:
        emu.add_user(user_id, f"User {user_id}", f"u{user_id}")
    emu.add_group(chat_id, f"Group {chat_id}", admins=[admin], members=[*people[1:], BOT_ID])


CUSTOMERS = ["Acme Trading", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries"]


def visit_text(i: int) -> str:
    """The i-th /visit of a run: one of the group's customers, a note and a follow-up."""
    return (
        f"/visit {CUSTOMERS[i % len(CUSTOMERS)]}, showed the samples, follow up in {i % 9 + 1} days"
    )


def crmbot(
    emu: BotApiEmulator, db: Database, *, concurrent_updates: int = 256, workers: int | None = None
) -> CrmApplication:
    """Build crmbot against the emulator, as `crmbot run` does, with the send limiter relaxed.

    `workers` is CRMBOT_WORKERS (None: crmbot's default).
    """
    settings = Settings(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"{emu.base_url}/bot",
        DATABASE_URL=db.url,
        CRMBOT_CONCURRENT_UPDATES=concurrent_updates,
    )
    if workers is not None:
        settings = settings.model_copy(update={"workers": workers})
    return build_application(settings, db=db, rate_limiter=sandbox_rate_limiter())


def echo_bot(emu: BotApiEmulator, *, concurrent_updates: int = 256) -> AnyApplication:
    """A bare PTB bot that replies to each text with the text, PTB's own update processor."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{emu.base_url}/bot")
        .base_file_url(f"{emu.base_url}/file/bot")
        .concurrent_updates(concurrent_updates)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


@asynccontextmanager
async def webhook(app: AnyApplication, *, port: int = 0) -> AsyncIterator[str]:
    """Serve `app` by webhook (setWebhook to itself) until the block ends; yield its URL.

    Its scheduled jobs are paused, as in the sandbox: reminders and digests are not measured.
    """
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    stop, ready = asyncio.Event(), asyncio.Event()
    server = asyncio.create_task(
        serve_webhook(
            app,
            host="127.0.0.1",
            port=port,
            url=url,
            secret=SECRET,
            stop=stop,
            ready=ready,
            handle_signals=False,
        )
    )
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait([server, waiting], timeout=60, return_when=asyncio.FIRST_COMPLETED)
    if not ready.is_set():
        waiting.cancel()
        await server  # raises what went wrong
        raise RuntimeError("the webhook server did not start")
    if app.job_queue is not None:
        app.job_queue.scheduler.pause()
    try:
        yield url
    finally:
        stop.set()
        await server


@dataclass
class Traffic:
    """Users' messages sent into the emulator, and the time each took to be answered."""

    emu: BotApiEmulator
    sent_at: dict[tuple[int, int], float] = field(default_factory=dict)
    answered_at: dict[tuple[int, int], float] = field(default_factory=dict)
    answers: dict[tuple[int, int], int] = field(default_factory=dict)
    # Successful answer calls per (chat, method), replies or not (a chart replies to the report)
    calls: Counter[tuple[int, str]] = field(default_factory=Counter)
    _read: int = 0

    async def send(self, chat_id: int, user_id: int, text: str) -> tuple[int, int]:
        """Send a message as a user; return its (chat, message id)."""
        started = time.monotonic()
        message = await self.emu.send_message(chat_id, user_id, text)
        key = (chat_id, int(message["message_id"]))
        self.sent_at[key] = started
        return key

    def collect(self) -> list[tuple[int, int]]:
        """Read the bot's new calls: the first answer to each message, and how many it got.

        A call's time is its arrival at the emulator. Return the messages answered for the
        first time.
        """
        calls, first = self.emu.calls, []
        while self._read < len(calls):
            call = calls[self._read]
            if call.method in ANSWERS and call.ok and not call.params:
                break  # still arriving (a file upload): its parameters are not read yet
            self._read += 1
            if call.method not in ANSWERS or not call.ok or call.chat_id is None:
                continue
            self.calls[(call.chat_id, call.method)] += 1
            reply = call.params.get("reply_parameters")
            if not isinstance(reply, dict):
                continue
            key = (call.chat_id, int(reply["message_id"]))
            self.answers[key] = self.answers.get(key, 0) + 1
            if key not in self.answered_at:
                self.answered_at[key] = call.time
                first.append(key)
        return first

    async def wait_answered(
        self, keys: Iterable[tuple[int, int]], *, timeout: float = 300, what: str = "answers"
    ) -> None:
        """Wait until every message in `keys` has been answered."""
        self.collect()
        waiting = {key for key in keys if key not in self.answered_at}

        def done() -> bool:
            waiting.difference_update(self.collect())
            return not waiting

        await self.emu.wait_until(done, timeout=timeout, what=what)

    async def wait_calls(
        self, chat_id: int, method: str, count: int, *, timeout: float = 300
    ) -> None:
        """Wait until the bot has made `count` successful `method` calls to a chat in all."""

        def done() -> bool:
            self.collect()
            return self.calls[(chat_id, method)] >= count

        await self.emu.wait_until(done, timeout=timeout, what=f"{count} {method} to {chat_id}")

    async def ask(self, chat_id: int, user_id: int, text: str, *, timeout: float = 60) -> None:
        """Send a message and wait for the bot's answer to it."""
        key = await self.send(chat_id, user_id, text)
        await self.wait_answered([key], timeout=timeout, what=f"an answer to {text!r}")

    async def set_up(self, group: Group) -> None:
        """/setup the group as its admin, then register its customers as its rep."""
        await self.ask(group.chat_id, group.admin, "/setup")
        for name in CUSTOMERS:
            await self.ask(group.chat_id, group.rep, f"/lead {name}")

    def latencies(self, keys: Iterable[tuple[int, int]]) -> list[float]:
        """Seconds from each message entering the emulator to the bot's first answer to it."""
        self.collect()
        return [self.answered_at[k] - self.sent_at[k] for k in keys if k in self.answered_at]


def summary(seconds: list[float]) -> str:
    """p50 / p95 / p99 / max in milliseconds."""
    ms = [s * 1000 for s in seconds]
    if not ms:
        return "no samples"
    return (
        f"p50 {percentile(ms, 50):7.1f} ms · p95 {percentile(ms, 95):7.1f} ms · "
        f"p99 {percentile(ms, 99):7.1f} ms · max {max(ms):7.1f} ms (n={len(ms)})"
    )


class LoopLag:
    """How late the event loop wakes a task that sleeps `interval`: the loop's own stalls.

    While a callback holds the loop (or a thread holds the GIL), every other task waits; the
    lateness of a sleeper is that wait, as every update handled meanwhile feels it.
    """

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _sample(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.interval)
            self.samples.append(loop.time() - before - self.interval)

    def start(self) -> None:
        self._task = asyncio.create_task(self._sample())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def take(self) -> list[float]:
        """Return the samples since the last take."""
        samples, self.samples = self.samples, []
        return samples
