"""Getting every Bot API call through: Telegram's rate limits, and retries when it stumbles.

`RetryingRateLimiter` is the rate limiter of crmbot's Application, so it sees every call the
bot makes except getUpdates. On top of `AIORateLimiter` (send rates, 429 waited out) it:

- retries a 5xx answer, a timeout or a lost connection with exponential backoff and jitter,
  a bounded number of times;
- follows a group that was upgraded to a supergroup (`ChatMigrated`): the same call once more,
  to the new chat id, and `on_migrated` moves the group's data there (in case the upgrade's
  service message is not handled yet). A call naming a message (an edit, a delete) does not
  follow: message ids start afresh in the supergroup, so the same id is another message there;
- logs a call it finally gives up on with the chat and what it carried, then re-raises (the
  callers in `bot.sending` turn that into "not sent").

Which calls are retried, given that a retry may do a thing twice: a refused connection or a
connect/pool timeout never reached Telegram, so a retry is safe for any method. A 5xx, a read
timeout or a connection dropped mid-answer may come after Telegram did the work. For edits,
answerCallbackQuery, deleteMessage, setMyCommands and the reads, doing it twice is doing it
once (a repeated edit is "not modified", which `bot.sending` counts as done; a repeated answer
or delete is refused, which callers log and go on). A repeated send may show a message twice.
crmbot retries sends anyway, choosing at-least-once over at-most-once: Telegram offers no
idempotency key that would make a resend safe, and in a CRM a reply or reminder that silently
goes missing is worse than a rare doubled one that everybody can see. The database work behind
a reply is committed once either way; only the message may repeat.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import InputFile
from telegram.error import BadRequest, ChatMigrated, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

Answer = bool | dict[str, Any] | list[dict[str, Any]]
Sleep = Callable[[float], Awaitable[object]]
Migrated = Callable[[int, int], Awaitable[object]]

_PREVIEW = 80


def backoff_delay(retry: int, *, base: float, cap: float, jitter: float) -> float:
    """Return the wait before retry number ``retry`` (1, 2, …): base·2ⁿ⁻¹, capped, jittered.

    ``jitter`` in [0, 1] picks a point in the upper half of the window, so concurrent sends
    spread out yet none retries at once.
    """
    window = min(cap, base * 2 ** (retry - 1))
    return window * (0.5 + 0.5 * jitter)


def is_stumble(exc: TelegramError) -> bool:
    """Return whether an error is Telegram or the network stumbling, worth another try.

    PTB raises NetworkError for 5xx answers and lost connections, and TimedOut (a NetworkError)
    for timeouts. BadRequest is a NetworkError too but an answer about the call; Forbidden and
    InvalidToken are not NetworkErrors; RetryAfter (429) is AIORateLimiter's to wait out.
    """
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


class RetryingRateLimiter(AIORateLimiter):
    """An AIORateLimiter that also retries stumbles and follows migrated groups."""

    def __init__(
        self,
        *,
        overall_max_rate: float = 30,
        overall_time_period: float = 1,
        group_max_rate: float = 20,
        group_time_period: float = 60,
        max_retries: int = 0,
        attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        # The rates and max_retries (429s waited out) are AIORateLimiter's; a call that stumbles
        # gets up to `attempts` tries, `base_delay` apart, doubling up to `max_delay`.
        super().__init__(
            overall_max_rate=overall_max_rate,
            overall_time_period=overall_time_period,
            group_max_rate=group_max_rate,
            group_time_period=group_time_period,
            max_retries=max_retries,
        )
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self._attempts = attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sleep = sleep
        self._jitter = jitter
        # Told (old chat id, new chat id) when a call is refused for an upgraded group; set by
        # build_application, which knows where the data is.
        self.on_migrated: Migrated | None = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        """Run the call through AIORateLimiter, retrying stumbles and following a migration."""
        try:
            return await self._with_retries(callback, args, kwargs, endpoint, data, rate_limit_args)
        except ChatMigrated as migrated:
            new_chat_id = migrated.new_chat_id
            old_chat_id = data.get("chat_id")
            if isinstance(old_chat_id, int) and self.on_migrated is not None:
                try:
                    await self.on_migrated(old_chat_id, new_chat_id)
                except Exception:  # the call still follows; the service message moves the data
                    log.exception("could not move chat %s's data to %s", old_chat_id, new_chat_id)
            if "message_id" in data:
                log.info("%s names a message of chat %s, which stays there", endpoint, old_chat_id)
                raise
            log.warning(
                "chat %s was upgraded to supergroup %s; %s follows it there",
                old_chat_id,
                new_chat_id,
                endpoint,
            )
            moved = {**data, "chat_id": new_chat_id}
            # ExtBot passes the request data as one of the callback's arguments.
            moved_args = tuple(moved if arg is data else arg for arg in args)
            try:
                return await self._with_retries(
                    callback, moved_args, kwargs, endpoint, moved, rate_limit_args
                )
            except ChatMigrated as again:
                _give_up(endpoint, moved, again, attempts=2)
                raise

    async def _with_retries(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        for attempt in range(1, self._attempts + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except RetryAfter as exc:  # AIORateLimiter already waited out all it would
                _give_up(endpoint, data, exc, attempts=attempt)
                raise
            except TelegramError as exc:
                if not is_stumble(exc):
                    raise
                if attempt == self._attempts:
                    _give_up(endpoint, data, exc, attempts=attempt)
                    raise
                delay = backoff_delay(
                    attempt, base=self._base_delay, cap=self._max_delay, jitter=self._jitter()
                )
                log.info(
                    "%s to chat %s stumbled (%s); attempt %d of %d in %.2fs",
                    endpoint,
                    data.get("chat_id"),
                    exc,
                    attempt + 1,
                    self._attempts,
                    delay,
                )
                await self._sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _give_up(endpoint: str, data: dict[str, Any], exc: TelegramError, *, attempts: int) -> None:
    """Log the call that could not be made, with the chat and what it carried."""
    log.error(
        "gave up on %s to chat %s after %d attempt(s) (%s: %s): %s",
        endpoint,
        data.get("chat_id"),
        attempts,
        type(exc).__name__,
        exc,
        describe(data),
    )


def describe(data: dict[str, Any]) -> str:
    """Return what a call carried, for a log line: the start of its text, or its files."""
    text = data.get("text") or data.get("caption")
    if isinstance(text, str):
        shown = text if len(text) <= _PREVIEW else text[: _PREVIEW - 1] + "…"
        return repr(shown)
    files = [
        f"{key} {value.filename}" for key, value in data.items() if isinstance(value, InputFile)
    ]
    return ", ".join(files) or "no text"
