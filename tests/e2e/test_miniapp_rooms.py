"""The Mini App in a company: a partner room's members see its own (its partner's) customers.

Acme's head office has the partners Huatai Trading and Jinlong; each has a room (the
distributor's own group). See tests/e2e/test_partner_rooms.py for the company itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.clock import ManualClock
from bot.config import Settings
from tests.e2e.miniapp import MiniApp, web_settings
from tests.e2e.test_partner_rooms import HUATAI, Acme
from tests.e2e.test_partner_rooms import acme as acme  # the company, as a fixture here too
from tgemu.sandbox import Person, Sandbox


@pytest.fixture
def web_port() -> tuple[Settings, int]:
    return web_settings()


@pytest.fixture
async def sandbox(
    database_url: str, clock: ManualClock, web_port: tuple[Settings, int]
) -> AsyncIterator[Sandbox]:
    settings, _ = web_port
    async with Sandbox(database_url=database_url, clock=clock, settings=settings) as box:
        yield box


@pytest.fixture
async def app(
    sandbox: Sandbox, clock: ManualClock, web_port: tuple[Settings, int]
) -> AsyncIterator[MiniApp]:
    async with aiohttp.ClientSession() as http:
        yield MiniApp(http, f"http://127.0.0.1:{web_port[1]}", clock)


async def names(app: MiniApp, who: Person, team: int, **params: object) -> list[str]:
    reply = await app.get("/api/customers", who, team=team, **params)
    assert reply.status == 200, reply.body
    return [c["name"] for c in reply.body["customers"]]


async def test_a_partner_room_lists_only_its_own_partners_customers(
    sandbox: Sandbox, app: MiniApp, acme: Acme
) -> None:
    head, room = acme.head, acme.room
    await sandbox.say(head.chat_id, head.alice, f"/lead 万科 50万 via distributor {HUATAI}")
    await sandbox.say(head.chat_id, head.alice, "/lead 华润 20万")
    assert await names(app, room.alice, room.chat_id) == ["老客户"]
    assert await names(app, room.alice, room.chat_id, q="万科") == []
    assert await names(app, room.alice, room.chat_id, partner=HUATAI) == ["老客户"]
    refused = await app.get("/api/customers", room.alice, team=head.chat_id)
    assert refused.status == 403 and "万科" not in str(refused.body)
    # The head office's manager, who joined the room to bind it, sees the room as it is.
    assert await names(app, head.manager, room.chat_id) == ["老客户"]
    assert sorted(await names(app, head.alice, head.chat_id)) == sorted(["万科", "华润"])
    (row,) = (await app.get("/api/customers", room.alice, team=room.chat_id)).body["customers"]
    assert row["partner"] == HUATAI
    board = (await app.get("/api/board", room.alice, team=room.chat_id)).body["stages"]
    assert [c for s in board for c in s["customers"]] == [row]
    assert sum(s["total"] for s in board) == 1
    assert (await app.get("/api/board", room.alice, team=head.chat_id)).status == 403


async def test_a_company_manager_opens_every_group_of_the_company(
    sandbox: Sandbox, app: MiniApp, acme: Acme
) -> None:
    head, branch = acme.head, acme.branch
    await sandbox.say(branch.chat_id, branch.alice, "/lead 保利 30万")
    await sandbox.say(head.chat_id, head.alice, "/lead 华润 20万")
    # Never in the branch's chat, the head office's manager manages it, as in a private chat.
    teams = (await app.get("/api/me", head.manager)).body["teams"]
    roles = {team["chat_id"]: team["role"] for team in teams}
    assert roles[branch.chat_id] == "manager" and roles[head.chat_id] == "manager"
    assert await names(app, head.manager, branch.chat_id) == ["保利"]
    # A rep of the head office opens only their own group.
    assert [t["chat_id"] for t in (await app.get("/api/me", head.alice)).body["teams"]] == [
        head.chat_id
    ]
