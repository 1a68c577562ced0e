"""Write through Telegram, read back through Telegram: leads, visits, follow-ups, tasks."""

from __future__ import annotations

from tests.e2e.conftest import Team
from tgemu.sandbox import Sandbox


async def test_lead_visit_followup_tasks_done(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/lead Acme Trading 50k via distributor Huatai")
    assert card.text.splitlines()[0] == "🆕 Lead · Acme Trading (new customer)"
    assert "Owner @alice" in card.text and "¥50,000" in card.text and "Huatai" in card.text
    assert [text for text, _ in card.buttons] == ["↩️ Undo", "Not this customer"]

    (card,) = await sandbox.say(
        chat, alice, "/visit Acme Trading, follow up next Tuesday about the quote"
    )
    assert card.text.startswith("🤝 Visit · Acme Trading")
    assert "Task #1 due Tue 1 Dec 09:00" in card.text

    (card,) = await sandbox.say(chat, alice, "/fu Acme Trading tomorrow 3pm send samples")
    assert "Task #2 due Wed 25 Nov 15:00" in card.text

    (listing,) = await sandbox.say(chat, alice, "/tasks")
    lines = listing.text.splitlines()
    assert lines[0] == "Your open tasks (2)"
    assert lines[1].startswith("#2 · Wed 25 Nov 15:00 · Acme Trading")
    assert lines[2].startswith("#1 · Tue 1 Dec 09:00 · Acme Trading")

    (reply,) = await sandbox.say(chat, alice, "/done 2")
    assert reply.text.startswith("✅ Task #2 done")
    (listing,) = await sandbox.say(chat, alice, "/tasks")
    assert listing.text.splitlines()[0] == "Your open tasks (1)"


async def test_chinese_team_logs_in_chinese(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, active_team.manager, "/lang zh")
    (card,) = await sandbox.say(chat, alice, "/lead 万科 12万 渠道华泰经销")
    assert card.text.splitlines()[0] == "🆕 线索 · 万科（新客户）"
    assert "¥12万" in card.text and "华泰" in card.text
    (card,) = await sandbox.say(chat, alice, "#拜访 万科 下周二跟进报价")
    assert card.text.startswith("🤝 拜访 · 万科")
    assert "12月1日(周二) 09:00" in card.text


async def test_hashtag_and_mention_are_logged_plain_chat_is_not(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, bob = active_team.chat_id, active_team.bob
    assert await sandbox.say(chat, bob, "lunch anyone? visited the new place") == []
    (card,) = await sandbox.say(chat, bob, "#lead Globex 120k")
    assert card.text.startswith("🆕 Lead · Globex")
    (card,) = await sandbox.say(
        chat, bob, f"@{sandbox.bot_username} visited Globex today, follow up Friday"
    )
    assert card.text.startswith("🤝 Visit · Globex")
    assert "Fri 27 Nov 09:00" in card.text


async def test_missing_arguments_get_usage(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (reply,) = await sandbox.say(chat, alice, "/lead")
    assert reply.text.startswith("Usage: /lead CUSTOMER")
    (reply,) = await sandbox.say(chat, alice, "/done")
    assert reply.text.startswith("Usage: /done ID")
    (reply,) = await sandbox.say(chat, alice, "/done 999")
    assert reply.text == "There is no task #999 in this team."


async def test_undo_takes_back_the_last_entry(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/lead Initech 20k")
    (reply,) = await sandbox.say(chat, alice, "/undo")
    assert reply.text == "↩️ Undone: /lead Initech 20k"
    assert sandbox.message(chat, card.message_id).reply_markup is None
    (reply,) = await sandbox.say(chat, alice, "/undo")
    assert reply.text == "You have nothing to undo."
    (card,) = await sandbox.say(chat, alice, "/lead Initech 20k")
    assert "(new customer)" in card.text


async def test_amount_card_shows_currency_and_doubts(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/lead Initech HK$12k")
    assert "HK$12,000" in card.text
    (card,) = await sandbox.say(chat, alice, "/lead Umbrella -50k")
    assert card.text.splitlines()[0] == "🆕 Lead · Umbrella (new customer)"
    assert "¥" not in card.text
    assert "❓ “-50k” is not an amount I can record — not saved" in card.text.splitlines()
    (card,) = await sandbox.say(chat, alice, "/lead Stark 50-80万")
    assert "¥500,000" in card.text
    assert "❔ Read “50-80万” as 500,000 CNY" in card.text.splitlines()
    await sandbox.say(chat, active_team.manager, "/lang zh")
    (card,) = await sandbox.say(chat, alice, "/lead 鴻海 台幣30萬")
    assert card.text.splitlines()[0] == "🆕 线索 · 鴻海（新客户）"
    assert "NT$30万" in card.text


async def test_a_call_is_logged_as_a_call_and_is_no_visit(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(
        chat, alice, f"@{sandbox.bot_username} called Acme, they want a quote, follow up Friday"
    )
    assert card.text.splitlines()[0] == "📞 Call · Acme (new customer)"
    assert "Task #1 due Fri 27 Nov 09:00" in card.text
    (card,) = await sandbox.say(chat, alice, "/call Acme left a voicemail")
    assert card.text.startswith("📞 Call · Acme")
    (profile,) = await sandbox.say(chat, alice, "/customer Acme")
    assert "stage Contacted" in profile.text
    assert "call @alice left a voicemail" in profile.text
    (stats,) = await sandbox.say(chat, active_team.manager, "/stats")
    row = next(line for line in stats.text.splitlines() if line.startswith("No channel"))
    assert row.split()[2:5] == ["1", "0", "0"]  # one lead, no visit (a call is none), no win


async def test_a_call_in_a_chinese_team(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, active_team.manager, "/lang zh")
    (card,) = await sandbox.say(
        chat, alice, f"@{sandbox.bot_username} 给万科打了个电话，他们要报价"
    )
    assert card.text.splitlines()[0] == "📞 电话 · 万科（新客户）"
    (card,) = await sandbox.say(chat, alice, "#电话 万科 约下周见面")
    assert card.text.startswith("📞 电话 · 万科")
    (profile,) = await sandbox.say(chat, alice, "/customer 万科")
    assert "阶段 已联系" in profile.text or "已联系" in profile.text
    assert "电话 @alice 打了个电话，他们要报价" in profile.text


async def test_news_of_a_known_customer_told_to_the_bot_is_a_note(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice, bot = active_team.chat_id, active_team.alice, sandbox.bot_username
    await sandbox.say(chat, alice, "/lead Acme 50k")
    (card,) = await sandbox.say(chat, alice, f"@{bot} Acme CFO asked for a discount, 10% off")
    assert card.text.startswith("📝 Note · Acme")
    (hint,) = await sandbox.say(chat, alice, f"@{bot} Globex asked for a discount")
    assert hint.text.startswith("I could not tell what to log")  # a new name is not filed unasked
    await sandbox.say(chat, active_team.manager, "/lang zh")
    await sandbox.say(chat, alice, "/lead 苏宁易购 20万")
    (card,) = await sandbox.say(chat, alice, f"@{bot} 苏宁易购那边要打九折，需要审批")
    assert card.text.startswith("📝 备注 · 苏宁易购")
    (profile,) = await sandbox.say(chat, alice, "/customer 苏宁易购")
    assert "备注 @alice 那边要打九折，需要审批" in profile.text
