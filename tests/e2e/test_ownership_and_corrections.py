"""Dedupe keyboard, 撞单, 公海 return and claim, card buttons, edits — through the emulator."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.clock import ManualClock
from models.tables import Customer, Task
from tests.e2e.conftest import Team
from tgemu.sandbox import Sandbox


def _customers(sandbox: Sandbox) -> list[str]:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        return sorted(session.exec(select(Customer.name)).all())


async def test_ambiguous_name_gets_a_keyboard_and_no_silent_duplicate(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/lead Acme Trading Co., Ltd. 50k")
    await sandbox.say(chat, alice, "/lead Acme Tools")
    (ask,) = await sandbox.say(chat, alice, "/visit Acme, follow up tomorrow")
    assert ask.text == "Which customer did you mean by “Acme”?"
    assert [text for text, _ in ask.buttons] == [
        "Acme Trading Co., Ltd.",
        "Acme Tools",
        "➕ New customer",
        "Cancel",
    ]
    assert _customers(sandbox) == ["Acme Tools", "Acme Trading Co., Ltd."]
    # Someone else cannot answer for alice.
    await sandbox.press(chat, active_team.bob, ask.message_id, ask.buttons[0][1])
    assert "Only the rep who logged this" in (sandbox.emulator.callback_answers[-1].text or "")
    await sandbox.press(chat, alice, ask.message_id, ask.buttons[0][1])
    card = sandbox.message(chat, ask.message_id)
    assert card.text.startswith("🤝 Visit · Acme Trading Co., Ltd.")
    assert "Task #1 due Wed 25 Nov 09:00" in card.text
    assert _customers(sandbox) == ["Acme Tools", "Acme Trading Co., Ltd."]


async def test_new_customer_button_creates_one(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/lead 华为技术 12万")
    (ask,) = await sandbox.say(chat, alice, "/lead 华为 5万")
    await sandbox.press(chat, alice, ask.message_id, ask.buttons[1][1])
    assert sandbox.message(chat, ask.message_id).text.startswith("🆕 Lead · 华为 (new customer)")
    assert _customers(sandbox) == ["华为", "华为技术"]


async def test_conflict_tells_the_rep_and_mentions_the_owner(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat = active_team.chat_id
    await sandbox.say(chat, active_team.alice, "/lead Globex 120k")
    (card,) = await sandbox.say(chat, active_team.bob, "#visit Globex met the buyer")
    assert "⚠️ Globex is registered to @alice" in card.text
    assert "Owner @alice" in card.text
    (reply,) = await sandbox.say(chat, active_team.bob, "/assign Globex @bob")
    assert reply.text == (
        "Only managers give customers to reps; /claim CUSTOMER takes one from the shared pool."
    )
    (reply,) = await sandbox.say(chat, active_team.manager, "/assign Globex @bob")
    assert reply.text == "Globex now belongs to @bob."
    (card,) = await sandbox.say(chat, active_team.manager, "/customer globex")
    assert "Owner @bob" in card.text


async def test_silent_customer_returns_to_the_pool_and_is_claimed(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat = active_team.chat_id
    await sandbox.say(chat, active_team.alice, "/lead Initech 20k")
    clock.advance(timedelta(days=31))
    assert await sandbox.run_job("pool") == []  # silent, but its 报备 protects it for 90 days
    clock.advance(timedelta(days=59, hours=1))
    sent = await sandbox.run_job("pool")
    assert [m.text for m in sent] == [
        "🌊 Back in the shared pool after 30 days without activity: Initech. "
        "Any rep can /claim them."
    ]
    assert await sandbox.run_job("pool") == []  # told once
    (reply,) = await sandbox.say(chat, active_team.bob, "/claim Initech")
    assert reply.text == "✅ Initech is yours now, protected for 90 days."
    (reply,) = await sandbox.say(chat, active_team.alice, "/claim Initech")
    assert reply.text.startswith("Initech belongs to @bob")


async def test_card_buttons_undo_and_change_due(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/fu Acme tomorrow 3pm send the quote")
    assert [t for t, _ in card.buttons] == ["↩️ Undo", "🗓 Change due", "Not this customer"]
    await sandbox.press(chat, alice, card.message_id, card.buttons[1][1])
    options = sandbox.message(chat, card.message_id).buttons
    assert [t for t, _ in options] == ["Tomorrow", "In 3 days", "In a week", "Back"]
    await sandbox.press(chat, alice, card.message_id, options[1][1])
    assert "Task #1 due Fri 27 Nov 09:00" in sandbox.message(chat, card.message_id).text
    undo = sandbox.message(chat, card.message_id).buttons[0][1]
    await sandbox.press(chat, alice, card.message_id, undo)
    assert sandbox.message(chat, card.message_id).text.startswith("↩️ Undone")
    assert _customers(sandbox) == []


async def test_editing_the_message_updates_its_entry_and_card(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/fu Acme tomorrow 3pm send the quote")
    message_id = sandbox.last_message_id
    assert await sandbox.edit(chat, alice, message_id, "/fu Acme Friday 10am send the quote") == []
    edited = sandbox.message(chat, card.message_id)
    assert "Fri 27 Nov 10:00" in edited.text and edited.edits
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        tasks = session.exec(select(Task)).all()
    assert len(tasks) == 1 and tasks[0].due_at.hour == 2  # 10:00 Shanghai is 02:00 UTC


async def test_customer_card_and_pipeline(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice, boss = active_team.chat_id, active_team.alice, active_team.manager
    await sandbox.say(
        chat, alice, "/lead Acme 50k via distributor Huatai, contact Li Lei 13800138000"
    )
    await sandbox.say(chat, alice, "/visit Acme demo went well")
    (reply,) = await sandbox.say(chat, alice, "/stage Acme quoted")
    assert reply.text == "Acme → Quoted"
    (card,) = await sandbox.say(chat, alice, "/customer Acme")
    lines = card.text.splitlines()
    assert lines[0] == "👤 Acme"
    assert lines[1] == "Owner @alice · stage Quoted"
    assert "Huatai" in lines[2]
    assert any("13800138000" in line for line in lines)
    assert any("visit @alice demo went well" in line for line in lines)
    (reply,) = await sandbox.say(chat, boss, "/stages rename quoted Offer sent")
    assert "Offer sent" in reply.text
    (reply,) = await sandbox.say(chat, boss, "/stages add Trial")
    assert reply.text.endswith("Shipped → Trial → Paid (won) → Lost")
    (reply,) = await sandbox.say(chat, alice, "/stages add Nope")
    assert reply.text == (
        "Only managers change the pipeline; /stages shows it, "
        "/stage CUSTOMER STAGE moves your own customer."
    )


async def test_channels_and_partners(sandbox: Sandbox, active_team: Team) -> None:
    chat, boss, alice = active_team.chat_id, active_team.manager, active_team.alice
    (reply,) = await sandbox.say(
        chat, boss, "/partner add Huatai channel=distributor tier=A owner=@maria"
    )
    assert reply.text == "Partner Huatai added (tier A)."
    await sandbox.say(chat, alice, "/lead Acme 50k via distributor Huatai")
    (card,) = await sandbox.say(chat, alice, "/partner Huatai")
    assert card.text.splitlines() == [
        "🤝 Huatai · tier A",
        "Channel Distributor · owner @maria",
        "1 customer · 1 open deal worth ¥50,000 · last activity 24 Nov 2026",
    ]
    (reply,) = await sandbox.say(chat, boss, "/channel add Tmall kind=ecommerce")
    assert reply.text == "Channel Tmall (E-commerce) added."
    (listing,) = await sandbox.say(chat, alice, "/channel list")
    assert "• Distributor — 1 customer" in listing.text
    assert "• Tmall (E-commerce) — 0 customers" in listing.text
