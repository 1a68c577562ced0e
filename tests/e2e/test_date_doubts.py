"""Dates on the entry card, through Telegram: a date that does not exist or has passed is asked
about (with the 🗓 button), a date read by a rule says so, and /settings dates changes 3/4."""

from __future__ import annotations

from tests.e2e.conftest import Team
from tgemu.sandbox import Sandbox

# The sandbox's clock stands at Tue 24 Nov 2026 10:00 in Asia/Shanghai.


async def test_unreadable_date_is_asked_about_with_the_due_button(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/fu Acme 31 Feb send the quote")
    lines = card.text.splitlines()
    assert "Task #1 due Wed 25 Nov 09:00" in card.text  # the team's default, and it says so:
    assert lines[-1] == "❓ I couldn't read “31 Feb” as a date — tap 🗓 to set it"
    assert [t for t, _ in card.buttons] == ["↩️ Undo", "🗓 Change due", "Not this customer"]
    await sandbox.press(chat, alice, card.message_id, card.buttons[1][1])
    choosing = sandbox.message(chat, card.message_id)
    assert "I couldn't read “31 Feb”" in choosing.text  # still asked while choosing
    await sandbox.press(chat, alice, card.message_id, choosing.buttons[2][1])
    answered = sandbox.message(chat, card.message_id).text
    assert "Task #1 due Tue 1 Dec 09:00" in answered and "31 Feb" not in answered


async def test_a_visit_with_an_impossible_date_still_gets_the_button(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/visit Globex, follow up 2026-13-40")
    assert "❓ I couldn't read “2026-13-40” as a date — tap 🗓 to set it" in card.text
    assert "🗓 Change due" in [t for t, _ in card.buttons]


async def test_past_due_and_rules_are_stated(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/fu Acme yesterday 3pm call back")
    assert "❓ “yesterday 3pm” has already passed — tap 🗓 to set the due time" in card.text
    assert "🗓 Change due" in [t for t, _ in card.buttons]
    (card,) = await sandbox.say(chat, alice, "/fu Initech by EOD send contract")
    assert "Task #2 due Tue 24 Nov 18:00" in card.text
    assert "❔ Read “by EOD” as the end of the working day" in card.text
    (card,) = await sandbox.say(chat, alice, "/fu Hooli 3/4 demo")
    assert "Thu 4 Mar" in card.text
    assert "month/day (the team's setting: /settings dates dm for day/month)" in card.text


async def test_date_order_setting_reads_3_4_day_first(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (reply,) = await sandbox.say(chat, active_team.manager, "/settings dates dm")
    assert "Dates like 3/4 read as: day/month (3/4 = 3 April)" in reply.text
    (card,) = await sandbox.say(chat, alice, "/fu Hooli 3/4 demo")
    assert "Sat 3 Apr" in card.text
    assert "❔ Read “3/4” as day/month" in card.text
    (reply,) = await sandbox.say(chat, active_team.manager, "/settings dates sideways")
    assert "/settings dates md" in reply.text


async def test_chinese_card_states_doubts_in_chinese(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, active_team.manager, "/lang zh")
    (card,) = await sandbox.say(chat, alice, "#跟进 万科 2月30日 回访")
    assert "❓ 无法把“2月30日”识别为日期——点 🗓 设置" in card.text
    assert [t for t, _ in card.buttons] == ["↩️ 撤销", "🗓 改时间", "不是这个客户"]
    (card,) = await sandbox.say(chat, alice, "#跟进 美的 下班之前 发报价")
    assert "18:00" in card.text and "❔ 已将“下班之前”理解为 当天下班时间" in card.text
    (card,) = await sandbox.say(chat, alice, "#跟進 華潤 下禮拜 再約")
    assert "❔ 已将“下禮拜”理解为 那一周的周一" in card.text
    (reply,) = await sandbox.say(chat, active_team.manager, "/settings")
    assert "英文日期 3/4 理解为：月/日（3/4 = 3月4日）" in reply.text
