"""Webhook mode: the aiohttp server checks the secret, serves /healthz and feeds updates."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.clock import ManualClock
from tests.e2e.conftest import make_team
from tgemu.sandbox import Sandbox


@pytest.fixture
async def hooked(database_url: str, clock: ManualClock) -> AsyncIterator[Sandbox]:
    async with Sandbox(database_url=database_url, clock=clock, webhook=True) as box:
        yield box


async def test_updates_arrive_by_webhook_and_are_answered(hooked: Sandbox) -> None:
    team = make_team(hooked)
    (reply,) = await hooked.say(team.chat_id, team.manager, "/setup")
    assert reply.text.startswith("✅ crmbot is active")
    (card,) = await hooked.say(team.chat_id, team.alice, "/visit Acme, follow up Friday")
    assert card.text.startswith("🤝 Visit · Acme")


async def test_requests_without_the_secret_are_refused(hooked: Sandbox) -> None:
    url = f"http://127.0.0.1:{hooked.webhook_port}"
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "text": "/start",
        },
    }
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/telegram", json=update) as response:
            assert response.status == 403
        headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        async with http.post(f"{url}/telegram", json=update, headers=headers) as response:
            assert response.status == 403
        headers = {"X-Telegram-Bot-Api-Secret-Token": hooked.webhook_secret}
        async with http.post(f"{url}/telegram", data=b"not json", headers=headers) as response:
            assert response.status == 400
        async with http.get(f"{url}/healthz") as response:
            assert response.status == 200 and (await response.json()) == {"ok": True}


async def test_webhook_restart_loses_and_repeats_nothing(hooked: Sandbox) -> None:
    team = make_team(hooked)
    await hooked.say(team.chat_id, team.manager, "/setup")
    for i in range(5):
        await hooked.emulator.send_message(team.chat_id, team.alice.user_id, f"/lead W{i}")
    await hooked.stop_bot()
    await hooked.start_bot()
    await hooked.settle()
    cards = [m for m in hooked.emulator.sent(team.chat_id) if m.text.startswith("🆕 Lead")]
    assert sorted(m.text.splitlines()[0] for m in cards) == [
        f"🆕 Lead · W{i} (new customer)" for i in range(5)
    ]
