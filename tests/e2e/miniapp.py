"""A Mini App client for e2e tests: signed init data for a sandbox person, JSON calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from bot.clock import Clock
from bot.config import Settings
from tests.support.miniapp import init_data, person_user
from tgemu.sandbox import TOKEN, Person, _free_port


def web_settings(**more: Any) -> tuple[Settings, int]:
    """Settings that serve the Mini App on a free local port, and the port."""
    port = _free_port()
    return Settings(CRMBOT_WEB_LISTEN=f"127.0.0.1:{port}", CRMBOT_WORKERS=0, **more), port


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]


class MiniApp:
    """Calls the API as Telegram's client would, for one person at a time."""

    def __init__(self, http: aiohttp.ClientSession, base: str, clock: Clock) -> None:
        self.http, self.base, self.clock = http, base, clock

    def auth(
        self, person: Person, *, age: timedelta = timedelta(minutes=1), start: int | None = None
    ) -> str:
        """Init data for `person`, as opened from a group's /app link when `start` is its chat."""
        user = person_user(person.user_id, person.first_name, person.username, person.language_code)
        signed_at: datetime = self.clock() - age
        start_param = str(start) if start is not None else None
        return "tma " + init_data(user, token=TOKEN, signed_at=signed_at, start_param=start_param)

    async def call(
        self,
        method: str,
        path: str,
        person: Person | None,
        *,
        authorization: str | None = None,
        json: Any = None,
        data: bytes | None = None,
        **params: Any,
    ) -> Reply:
        headers = {}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif person is not None:
            headers["Authorization"] = self.auth(person)
        query = {k: str(v) for k, v in params.items()}
        async with self.http.request(
            method, self.base + path, params=query, headers=headers, json=json, data=data
        ) as response:
            body = await response.json() if response.content_type == "application/json" else None
            return Reply(response.status, body, dict(response.headers))

    async def get(self, path: str, person: Person | None, **params: Any) -> Reply:
        return await self.call("GET", path, person, **params)

    async def post(self, path: str, person: Person | None, **kwargs: Any) -> Reply:
        return await self.call("POST", path, person, **kwargs)
