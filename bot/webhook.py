"""Webhook mode: an aiohttp server that receives updates and feeds them to the Application."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def make_webhook_app(
    app: Application[Any, Any, Any, Any, Any, Any], *, secret: str | None
) -> web.Application:
    """Build the aiohttp app: POST /telegram (secret-checked) and GET /healthz."""

    async def receive(request: web.Request) -> web.Response:
        if secret is not None:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), secret.encode()):
                return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            update = Update.de_json(data, app.bot)
        except (json.JSONDecodeError, ValueError, TypeError, KeyError):
            return web.Response(status=400, text="bad update")
        if update is None:
            return web.Response(status=400, text="bad update")
        await app.update_queue.put(update)
        return web.Response(text="ok")

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": app.running})

    server = web.Application(client_max_size=2**20)
    server.router.add_post(WEBHOOK_PATH, receive)
    server.router.add_get("/healthz", healthz)
    return server


async def serve_webhook(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    host: str,
    port: int,
    url: str | None,
    secret: str | None,
    stop: asyncio.Event | None = None,
    ready: asyncio.Event | None = None,
    handle_signals: bool = True,
) -> None:
    """Run until SIGTERM/SIGINT (or `stop`), then finish in-flight updates and shut down."""
    from bot.app import ALLOWED_UPDATES

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT) if handle_signals else ():
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    await app.initialize()
    runner = web.AppRunner(make_webhook_app(app, secret=secret))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    if url:
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
    if app.post_init:
        await app.post_init(app)
    await app.start()
    log.info("webhook server listening on %s:%s", host, port)
    if ready is not None:
        ready.set()
    try:
        await stop.wait()
    finally:
        # Stop accepting first (Telegram retries what we refuse), then drain the queue.
        await runner.cleanup()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
