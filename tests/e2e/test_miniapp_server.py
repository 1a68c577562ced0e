"""How the Mini App is served: its page's files, and its server in polling and webhook mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import ManualClock
from bot.config import ConfigError
from bot.web.api import Backend
from bot.web.server import WebServer, make_web_app
from tests.e2e.conftest import GROUP, make_team
from tests.e2e.miniapp import MiniApp, web_settings
from tests.support.miniapp import init_data, person_user
from tgemu.sandbox import TOKEN, Sandbox, _free_port


@pytest.fixture
async def page(tmp_path: Path, clock: ManualClock) -> AsyncIterator[TestClient]:
    static = tmp_path / "static"
    static.mkdir()
    (static / "index.html").write_text("<!doctype html><title>crmbot</title>")
    (static / "app.js").write_text("console.log('hi')")
    (static / ".secret").write_text("hidden")
    (tmp_path / "outside.txt").write_text("outside")
    backend = Backend(token=TOKEN, clock=clock, database=lambda: None)
    async with TestClient(TestServer(make_web_app(backend, static_dir=static))) as client:
        yield client


async def test_the_page_and_its_files_are_served(page: TestClient) -> None:
    index = await page.get("/app/")
    assert index.status == 200
    assert "<title>crmbot</title>" in await index.text()
    assert index.headers["Content-Type"].startswith("text/html")
    assert index.headers["Cache-Control"] == "no-cache"
    assert index.headers["X-Content-Type-Options"] == "nosniff"
    script = await page.get("/app/app.js")
    assert script.status == 200 and "javascript" in script.headers["Content-Type"]
    moved = await page.get("/app", allow_redirects=False)
    assert moved.status == 301 and moved.headers["Location"] == "/app/"


@pytest.mark.parametrize(
    "path", ["/app/missing.js", "/app/.secret", "/app/..%2Foutside.txt", "/app/%2e%2e", "/app/a/b"]
)
async def test_nothing_else_is_served(page: TestClient, path: str) -> None:
    reply = await page.get(path)
    assert reply.status == 404
    assert "outside" not in await reply.text() and "hidden" not in await reply.text()


async def test_before_the_database_opens_the_api_answers_503(
    page: TestClient, clock: ManualClock
) -> None:
    forged = await page.get("/api/me", headers={"Authorization": "tma x"})
    assert forged.status == 401  # the init data is checked first
    signed = init_data(person_user(100, "Maria", "maria"), token=TOKEN, signed_at=clock())
    reply = await page.get("/api/me", headers={"Authorization": f"tma {signed}"})
    assert reply.status == 503 and (await reply.json())["error"] == "unavailable"
    assert reply.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("same_port", [True, False])
async def test_webhook_mode_serves_the_mini_app(
    database_url: str, clock: ManualClock, same_port: bool
) -> None:
    port = _free_port()
    settings, web_port = web_settings()
    if same_port:
        settings = settings.model_copy(update={"web_listen": f"127.0.0.1:{port}"})
        web_port = port
    box = Sandbox(database_url=database_url, clock=clock, settings=settings, webhook=True)
    box.webhook_port = port
    async with box, aiohttp.ClientSession() as http:
        team = make_team(box, GROUP)
        await box.say(GROUP, team.manager, "/setup")
        app = MiniApp(http, f"http://127.0.0.1:{web_port}", clock)
        me = await app.get("/api/me", team.manager)
        assert me.status == 200 and me.body["teams"][0]["role"] == "manager"
        async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
            assert health.status == 200
        assert (box.app is not None) and box.app.bot_data.web_shared is same_port
    # Stopped with the bot: nothing listens any more.
    with pytest.raises(aiohttp.ClientConnectionError):
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{web_port}/api/me"):
            pass


async def test_a_taken_port_is_a_one_line_config_error(clock: ManualClock) -> None:
    backend = Backend(token=TOKEN, clock=clock, database=lambda: None)
    first = WebServer(backend, host="127.0.0.1", port=_free_port())
    await first.start()
    try:
        second = WebServer(backend, host="127.0.0.1", port=first.port)
        with pytest.raises(
            ConfigError, match=rf"CRMBOT_WEB_LISTEN: cannot listen on 127.0.0.1:{first.port}"
        ):
            await second.start()
    finally:
        await first.stop()
