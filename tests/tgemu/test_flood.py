"""Flood control without HTTP: scripted floods and Telegram's group rate limit."""

import pytest

from tests.tgemu.conftest import GROUP
from tgemu.errors import ApiError
from tgemu.flood import FloodControl


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_scripted_flood_targets_one_chat_and_skips_chat_actions() -> None:
    flood = FloodControl(enforce_limits=False)
    flood.simulate(retry_after=2, times=2, chat_id=GROUP)
    flood.check("sendChatAction", GROUP)
    flood.check("sendMessage", -100)
    for _ in range(2):
        with pytest.raises(ApiError) as refused:
            flood.check("editMessageText", GROUP)
        assert refused.value.to_json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 2",
            "parameters": {"retry_after": 2},
        }
    flood.check("sendMessage", GROUP)


def test_enforced_limit_of_twenty_messages_per_minute_in_a_group() -> None:
    clock = FakeMonotonic()
    flood = FloodControl(enforce_limits=True, monotonic=clock)
    for _ in range(20):
        flood.check("sendMessage", GROUP)
        flood.record("sendMessage", GROUP)
        clock.now += 0.5
    with pytest.raises(ApiError) as refused:
        flood.check("sendMessage", GROUP)
    assert refused.value.retry_after == 50  # the first message leaves the window in 50 s
    flood.check("sendMessage", 42)  # private chats are not limited per minute
    clock.now += 50
    flood.check("sendMessage", GROUP)
