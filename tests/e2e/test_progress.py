"""Long work shows that it is working: a chat action and one status message, then the result.

The threshold is 0 s here (CRMBOT_PROGRESS_AFTER), so every import, export and digest counts
as long; the status is shown at once and the next refresh would be 2.5 s later, so what a
test sees is exactly: the status, then the status turned into the result.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from tests.e2e.conftest import Team, make_team
from tests.e2e.test_digest import start_team
from tgemu.sandbox import Sandbox

CSV = "text/csv"
SHEET = "Customer,Owner\nAcme Trading,@alice\nGlobex,\n"


@pytest.fixture
async def sandbox(database_url: str, clock: ManualClock) -> AsyncIterator[Sandbox]:
    settings = Settings(CRMBOT_PROGRESS_AFTER=0)
    async with Sandbox(database_url=database_url, clock=clock, settings=settings) as box:
        yield box


def actions(sandbox: Sandbox, chat_id: int) -> list[str]:
    return [
        str(call.params.get("action"))
        for call in sandbox.emulator.calls
        if call.method == "sendChatAction" and int(call.params.get("chat_id", 0)) == chat_id
    ]


@pytest.mark.parametrize(
    ("lang", "reading", "writing", "preview", "done"),
    [
        ("en", "⏳ Reading a.csv…", "⏳ Importing… the result replaces this message.",
         "📥 Import preview · a.csv", "✅ Imported 2 customers from a.csv."),
        ("zh", "⏳ 正在读取 a.csv…", "⏳ 正在导入…完成后结果会替换这条消息。",
         "📥 导入预览 · a.csv", "✅ 已从 a.csv 导入 2 个客户。"),
    ],
)  # fmt: skip
async def test_an_import_shows_one_status_that_becomes_the_preview_then_the_result(
    sandbox: Sandbox,
    active_team: Team,
    lang: str,
    reading: str,
    writing: str,
    preview: str,
    done: str,
) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    await sandbox.say(chat, manager, f"/lang {lang}")
    (status,) = await sandbox.send_document(
        chat, manager, "a.csv", SHEET.encode(), CSV, caption="/import"
    )
    assert status.edits == [reading]
    assert status.text.startswith(preview)
    assert actions(sandbox, chat) == ["upload_document"]
    confirm = next(data for label, data in status.buttons if label.startswith("✅"))
    assert await sandbox.press(chat, manager, status.message_id, confirm) == []
    result = sandbox.message(chat, status.message_id)
    assert result.edits[-1] == writing
    assert result.text.startswith(done)


@pytest.mark.parametrize(
    ("lang", "writing"),
    [
        ("en", "⏳ Writing the export… the files follow in a moment."),
        ("zh", "⏳ 正在生成导出文件…稍后发送。"),
    ],
)
async def test_an_export_shows_a_status_until_its_files_arrive(
    sandbox: Sandbox, active_team: Team, lang: str, writing: str
) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    await sandbox.say(chat, manager, f"/lang {lang}")
    status, zipped, workbook = await sandbox.say(chat, manager, "/export")
    assert status.text == writing and status.deleted
    assert zipped.kind == "document" and workbook.kind == "document"
    # Refreshed every 2.5 s while it works: once, or more on a loaded machine
    assert set(actions(sandbox, chat)) == {"upload_document"}


@pytest.mark.parametrize(
    ("lang", "working", "title"),
    [
        ("en", "⏳ Putting the digest together… it replaces this message.", "📊 Weekly digest"),
        ("zh", "⏳ 正在生成周报…完成后会替换这条消息。", "📊 渠道周报"),
    ],
)
async def test_a_digest_on_demand_replaces_its_status(
    sandbox: Sandbox, clock: ManualClock, lang: str, working: str, title: str
) -> None:
    team = await start_team(sandbox, clock, make_team(sandbox))  # then /lang below
    chat = team.chat_id
    await sandbox.say(chat, team.manager, f"/lang {lang}")
    text, chart = await sandbox.say(chat, team.manager, "/digest last")  # the seeded week
    assert text.edits == [working]
    assert text.text.startswith(title) and not text.deleted
    assert chart.kind == "photo" and chart.reply_to_message_id == text.message_id
    assert actions(sandbox, chat) == ["upload_photo"]


async def test_quick_work_shows_no_status(database_url: str, clock: ManualClock) -> None:
    # Under the threshold (2 s by default; 20 s here, for a loaded machine) nothing is shown
    settings = Settings(CRMBOT_PROGRESS_AFTER=20)
    async with Sandbox(database_url=database_url, clock=clock, settings=settings) as box:
        team = make_team(box)
        await box.say(team.chat_id, team.manager, "/setup")
        (preview,) = await box.send_document(
            team.chat_id, team.manager, "a.csv", SHEET.encode(), CSV, caption="/import"
        )
        assert preview.edits == [] and preview.text.startswith("📥 Import preview · a.csv")
        assert actions(box, team.chat_id) == []
