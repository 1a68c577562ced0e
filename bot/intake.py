"""The updates in flight: each processed once, confirmed to Telegram only when it is done."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)
# Telegram's Bot API server counts a webhook answer that takes over about a minute as failed and
# sends the update again later; answering 503 before that keeps the retry on our terms.
ANSWER_WITHIN = 50.0
# On SIGTERM, how long the updates in flight get to finish; past that they are cancelled
# (uncommitted, unconfirmed: Telegram delivers them again). Under `docker stop -t 40`.
DRAIN_WITHIN = 35.0


class Intake:
    """Process updates and say when each is done; a redelivery joins the work in flight.

    Both ways in confirm an update to Telegram only once its unit of work (and reply) is done:
    the webhook answers then (bot.webhook), long polling moves its offset then (bot.polling).
    So a crash before that leaves the update with Telegram, which delivers it again; the
    processed-update claim, committed with the update's writes, makes that apply once. The
    processor orders each chat's updates and bounds those in flight.
    """

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        answer_within: float = ANSWER_WITHIN,
    ) -> None:
        self._app = app
        self._answer_within = answer_within
        self._work: dict[int, asyncio.Task[None]] = {}

    def start(self, update: Update) -> asyncio.Task[None]:
        """Start processing `update`, or return its work in flight."""
        work = self._work.get(update.update_id)
        if work is None:
            work = asyncio.create_task(self._process(update))
            self._work[update.update_id] = work
            work.add_done_callback(lambda _: self._work.pop(update.update_id, None))
        return work

    @property
    def in_flight(self) -> dict[int, asyncio.Task[None]]:
        """The updates being processed, by id."""
        return self._work

    async def handle(self, update: Update) -> bool:
        """Process `update`; return False if it is still being processed after a while."""
        work = self.start(update)
        try:
            await asyncio.wait_for(asyncio.shield(work), self._answer_within)
        except TimeoutError:
            return False
        return True

    async def _process(self, update: Update) -> None:
        processor = self._app.update_processor
        await processor.process_update(update, self._app.process_update(update))

    async def drain(self, timeout: float) -> None:
        """Let the updates in flight finish for up to `timeout` seconds; cancel the rest."""
        pending = list(self._work.values())
        if not pending:
            return
        _, late = await asyncio.wait(pending, timeout=timeout)
        for task in late:
            task.cancel()
        if late:
            log.warning(
                "stopped %d update(s) in flight; Telegram will deliver them again", len(late)
            )
        await asyncio.gather(*late, return_exceptions=True)


def stop_on_signals(stop: asyncio.Event) -> None:
    """Set `stop` on SIGTERM and SIGINT (where the loop can take signal handlers)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
