"""Task numbers per team: a team's first task is #1, whatever other teams have done.

Team A fills the counter first, so team B's task ids and numbers differ: every number B
sees or types must be its own. The clock starts on Tuesday 24 November 2026, 10:00 in Shanghai.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from tests.e2e.conftest import GROUP, OTHER_GROUP, Team, make_team
from tgemu.sandbox import Sandbox

# What team B writes and reads, in its language
SAYS = {
    "en": {
        "lead": "/lead Acme 50k",
        "visit": "/visit Acme follow up tomorrow 3pm about the quote",
        "task": "/task call Globex back tomorrow 10am",
        "created": "📌 Task #1 for @alice1: call Globex back",
        "card": "⏰ Task #2 due",
        "toast": "Task #2 done ✅",
        "done_line": "✅ #2 · Acme — follow up about the quote — done by @alice1",
        "done": "✅ Task #1 done: call Globex back",
        "missing": "There is no task #3 in this team.",
        "snoozed": "💤 Task #1 snoozed to",
    },
    "zh": {
        "lead": "/lead 万科 5万",
        "visit": "/visit 万科 明天下午3点跟进报价",
        "task": "/task 给华为回电话 明天10点",
        "created": "📌 任务 #1 交给 @alice1：给华为回电话",
        "card": "⏰ 任务 #2 截止",
        "toast": "任务 #2 已完成 ✅",
        "done_line": "✅ #2 · 万科 — 跟进报价 — @alice1 已完成",
        "done": "✅ 任务 #1 已完成：给华为回电话",
        "missing": "本团队没有任务 #3。",
        "snoozed": "💤 任务 #1 已推迟到",
    },
}


async def start(sandbox: Sandbox, team: Team, lang: str) -> None:
    await sandbox.say(team.chat_id, team.manager, "/setup")
    if lang == "zh":
        await sandbox.say(team.chat_id, team.manager, "/lang zh")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_each_team_numbers_its_own_tasks_from_one(
    sandbox: Sandbox, clock: ManualClock, lang: str
) -> None:
    says = SAYS[lang]
    first = make_team(sandbox, GROUP, lang="zh" if lang == "en" else "en")
    await start(sandbox, first, "zh" if lang == "en" else "en")
    for _ in range(3):
        await sandbox.say(first.chat_id, first.alice, "/task call Initech tomorrow 10am")

    team = make_team(sandbox, OTHER_GROUP, lang=lang, offset=1)
    chat, alice = team.chat_id, team.alice
    await start(sandbox, team, lang)
    (created,) = await sandbox.say(chat, alice, says["task"])
    assert created.text.startswith(says["created"])
    await sandbox.say(chat, alice, says["lead"])
    (card,) = await sandbox.say(chat, alice, says["visit"])
    assert says["card"] in card.text
    (listing,) = await sandbox.say(chat, alice, "/tasks")
    assert "#1 ·" in listing.text and "#2 ·" in listing.text and "#4" not in listing.text

    clock.advance(timedelta(days=2))
    sent = await sandbox.run_job("due_reminders")
    (reminder,) = [m for m in sent if m.chat_id == chat]
    assert "🔴 #1 ·" in reminder.text and "🔴 #2 ·" in reminder.text
    labels = [row for row in reminder.buttons if row[0].startswith("✅")]
    # The labels show the team's numbers; the buttons carry the tasks' ids (4 and 5).
    assert labels == [("✅ #1", "r:d:4"), ("✅ #2", "r:d:5")]

    await sandbox.press(chat, alice, reminder.message_id, "r:d:5")
    assert sandbox.emulator.callback_answers[-1].text == says["toast"]
    edited = sandbox.message(chat, reminder.message_id).text
    lines = edited.split("\n")
    assert says["done_line"] in lines  # the task's own line, in place
    assert len(lines) == 3 and lines[1].startswith("🔴 #1 ·")

    (snoozed,) = await sandbox.say(chat, alice, "/snooze #1 2h")
    assert snoozed.text.startswith(says["snoozed"])
    (done,) = await sandbox.say(chat, alice, "/done 1")
    assert done.text == says["done"]
    (missing,) = await sandbox.say(chat, alice, "/done 3")
    assert missing.text == says["missing"]
    # The first team's #1 is untouched by the other team's /done 1.
    (theirs,) = await sandbox.say(first.chat_id, first.alice, "/tasks")
    assert all(f"#{n} ·" in theirs.text for n in (1, 2, 3))
