"""A small JSON API under /_emulator/ mirroring the Python user side, for other processes.

``POST /_emulator/<action>`` with a JSON object of keyword arguments (bytes as
``content_base64``), or ``GET /_emulator/<action>?name=value`` for reads. The answer is
``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}``.
"""

from __future__ import annotations

import base64
import dataclasses
import inspect
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tgemu.errors import ApiError, EmulatorError
from tgemu.state import SentMessage

if TYPE_CHECKING:
    from tgemu.emulator import BotApiEmulator

_ACTIONS = (
    "add_bot",
    "add_user",
    "add_group",
    "add_channel",
    "set_admin",
    "add_bot_to_group",
    "remove_bot_from_group",
    "join_group",
    "leave_group",
    "create_topic",
    "upgrade_group",
    "start_private",
    "block_bot",
    "send_message",
    "send_as_bot",
    "post_in_channel",
    "edit_message",
    "press_button",
    "send_document",
    "send_photo",
    "send_voice",
    "send_sticker",
    "simulate_flood",
    "inject_fault",
    "mark",
    "wait_sent",
    "wait_consumed",
    "sent",
    "messages",
    "commands",
    "visible_commands",
)
_PROPERTIES = ("calls", "callback_answers", "updates")


def jsonable(value: Any) -> Any:
    """Convert emulator results (dataclasses, bytes, datetimes) to JSON values."""
    if isinstance(value, SentMessage):
        return value.to_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def _query_arguments(request: web.Request) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    for name, raw in request.query.items():
        try:
            arguments[name] = json.loads(raw)
        except ValueError:
            arguments[name] = raw
    return arguments


def control_routes(emulator: BotApiEmulator) -> list[web.RouteDef]:
    """Return the /_emulator/ routes bound to one emulator."""

    def target(action: str) -> Callable[..., Any] | None:
        if action in _ACTIONS:
            return getattr(emulator, action)
        if action in _PROPERTIES:
            return lambda: getattr(emulator, action)
        return None

    async def handle(request: web.Request) -> web.Response:
        function = target(request.match_info["action"])
        if function is None:
            return web.json_response({"ok": False, "error": "unknown action"}, status=404)
        try:
            if request.method == "POST" and request.body_exists:
                arguments = await request.json()
                if not isinstance(arguments, dict):
                    raise TypeError("the body must be a JSON object of keyword arguments")
            else:
                arguments = _query_arguments(request)
            if "content_base64" in arguments:
                arguments["content"] = base64.b64decode(arguments.pop("content_base64"))
            result = function(**arguments)
            if inspect.isawaitable(result):
                result = await result
        except TimeoutError as exc:
            return web.json_response({"ok": False, "error": str(exc)}, status=408)
        except (ApiError, EmulatorError, TypeError, ValueError, KeyError) as exc:
            return web.json_response({"ok": False, "error": str(exc)}, status=400)
        return web.json_response({"ok": True, "result": jsonable(result)})

    return [web.route("*", "/_emulator/{action}", handle)]
