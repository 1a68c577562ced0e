"""The retrying rate limiter, driven as ExtBot drives it, with a recorded sleep."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from telegram import InputFile
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.delivery import RetryingRateLimiter, backoff_delay, describe

GROUP = -1001000000001
NEW_GROUP = -1001000000009


class Telegram:
    """Stands in for ExtBot's _do_post: answers each call with the next scripted outcome."""

    def __init__(self, *outcomes: TelegramError | None) -> None:
        self.outcomes = list(outcomes)
        self.chats: list[object] = []

    async def __call__(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        self.chats.append(data.get("chat_id"))
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        return {"message_id": len(self.chats), "chat": {"id": data.get("chat_id")}}


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def limiter(sleeps: Sleeps, *, jitter: float = 1.0, **options: Any) -> RetryingRateLimiter:
    return RetryingRateLimiter(
        overall_max_rate=0, group_max_rate=0, sleep=sleeps, jitter=lambda: jitter, **options
    )


async def call(
    rate_limiter: RetryingRateLimiter,
    telegram: Telegram,
    endpoint: str = "sendMessage",
    **data: Any,
) -> Any:
    data = {"chat_id": GROUP, "text": "hello", **data}
    return await rate_limiter.process_request(
        callback=telegram,
        args=(endpoint, data),
        kwargs={"read_timeout": None},
        endpoint=endpoint,
        data=data,
        rate_limit_args=None,
    )


@pytest.mark.parametrize(
    ("base", "cap", "jitter", "expected"),
    [
        (0.5, 30, 1.0, [0.5, 1, 2, 4, 8, 16, 30, 30]),
        (0.5, 30, 0.0, [0.25, 0.5, 1, 2, 4, 8, 15, 15]),
        (10, 30, 1.0, [10, 20, 30, 30, 30, 30, 30, 30]),
    ],
)
def test_backoff_doubles_up_to_the_cap_within_its_jitter(
    base: float, cap: float, jitter: float, expected: list[float]
) -> None:
    delays = [backoff_delay(n, base=base, cap=cap, jitter=jitter) for n in range(1, 9)]
    assert delays == expected


async def test_stumbles_are_retried_with_backoff_until_one_gets_through() -> None:
    sleeps = Sleeps()
    telegram = Telegram(NetworkError("Internal Server Error"), TimedOut(), NetworkError("x"))
    answer = await call(limiter(sleeps, jitter=0.5), telegram)
    assert answer["message_id"] == 4
    assert sleeps == [0.375, 0.75, 1.5]


async def test_attempts_are_bounded_and_the_last_failure_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sleeps = Sleeps()
    telegram = Telegram(*[NetworkError("Bad Gateway")] * 10)
    text = "Customer Acme: visited, 120000 CNY, follow up next Tuesday at 3 pm with the quote " * 2
    with caplog.at_level(logging.INFO, logger="bot.delivery"), pytest.raises(NetworkError):
        await call(limiter(sleeps, attempts=4, base_delay=1, max_delay=3), telegram, text=text)
    assert len(telegram.chats) == 4
    assert sleeps == [1, 2, 3]
    [gave_up] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert gave_up.levelno == logging.ERROR
    line = gave_up.getMessage()
    assert f"sendMessage to chat {GROUP} after 4 attempt(s)" in line
    assert repr(text[:79] + "…") in line and "Bad Gateway" in line


@pytest.mark.parametrize(
    "refusal",
    [BadRequest("Message is not modified"), Forbidden("bot was kicked"), InvalidToken()],
)
async def test_refusals_are_not_retried(refusal: TelegramError) -> None:
    sleeps = Sleeps()
    telegram = Telegram(refusal)
    with pytest.raises(type(refusal)):
        await call(limiter(sleeps), telegram, "editMessageText")
    assert len(telegram.chats) == 1 and sleeps == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429s_stay_with_aioratelimiter_and_are_not_retried_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sleeps = Sleeps()
    telegram = Telegram(RetryAfter(1))
    with caplog.at_level(logging.ERROR, logger="bot.delivery"), pytest.raises(RetryAfter):
        await call(limiter(sleeps, max_retries=0), telegram)
    assert len(telegram.chats) == 1 and sleeps == []
    assert "gave up on sendMessage" in caplog.text


async def test_a_migrated_group_is_followed_once(caplog: pytest.LogCaptureFixture) -> None:
    telegram = Telegram(ChatMigrated(NEW_GROUP))
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        answer = await call(limiter(Sleeps()), telegram)
    assert telegram.chats == [GROUP, NEW_GROUP]
    assert answer["chat"]["id"] == NEW_GROUP
    assert f"chat {GROUP} was upgraded to supergroup {NEW_GROUP}" in caplog.text


async def test_a_migrated_group_is_reported_once_per_refusal_and_edits_stay() -> None:
    """on_migrated hears of every refusal; a call naming a message of the old chat does not
    follow (that id is another message in the supergroup) and is refused to the caller."""
    moves: list[tuple[int, int]] = []

    async def on_migrated(old: int, new: int) -> None:
        moves.append((old, new))

    rate_limiter = limiter(Sleeps())
    rate_limiter.on_migrated = on_migrated
    await call(rate_limiter, Telegram(ChatMigrated(NEW_GROUP)))
    edit = Telegram(ChatMigrated(NEW_GROUP))
    with pytest.raises(ChatMigrated):
        await call(rate_limiter, edit, "editMessageText", message_id=7)
    assert edit.chats == [GROUP]
    assert moves == [(GROUP, NEW_GROUP), (GROUP, NEW_GROUP)]


async def test_a_failing_on_migrated_does_not_stop_the_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def on_migrated(old: int, new: int) -> None:
        raise RuntimeError("database away")

    rate_limiter = limiter(Sleeps())
    rate_limiter.on_migrated = on_migrated
    telegram = Telegram(ChatMigrated(NEW_GROUP))
    with caplog.at_level(logging.ERROR, logger="bot.delivery"):
        answer = await call(rate_limiter, telegram)
    assert answer["chat"]["id"] == NEW_GROUP
    assert f"could not move chat {GROUP}'s data to {NEW_GROUP}" in caplog.text


async def test_the_migrated_call_is_retried_too_but_not_migrated_twice() -> None:
    sleeps = Sleeps()
    telegram = Telegram(ChatMigrated(NEW_GROUP), TimedOut())
    await call(limiter(sleeps), telegram)
    assert telegram.chats == [GROUP, NEW_GROUP, NEW_GROUP] and len(sleeps) == 1
    again = Telegram(ChatMigrated(NEW_GROUP), ChatMigrated(NEW_GROUP - 1))
    with pytest.raises(ChatMigrated):
        await call(limiter(sleeps), again)
    assert again.chats == [GROUP, NEW_GROUP]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"text": "short"}, "'short'"),
        ({"caption": "x" * 100}, repr("x" * 79 + "…")),
        ({"document": InputFile(b"a,b", filename="export.csv")}, "document export.csv"),
        ({"callback_query_id": "1"}, "no text"),
    ],
)
def test_a_call_is_described_by_its_text_or_files(data: dict[str, Any], expected: str) -> None:
    assert describe(data) == expected


@pytest.mark.parametrize("processes", [1, 15])
async def test_processes_sharing_a_token_each_keep_to_their_share_of_a_groups_limit(
    processes: int,
) -> None:
    """15 messages a minute per group in all: one process sends a second one at once, each of
    fifteen processes only its one a minute (the second waits for its share to come round)."""
    from bot.app import production_rate_limiter

    shared, telegram = production_rate_limiter(processes), Telegram()
    await call(shared, telegram)
    second = asyncio.ensure_future(call(shared, telegram))
    if processes == 1:
        await asyncio.wait_for(second, 5)  # well within its share: at once
        return
    await asyncio.sleep(0.2)
    assert not second.done()  # a minute away
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)
