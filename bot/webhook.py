"""Webhook mode: an aiohttp server that receives updates and feeds them to the Application.

POST /telegram checks the secret first (403), then the size (413), then that the body is an
update Telegram could have sent (400), and answers 200 only once the update has been processed,
so an acknowledged update is an applied one; GET /healthz is 200 only while the bot runs and its
database answers, 503 with the reason otherwise.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiohttp import web
from telegram import Bot, Update
from telegram.ext import Application

from bot.context import AppState
from bot.intake import DRAIN_WITHIN, Intake, stop_on_signals
from models.db import Database

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update is a few kilobytes (a message is at most 4096 characters); a mebibyte is generous.
MAX_BODY = 2**20
# Under the Docker HEALTHCHECK's two-second urlopen timeout, so a slow database reads as 503.
PROBE_TIMEOUT = 1.0
INT64 = range(-(2**63), 2**63)
# Telegram posts one update per chat at a time, over up to this many connections (its maximum;
# the default is 40): so many chats are processed in parallel.
MAX_CONNECTIONS = 100


class Phase(StrEnum):
    """Where the server is in its life; every phase but READY is a /healthz reason."""

    STARTING = "starting"
    READY = "ready"
    STOPPING = "stopping"


@dataclass
class Lifecycle:
    """The server's phase: serve_webhook moves it on, /healthz reports it."""

    phase: Phase = Phase.STARTING


class BadUpdate(ValueError):
    """A webhook body that is not an update Telegram would send."""


def parse_update(body: bytes, bot: Bot) -> Update:
    """Decode a webhook body into an Update; raise BadUpdate for anything else."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deep
        raise BadUpdate("not JSON") from exc
    if not isinstance(data, dict):
        raise BadUpdate("not a JSON object")
    if not _fits_int64(data.get("update_id")):
        raise BadUpdate("update_id is not a 64-bit integer")
    for field in Update.ALL_TYPES:
        if field in data and not isinstance(data[field], dict):
            raise BadUpdate(f"{field} is not an object")
    try:
        update = Update.de_json(data, bot)
    except Exception as exc:  # de_json trusts the shapes it is given; a bad one raises anything
        raise BadUpdate(f"not an update ({type(exc).__name__})") from exc
    # The ids the bot keys its rows by, and the text it reads, must have the types it expects.
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    ids = [found.id for found in (chat, user) if found is not None]
    texts = []
    if message is not None:
        ids.append(message.message_id)
        texts = [getattr(message, "text", None), getattr(message, "caption", None)]
    if not all(_fits_int64(value) for value in ids):
        raise BadUpdate("an id is not a 64-bit integer")
    if not all(value is None or isinstance(value, str) for value in texts):
        raise BadUpdate("a text is not a string")
    return update


def _fits_int64(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in INT64


class DatabaseProbe:
    """Tell whether the database answers SELECT 1 within `timeout` seconds.

    The query runs in a thread, and at most one at a time: a hung database holds one thread
    and every health check meanwhile waits on that same query, never longer than `timeout`.
    """

    def __init__(self, timeout: float = PROBE_TIMEOUT) -> None:
        self.timeout = timeout
        self._db: Database | None = None
        self._query: asyncio.Task[None] | None = None

    async def answers(self, db: Database | None) -> bool:
        if db is None:
            return False
        if self._query is None or self._query.done() or self._db is not db:
            self._db, self._query = db, asyncio.create_task(asyncio.to_thread(db.ping))
            # Whoever awaited it may have given up; read the outcome so none goes unretrieved.
            self._query.add_done_callback(lambda task: task.cancelled() or task.exception())
        try:
            await asyncio.wait_for(asyncio.shield(self._query), self.timeout)
        except TimeoutError:
            log.warning("health check: the database did not answer within %ss", self.timeout)
            return False
        except Exception as exc:
            first_line = (str(exc).splitlines() or [""])[0]
            log.warning("health check: the database is unreachable: %s", first_line)
            return False
        return True


def make_webhook_app(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    secret: str | None,
    lifecycle: Lifecycle,
    intake: Intake | None = None,
    probe: DatabaseProbe | None = None,
) -> web.Application:
    """Build the aiohttp app: POST /telegram (secret-checked) and GET /healthz."""
    probe = probe or DatabaseProbe()
    intake = intake or Intake(app)

    async def receive(request: web.Request) -> web.Response:
        if secret is not None:
            given = request.headers.get(SECRET_HEADER, "")
            # surrogateescape: a header with bytes that are not UTF-8 is just a wrong secret.
            if not hmac.compare_digest(given.encode(errors="surrogateescape"), secret.encode()):
                return web.Response(status=403, text="forbidden")
        if (request.content_length or 0) > MAX_BODY:
            return web.Response(status=413, text="too large")
        if request.content_type != "application/json":
            return web.Response(status=400, text="expected application/json")
        try:
            # Counts what arrives, so a chunked body without a Content-Length is capped too.
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="too large")
        try:
            update = parse_update(body, app.bot)
        except BadUpdate as exc:
            log.info("refused a webhook body: %s", exc)
            return web.Response(status=400, text="bad update")
        if lifecycle.phase is not Phase.READY:
            # Before the bot is ready (migrations) or while it stops: Telegram keeps it, retries.
            return web.Response(status=503, text=lifecycle.phase.value)
        try:
            done = await intake.handle(update)
        except Exception:  # the Application's error handler saw it; make Telegram retry
            log.exception("update %s failed outside its handlers", update.update_id)
            return web.Response(status=500, text="failed")
        if not done:
            return web.Response(status=503, text="still working")
        return web.Response(text="ok")

    async def healthz(_request: web.Request) -> web.Response:
        if lifecycle.phase is not Phase.READY or not app.running:
            reason = Phase.STOPPING if lifecycle.phase is Phase.READY else lifecycle.phase
            return _unhealthy(reason)
        # crmbot's state holds its database; another bot served here has none to probe.
        state = app.bot_data
        if isinstance(state, AppState) and not await probe.answers(state.db):
            return _unhealthy("database")
        return web.json_response({"ok": True})

    server = web.Application(client_max_size=MAX_BODY)
    server.router.add_post(WEBHOOK_PATH, receive)
    server.router.add_get("/healthz", healthz)
    return server


def _share_with_miniapp(
    app: Application[Any, Any, Any, Any, Any, Any], server: web.Application, *, host: str, port: int
) -> None:
    """Serve the Mini App from this server when CRMBOT_WEB_LISTEN is the webhook's address."""
    from bot.app import web_backend
    from bot.web.server import add_routes

    state = app.bot_data
    if not isinstance(state, AppState) or state.settings.web_listen != f"{host}:{port}":
        return
    add_routes(server.router, web_backend(app))
    state.web_shared = True


def _unhealthy(reason: str) -> web.Response:
    return web.json_response({"ok": False, "reason": reason}, status=503)


def endpoint_url(url: str | None) -> str | None:
    """Return the public URL Telegram should post to: `url`, ending in WEBHOOK_PATH."""
    if url and not url.rstrip("/").endswith(WEBHOOK_PATH):
        return url.rstrip("/") + WEBHOOK_PATH
    return url


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
    if handle_signals:
        stop_on_signals(stop)
    await app.initialize()
    lifecycle, intake = Lifecycle(), Intake(app)
    server = make_webhook_app(app, secret=secret, lifecycle=lifecycle, intake=intake)
    _share_with_miniapp(app, server, host=host, port=port)
    runner = web.AppRunner(server, shutdown_timeout=DRAIN_WITHIN)
    await runner.setup()
    try:
        # Listening before post_init lets /healthz say "starting" while migrations run.
        site = web.TCPSite(runner, host, port)
        await site.start()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        lifecycle.phase = Phase.READY
        # Only now: updates that come earlier are answered 503 and wait at Telegram's side.
        if url:
            await app.bot.set_webhook(
                url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=MAX_CONNECTIONS,
            )
        log.info("webhook server listening on %s:%s", host, port)
        if ready is not None:
            ready.set()
        await stop.wait()
    finally:
        lifecycle.phase = Phase.STOPPING
        # Stop accepting first (Telegram retries what we refuse), let the updates in flight finish
        # and be answered, then cancel what is left: unanswered, Telegram delivers it again.
        await runner.cleanup()
        await intake.drain(timeout=0)
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
