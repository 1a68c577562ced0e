"""Webhook mode: the aiohttp server checks the secret, serves /healthz and feeds updates."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_application
from bot.clock import ManualClock
from bot.webhook import DatabaseProbe, Lifecycle, Phase, make_webhook_app, serve_webhook
from models.db import Database
from tests.e2e.conftest import make_team
from tgemu.sandbox import BOT_USERNAME, TOKEN, Sandbox, _free_port


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


async def health(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as response:
        return response.status, await response.json()


async def test_healthz_is_503_until_post_init_is_done(
    database_url: str, clock: ManualClock
) -> None:
    box = Sandbox(database_url=database_url, clock=clock)
    await box.emulator.start(host="127.0.0.1", port=0)
    box.emulator.add_bot(TOKEN, BOT_USERNAME, "crmbot")
    app = build_application(box.settings(), clock=clock, db=Database(database_url))
    # Hold post_init (where migrations run) until the test has seen /healthz say "starting".
    migrating, go_on = asyncio.Event(), asyncio.Event()
    post_init = app.post_init
    assert post_init is not None

    async def slow_post_init(application: Any) -> None:
        migrating.set()
        await go_on.wait()
        await post_init(application)

    app.post_init = slow_post_init
    port, stop, ready = _free_port(), asyncio.Event(), asyncio.Event()
    url = f"http://127.0.0.1:{port}"
    server = asyncio.create_task(
        serve_webhook(
            app,
            host="127.0.0.1",
            port=port,
            url=None,
            secret=None,
            stop=stop,
            ready=ready,
            handle_signals=False,
        )
    )
    try:
        await asyncio.wait_for(migrating.wait(), timeout=10)
        assert await health(url) == (503, {"ok": False, "reason": "starting"})
        go_on.set()
        await asyncio.wait_for(ready.wait(), timeout=10)
        assert await health(url) == (200, {"ok": True})
    finally:
        go_on.set()
        stop.set()
        await server
        await box.emulator.stop()
    assert not app.running
    with pytest.raises(aiohttp.ClientConnectionError):
        await health(url)


@contextmanager
def database_swapped(box: Sandbox, url: str) -> Iterator[None]:
    """Point the running bot's Database at `url`, then put the real one back."""
    assert box.app is not None
    state = box.app.bot_data
    real, state.db = state.db, Database(url)
    try:
        yield
    finally:
        assert state.db is not None
        state.db.dispose()
        state.db = real


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_healthz_is_503_while_the_database_is_down(hooked: Sandbox) -> None:
    url = f"http://127.0.0.1:{hooked.webhook_port}"
    assert await health(url) == (200, {"ok": True})
    down = f"postgresql+psycopg://crmbot@127.0.0.1:{closed_port()}/crmbot"
    with database_swapped(hooked, down):
        assert await health(url) == (503, {"ok": False, "reason": "database"})
    assert await health(url) == (200, {"ok": True})


async def test_healthz_answers_in_time_when_the_database_hangs(hooked: Sandbox) -> None:
    url = f"http://127.0.0.1:{hooked.webhook_port}"
    # A server that takes the connection but never says a word: the probe would wait forever.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        hung = f"postgresql+psycopg://crmbot@127.0.0.1:{silent.getsockname()[1]}/crmbot"
        with database_swapped(hooked, hung):
            for _ in range(3):  # each check waits on the one query still in flight
                started = time.monotonic()
                assert await health(url) == (503, {"ok": False, "reason": "database"})
                assert time.monotonic() - started < 3
    # Closing the listener resets the connection, and the probe's thread ends.
    assert await health(url) == (200, {"ok": True})


async def test_healthz_follows_the_servers_phase(hooked: Sandbox) -> None:
    assert hooked.app is not None
    lifecycle = Lifecycle()
    server = make_webhook_app(hooked.app, secret=None, lifecycle=lifecycle, probe=DatabaseProbe())
    async with TestClient(TestServer(server)) as client:
        for phase, status, body in [
            (Phase.STARTING, 503, {"ok": False, "reason": "starting"}),
            (Phase.READY, 200, {"ok": True}),
            (Phase.STOPPING, 503, {"ok": False, "reason": "stopping"}),
        ]:
            lifecycle.phase = phase
            async with client.get("/healthz") as response:
                assert (response.status, await response.json()) == (status, body)


async def test_healthz_is_503_once_the_application_stops(hooked: Sandbox) -> None:
    assert hooked.app is not None
    server = make_webhook_app(hooked.app, secret=None, lifecycle=Lifecycle(Phase.READY))
    async with TestClient(TestServer(server)) as client:
        await hooked.stop_bot()
        async with client.get("/healthz") as response:
            assert response.status == 503
            assert await response.json() == {"ok": False, "reason": "stopping"}


async def test_a_failed_start_closes_the_port(database_url: str, clock: ManualClock) -> None:
    box = Sandbox(database_url=database_url, clock=clock)
    await box.emulator.start(host="127.0.0.1", port=0)
    box.emulator.add_bot(TOKEN, BOT_USERNAME, "crmbot")
    app = build_application(box.settings(), clock=clock, db=Database(database_url))

    async def failing_post_init(_application: Any) -> None:
        raise RuntimeError("migrations failed")

    app.post_init = failing_post_init
    port = _free_port()
    try:
        with pytest.raises(RuntimeError, match="migrations failed"):
            await serve_webhook(
                app, host="127.0.0.1", port=port, url=None, secret=None, handle_signals=False
            )
    finally:
        await box.emulator.stop()
    with pytest.raises(aiohttp.ClientConnectionError):
        await health(f"http://127.0.0.1:{port}")
