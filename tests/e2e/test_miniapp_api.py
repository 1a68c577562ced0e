"""The Mini App's API against the real bot: the same services, permissions and audit as the chat.

The bot runs with CRMBOT_WEB_LISTEN, so its own post_init opens the Mini App's server; the
chat side goes through the emulator. Team A (GROUP): Maria manages, Alice and Bob are reps.
Team B (OTHER_GROUP) is another team with a customer of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest
from sqlmodel import col, select

from bot.clock import ManualClock
from models.tables import AuditLog, Customer, Task
from models.tables import Team as TeamRow
from tests.e2e.conftest import GROUP, OTHER_GROUP, Team, make_team
from tests.e2e.miniapp import MiniApp, web_settings
from tgemu.sandbox import Sandbox

INACTIVE_GROUP = -1001000000009


@pytest.fixture
async def web(database_url: str, clock: ManualClock) -> AsyncIterator[tuple[Sandbox, MiniApp]]:
    settings, port = web_settings()
    async with (
        Sandbox(database_url=database_url, clock=clock, settings=settings) as box,
        aiohttp.ClientSession() as http,
    ):
        yield box, MiniApp(http, f"http://127.0.0.1:{port}", clock)


@dataclass
class World:
    box: Sandbox
    app: MiniApp
    a: Team
    b: Team

    def customer_id(self, name: str) -> int:
        assert self.box.db is not None
        with self.box.db.session() as session:
            return session.exec(select(Customer.id).where(Customer.name == name)).one()

    def task_id(self, team: Team, number: int) -> int:
        assert self.box.db is not None
        with self.box.db.session() as session:
            return session.exec(
                select(Task.id)
                .join(TeamRow, col(TeamRow.id) == Task.team_id)
                .where(TeamRow.chat_id == team.chat_id, Task.number == number)
            ).one()

    def audit(self, action: str) -> list[AuditLog]:
        assert self.box.db is not None
        with self.box.db.session() as session:
            return list(
                session.exec(
                    select(AuditLog).where(AuditLog.action == action).order_by(col(AuditLog.id))
                )
            )


@pytest.fixture
async def world(web: tuple[Sandbox, MiniApp]) -> World:
    box, app = web
    a = make_team(box, GROUP)
    b = make_team(box, OTHER_GROUP, offset=1)
    for team in (a, b):
        await box.say(team.chat_id, team.manager, "/setup")
    await box.say(GROUP, a.alice, "/lead Acme Trading 50k")
    await box.say(GROUP, a.alice, "/visit Acme Trading follow up tomorrow 3pm about the quote")
    await box.say(GROUP, a.bob, "/lead Globex 20k")
    await box.say(GROUP, a.bob, "/task call Globex back tomorrow 10am")
    await box.say(OTHER_GROUP, b.alice, "/lead Initech 90k")
    return World(box, app, a, b)


async def test_every_call_needs_valid_fresh_init_data(world: World) -> None:
    app, alice = world.app, world.a.alice
    for path in ("/api/me", "/api/customers", "/api/board", "/api/tasks", "/api/stats"):
        for authorization in (
            None,
            "tma ",
            "Bearer x",
            app.auth(alice).replace("hash=", "hash=0"),
            app.auth(alice, age=timedelta(hours=25)),
        ):
            reply = await app.call("GET", path, None, authorization=authorization or "", team=GROUP)
            assert reply.status == 401, (path, authorization)
            assert reply.body["error"] == "unauthorized"
            assert set(reply.body) == {"error", "message"}
            assert reply.headers["Cache-Control"] == "no-store"
    done = await app.post("/api/tasks/1/done", None, authorization="tma x")
    assert done.status == 401
    ok = await app.get("/api/me", alice)
    assert ok.status == 200
    assert ok.headers["Cache-Control"] == "no-store"


async def test_a_group_member_who_never_wrote_there_opens_the_team(world: World) -> None:
    box, app = world.box, world.app
    nina = box.person(1201, "Nina", "nina")
    await box.emulator.join_group(GROUP, nina.user_id)
    # Opened from the group's /app link: Telegram says she is in its chat, so she is its rep.
    me = await app.get("/api/me", None, authorization=app.auth(nina, start=GROUP))
    assert [(t["chat_id"], t["role"]) for t in me.body["teams"]] == [(GROUP, "rep")]
    omar = box.person(1202, "Omar", "omar")
    await box.emulator.join_group(GROUP, omar.user_id)
    listed = await app.get("/api/customers", omar, team=GROUP)
    assert listed.status == 200 and listed.body["total"] == 2
    # Someone not in the chat stays out, whatever team the link names.
    eve = box.person(1203, "Eve", "eve")
    me = await app.get("/api/me", None, authorization=app.auth(eve, start=GROUP))
    assert me.body["teams"] == []
    refused = await app.get("/api/customers", eve, team=GROUP)
    assert refused.status == 403 and "Acme" not in str(refused.body)
    # Nor does being in another team's chat open this one.
    assert (await app.get("/api/customers", nina, team=OTHER_GROUP)).status == 403


async def test_me_lists_the_users_active_teams_and_roles(world: World) -> None:
    app = world.app
    alice = (await app.get("/api/me", world.a.alice)).body
    assert alice["user"] == {"id": world.a.alice.user_id, "name": "Alice", "language": "en"}
    (team,) = alice["teams"]
    assert team["chat_id"] == GROUP and team["role"] == "rep"
    assert team["title"] == f"Sales {GROUP}"
    assert team["language"] == "en" and team["currency"] == "CNY"
    assert [s["key"] for s in team["stages"]][:3] == ["lead", "contacted", "visited"]
    assert team["stages"][3] == {"key": "quoted", "name": "Quoted"}
    (managed,) = (await app.get("/api/me", world.a.manager)).body["teams"]
    assert managed["role"] == "manager"
    stranger = world.box.person(999, "Eve", "eve")
    assert (await app.get("/api/me", stranger)).body["teams"] == []
    # A group Alice writes in that never sent /setup is no team of hers yet.
    world.box.group(INACTIVE_GROUP, "Not yet", admins=[stranger], members=[world.a.alice])
    await world.box.say(INACTIVE_GROUP, world.a.alice, "/lead Hooli")
    again = (await app.get("/api/me", world.a.alice)).body["teams"]
    assert [t["chat_id"] for t in again] == [GROUP]
    refused = await app.get("/api/customers", world.a.alice, team=INACTIVE_GROUP)
    assert refused.status == 403


async def test_customer_list_search_filters_and_pages(world: World) -> None:
    app, alice = world.app, world.a.alice
    listed = (await app.get("/api/customers", alice, team=GROUP)).body
    assert [c["name"] for c in listed["customers"]] == ["Globex", "Acme Trading"]
    assert listed["total"] == 2 and listed["next_offset"] is None
    acme = listed["customers"][1]
    assert acme["owner"] == "@alice"
    assert acme["stage"] == "visited" and acme["stage_name"] == "Visited"
    assert acme["amount"] == "50000.00" and acme["currency"] == "CNY"
    assert acme["last_activity"].endswith("+08:00")
    assert set(acme) >= {"id", "name", "owner", "stage", "channel", "partner", "amount"}
    for q, names in [("acme", ["Acme Trading"]), ("trad", ["Acme Trading"]), ("glob", ["Globex"]),
                     ("Acme Tradng", ["Acme Trading"]), ("initech", [])]:  # fmt: skip
        found = (await app.get("/api/customers", alice, team=GROUP, q=q)).body
        assert [c["name"] for c in found["customers"]] == names, q
    by_owner = (await app.get("/api/customers", alice, team=GROUP, owner="@bob")).body
    assert [c["name"] for c in by_owner["customers"]] == ["Globex"]
    by_stage = (await app.get("/api/customers", alice, team=GROUP, stage="lead")).body
    assert [c["name"] for c in by_stage["customers"]] == ["Globex"]
    first = (await app.get("/api/customers", alice, team=GROUP, limit=1)).body
    assert [c["name"] for c in first["customers"]] == ["Globex"] and first["next_offset"] == 1
    second = (await app.get("/api/customers", alice, team=GROUP, limit=1, offset=1)).body
    assert [c["name"] for c in second["customers"]] == ["Acme Trading"]
    assert second["next_offset"] is None


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "missing_team"),
        ({"team": "abc"}, "bad_team"),
        ({"team": "99999999999999999999"}, "bad_team"),
        ({"team": GROUP, "limit": "0"}, "bad_limit"),
        ({"team": GROUP, "limit": "x"}, "bad_limit"),
        ({"team": GROUP, "offset": "-1"}, "bad_offset"),
        ({"team": GROUP, "stage": "nosuch"}, "unknown_stage"),
        ({"team": GROUP, "owner": "@nobody"}, "unknown_owner"),
        ({"team": GROUP, "channel": "nowhere"}, "unknown_channel"),
        ({"team": GROUP, "partner": "nobody"}, "unknown_partner"),
    ],
)
async def test_bad_list_parameters_are_400(world: World, params: dict, code: str) -> None:
    reply = await world.app.get("/api/customers", world.a.alice, **params)
    assert reply.status == 400
    assert reply.body["error"] == code and reply.body["message"]


async def test_another_teams_data_is_never_served(world: World) -> None:
    app, alice = world.app, world.a.alice
    initech = world.customer_id("Initech")
    for path in (
        "/api/customers",
        "/api/board",
        "/api/tasks",
        "/api/stats",
        f"/api/customers/{initech}",
    ):
        reply = await app.get(path, alice, team=OTHER_GROUP)
        assert reply.status == 403, path
        assert reply.body["error"] == "not_member"
        assert "Initech" not in str(reply.body)
    card = await app.get(f"/api/customers/{initech}", alice, team=GROUP)
    assert card.status == 404 and "Initech" not in str(card.body)
    # An unknown or inactive team is refused as well, the same way.
    assert (await app.get("/api/customers", alice, team=-100123)).status == 403
    moved = await app.post(f"/api/customers/{initech}/stage", alice, json={"stage": "won"})
    assert moved.status == 403 and "Initech" not in str(moved.body)
    assert (await app.get("/api/customers/0", alice, team=GROUP)).status == 400
    assert (await app.get("/api/customers/x", alice, team=GROUP)).status == 400
    assert (await app.get("/api/customers/987654", alice, team=GROUP)).status == 404


async def test_board_is_every_stage_in_order_with_its_count_and_first_customers(
    world: World,
) -> None:
    box, app, a = world.box, world.app, world.a
    await box.say(GROUP, a.alice, "/lead Hooli 5k")
    await box.say(GROUP, a.bob, "/lead Umbrella")
    stages = (await app.get("/api/me", a.alice)).body["teams"][0]["stages"]
    reply = await app.get("/api/board", a.alice, team=GROUP, limit=2)
    assert reply.status == 200 and reply.headers["Cache-Control"] == "no-store"
    board = reply.body["stages"]
    assert [{"key": s["key"], "name": s["name"]} for s in board] == stages
    counts = {s["key"]: s["total"] for s in board}
    assert counts == {s["key"]: 0 for s in stages} | {"lead": 3, "visited": 1}
    shown = {s["key"]: [c["name"] for c in s["customers"]] for s in board}
    assert shown["lead"] == ["Umbrella", "Hooli"] and shown["visited"] == ["Acme Trading"]
    assert shown["won"] == [] and shown["quoted"] == []
    # Each stage's customers are, value by value, the first page of the list of that stage.
    for stage in board:
        listed = await app.get("/api/customers", a.alice, team=GROUP, stage=stage["key"], limit=2)
        assert stage["customers"] == listed.body["customers"], stage["key"]
        assert stage["total"] == listed.body["total"], stage["key"]
    hooli = board[0]["customers"][1]
    assert hooli["owner"] == "@alice" and hooli["amount"] == "5000.00"
    assert hooli["stage_name"] == "Lead" and hooli["last_activity"].endswith("+08:00")
    full = (await app.get("/api/board", a.manager, team=GROUP)).body["stages"]
    assert [c["name"] for c in full[0]["customers"]] == ["Umbrella", "Hooli", "Globex"]
    other = (await app.get("/api/board", world.b.alice, team=OTHER_GROUP)).body["stages"]
    assert {c["name"] for s in other for c in s["customers"]} == {"Initech"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "missing_team"),
        ({"team": "abc"}, "bad_team"),
        ({"team": GROUP, "limit": "0"}, "bad_limit"),
        ({"team": GROUP, "limit": "51"}, "bad_limit"),
        ({"team": GROUP, "limit": "x"}, "bad_limit"),
    ],
)
async def test_bad_board_parameters_are_400(world: World, params: dict, code: str) -> None:
    reply = await world.app.get("/api/board", world.a.alice, **params)
    assert reply.status == 400
    assert reply.body["error"] == code and reply.body["message"]


async def test_customer_card_has_timeline_and_open_tasks(world: World) -> None:
    acme = world.customer_id("Acme Trading")
    card = (await world.app.get(f"/api/customers/{acme}", world.a.bob, team=GROUP)).body
    found = card["customer"]
    assert found["name"] == "Acme Trading" and found["owner"] == "@alice"
    kinds = [entry["kind"] for entry in found["timeline"]]
    assert "visit" in kinds and "lead" in kinds
    visit = found["timeline"][kinds.index("visit")]
    assert visit["kind_name"] == "visit" and visit["by"] == "@alice"
    (task,) = found["tasks"]
    assert task["number"] == 1 and task["owner"] == "@alice" and task["overdue"] is False
    assert task["customer"] == "Acme Trading" and task["due"].startswith("2026-11-25T15:00")


async def test_tasks_mine_and_all_for_managers(world: World) -> None:
    app, a = world.app, world.a
    mine = (await app.get("/api/tasks", a.alice, team=GROUP)).body["tasks"]
    assert [(t["number"], t["customer"], t["owner"]) for t in mine] == [
        (1, "Acme Trading", "@alice")
    ]
    refused = await app.get("/api/tasks", a.alice, team=GROUP, all=1)
    assert refused.status == 403 and refused.body["error"] == "not_manager"
    everyone = (await app.get("/api/tasks", a.manager, team=GROUP, all=1)).body["tasks"]
    assert sorted(t["number"] for t in everyone) == [1, 2]
    assert (await app.get("/api/tasks", a.alice, team=GROUP, all="maybe")).status == 400


async def test_stats_reps_see_totals_and_their_own_managers_per_rep(world: World) -> None:
    app, a = world.app, world.a
    rep = (await app.get("/api/stats", a.alice, team=GROUP, period="month")).body
    assert rep["period"]["label"] == "Nov 2026" and rep["currency"] == "CNY"
    assert rep["totals"]["leads"] == 2 and rep["totals"]["visits"] == 1
    kinds = {row["kind"] for row in rep["rows"]}
    assert "partner" not in kinds
    (own,) = [row for row in rep["rows"] if row["kind"] == "rep"]
    assert own["name"] == "@alice" and own["leads"] == 1 and own["mine"] is True
    boss = (await app.get("/api/stats", a.manager, team=GROUP, period="2026-11")).body
    reps = {row["name"]: row["leads"] for row in boss["rows"] if row["kind"] == "rep"}
    assert reps == {"@alice": 1, "@bob": 1}
    week = (await app.get("/api/stats", a.manager, team=GROUP, period="week")).body
    assert week["period"]["start"].startswith("2026-11-23T00:00:00+08:00")
    for bad in ("yesterday", "2026-13", ""):
        reply = await app.get("/api/stats", a.manager, team=GROUP, period=bad)
        assert reply.status == 400, bad


async def test_done_follows_the_chats_rules_audits_and_shows_in_tasks(world: World) -> None:
    box, app, a = world.box, world.app, world.a
    task = world.task_id(a, 1)
    refused = await app.post(f"/api/tasks/{task}/done", a.bob, team=GROUP)
    assert refused.status == 403 and refused.body["error"] == "not_yours"
    outsider = await app.post(f"/api/tasks/{task}/done", world.b.alice)
    assert outsider.status == 403 and outsider.body["error"] == "not_member"
    done = await app.post(f"/api/tasks/{task}/done", a.alice)  # no ?team=: the task's own
    assert done.status == 200
    assert done.body["task"]["done"] is True and done.body["task"]["number"] == 1
    (entry,) = world.audit("done")
    assert entry.entity == "task" and entry.entity_id == task
    assert entry.actor_user_id == a.alice.user_id
    again = await app.post(f"/api/tasks/{task}/done", a.alice, team=GROUP)
    assert again.status == 400 and again.body["error"] == "task_closed"
    (listed,) = await box.say(GROUP, a.alice, "/tasks")
    assert "#1" not in listed.text
    assert (await app.post("/api/tasks/987654/done", a.alice)).status == 404
    assert (await app.post("/api/tasks/abc/done", a.alice)).status == 400


async def test_stage_follows_the_chats_rules_and_audits(world: World) -> None:
    box, app, a = world.box, world.app, world.a
    acme = world.customer_id("Acme Trading")
    path = f"/api/customers/{acme}/stage"
    refused = await app.post(path, a.bob, team=GROUP, json={"stage": "quoted"})
    assert refused.status == 403 and refused.body["error"] == "not_yours"
    moved = await app.post(path, a.alice, team=GROUP, json={"stage": "Quote"})
    assert moved.status == 200
    assert moved.body["customer"]["stage"] == "quoted"
    assert moved.body["customer"]["stage_name"] == "Quoted"
    (entry,) = world.audit("stage")
    assert entry.entity_id == acme and entry.actor_user_id == a.alice.user_id
    managed = await app.post(path, a.manager, json={"stage": "contract"})
    assert managed.status == 200 and managed.body["customer"]["stage"] == "contract"
    (card,) = await box.say(GROUP, a.alice, "/customer Acme Trading")
    assert "Contract" in card.text
    for body, code in [({"stage": "nowhere"}, "unknown_stage"), ({}, "bad_body"),
                       ({"stage": 3}, "bad_body")]:  # fmt: skip
        reply = await app.post(path, a.alice, team=GROUP, json=body)
        assert (reply.status, reply.body["error"]) == (400, code)
    broken = await app.post(path, a.alice, team=GROUP, data=b"{not json")
    assert (broken.status, broken.body["error"]) == (400, "bad_body")


async def test_done_in_the_mini_app_takes_the_buttons_off_its_reminder(
    world: World, clock: ManualClock
) -> None:
    box, app, a = world.box, world.app, world.a
    clock.advance(timedelta(days=1, hours=6))  # both follow-ups overdue, in working hours
    sent = await box.run_job("due_reminders")
    (reminder,) = [m for m in sent if "@alice" in m.text]
    assert any(data == f"r:d:{world.task_id(a, 1)}" for _, data in reminder.buttons)

    done = await app.post(f"/api/tasks/{world.task_id(a, 1)}/done", a.alice)

    assert done.status == 200
    await box.settle()
    assert box.message(GROUP, reminder.message_id).reply_markup is None
    (others,) = [m for m in sent if "@bob" in m.text]  # bob's reminder keeps its buttons
    assert box.message(GROUP, others.message_id).buttons == others.buttons
