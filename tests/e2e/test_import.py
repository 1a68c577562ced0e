"""/import through Telegram: a file in, a preview with counts, Confirm or Cancel, bad files."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from sqlmodel import col, select

from models.tables import Channel, Customer, Member, Partner
from tests.e2e.conftest import Team
from tgemu.sandbox import Sandbox

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_REFUSED = (
    "Only managers import sheets; send the file to a manager, or log customers with /lead."
)

ENGLISH_CSV = (
    "Customer Name,Contact Person,Phone,Channel,Distributor,Owner,Stage,Amount,Notes\n"
    "Acme Trading,John,+1 555 0100,Distributor,Huatai,@alice,Quoted,50000,key account\n"
    "Globex,Mary,555-0101,Referral,,Bob,,,\n"
    "Initech,,,,,Nobody,,lots,\n"
    "acme trading ltd,,,,,,,,\n"
    ",Orphan,,,,,,,\n"
)


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "客户名单"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def customers(sandbox: Sandbox) -> dict[str, Customer]:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        return {c.name: c for c in session.exec(select(Customer).order_by(col(Customer.id)))}


def member_names(sandbox: Sandbox) -> dict[int, str]:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        return {m.id or 0: m.username or m.full_name for m in session.exec(select(Member))}


async def test_csv_preview_then_confirm(sandbox: Sandbox, active_team: Team) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    await sandbox.say(chat, active_team.alice, "/lead Globex 10k")
    (preview,) = await sandbox.send_document(
        chat, manager, "leads.csv", ENGLISH_CSV.encode(), CSV, caption="/import"
    )
    lines = preview.text.splitlines()
    assert lines[0] == "📥 Import preview · leads.csv"
    for mapped in (
        "• Customer Name → Customer",
        "• Contact Person → Contact",
        "• Phone → Phone",
        "• Channel → Channel",
        "• Distributor → Partner",
        "• Owner → Owner",
        "• Stage → Stage",
        "• Amount → Amount",
        "• Notes → Note",
    ):
        assert mapped in lines
    assert "5 rows: ✅ 1 new · ⏭ 2 duplicates · ⚠️ 2 invalid" in lines
    assert "• Row 4: “lots” is not an amount" in lines
    assert "• Row 6: no customer name" in lines
    assert "• Row 3: Globex — already a customer (Globex)" in lines
    assert "• Row 5: acme trading ltd — same as row 2" in lines
    assert "🤝 New partners to add (1): Huatai" in lines
    assert [text for text, _ in preview.buttons] == ["✅ Import 1", "Cancel"]
    confirm = preview.callback_data_for("✅ Import 1")
    assert list(customers(sandbox)) == ["Globex"]  # nothing saved yet

    # A rep cannot confirm.
    await sandbox.press(chat, active_team.bob, preview.message_id, confirm)
    assert sandbox.emulator.callback_answers[-1].text == IMPORT_REFUSED
    assert list(customers(sandbox)) == ["Globex"]

    await sandbox.press(chat, manager, preview.message_id, confirm)
    done = sandbox.message(chat, preview.message_id)
    assert done.text.startswith("✅ Imported 1 customer from leads.csv.")
    assert "Skipped 2 duplicates and 2 invalid rows." in done.text
    assert done.reply_markup is None
    acme = customers(sandbox)["Acme Trading"]
    assert member_names(sandbox)[acme.owner_id or 0] == "alice"
    assert acme.stage == "quoted"


async def test_xlsx_with_chinese_headers(sandbox: Sandbox, active_team: Team) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    await sandbox.say(chat, manager, "/lang zh")
    for rep in (active_team.alice, active_team.bob):
        await sandbox.say(chat, rep, "/tasks")  # the bot knows people once they have written
    content = workbook(
        [
            ["2025 华东区客户"],
            ["序号", "客户名称", "联系人", "手机", "渠道", "经销商", "销售", "阶段", "金额",
             "最近跟进"],
            [1, "万科集团", "王总", 13800138000, "经销", "华泰", "@alice", "已报价", "12万",
             datetime(2026, 11, 3)],
            [2, "华为", "李工", 13900139000, "代理", "深圳代理", "Bob", "成交", 50000, None],
            [3, "小米", None, None, "电商", None, "张三", None, None, None],
            [4, "万科", None, None, None, None, None, None, None, None],
            [5, "美的", None, None, None, None, None, "随便", None, None],
        ]
    )  # fmt: skip
    (preview,) = await sandbox.send_document(
        chat, manager, "客户.xlsx", content, XLSX, caption="/import"
    )
    lines = preview.text.splitlines()
    assert lines[0] == "📥 导入预览 · 客户.xlsx"
    assert "工作表：客户名单" in lines
    assert "• 客户名称 → 客户名称" in lines and "• 经销商 → 合作伙伴" in lines
    assert "• 销售 → 负责人" in lines and "• 最近跟进 → 最近跟进" in lines
    assert "不导入的列：序号" in lines
    assert "共 5 行：✅ 新增 3 · ⏭ 重复 1 · ⚠️ 无效 1" in lines
    assert "• 第 7 行：无法识别的阶段“随便”" in lines
    assert "• 第 6 行：万科 — 与第 3 行重复" in lines
    assert "👤 以下负责人我还不认识（成员在本群发过言后才能识别），这些行进入公海：张三" in lines

    await sandbox.press(chat, manager, preview.message_id, preview.buttons[0][1] or "")
    done = sandbox.message(chat, preview.message_id)
    assert done.text.startswith("✅ 已从 客户.xlsx 导入 3 个客户。")
    assert "其中 1 个没有已知负责人，已进入公海：可用 /claim 认领或 /assign 分配。" in done.text
    rows, names = customers(sandbox), member_names(sandbox)
    assert list(rows) == ["万科集团", "华为", "小米"]
    assert [names.get(rows[n].owner_id or 0) for n in rows] == ["alice", "bob", None]  # 公海
    assert [rows[n].stage for n in rows] == ["quoted", "won", "lead"]
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        kinds: dict[int | None, str] = {c.id: c.kind for c in session.exec(select(Channel))}
        assert [kinds[rows[n].channel_id] for n in rows] == ["distributor", "agent", "ecommerce"]
        assert sorted(p.name for p in session.exec(select(Partner))) == ["华泰", "深圳代理"]

    # What was imported comes back out of /export.
    zipped, _ = await sandbox.say(chat, manager, "/export")
    assert "3 个客户" in zipped.text


async def test_gbk_csv_by_reply_then_cancel(sandbox: Sandbox, active_team: Team) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    content = "客户;电话\n万科;138\n华为;139\n".encode("gbk")
    sent = await sandbox.emulator.send_document(chat, manager.user_id, "旧表.csv", content, CSV)
    await sandbox.settle()
    (preview,) = await sandbox.say(chat, manager, "/import", reply_to=int(sent["message_id"]))
    assert "2 rows: ✅ 2 new · ⏭ 0 duplicates · ⚠️ 0 invalid" in preview.text
    assert (
        "👤 No owner column: every new customer goes to the shared pool, for any rep to /claim"
        " (or /assign them)." in preview.text
    )
    await sandbox.press(chat, manager, preview.message_id, preview.buttons[1][1] or "")
    assert sandbox.message(chat, preview.message_id).text == (
        "Import of 旧表.csv cancelled; nothing was imported."
    )
    assert customers(sandbox) == {}


async def test_a_rep_is_refused(sandbox: Sandbox, active_team: Team) -> None:
    (reply,) = await sandbox.send_document(
        active_team.chat_id, active_team.alice, "x.csv", b"Customer\nAcme\n", CSV, caption="/import"
    )
    assert reply.text == IMPORT_REFUSED
    assert customers(sandbox) == {}


async def test_bad_files_get_clear_answers(sandbox: Sandbox, active_team: Team) -> None:
    chat, manager = active_team.chat_id, active_team.manager

    async def reply_to(name: str, content: bytes, mime: str = CSV) -> str:
        (reply,) = await sandbox.send_document(
            chat, manager, name, content, mime, caption="/import"
        )
        return reply.text

    assert await reply_to("deck.pdf", b"%PDF-1.4 ...", "application/pdf") == (
        "I can import CSV and Excel (.xlsx) files; “deck.pdf” is neither."
    )
    assert (await reply_to("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64)).startswith(
        "That is an old Excel 97–2003 (.xls) file."
    )
    assert await reply_to("empty.csv", b"\n\n") == "That file is empty."
    assert await reply_to("header.csv", b"Customer,Phone\n") == (
        "That file has a header row but no customers below it."
    )
    assert (await reply_to("nonames.csv", b"Phone,Email\n138,a@b.c\n")).startswith(
        "I could not find a column with the customer's name."
    )
    (usage,) = await sandbox.say(chat, manager, "/import")
    assert usage.text.startswith("Send a CSV or Excel (.xlsx) file with /import as its caption")


async def test_other_bots_imports_reps_files_and_other_files_are_ignored(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    assert (
        await sandbox.send_document(
            chat, manager, "x.csv", b"Customer\nAcme\n", CSV, caption="/import@OtherBot"
        )
        == []
    )
    # A rep shares a sheet with the team; a manager's PDF is not a spreadsheet.
    assert await sandbox.send_document(chat, active_team.alice, "x.csv", b"Customer\n", CSV) == []
    assert (
        await sandbox.send_document(chat, manager, "terms.pdf", b"%PDF-1.4", "application/pdf")
        == []
    )
    assert customers(sandbox) == {}
