"""User-side actions: realistic updates, privacy mode, forums, and synchronisation helpers."""

from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    TelegramObject,
    Update,
)
from telegram.error import BadRequest

from tests.tgemu.conftest import ALICE, BOB, GROUP, TOKEN, message_of, text_of
from tgemu import BotApiEmulator, EmulatorError

CAROL = 103
OTHER_BOT = 777
FORUM = -1009876543210
CHANNEL = -1005550000001


def _unknown_fields(obj: Any) -> list[tuple[str, dict[str, Any]]]:
    """Collect api_kwargs anywhere in a PTB object: fields PTB did not expect."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(obj, TelegramObject):
        if obj.api_kwargs:
            found.append((type(obj).__name__, dict(obj.api_kwargs)))
        for value in obj._get_attrs(recursive=False).values():
            found += _unknown_fields(value)
    elif isinstance(obj, list | tuple):
        for item in obj:
            found += _unknown_fields(item)
    return found


async def test_every_update_and_message_deserializes_cleanly(emu: BotApiEmulator, bot: Bot) -> None:
    emu.add_user(CAROL, "Carol")
    emu.add_user(OTHER_BOT, "Spam", "spam_bot", is_bot=True)
    await emu.start_private(ALICE, start_parameter="ref42")
    message = await emu.send_message(GROUP, ALICE, "hello @bob_rep #lead 🙂")
    await emu.edit_message(GROUP, message["message_id"], ALICE, "hello again")
    await emu.send_message(GROUP, BOB, "reply", reply_to=message["message_id"])
    await emu.send_photo(GROUP, BOB, caption="shelf #photo")
    await emu.send_document(GROUP, BOB, "a.pdf", b"%PDF-1.4", "application/pdf")
    await emu.send_voice(GROUP, BOB)
    await emu.send_sticker(GROUP, BOB)
    await emu.join_group(GROUP, CAROL)
    await emu.leave_group(GROUP, CAROL)
    await emu.join_group(GROUP, OTHER_BOT)
    await emu.send_as_bot(GROUP, OTHER_BOT, "buy now")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    sent = await bot.send_message(GROUP, "<b>pick</b>", parse_mode="HTML", reply_markup=keyboard)
    await emu.press_button(GROUP, sent.message_id, BOB, "go")
    await emu.block_bot(ALICE)
    emu.add_group(FORUM, "Regions", admins=[ALICE], members=[123456], is_forum=True)
    topic = await emu.create_topic(FORUM, ALICE, "North")
    await emu.send_message(FORUM, ALICE, "in topic", message_thread_id=topic)
    emu.add_channel(CHANNEL, "Brand news", admins=[ALICE], linked_group=GROUP)
    await emu.send_message(GROUP, ALICE, "as the group", as_chat=GROUP)
    await emu.send_message(GROUP, ALICE, "as the channel", as_chat=CHANNEL)
    await emu.post_in_channel(CHANNEL, ALICE, "launch day #news")

    kinds = set()
    for raw in emu.updates:
        update = Update.de_json(raw, bot)
        assert _unknown_fields(update) == [], raw
        kinds |= raw.keys() - {"update_id"}
    assert kinds == {"message", "edited_message", "callback_query", "my_chat_member"}
    for chat_id in (GROUP, ALICE, FORUM, CHANNEL):
        for raw in emu.messages(chat_id):
            assert _unknown_fields(Message.de_json(raw, bot)) == [], raw


async def test_message_ids_are_per_chat_and_update_ids_global(
    emu: BotApiEmulator, bot: Bot
) -> None:
    await emu.start_private(ALICE)
    first = await emu.send_message(GROUP, BOB, "g1")
    reply = await bot.send_message(GROUP, "g2")
    private = await emu.send_message(ALICE, ALICE, "p2")
    assert (first["message_id"], reply.message_id) == (1, 2)
    assert private["message_id"] == 2  # /start was 1
    ids = [u["update_id"] for u in emu.updates]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


async def test_privacy_mode_bot_sees_only_commands_replies_and_service(emu: BotApiEmulator) -> None:
    emu.add_bot("555:PRIVATE", "quiet_bot", can_read_all_group_messages=False)
    await emu.add_bot_to_group(GROUP, ALICE, bot="quiet_bot")
    async with Bot("555:PRIVATE", base_url=f"{emu.base_url}/bot") as quiet:
        joined = await quiet.get_updates()
        assert [bool(u.my_chat_member) for u in joined] == [True, False]
        offset = joined[-1].update_id + 1
        await emu.send_message(GROUP, BOB, "just chatting")
        await emu.send_message(GROUP, BOB, "/report@crm_test_bot")
        await emu.send_message(GROUP, BOB, "/report@quiet_bot")
        await emu.send_message(GROUP, BOB, "/help")
        mine = await quiet.send_message(GROUP, "I am quiet")
        await emu.send_message(GROUP, BOB, "answering you", reply_to=mine.message_id)
        seen = await quiet.get_updates(offset=offset)
        assert [text_of(u) for u in seen] == ["/report@quiet_bot", "/help", "answering you"]


async def test_allowed_updates_filters_new_updates(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    await emu.send_message(GROUP, BOB, "dropped")
    assert await bot.get_updates() == ()
    await bot.get_updates(allowed_updates=[])
    await emu.send_message(GROUP, BOB, "kept")
    assert [text_of(u) for u in await bot.get_updates()] == ["kept"]


async def test_forum_topics(emu: BotApiEmulator, bot: Bot) -> None:
    emu.add_group(FORUM, "Regions", admins=[ALICE], members=[BOB, 123456], is_forum=True)
    topic = await emu.create_topic(FORUM, ALICE, "North")
    incoming = await emu.send_message(FORUM, BOB, "visit in the north", message_thread_id=topic)
    assert incoming["is_topic_message"] and incoming["message_thread_id"] == topic
    assert incoming["reply_to_message"]["forum_topic_created"]["name"] == "North"

    answer = await bot.send_message(
        FORUM, "noted", reply_parameters=ReplyParameters(incoming["message_id"])
    )
    assert answer.message_thread_id == topic and answer.is_topic_message
    [sent] = emu.sent(FORUM)
    assert sent.message_thread_id == topic and sent.reply_to_message_id == incoming["message_id"]
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(FORUM, "lost", message_thread_id=999)


async def test_wait_sent_counts_new_messages_per_chat(emu: BotApiEmulator, bot: Bot) -> None:
    await emu.start_private(BOB)
    await bot.send_message(GROUP, "one")
    await bot.send_message(BOB, "private")
    await bot.send_message(GROUP, "two")
    assert [m.text for m in await emu.wait_sent(GROUP, count=2)] == ["one", "two"]
    assert [m.text for m in await emu.wait_sent(BOB)] == ["private"]
    with pytest.raises(TimeoutError, match=r"expected 1 new bot message\(s\) in chat"):
        await emu.wait_sent(GROUP, timeout=0.05)
    emu.mark()
    await bot.send_message(GROUP, "three")
    assert [m.text for m in await emu.wait_sent()] == ["three"]


async def test_timeout_dump_shows_failed_calls(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(GROUP, "a < b", parse_mode="HTML")
    with pytest.raises(TimeoutError, match="Unsupported start tag"):
        await emu.wait_sent(GROUP, timeout=0.01)


async def test_writing_as_a_chat_shows_the_chat_never_the_person(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.add_channel(CHANNEL, "Brand news", admins=[ALICE], linked_group=GROUP)
    anonymous = await emu.send_message(GROUP, ALICE, "/stats", as_chat=GROUP)
    await emu.send_message(GROUP, ALICE, "as the brand", as_chat=CHANNEL)
    post = await emu.post_in_channel(CHANNEL, ALICE, "launch day #news")
    await emu.edit_message(GROUP, anonymous["message_id"], ALICE, "/stats week")

    as_group, as_channel, forward, edited = (Update.de_json(u, bot) for u in emu.updates)
    message = message_of(as_group)
    assert message.from_user is not None and message.sender_chat is not None
    assert (message.from_user.id, message.from_user.username) == (1087968824, "GroupAnonymousBot")
    assert message.sender_chat.id == GROUP and message.text == "/stats"
    message = message_of(as_channel)
    assert message.from_user is not None and message.sender_chat is not None
    assert (message.from_user.id, message.from_user.username) == (136817688, "Channel_Bot")
    assert (message.sender_chat.id, message.sender_chat.type) == (CHANNEL, "channel")
    message = message_of(forward)
    assert message.is_automatic_forward and message.sender_chat is not None
    assert message.from_user is not None and message.from_user.id == 777000
    assert message.forward_origin is not None
    assert message.forward_origin.chat.id == CHANNEL  # type: ignore[attr-defined]
    assert message.forward_origin.message_id == post["message_id"]  # type: ignore[attr-defined]
    assert message.text == "launch day #news" and "from" not in post
    assert edited.edited_message is not None and edited.edited_message.sender_chat is not None
    assert (await bot.get_chat(GROUP)).linked_chat_id == CHANNEL


@pytest.mark.parametrize(
    ("action", "match"),
    [
        (lambda emu: emu.send_message(GROUP, BOB, "hi", as_chat=GROUP), "not an admin"),
        (lambda emu: emu.send_message(GROUP, BOB, "hi", as_chat=CHANNEL), "cannot write as"),
        (lambda emu: emu.send_message(CHANNEL, ALICE, "hi"), "post_in_channel"),
        (lambda emu: emu.post_in_channel(CHANNEL, BOB, "hi"), "not an admin"),
    ],
)
async def test_only_admins_write_as_a_chat(emu: BotApiEmulator, action: Any, match: str) -> None:
    emu.add_channel(CHANNEL, "Brand news", admins=[ALICE])
    with pytest.raises(EmulatorError, match=match):
        await action(emu)


async def test_a_basic_group_has_no_anonymous_admins(emu: BotApiEmulator) -> None:
    emu.add_group(-4001, "Old group", admins=[ALICE], basic=True)
    with pytest.raises(EmulatorError, match="only in a supergroup"):
        await emu.send_message(-4001, ALICE, "hi", as_chat=-4001)


@pytest.mark.parametrize(
    ("action", "match"),
    [
        (lambda emu: emu.send_message(GROUP, 103, "hi"), "unknown user 103"),
        (lambda emu: emu.send_message(ALICE, ALICE, "hi"), "has not started"),
        (lambda emu: emu.send_message(GROUP, BOB, "hi", reply_to=42), "no message 42"),
        (lambda emu: emu.press_button(GROUP, 1, BOB, "x"), "no bot message 1"),
    ],
)
async def test_impossible_user_actions_raise(emu: BotApiEmulator, action: Any, match: str) -> None:
    with pytest.raises(EmulatorError, match=match):
        await action(emu)


async def test_control_api_mirrors_the_python_side(emu: BotApiEmulator, bot: Bot) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{emu.base_url}/_emulator"
        async with session.post(
            f"{url}/send_message", json={"chat_id": GROUP, "user_id": BOB, "text": "/ping"}
        ) as response:
            assert (await response.json())["result"]["text"] == "/ping"
        [update] = await bot.get_updates()
        await bot.send_message(GROUP, "pong")
        async with session.get(f"{url}/sent", params={"chat_id": str(GROUP)}) as response:
            assert [m["text"] for m in (await response.json())["result"]] == ["pong"]
        async with session.post(f"{url}/send_message", json={"chat_id": GROUP}) as response:
            assert response.status == 400
        async with session.get(f"{url}/calls") as response:
            methods = [c["method"] for c in (await response.json())["result"]]
            assert methods[-2:] == ["getUpdates", "sendMessage"]
    assert text_of(update) == "/ping"
    assert TOKEN in emu.state.bots
