"""The HTTP side: routing, request parsing and Telegram's response envelope (aiohttp)."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from tgemu.context import MethodContext
from tgemu.errors import ApiError, bad_request
from tgemu.faults import Fault, FaultInjection
from tgemu.flood import FloodControl
from tgemu.methods import METHODS
from tgemu.params import Params, UploadedFile
from tgemu.state import BotCall, EmulatorState
from tgemu.webhook import WebhookDispatcher

_LOGGER = logging.getLogger(__name__)
_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_MAX_BODY = 60 * 1024 * 1024


def _json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(
        body, status=status, dumps=lambda obj: json.dumps(obj, ensure_ascii=False)
    )


def _error_response(error: ApiError) -> web.Response:
    return _json_response(error.to_json(), status=error.error_code)


async def read_params(request: web.Request) -> Params:
    """Collect parameters from the query string and a form, multipart or JSON body."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.method == "POST" and request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON request body must be an object")
            values.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = UploadedFile(
                        filename=value.filename,
                        content_type=value.content_type,
                        content=value.file.read(),
                    )
                else:
                    values[name] = value
    return Params(values, files)


class EmulatorServer:
    """Serves /bot{token}/{method} and /file/bot{token}/{path} over aiohttp."""

    def __init__(
        self,
        state: EmulatorState,
        webhooks: WebhookDispatcher,
        flood: FloodControl,
        faults: FaultInjection,
        *,
        strict_html: bool,
        extra_routes: Iterable[web.RouteDef] = (),
    ) -> None:
        self._state = state
        self._webhooks = webhooks
        self._flood = flood
        self._faults = faults
        self._strict_html = strict_html
        self._extra_routes = list(extra_routes)
        self._runner: web.AppRunner | None = None

    def build_app(self) -> web.Application:
        """Return the aiohttp application with every route."""
        app = web.Application(client_max_size=_MAX_BODY)
        app.add_routes(
            [
                web.route("*", "/bot{token}/{method}", self._bot_method),
                web.get("/file/bot{token}/{file_path:.+}", self._download),
                *self._extra_routes,
            ]
        )
        return app

    async def start(self, host: str, port: int) -> str:
        """Listen on host:port (0 = any free port); return the base URL."""
        # handler_cancellation: a long poll whose client went away must stop waiting.
        self._runner = web.AppRunner(self.build_app(), handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        return f"http://{host}:{bound_port}"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _bot_method(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        name = request.match_info["method"]
        if not _TOKEN_RE.fullmatch(token):
            return _error_response(ApiError(404, "Not Found"))
        bot = self._state.bots.get(token)
        if bot is None:
            return _error_response(ApiError(401, "Unauthorized"))
        entry = METHODS.get(name.lower())
        if entry is None:
            return _error_response(ApiError(404, "Not Found"))
        method, handler = entry
        call = BotCall(method=method, params={}, time=time.monotonic(), bot_username=bot.username)
        self._state.calls.append(call)
        try:
            params = await read_params(request)
            call.params = params.summary()
            fault = self._faults.take(method, call.chat_id)
            if fault is not None:
                return await self._stumble(request, call, fault)
            self._flood.check(method, call.chat_id)
            context = MethodContext(self._state, bot, self._webhooks, self._strict_html)
            result = await handler(context, params)
        except ApiError as error:
            call.ok, call.error_code, call.description = False, error.error_code, error.description
            _LOGGER.debug("%s -> %s %s", method, error.error_code, error.description)
            self._state.notifier.notify()
            return _error_response(error)
        self._flood.record(method, call.chat_id)
        self._state.notifier.notify()
        return _json_response({"ok": True, "result": result})

    async def _stumble(self, request: web.Request, call: BotCall, fault: Fault) -> web.Response:
        """Fail the call as injected, without carrying it out."""
        call.ok = False
        self._state.notifier.notify()
        if fault.kind == "disconnect":
            call.description = "connection closed (injected)"
            assert request.transport is not None
            request.transport.close()
            return web.Response()  # never written: the client sees the connection drop
        if fault.kind == "hang":
            call.description = "no answer (injected hang)"
            # A client that gives up first closes the connection, which cancels this handler.
            await self._state.notifier.wait_until(lambda: self._state.closing, fault.seconds)
        error = fault.error()
        call.error_code, call.description = error.error_code, f"{error.description} (injected)"
        self._state.notifier.notify()
        return _error_response(error)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self._state.bots:
            return _error_response(ApiError(401, "Unauthorized"))
        stored = self._state.files_by_path.get(request.match_info["file_path"])
        if stored is None:
            return _error_response(ApiError(404, "Not Found"))
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )
