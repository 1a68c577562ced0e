"""Flood control: scripted 429 answers and, optionally, Telegram's documented rate limits."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from tgemu.errors import too_many_requests

# Telegram: about 30 messages per second overall and 20 per minute in one group.
_GLOBAL_LIMIT, _GLOBAL_WINDOW = 30, 1.0
_GROUP_LIMIT, _GROUP_WINDOW = 20, 60.0


def is_flood_limited(method: str) -> bool:
    """Return whether a method counts as a send/edit for flood control."""
    return method.startswith(("send", "edit", "copy", "forward")) and method != "sendChatAction"


@dataclass
class _ScriptedFlood:
    retry_after: int
    remaining: int
    chat_id: int | None


class FloodControl:
    """Decides whether a send/edit call is answered with 429 Too Many Requests."""

    def __init__(
        self, *, enforce_limits: bool, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.enforce_limits = enforce_limits
        self._monotonic = monotonic
        self._scripted: list[_ScriptedFlood] = []
        self._recent: deque[float] = deque()
        self._recent_by_chat: dict[int, deque[float]] = {}

    def simulate(self, retry_after: int, times: int, chat_id: int | None) -> None:
        """Answer the next ``times`` send/edit calls (to ``chat_id`` or any) with 429."""
        self._scripted.append(_ScriptedFlood(retry_after, times, chat_id))

    def check(self, method: str, chat_id: int | None) -> None:
        """Raise the 429 ApiError if this call must be refused."""
        if not is_flood_limited(method):
            return
        for flood in self._scripted:
            if flood.remaining > 0 and flood.chat_id in (None, chat_id):
                flood.remaining -= 1
                if flood.remaining == 0:
                    self._scripted.remove(flood)
                raise too_many_requests(flood.retry_after)
        if self.enforce_limits:
            self._check_limits(chat_id)

    def record(self, method: str, chat_id: int | None) -> None:
        """Count a successful send/edit towards the rate limits."""
        if not (self.enforce_limits and is_flood_limited(method)):
            return
        now = self._monotonic()
        self._recent.append(now)
        if chat_id is not None and chat_id < 0:
            self._recent_by_chat.setdefault(chat_id, deque()).append(now)

    def _check_limits(self, chat_id: int | None) -> None:
        now = self._monotonic()
        wait = _window_wait(self._recent, _GLOBAL_LIMIT, _GLOBAL_WINDOW, now)
        if chat_id is not None and chat_id < 0:
            recent = self._recent_by_chat.setdefault(chat_id, deque())
            wait = max(wait, _window_wait(recent, _GROUP_LIMIT, _GROUP_WINDOW, now))
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))


def _window_wait(times: deque[float], limit: int, window: float, now: float) -> float:
    """Drop expired entries; return how long until another event fits the window."""
    while times and times[0] <= now - window:
        times.popleft()
    if len(times) < limit:
        return 0.0
    return times[0] + window - now
