"""Importing the sheet a team really has: a file without /import, several sheets, follow-ups."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from sqlmodel import col, select

from models.tables import Customer, Member, Task, TaskStatus
from tests.conftest import SHANGHAI
from tests.e2e.conftest import Team
from tgemu.sandbox import Sandbox

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The clock starts on Tuesday 24 November 2026, 10:00 in Shanghai.
ENGLISH_CSV = (
    "Customer,Channel,Distributor,Owner,Stage,Amount,Next follow-up\n"
    "Acme Trading,Distributor,Huatai,@alice,Quoted,50000,2026-12-01\n"
    "Globex,,,,,,next Fri send samples\n"
    "Initech,,,@bob,,,\n"
    "Umbrella,,,,,,soon\n"
)


def workbook(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tasks(sandbox: Sandbox) -> list[tuple[str, str, datetime, str]]:
    """(customer, owner, due in Shanghai, title) of every open task."""
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        rows = session.exec(
            select(Customer.name, Member.username, Task.due_at, Task.title)
            .join(Customer, col(Customer.id) == col(Task.customer_id))
            .join(Member, col(Member.id) == col(Task.owner_id))
            .where(Task.status == TaskStatus.OPEN)
            .order_by(col(Task.id))
        ).all()
    return [(c, o or "", due.astimezone(SHANGHAI).replace(tzinfo=None), t) for c, o, due, t in rows]


async def test_a_managers_sheet_without_import_is_asked_about_then_previewed_and_imported(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    await sandbox.say(chat, active_team.alice, "hello")  # alice is known to the team
    await sandbox.say(chat, active_team.bob, "hello")
    (question,) = await sandbox.send_document(
        chat, manager, "crm <old>.csv", ENGLISH_CSV.encode(), CSV
    )
    assert question.text == (
        "📎 crm <old>.csv: import it as customers? "
        "I show a preview first; nothing is saved until you confirm."
    )
    assert "crm &lt;old&gt;.csv" in question.html
    assert [label for label, _ in question.buttons] == ["📥 Preview the import", "No, thanks"]
    # A rep cannot read it for the managers.
    await sandbox.press(chat, active_team.alice, question.message_id, question.buttons[0][1])
    assert sandbox.emulator.callback_answers[-1].show_alert
    assert await sandbox.press(chat, manager, question.message_id, question.buttons[0][1]) == []
    preview = sandbox.message(chat, question.message_id)
    lines = preview.text.splitlines()
    assert lines[0] == "📥 Import preview · crm <old>.csv"
    assert "• Next follow-up → Next follow-up (a task)" in lines
    assert "4 rows: ✅ 3 new · ⏭ 0 duplicates · ⚠️ 1 invalid" in lines
    first = lines.index("First rows as they will be recorded")
    assert lines[first + 1 : first + 4] == [
        "• Row 2: Acme Trading · Distributor / Huatai · @alice · Quoted · ¥50,000"
        " · ⏰ Tue 1 Dec 09:00",
        "• Row 3: Globex · Distributor · shared pool (no owner) · Lead"
        " · ⏰ Fri 4 Dec 09:00 send samples",
        "• Row 4: Initech · Distributor · @bob · Lead",
    ]
    assert "• Row 5: next follow-up “soon” is not a date (write 2026-12-01 or next Tue)" in lines
    assert "⏰ Follow-up tasks to create, for each customer's owner: 2" in lines
    confirm = next(data for label, data in preview.buttons if label.startswith("✅"))
    await sandbox.press(chat, manager, question.message_id, confirm)
    done = sandbox.message(chat, question.message_id)
    assert "⏰ Follow-up tasks created: 2 (/tasks all lists them)." in done.text.splitlines()
    assert tasks(sandbox) == [
        ("Acme Trading", "alice", datetime(2026, 12, 1, 9, 0), "Acme Trading"),
        ("Globex", "maria", datetime(2026, 12, 4, 9, 0), "send samples"),
    ]


async def test_no_thanks_leaves_the_file_alone_in_chinese(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    await sandbox.say(chat, manager, "/lang zh")
    (question,) = await sandbox.send_document(
        chat, manager, "客户.csv", "客户名称\n万科\n".encode(), CSV, caption="这是上个月的"
    )
    assert question.text == "📎 客户.csv：要导入为客户吗？我会先显示预览，确认之前不会保存。"
    assert [label for label, _ in question.buttons] == ["📥 预览导入", "不用了"]
    await sandbox.press(chat, manager, question.message_id, question.buttons[1][1])
    answered = sandbox.message(chat, question.message_id)
    assert answered.text == "📎 客户.csv：不导入。" and answered.buttons == []
    assert tasks(sandbox) == []


async def test_a_workbook_with_several_sheets_lets_the_manager_pick_one(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, manager, alice = active_team.chat_id, active_team.manager, active_team.alice
    await sandbox.say(chat, manager, "/lang zh")
    await sandbox.say(chat, alice, "你好")
    content = workbook(
        {
            "说明": [["本表由销售部整理"]],
            "空白": [],
            "<客户>&名单": [
                ["客户名称", "负责人", "下次跟进"],
                ["万科", "@alice", "下周二 报价"],
                ["华为", "", "2026/12/3"],
            ],
            "旧数据": [["客户名称"], ["美的"]],
        },
        hidden=("旧数据",),
    )
    (question,) = await sandbox.send_document(
        chat, manager, "客户.xlsx", content, XLSX, caption="/import"
    )
    assert question.text == "📎 客户.xlsx 有 2 个含数据的工作表，客户在哪一个？"
    assert [label for label, _ in question.buttons] == ["说明", "<客户>&名单"]
    assert await sandbox.press(chat, manager, question.message_id, question.buttons[1][1]) == []
    preview = sandbox.message(chat, question.message_id)
    lines = preview.text.splitlines()
    assert lines[:2] == ["📥 导入预览 · 客户.xlsx", "工作表：<客户>&名单"]
    assert "工作表：&lt;客户&gt;&amp;名单" in preview.html
    assert "• 下次跟进 → 下次跟进（生成任务）" in lines
    first = lines.index("前几行将这样记录")
    assert lines[first + 1 : first + 3] == [
        "• 第 2 行：万科 · @alice · 线索 · ⏰ 12月1日(周二) 09:00 报价",
        "• 第 3 行：华为 · 公海（无负责人） · 线索 · ⏰ 12月3日(周四) 09:00",
    ]
    confirm = next(data for label, data in preview.buttons if label.startswith("✅"))
    await sandbox.press(chat, manager, question.message_id, confirm)
    assert (
        "⏰ 已创建跟进任务 2 个（/tasks all 查看）。"
        in sandbox.message(chat, question.message_id).text.splitlines()
    )
    assert tasks(sandbox) == [
        ("万科", "alice", datetime(2026, 12, 1, 9, 0), "报价"),
        ("华为", "maria", datetime(2026, 12, 3, 9, 0), "华为"),
    ]


async def test_dates_follow_the_teams_order_in_an_english_sheet(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    await sandbox.say(chat, manager, "/settings dates dm")
    sheet = "Company,Follow-up date\nAcme,3/12\nGlobex,tmrw 3pm\n"
    (preview,) = await sandbox.send_document(
        chat, manager, "a.csv", sheet.encode(), CSV, caption="/import"
    )
    assert "⏰ Follow-up tasks to create, for each customer's owner: 2" in preview.text
    confirm = next(data for label, data in preview.buttons if label.startswith("✅"))
    await sandbox.press(chat, manager, preview.message_id, confirm)
    assert [(c, due) for c, _, due, _ in tasks(sandbox)] == [
        ("Acme", datetime(2026, 12, 3, 9, 0)),
        ("Globex", datetime(2026, 11, 25, 15, 0)),
    ]
