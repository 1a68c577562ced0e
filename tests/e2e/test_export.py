"""/export through Telegram: two documents arrive and open with the right values."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile

from openpyxl import load_workbook
from sqlalchemy import insert
from sqlmodel import select

from models.db import Database
from models.tables import Activity, Customer, Member
from models.tables import Team as TeamRow
from tests.conftest import T0
from tests.e2e.conftest import OTHER_GROUP, Team, make_team
from tgemu import SentMessage
from tgemu.sandbox import Sandbox

BIG = 5_000  # customers of the team that exports


def csv_rows(document: SentMessage, name: str) -> list[list[str]]:
    assert document.content is not None
    archive = zipfile.ZipFile(io.BytesIO(document.content))
    raw = archive.read(name)
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


async def test_manager_gets_csv_zip_and_workbook(sandbox: Sandbox, active_team: Team) -> None:
    chat = active_team.chat_id
    await sandbox.say(chat, active_team.alice, "/lead Acme Trading 50k via distributor Huatai")
    await sandbox.say(chat, active_team.bob, "/lead =SUM(A1:A9) Ltd")
    await sandbox.say(chat, active_team.alice, "/visit Acme Trading, follow up next Tuesday")

    zipped, workbook_message = await sandbox.say(chat, active_team.manager, "/export")
    assert zipped.kind == "document" and workbook_message.kind == "document"
    assert zipped.document is not None and zipped.document["file_name"].endswith("-csv.zip")
    assert "2 customers · 1 deal · 3 activities · 1 task" in zipped.text
    assert "all data" in zipped.text
    assert "Asia/Shanghai" in workbook_message.text

    customers = csv_rows(zipped, "customers.csv")
    assert customers[0][:5] == ["Customer", "Owner", "Channel", "Partner", "Stage"]
    by_name = {row[0]: row for row in customers[1:]}
    acme = by_name["Acme Trading"]
    assert acme[1:5] == ["Alice (@alice)", "Distributor", "Huatai", "Visited"]
    assert acme[7] == "2026-11-24 10:00"  # the team's time, not UTC
    (formula,) = [name for name in by_name if name.startswith("'=SUM")]  # text, not a formula
    deals = csv_rows(zipped, "deals.csv")
    assert deals[1][0] == "Acme Trading" and deals[1][4] == "50000.00"
    tasks = csv_rows(zipped, "tasks.csv")
    assert tasks[1][2:5] == ["Acme Trading", "Alice (@alice)", "2026-12-01 09:00"]

    assert workbook_message.content is not None
    workbook = load_workbook(io.BytesIO(workbook_message.content))
    assert workbook.sheetnames == ["Customers", "Deals", "Activities", "Tasks"]
    sheet = workbook["Customers"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Acme Trading"][1] == "Alice (@alice)"
    assert values[formula][1] == "Bob (@bob)"
    assert workbook["Deals"]["E2"].value == 50000
    due = workbook["Tasks"]["E2"].value
    assert due.tzinfo is None and (due.day, due.hour) == (1, 9)


async def test_export_for_a_period_in_chinese(sandbox: Sandbox, active_team: Team) -> None:
    chat = active_team.chat_id
    await sandbox.say(chat, active_team.manager, "/lang zh")
    await sandbox.say(chat, active_team.alice, "/lead 万科 12万")
    zipped, workbook_message = await sandbox.say(chat, active_team.manager, "/export 本月")
    assert "1 个客户" in zipped.text and "2026年11月1日 – 2026年11月30日" in zipped.text
    customers = csv_rows(zipped, "customers.csv")
    assert customers[0][0] == "客户名称" and customers[1][0] == "万科"
    assert workbook_message.content is not None
    workbook = load_workbook(io.BytesIO(workbook_message.content))
    assert workbook.sheetnames == ["客户", "商机", "跟进记录", "任务"]


async def test_a_rep_is_refused(sandbox: Sandbox, active_team: Team) -> None:
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, "/export")
    assert reply.kind == "text" and reply.text == (
        "Exports are for managers; /customer NAME and /stats show the data here in the chat."
    )


async def test_an_unknown_period_gets_usage(sandbox: Sandbox, active_team: Team) -> None:
    (reply,) = await sandbox.say(active_team.chat_id, active_team.manager, "/export someday")
    assert reply.text.startswith("Usage: /export [PERIOD]")


def seed_customers(db: Database, chat_id: int, count: int) -> None:
    """Give a team `count` customers of its first member, a visit each, straight in the database."""
    with db.session() as session:
        team = session.exec(select(TeamRow).where(TeamRow.chat_id == chat_id)).one()
        owner = session.exec(select(Member).where(Member.team_id == team.id)).first()
        assert owner is not None
        session.execute(
            insert(Customer.__table__),  # type: ignore[attr-defined]
            [
                {"team_id": team.id, "name": f"Client {i}", "normalized_name": f"client {i}",
                 "owner_id": owner.id, "stage": "visited", "created_at": T0,
                 "last_activity_at": T0}
                for i in range(count)
            ],
        )  # fmt: skip
        ids = session.exec(select(Customer.id).where(Customer.team_id == team.id)).all()
        session.execute(
            insert(Activity.__table__),  # type: ignore[attr-defined]
            [
                {"team_id": team.id, "customer_id": i, "member_id": owner.id, "kind": "visit",
                 "text": "visited, follow up next week", "occurred_at": T0}
                for i in ids
            ],
        )  # fmt: skip


async def handed_to_a_worker(sandbox: Sandbox, timeout: float = 60.0) -> None:
    """Wait until the bot has handed an export to its worker pool (which reads and writes it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if sandbox.app is not None and sandbox.app.bot_data.workers is not None:
            if sandbox.app.bot_data.workers.started:
                return
        await asyncio.sleep(0.02)
    raise TimeoutError("the export was not handed to a worker")


async def test_other_groups_are_answered_while_a_big_export_is_written(
    sandbox: Sandbox, active_team: Team
) -> None:
    """The files are written by a worker process: meanwhile other groups get their replies."""
    other = make_team(sandbox, OTHER_GROUP, offset=1)
    await sandbox.say(OTHER_GROUP, other.manager, "/setup")
    assert sandbox.db is not None
    seed_customers(sandbox.db, active_team.chat_id, BIG)
    emulator = sandbox.emulator
    emulator.mark()

    await emulator.send_message(active_team.chat_id, active_team.manager.user_id, "/export")
    await handed_to_a_worker(sandbox)  # the worker reads the rows and writes the files now
    replies = []
    for i in range(3):
        text = f"/visit Globex {i}, follow up Friday"
        await emulator.send_message(OTHER_GROUP, other.alice.user_id, text)
        (reply,) = await emulator.wait_sent(OTHER_GROUP, timeout=30)
        replies.append(reply)
    assert all("Globex" in reply.text for reply in replies)
    assert emulator.sent(active_team.chat_id)[-1].kind == "text"  # no file yet

    # A status message may come first (a big export takes seconds); it is gone once they are.
    arrived: list[SentMessage] = []
    while sum(m.kind == "document" for m in arrived) < 2:
        arrived += await emulator.wait_sent(active_team.chat_id, timeout=120)
    zipped, _workbook = (m for m in arrived if m.kind == "document")
    await sandbox.settle()
    assert all(m.deleted for m in arrived if m.kind == "text")
    assert f"{BIG} customers" in zipped.text
    order = emulator.sent()
    assert max(order.index(r) for r in replies) < order.index(zipped)
