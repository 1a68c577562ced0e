"""Long polling that confirms an update to Telegram only once it has been processed.

python-telegram-bot's Updater confirms a batch with its next getUpdates, which it sends at
once: a SIGKILL then loses the updates still in flight. Here the offset sent with each
getUpdates is the lowest update still being processed, so Telegram keeps every update not yet
applied and, after a crash, delivers it again; the processed-update claim (committed with the
update's writes) makes a redelivery of one that was applied a no-op. Updates at or above the
offset that are already in flight, or done, come back with each poll and are not processed
again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.intake import DRAIN_WITHIN, Intake, stop_on_signals

log = logging.getLogger(__name__)
POLL_TIMEOUT = 10  # seconds a getUpdates waits for a new update
LIMIT = 100  # updates per getUpdates, Telegram's maximum
# With updates in flight and nothing new, how long to wait for one to finish before asking
# Telegram again: new updates wait at most this long while a slow one (an export) is worked on.
RECHECK = 0.25
BACKOFF = (1.0, 30.0)  # seconds before retrying a failed getUpdates, doubling to the second


class Poller:
    """Fetch updates, start each once, and confirm only those no longer in flight."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], intake: Intake) -> None:
        self._app, self._intake = app, intake
        self._next = 0  # the lowest update id not yet seen; 0 before the first poll

    @property
    def offset(self) -> int:
        """What getUpdates confirms: everything below the lowest update still in flight."""
        in_flight = self._intake.in_flight
        return min(in_flight) if in_flight else self._next

    async def run(self) -> None:
        """Poll until cancelled."""
        from bot.app import ALLOWED_UPDATES

        delay = BACKOFF[0]
        while True:
            waiting = bool(self._intake.in_flight)
            try:
                updates = await self._app.bot.get_updates(
                    offset=self.offset or None,
                    limit=LIMIT,
                    timeout=0 if waiting else POLL_TIMEOUT,
                    allowed_updates=ALLOWED_UPDATES,
                )
            except InvalidToken:
                raise
            # Network errors, timeouts and 5xx are retried in the rate limiter first
            # (bot.delivery), a 429 waited out there; what gets here is waited out here.
            except TelegramError as exc:
                log.warning("getUpdates failed (%s); again in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, BACKOFF[1])
                continue
            delay = BACKOFF[0]
            fresh = [update for update in updates if update.update_id >= self._next]
            for update in fresh:
                self._intake.start(update)
            if updates:
                self._next = max(self._next, updates[-1].update_id + 1)
            if not fresh and self._intake.in_flight:
                # Only updates still in flight came back: wait a little for one to finish.
                await asyncio.wait(
                    list(self._intake.in_flight.values()),
                    timeout=RECHECK,
                    return_when=asyncio.FIRST_COMPLETED,
                )

    async def confirm(self) -> None:
        """Tell Telegram what has been processed, so a restart does not fetch it again."""
        if self._next:
            try:
                await self._app.bot.get_updates(offset=self.offset, limit=1, timeout=0)
            except TelegramError:
                log.warning("could not confirm the last updates; a restart skips them as handled")


async def serve_polling(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    stop: asyncio.Event | None = None,
    ready: asyncio.Event | None = None,
    handle_signals: bool = True,
) -> None:
    """Run until SIGTERM/SIGINT (or `stop`), then finish in-flight updates and shut down."""
    stop = stop or asyncio.Event()
    if handle_signals:
        stop_on_signals(stop)
    await app.initialize()
    intake = Intake(app)
    poller = Poller(app, intake)
    polling: asyncio.Task[None] | None = None
    try:
        if app.post_init:
            await app.post_init(app)
        await app.bot.delete_webhook(drop_pending_updates=False)
        await app.start()
        polling = asyncio.create_task(poller.run())
        log.info("polling for updates")
        if ready is not None:
            ready.set()
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait([polling, stopped], return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if polling.done():
            polling.result()  # an invalid token: say so
    finally:
        if polling is not None:
            polling.cancel()
            await asyncio.gather(polling, return_exceptions=True)
        await intake.drain(timeout=DRAIN_WITHIN)
        await poller.confirm()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
