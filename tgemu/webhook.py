"""Webhook delivery as Telegram's Bot API server does it.

Up to the webhook's ``max_connections`` updates are in flight at once, but one at a time per
queue: a chat's updates (a user's, for updates without a chat) are posted in order, the next
only after the previous one was answered with a 2xx. An update that fails is retried after a
bounded backoff, and its queue waits for it; other queues go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from dataclasses import dataclass, field

import aiohttp

from tgemu.state import JSON, BotAccount, EmulatorState, WebhookConfig

_LOGGER = logging.getLogger(__name__)
_FIRST_RETRY_DELAY = 0.05


def queue_key(update: JSON) -> tuple[str, object]:
    """Return the queue an update is delivered in: its chat's, else its sender's, else its own."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        chat = value.get("chat")
        if chat is None and isinstance(value.get("message"), dict):
            chat = value["message"].get("chat")  # a button press on a message
        if isinstance(chat, dict) and "id" in chat:
            return ("chat", chat["id"])
        sender = value.get("from") or value.get("user")
        if isinstance(sender, dict) and "id" in sender:
            return ("user", sender["id"])
    return ("update", update["update_id"])


@dataclass
class _Delivery:
    """One bot's deliveries in flight and the queues waiting out a backoff."""

    config: WebhookConfig
    in_flight: dict[tuple[str, object], asyncio.Task[None]] = field(default_factory=dict)
    retry_at: dict[tuple[str, object], float] = field(default_factory=dict)
    failures: dict[tuple[str, object], int] = field(default_factory=dict)
    answers: int = 0  # posts answered (or failed) so far


class WebhookDispatcher:
    """Runs one delivery task per bot while that bot has a webhook."""

    def __init__(self, state: EmulatorState, *, timeout: float, max_retry_delay: float) -> None:
        self._state = state
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_retry_delay = max_retry_delay
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._session: aiohttp.ClientSession | None = None

    def refresh(self, bot: BotAccount) -> None:
        """Start delivering for ``bot`` if it has a webhook and no running task."""
        self._state.notifier.notify()
        task = self._tasks.get(bot.token)
        if bot.webhook is None or (task is not None and not task.done()):
            return
        self._tasks[bot.token] = asyncio.get_running_loop().create_task(
            self._deliver(bot), name=f"emulator-webhook-{bot.username}"
        )

    async def close(self) -> None:
        """Stop all deliveries and close the HTTP session."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _deliver(self, bot: BotAccount) -> None:
        loop = asyncio.get_running_loop()
        delivery: _Delivery | None = None
        try:
            while not self._state.closing and bot.webhook is not None:
                if delivery is None or delivery.config is not bot.webhook:
                    delivery = _Delivery(bot.webhook)  # a new webhook starts afresh
                for key, update in self._ready(bot, delivery, loop.time()):
                    delivery.in_flight[key] = loop.create_task(
                        self._post_one(bot, delivery, key, update)
                    )
                now = loop.time()
                backoffs = [at for at in delivery.retry_at.values() if at > now]
                await self._state.notifier.wait_until(
                    functools.partial(self._has_work, bot, delivery, delivery.answers),
                    timeout=min(backoffs) - now if backoffs else None,
                )
        finally:
            for task in delivery.in_flight.values() if delivery else ():
                task.cancel()

    def _has_work(self, bot: BotAccount, delivery: _Delivery, answers: int) -> bool:
        # A new answer may have started a backoff, which changes how long to sleep.
        now = asyncio.get_running_loop().time()
        changed = self._state.closing or bot.webhook is not delivery.config
        return changed or delivery.answers != answers or bool(self._ready(bot, delivery, now))

    def _ready(
        self, bot: BotAccount, delivery: _Delivery, now: float
    ) -> list[tuple[tuple[str, object], JSON]]:
        """Return the updates to post now: each free queue's first, up to max_connections."""
        room = delivery.config.max_connections - len(delivery.in_flight)
        ready: list[tuple[tuple[str, object], JSON]] = []
        seen: set[tuple[str, object]] = set()
        for update in bot.pending:
            if len(ready) >= room:
                break
            key = queue_key(update)
            if key in seen:
                continue
            seen.add(key)
            if key not in delivery.in_flight and delivery.retry_at.get(key, 0.0) <= now:
                ready.append((key, update))
        return ready

    async def _post_one(
        self, bot: BotAccount, delivery: _Delivery, key: tuple[str, object], update: JSON
    ) -> None:
        config = delivery.config
        try:
            error = await self._post(config, update)
        finally:
            delivery.in_flight.pop(key, None)
            delivery.answers += 1
        bot.delivered_update_id = max(bot.delivered_update_id, update["update_id"])
        if error is None:
            delivery.failures.pop(key, None)
            delivery.retry_at.pop(key, None)
            with contextlib.suppress(ValueError):
                bot.pending.remove(update)
            # Confirmed means every update up to this id was acknowledged.
            lowest = min((u["update_id"] for u in bot.pending), default=bot.last_update_id + 1)
            bot.confirmed_update_id = max(bot.confirmed_update_id, lowest - 1)
        else:
            config.last_error_date = self._state.timestamp()
            config.last_error_message = error
            _LOGGER.debug("webhook delivery to %s failed: %s", config.url, error)
            # Telegram keeps the update and retries later; back off a little, bounded.
            failures = delivery.failures.get(key, 0)
            delay = min(_FIRST_RETRY_DELAY * 2**failures, self._max_retry_delay)
            delivery.retry_at[key] = asyncio.get_running_loop().time() + delay
            delivery.failures[key] = min(failures + 1, 16)
        self._state.notifier.notify()

    async def _post(self, config: WebhookConfig, update: JSON) -> str | None:
        """POST one update; return None on a 2xx answer, else Telegram-like error text."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, connector=aiohttp.TCPConnector(limit=100)
            )
        headers = {}
        if config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = config.secret_token
        try:
            async with self._session.post(config.url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientError as exc:
            return f"Connection error: {exc}"
