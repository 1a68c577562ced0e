"""Webhook delivery: POST each pending update to the bot's URL, in order, one at a time."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp

from tgemu.state import BotAccount, EmulatorState, WebhookConfig

_LOGGER = logging.getLogger(__name__)
_FIRST_RETRY_DELAY = 0.05


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
        failures = 0
        while not self._state.closing and bot.webhook is not None:
            config = bot.webhook

            def ready(config: WebhookConfig = config) -> bool:
                return bool(bot.pending) or bot.webhook is not config or self._state.closing

            await self._state.notifier.wait_until(ready, timeout=None)
            if self._state.closing or bot.webhook is not config or not bot.pending:
                continue
            update = bot.pending[0]
            error = await self._post(config, update)
            bot.delivered_update_id = max(bot.delivered_update_id, update["update_id"])
            if error is None:
                failures = 0
                if bot.pending and bot.pending[0] is update:
                    bot.pending.popleft()
                bot.confirmed_update_id = max(bot.confirmed_update_id, update["update_id"])
                self._state.notifier.notify()
                continue
            config.last_error_date = self._state.timestamp()
            config.last_error_message = error
            self._state.notifier.notify()
            _LOGGER.debug("webhook delivery to %s failed: %s", config.url, error)
            # Telegram keeps the update and retries later; back off a little, bounded.
            await asyncio.sleep(min(_FIRST_RETRY_DELAY * 2**failures, self._max_retry_delay))
            failures = min(failures + 1, 16)

    async def _post(self, config: WebhookConfig, update: dict[str, object]) -> str | None:
        """POST one update; return None on a 2xx answer, else Telegram-like error text."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
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
