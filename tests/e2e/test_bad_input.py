"""Bad input gets a clear answer in the team's language, or is ignored on purpose."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.i18n import t
from models.tables import Customer
from tests.e2e.conftest import Team, make_team
from tgemu.sandbox import Sandbox


async def test_unknown_command(sandbox: Sandbox, active_team: Team) -> None:
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, "/frobnicate now")
    assert reply.text == "I don't know /frobnicate. /help lists what I can do."


async def test_commands_for_other_bots_are_ignored(sandbox: Sandbox, active_team: Team) -> None:
    assert (
        await sandbox.say(active_team.chat_id, active_team.alice, "/lead@SomeOtherBot Acme") == []
    )
    assert await sandbox.say(active_team.chat_id, active_team.alice, "/stats@SomeOtherBot") == []
    (card,) = await sandbox.say(
        active_team.chat_id, active_team.alice, f"/lead@{sandbox.bot_username} Acme"
    )
    assert card.text.startswith("🆕 Lead · Acme")


async def test_html_in_names_and_notes_is_escaped(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/lead Smith & Sons <Ltd> 5k")
    assert "Smith &amp; Sons" in card.html
    assert card.text.startswith("🆕 Lead · Smith & Sons")
    (card,) = await sandbox.say(chat, alice, "/note Smith & Sons met <b>boss</b> *x* _y_ `z`")
    (card,) = await sandbox.say(chat, alice, "/customer Smith & Sons")
    assert "&lt;b&gt;boss&lt;/b&gt; *x* _y_ `z`" in card.html


async def test_names_with_angle_brackets_are_kept_and_escaped(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (card,) = await sandbox.say(chat, alice, "/lead A<B>C Corp wants 20 units")
    assert card.text.startswith("🆕 Lead · A<B>C Corp")
    assert "A&lt;B&gt;C Corp" in card.html


async def test_stickers_photos_voice_and_bots_are_ignored(
    sandbox: Sandbox, active_team: Team
) -> None:
    emu, chat = sandbox.emulator, active_team.chat_id
    before = len(emu.sent(chat))
    await emu.send_sticker(chat, active_team.alice.user_id)
    await emu.send_photo(chat, active_team.alice.user_id, caption="#lead from a photo")
    await emu.send_voice(chat, active_team.alice.user_id)
    emu.add_user(999, "OtherBot", "other_bot", is_bot=True)
    await emu.join_group(chat, 999)
    await emu.send_as_bot(chat, 999, "/lead Spam 1k")
    await sandbox.settle()
    assert emu.sent(chat)[before:] == []


async def test_longest_message_is_logged_with_a_capped_name_and_short_card(
    sandbox: Sandbox, active_team: Team
) -> None:
    text = "#lead " + "Longco" * 700  # 4206 characters are refused by Telegram clients
    text = text[:4096]
    (card,) = await sandbox.say(active_team.chat_id, active_team.alice, text)
    assert len(card.text) < 400
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        (customer,) = session.exec(select(Customer)).all()
    assert len(customer.name) == 120


async def test_private_chat_points_to_the_group(sandbox: Sandbox, team: Team) -> None:
    await sandbox.emulator.start_private(team.alice.user_id)
    await sandbox.settle()
    replies = await sandbox.say(team.alice.user_id, team.alice, "/lead Acme")
    assert "group" in replies[-1].text


async def test_edited_plain_message_is_ignored(sandbox: Sandbox, active_team: Team) -> None:
    chat = active_team.chat_id
    assert await sandbox.say(chat, active_team.bob, "see you at 3") == []
    assert await sandbox.edit(chat, active_team.bob, sandbox.last_message_id, "see you at 4") == []


async def test_a_failure_inside_a_handler_rolls_back_and_answers_politely(
    sandbox: Sandbox, active_team: Team, monkeypatch
) -> None:
    from bot.services import entries

    def boom(**_kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(entries, "_deal", boom)
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, "/lead Acme 5k")
    assert reply.text.startswith("Sorry, something went wrong")
    assert "Traceback" not in reply.text
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        assert session.exec(select(Customer)).all() == []


@pytest.mark.parametrize(
    "text",
    ["/lead", "/lead tomorrow 3pm", "/lead 50k", "/visit 明天下午3点", "/lead 🎉🎉", "/lead 12万"],
)
async def test_nothing_but_a_date_amount_or_emoji_gets_usage(
    sandbox: Sandbox, active_team: Team, text: str
) -> None:
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, text)
    assert reply.text.startswith("Usage: /")
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        assert session.exec(select(Customer)).all() == []


async def test_usage_is_in_the_teams_language(sandbox: Sandbox, active_team: Team) -> None:
    await sandbox.say(active_team.chat_id, active_team.manager, "/lang zh")
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, "/lead 12万")
    assert reply.text.startswith("用法：/lead 客户")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("/lead '; DROP TABLE customer; -- 5k", "DROP TABLE"),
        ("/lead שלום עולם", "שלום עולם"),
        ("/lead Café «Zürich» 🚀, 5k", "Café «Zürich»"),  # an emoji ends a name
    ],
)
async def test_odd_names_are_stored_as_text(
    sandbox: Sandbox, active_team: Team, text: str, name: str
) -> None:
    (card,) = await sandbox.say(active_team.chat_id, active_team.alice, text)
    assert card.text.startswith("🆕 Lead · ")
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        (customer,) = session.exec(select(Customer)).all()
    assert customer.name.startswith(name)


ID_TOO_LONG = "99999999999999999999"  # 20 digits: more than a 64-bit column holds


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("text", "usage"),
    [
        (f"/done {ID_TOO_LONG}", "usage.done"),
        (f"/done #{ID_TOO_LONG}", "usage.done"),
        ("/done １２", "usage.done"),
        ("/done ²", "usage.done"),
        (f"/snooze {ID_TOO_LONG} 2h", "usage.snooze"),
        ("/snooze １２ 2h", "usage.snooze"),
        (f"/reassign {ID_TOO_LONG} @alice", "usage.reassign"),
        ("/reassign ² @alice", "usage.reassign"),
        ("/stages move lead ²", "usage.stages"),
        ("/stages move lead １", "usage.stages"),
        ("/settings escalate ²", "usage.settings.escalate"),
        (f"/settings escalate {ID_TOO_LONG}", "usage.settings.escalate"),
        ("/digest settings drop ²", "usage.digest"),
        (f"/digest settings drop {ID_TOO_LONG}", "usage.digest"),
    ],
)
async def test_numbers_out_of_range_or_not_ascii_get_the_usage(
    sandbox: Sandbox, lang: str, text: str, usage: str
) -> None:
    team = make_team(sandbox, lang=lang)
    await sandbox.say(team.chat_id, team.manager, "/setup")
    await sandbox.say(team.chat_id, team.manager, f"/lang {lang}")
    (reply,) = await sandbox.say(team.chat_id, team.manager, text)
    assert reply.html == t(lang, usage)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_mention_the_bot_cannot_read_gets_one_line_saying_how(
    sandbox: Sandbox, active_team: Team, lang: str
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, active_team.manager, f"/lang {lang}")
    (hint,) = await sandbox.say(chat, alice, "@crm_test_bot hello there 👋")
    assert hint.html == t(lang, "entry.not_understood")
    # Not addressed by name (a reply to the bot, or chat that is not for it): no answer.
    assert await sandbox.say(chat, alice, "thanks!", reply_to=hint.message_id) == []
    assert await sandbox.say(chat, alice, "lunch at 12?") == []
    # Dated and about a customer, addressed: a follow-up, not a hint.
    (card,) = await sandbox.say(chat, alice, "@crm_test_bot Wayne wants a demo next wed at 2pm")
    assert card.text.startswith("📌"), card.text
