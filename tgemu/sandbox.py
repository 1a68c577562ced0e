"""The real Application wired to the local Bot API emulator: one place for tests, demo, chat.

`Sandbox` starts the emulator, builds crmbot exactly as `crmbot run` does (only the Bot API
base URL differs), polls over HTTP, and lets a caller speak as users and wait for the bot.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from bot.app import build_application
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.context import CrmApplication
from bot.delivery import RetryingRateLimiter
from models.db import Database
from tgemu import BotApiEmulator, SentMessage

TOKEN = "123456:TEST-crmbot-token"
BOT_USERNAME = "crm_test_bot"
SETTLE_WITHIN = 300.0  # seconds: a hung update fails the test with the emulator's account of it


def sandbox_rate_limiter() -> RetryingRateLimiter:
    """Return production's retrying limiter without its rate limits and with tiny delays."""
    return RetryingRateLimiter(
        overall_max_rate=0,
        group_max_rate=0,
        max_retries=5,
        attempts=5,
        base_delay=0.01,
        max_delay=0.05,
    )


@dataclass(frozen=True)
class Person:
    """A user the sandbox can speak as."""

    user_id: int
    first_name: str
    username: str
    language_code: str = "en"


class Sandbox:
    """An emulator plus a running crmbot Application; restartable, with a shared database."""

    def __init__(
        self,
        *,
        database_url: str,
        clock: Clock = system_clock,
        settings: Settings | None = None,
        rate_limited: bool = False,
        webhook: bool = False,
        first_update_id: int = 1,
        read_timeout: float | None = None,
    ) -> None:
        self.clock = clock
        self.database_url = database_url
        self.emulator = BotApiEmulator(clock=clock, first_update_id=first_update_id)
        self.rate_limited = rate_limited
        self.read_timeout = read_timeout
        self.webhook = webhook
        self.webhook_port = 0
        self.webhook_secret = "sandbox-secret"
        # The running serve_webhook or serve_polling, and what stops it (as SIGTERM does)
        self._serve_stop: asyncio.Event | None = None
        self._serve_task: asyncio.Task[None] | None = None
        self._settings = settings
        self.app: CrmApplication | None = None
        self.db: Database | None = None
        self.bot_username = BOT_USERNAME
        self.bot_id = 0
        self.last_message_id = 0  # of the last message a person sent through say()

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> Sandbox:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        """Start the emulator and the bot."""
        await self.emulator.start(host="127.0.0.1", port=0)
        self.bot_id = int(self.emulator.add_bot(TOKEN, BOT_USERNAME, "crmbot")["id"])
        await self.start_bot()

    async def close(self) -> None:
        await self.stop_bot()
        await self.emulator.stop()

    def settings(self) -> Settings:
        base = self._settings or Settings()
        return base.model_copy(
            update={
                "telegram_bot_token": TOKEN,
                "telegram_api_base_url": f"{self.emulator.base_url}/bot",
                "database_url": self.database_url,
            }
        )

    async def start_bot(self, *, live_jobs: bool = False) -> CrmApplication:
        """Build and start crmbot against the emulator, polling over HTTP.

        Jobs are scheduled as in production; unless `live_jobs`, the scheduler is paused and
        run_job() runs them on demand, so a test's clock alone decides what is due.
        """
        # Unless `rate_limited`, production's rate limits are off and its retries quick.
        limiter = None if self.rate_limited else sandbox_rate_limiter()
        self.db = Database(self.database_url)
        app = build_application(
            self.settings(),
            clock=self.clock,
            db=self.db,
            rate_limiter=limiter,
            read_timeout=self.read_timeout,
        )
        if self.webhook:
            await self._start_webhook(app)
        else:
            await self._start_polling(app)
        if not live_jobs and app.job_queue is not None:
            app.job_queue.scheduler.pause()
        self.app = app
        return app

    async def run_job(self, name: str) -> list[SentMessage]:
        """Run the named job now (as its schedule would); return every message sent meanwhile."""
        assert self.app is not None and self.app.job_queue is not None
        jobs = self.app.job_queue.get_jobs_by_name(name)
        if not jobs:
            raise KeyError(f"no job named {name!r}")
        before = len(self.emulator.sent())
        for job in jobs:
            await job.run(self.app)
        await self.settle()
        return self.emulator.sent()[before:]

    async def _start_polling(self, app: CrmApplication) -> None:
        from bot.polling import serve_polling

        self._serve_stop, ready = asyncio.Event(), asyncio.Event()
        self._serve_task = asyncio.create_task(
            serve_polling(app, stop=self._serve_stop, ready=ready, handle_signals=False)
        )
        await _started(self._serve_task, ready)

    async def _start_webhook(self, app: CrmApplication) -> None:
        from bot.webhook import WEBHOOK_PATH, serve_webhook

        self.webhook_port = self.webhook_port or _free_port()
        self._serve_stop, ready = asyncio.Event(), asyncio.Event()
        self._serve_task = asyncio.create_task(
            serve_webhook(
                app,
                host="127.0.0.1",
                port=self.webhook_port,
                url=f"http://127.0.0.1:{self.webhook_port}{WEBHOOK_PATH}",
                secret=self.webhook_secret,
                stop=self._serve_stop,
                ready=ready,
                handle_signals=False,
            )
        )
        await _started(self._serve_task, ready)

    async def stop_bot(self) -> None:
        """Stop like SIGTERM does: stop fetching, finish what was fetched, shut down."""
        app, self.app = self.app, None
        if app is None or self._serve_task is None or self._serve_stop is None:
            return
        self._serve_stop.set()
        await self._serve_task
        self._serve_task = None

    # -- people and chats -------------------------------------------------------------------

    def person(self, user_id: int, first_name: str, username: str, lang: str = "en") -> Person:
        self.emulator.add_user(user_id, first_name, username, language_code=lang)
        return Person(user_id, first_name, username, lang)

    def group(
        self,
        chat_id: int,
        title: str,
        *,
        admins: Sequence[Person] = (),
        members: Sequence[Person] = (),
        with_bot: bool = True,
        basic: bool = False,
    ) -> int:
        """Create a supergroup (or a `basic` group); the bot is in it unless `with_bot` is False."""
        people = [p.user_id for p in members] + ([self.bot_id] if with_bot else [])
        self.emulator.add_group(
            chat_id, title, admins=[p.user_id for p in admins], members=people, basic=basic
        )
        return chat_id

    def channel(
        self, chat_id: int, title: str, *, admins: Sequence[Person], linked_group: int | None = None
    ) -> int:
        """Create a channel its `admins` can write as (and post in; see add_channel)."""
        self.emulator.add_channel(
            chat_id, title, admins=[p.user_id for p in admins], linked_group=linked_group
        )
        return chat_id

    # -- speaking and waiting -------------------------------------------------------------

    async def settle(self) -> None:
        """Wait until the bot has fully handled everything sent so far.

        Both ways in confirm an update only once it is handled (bot.intake), so that is when
        the emulator counts it consumed.
        """
        await self.emulator.wait_consumed(timeout=SETTLE_WITHIN)

    async def _after(self, chat_id: int, before: int) -> list[SentMessage]:
        await self.settle()
        return self.emulator.sent(chat_id)[before:]

    async def say(
        self,
        chat_id: int,
        who: Person,
        text: str,
        *,
        reply_to: int | None = None,
        as_chat: int | None = None,
    ) -> list[SentMessage]:
        """Send a message as `who`, or as the chat `as_chat`; return the bot's answer in it."""
        before = len(self.emulator.sent(chat_id))
        sent = await self.emulator.send_message(
            chat_id, who.user_id, text, reply_to=reply_to, as_chat=as_chat
        )
        self.last_message_id = int(sent["message_id"])
        return await self._after(chat_id, before)

    async def post_in_channel(self, channel_id: int, who: Person, text: str) -> list[SentMessage]:
        """Post in a channel; return what the bot sent to its discussion group in answer."""
        group = self.emulator.state.chat(channel_id).linked_chat_id
        before = len(self.emulator.sent(group))
        await self.emulator.post_in_channel(channel_id, who.user_id, text)
        await self.settle()
        return self.emulator.sent(group)[before:] if group is not None else []

    async def edit(
        self, chat_id: int, who: Person, message_id: int, text: str
    ) -> list[SentMessage]:
        before = len(self.emulator.sent(chat_id))
        await self.emulator.edit_message(chat_id, message_id, who.user_id, text)
        return await self._after(chat_id, before)

    async def press(
        self,
        chat_id: int,
        who: Person,
        message_id: int,
        data: str | None,
        *,
        inaccessible: bool = False,
        forged: bool = False,
    ) -> list[SentMessage]:
        """Press an inline button (by its callback data) as `who` (see press_button)."""
        assert data is not None, "that button has no callback data"
        before = len(self.emulator.sent(chat_id))
        await self.emulator.press_button(
            chat_id, message_id, who.user_id, data, inaccessible=inaccessible, forged=forged
        )
        return await self._after(chat_id, before)

    async def add_bot(self, chat_id: int, by: Person) -> list[SentMessage]:
        before = len(self.emulator.sent(chat_id))
        await self.emulator.add_bot_to_group(chat_id, by.user_id)
        return await self._after(chat_id, before)

    async def send_document(
        self,
        chat_id: int,
        who: Person,
        filename: str,
        content: bytes,
        mime_type: str,
        caption: str | None = None,
        *,
        as_chat: int | None = None,
    ) -> list[SentMessage]:
        before = len(self.emulator.sent(chat_id))
        await self.emulator.send_document(
            chat_id, who.user_id, filename, content, mime_type, caption=caption, as_chat=as_chat
        )
        return await self._after(chat_id, before)

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """Return the bot's message by id (with its current text after edits)."""
        for sent in self.emulator.sent(chat_id):
            if sent.message_id == message_id:
                return sent
        raise KeyError(message_id)


async def _started(serving: asyncio.Task[None], ready: asyncio.Event) -> None:
    """Wait until the bot serves; raise what stopped it if it could not start."""
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait([serving, waiting], timeout=30, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if serving.done():
        serving.result()  # the error that stopped it (or it returned before it was ready)
        raise RuntimeError("the bot stopped before it was ready")
    if not ready.is_set():
        raise TimeoutError("the bot did not start within 30 s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
