"""The Bot API over HTTP, driven by python-telegram-bot's own Bot."""

import asyncio
import io
import time

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    MenuButtonDefault,
    MenuButtonWebApp,
    Message,
    ReplyParameters,
    WebAppInfo,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from tests.tgemu.conftest import (
    ALICE,
    BOB,
    BOT_USERNAME,
    FROZEN_NOW,
    GROUP,
    TOKEN,
    message_of,
    text_of,
)
from tgemu import BotApiEmulator, EmulatorError
from tgemu.media import tiny_png

APP_URL = "https://crm.example.com/app/"


def _keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, BOT_USERNAME, True)
    assert me.can_read_all_group_messages is True


async def test_unknown_token_and_unknown_method(emu: BotApiEmulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{emu.base_url}/bot999:NOPE/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with session.post(f"{emu.base_url}/bot{TOKEN}/sendTelepathy") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found"
        # Method names are case-insensitive; JSON bodies work as well as forms.
        async with session.post(
            f"{emu.base_url}/bot{TOKEN}/SENDMESSAGE", json={"chat_id": GROUP, "text": "hi"}
        ) as response:
            body = await response.json()
            assert body["ok"] is True and body["result"]["text"] == "hi"


async def test_ptb_raises_invalid_token(emu: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:NOPE", base_url=f"{emu.base_url}/bot"):
            pass


@pytest.mark.timing
async def test_long_poll_returns_as_soon_as_an_update_arrives(
    emu: BotApiEmulator, bot: Bot
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    sent = await emu.send_message(GROUP, ALICE, "/visit Acme 🙂")
    updates = await poll
    assert time.monotonic() - started < 1.5
    assert len(updates) == 1
    message = message_of(updates[0])
    assert message.from_user is not None
    assert message.message_id == sent["message_id"]
    assert message.text == "/visit Acme 🙂"
    assert message.from_user.language_code == "en"
    assert message.date == FROZEN_NOW
    assert message.entities[0].type == "bot_command"


async def test_offset_confirms_and_drops_older_updates(emu: BotApiEmulator, bot: Bot) -> None:
    for text in ("one", "two", "three"):
        await emu.send_message(GROUP, BOB, text)
    first = await bot.get_updates(limit=2)
    assert [text_of(u) for u in first] == ["one", "two"]
    assert emu.delivered_update_id == first[-1].update_id
    again = await bot.get_updates()  # nothing confirmed yet: everything comes again
    assert [text_of(u) for u in again] == ["one", "two", "three"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [text_of(u) for u in rest] == ["three"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()
    await emu.wait_consumed(timeout=1)


async def test_wait_consumed_times_out_with_a_helpful_dump(emu: BotApiEmulator) -> None:
    await emu.send_message(GROUP, BOB, "nobody polls")
    with pytest.raises(TimeoutError, match="1 pending update"):
        await emu.wait_consumed(timeout=0.05)


async def test_send_message_html_is_stored_plain_and_raw(emu: BotApiEmulator, bot: Bot) -> None:
    message = await bot.send_message(
        GROUP, "<b>Visit</b> logged for &lt;Acme &amp; Co&gt;", parse_mode="HTML"
    )
    assert message.text == "Visit logged for <Acme & Co>"
    assert message.entities[0].type == "bold"
    [sent] = await emu.wait_sent(GROUP)
    assert sent.text == "Visit logged for <Acme & Co>"
    assert sent.html == "<b>Visit</b> logged for &lt;Acme &amp; Co&gt;"
    assert sent.parse_mode == "HTML"
    assert sent.date == FROZEN_NOW


async def test_bad_html_is_rejected(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(GROUP, "Client <Acme> visited", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(GROUP, "<b>unclosed", parse_mode="HTML")
    assert emu.sent() == []
    assert emu.calls[-1].ok is False
    assert emu.calls[-1].description is not None
    assert emu.calls[-1].description.startswith("Bad Request: can't parse entities: ")


@pytest.mark.parametrize(
    ("chat_id", "text", "error", "match"),
    [
        (GROUP, "   ", BadRequest, "Message text is empty"),
        (GROUP, "x" * 4097, BadRequest, "Message is too long"),
        (-100999, "hi", BadRequest, "Chat not found"),
        (ALICE, "hi", Forbidden, "bot can't initiate conversation with a user"),
    ],
)
async def test_send_message_errors(
    bot: Bot, chat_id: int, text: str, error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        await bot.send_message(chat_id, text)


async def test_private_chat_after_start_and_after_block(emu: BotApiEmulator, bot: Bot) -> None:
    start = await emu.start_private(ALICE)
    assert start["text"] == "/start"
    await bot.send_message(ALICE, "Welcome!")
    assert [m.text for m in emu.sent(ALICE)] == ["Welcome!"]
    await emu.block_bot(ALICE)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ALICE, "Still there?")
    updates = await bot.get_updates()
    change = updates[-1].my_chat_member
    assert change is not None and change.new_chat_member.status == "kicked"


async def test_edit_message_text(emu: BotApiEmulator, bot: Bot) -> None:
    message = await bot.send_message(GROUP, "Draft", reply_markup=_keyboard(("OK", "ok")))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "Draft", GROUP, message.message_id, reply_markup=_keyboard(("OK", "ok"))
        )
    edited = await bot.edit_message_text(
        "<i>Final</i>", GROUP, message.message_id, parse_mode="HTML"
    )
    assert isinstance(edited, Message)
    assert edited.text == "Final" and edited.edit_date is not None
    assert edited.reply_markup is None  # editing without reply_markup removes the keyboard
    [sent] = emu.sent(GROUP)
    assert (sent.text, sent.html, sent.edits, sent.buttons) == (
        "Final",
        "<i>Final</i>",
        ["Draft"],
        [],
    )
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", GROUP, 999)
    user_message = await emu.send_message(GROUP, BOB, "mine")
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", GROUP, user_message["message_id"])


async def test_reply_and_delete(emu: BotApiEmulator, bot: Bot) -> None:
    question = await emu.send_message(GROUP, BOB, "How many boxes?")
    answer = await bot.send_message(
        GROUP, "Five", reply_parameters=ReplyParameters(question["message_id"])
    )
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "How many boxes?"
    assert answer.message_id == question["message_id"] + 1  # ids are shared per chat
    assert emu.sent(GROUP)[0].reply_to_message_id == question["message_id"]
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(GROUP, "x", reply_parameters=ReplyParameters(999))
    assert await bot.delete_message(GROUP, answer.message_id)
    assert emu.sent(GROUP)[0].deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(GROUP, answer.message_id)


async def test_inline_keyboard_and_callback_query(emu: BotApiEmulator, bot: Bot) -> None:
    message = await bot.send_message(
        GROUP,
        "Confirm visit?",
        reply_markup=_keyboard(("Yes", "visit:1:yes"), ("No", "visit:1:no")),
    )
    [sent] = await emu.wait_sent(GROUP)
    assert sent.buttons == [("Yes", "visit:1:yes"), ("No", "visit:1:no")]
    assert sent.callback_data_for("No") == "visit:1:no"

    query = await emu.press_button(GROUP, message.message_id, BOB, "visit:1:yes")
    [update] = await bot.get_updates()
    callback = update.callback_query
    assert callback is not None and isinstance(callback.message, Message)
    assert callback.message.reply_markup is not None
    assert (callback.id, callback.data, callback.from_user.id) == (query["id"], "visit:1:yes", BOB)
    assert callback.message.message_id == message.message_id
    assert callback.message.reply_markup.inline_keyboard[0][0].text == "Yes"

    assert await bot.answer_callback_query(callback.id, text="Saved", show_alert=True)
    [answer] = emu.callback_answers
    assert (answer.text, answer.show_alert, answer.data) == ("Saved", True, "visit:1:yes")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(callback.id)
    with pytest.raises(EmulatorError, match="no button with callback_data 'visit:2:yes'"):
        await emu.press_button(GROUP, message.message_id, BOB, "visit:2:yes")


async def test_callback_data_longer_than_64_bytes_is_rejected(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(GROUP, "x", reply_markup=_keyboard(("Big", "я" * 33)))


async def test_documents_upload_get_file_and_download(emu: BotApiEmulator, bot: Bot) -> None:
    message = await bot.send_document(
        GROUP,
        io.BytesIO(b"name,amount\nAcme,5\n"),
        filename="report.csv",
        caption="<b>Q1</b>",
        parse_mode="HTML",
    )
    document = message.document
    assert document is not None
    assert (document.file_name, document.mime_type, document.file_size) == (
        "report.csv",
        "text/csv",
        19,
    )
    assert message.caption == "Q1"
    [sent] = emu.sent(GROUP)
    assert sent.kind == "document" and sent.content == b"name,amount\nAcme,5\n"

    resent = await bot.send_document(GROUP, document.file_id)
    assert resent.document is not None and resent.document.file_id == document.file_id

    user_message = await emu.send_document(
        GROUP, BOB, "price.xlsx", b"PK\x03\x04data", "application/zip", caption="#prices"
    )
    file = await bot.get_file(user_message["document"]["file_id"])
    buffer = io.BytesIO()
    await file.download_to_memory(buffer)
    assert buffer.getvalue() == b"PK\x03\x04data"
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_photos(emu: BotApiEmulator, bot: Bot) -> None:
    message = await bot.send_photo(GROUP, tiny_png(1600, 900), caption="Chart")
    sizes = message.photo
    assert [(s.width, s.height) for s in sizes][-1] == (1600, 900)
    assert len(sizes) == 5
    assert emu.sent(GROUP)[0].photo is not None
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(GROUP, b"not an image")
    with pytest.raises(BadRequest, match=r"(?i)can't use file of type photo as document"):
        await bot.send_document(GROUP, sizes[-1].file_id)


async def test_commands_per_scope_and_language(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("visit", "Log a visit")])
    await bot.set_my_commands([BotCommand("visit", "Записать визит")], language_code="ru")
    await bot.set_my_commands(
        [BotCommand("report", "Team report")], scope=BotCommandScopeAllGroupChats()
    )
    assert [c.description for c in await bot.get_my_commands(language_code="ru")] == [
        "Записать визит"
    ]
    assert emu.commands() == [{"command": "visit", "description": "Log a visit"}]
    assert emu.commands({"type": "all_group_chats"}) == [
        {"command": "report", "description": "Team report"}
    ]
    assert emu.visible_commands(BOB, BOB)[0]["description"] == "Записать визит"
    assert emu.visible_commands(GROUP, BOB)[0]["command"] == "report"
    await bot.delete_my_commands(scope=BotCommandScopeChat(GROUP))
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Visit", "uppercase is invalid")])


# PTB itself reads RetryAfter.retry_after, which warns about its future timedelta type.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_control_answers_429(emu: BotApiEmulator, bot: Bot) -> None:
    emu.simulate_flood(retry_after=3, times=1, chat_id=GROUP)
    with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
        await bot.send_message(GROUP, "first")
    await bot.send_message(GROUP, "second")
    assert [m.text for m in emu.sent(GROUP)] == ["second"]
    refused = [c for c in emu.calls if c.error_code == 429]
    assert refused[0].method == "sendMessage" and refused[0].chat_id == GROUP


async def test_calls_are_recorded_with_decoded_params(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.send_message(
        GROUP, "hi", reply_markup=_keyboard(("A", "a")), disable_notification=True
    )
    call = emu.calls[-1]
    assert call.method == "sendMessage" and call.ok and call.bot_username == BOT_USERNAME
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]
    }
    assert emu.sent(GROUP)[0].disable_notification is True
    per_chat = [c for c in emu.calls if c.method == "sendMessage" and c.chat_id == GROUP]
    assert len(per_chat) == 1


async def test_chat_information(emu: BotApiEmulator, bot: Bot) -> None:
    chat = await bot.get_chat(GROUP)
    assert (chat.title, chat.type) == ("Sales team", "supergroup")
    admins = await bot.get_chat_administrators(GROUP)
    assert [(a.user.id, a.status) for a in admins] == [(ALICE, "creator")]
    member = await bot.get_chat_member(GROUP, BOB)
    assert member.status == "member"
    assert await bot.get_chat_member_count(GROUP) == 3
    emu.set_admin(GROUP, BOB, True)
    assert (await bot.get_chat_member(GROUP, BOB)).status == "administrator"
    assert await bot.send_chat_action(GROUP, "typing")


async def test_web_app_buttons_only_in_private_chats_with_https(
    emu: BotApiEmulator, bot: Bot
) -> None:
    await emu.start_private(ALICE)
    app = InlineKeyboardMarkup([[InlineKeyboardButton("Open", web_app=WebAppInfo(APP_URL))]])
    sent = await bot.send_message(ALICE, "Open it", reply_markup=app)
    assert emu.sent(ALICE)[-1].reply_markup == {
        "inline_keyboard": [[{"text": "Open", "web_app": {"url": APP_URL}}]]
    }
    with pytest.raises(BadRequest, match="Button_type_invalid"):
        await bot.send_message(GROUP, "Open it", reply_markup=app)
    in_group = await bot.send_message(GROUP, "Open it")
    with pytest.raises(BadRequest, match="Button_type_invalid"):
        await bot.edit_message_reply_markup(GROUP, in_group.message_id, reply_markup=app)
    plain = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Open", web_app=WebAppInfo("http://x.org/"))]]
    )
    with pytest.raises(BadRequest, match=r"(?i)only https links are allowed"):
        await bot.edit_message_reply_markup(ALICE, sent.message_id, reply_markup=plain)
    link = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Open", url="https://t.me/b/app?startapp=-1")]]
    )
    await bot.send_message(GROUP, "Open it", reply_markup=link)


async def test_chat_menu_button_web_app(emu: BotApiEmulator, bot: Bot) -> None:
    await emu.start_private(ALICE)
    assert isinstance(await bot.get_chat_menu_button(ALICE), MenuButtonCommands)
    await bot.set_chat_menu_button(ALICE, MenuButtonWebApp("CRM", WebAppInfo(APP_URL)))
    button = await bot.get_chat_menu_button(ALICE)
    assert isinstance(button, MenuButtonWebApp)
    assert button.text == "CRM" and button.web_app.url == APP_URL
    with pytest.raises(BadRequest, match=r"(?i)only https links are allowed"):
        await bot.set_chat_menu_button(ALICE, MenuButtonWebApp("CRM", WebAppInfo("http://x.org/")))
    await bot.set_chat_menu_button(ALICE, MenuButtonDefault())
    assert isinstance(await bot.get_chat_menu_button(ALICE), MenuButtonDefault)
