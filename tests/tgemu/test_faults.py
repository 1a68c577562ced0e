"""Stumbles on demand: 5xx answers, hangs, dropped connections, and upgraded groups."""

import aiohttp
import pytest
from telegram import Bot
from telegram.error import ChatMigrated, NetworkError, TimedOut

from tests.tgemu.conftest import ALICE, BOB, GROUP, TOKEN
from tgemu import BotApiEmulator, EmulatorError

BASIC_GROUP = -4001
SUPERGROUP = -1004001


async def test_an_injected_5xx_answers_without_sending(emu: BotApiEmulator, bot: Bot) -> None:
    emu.inject_fault("sendmessage", status=502, times=2, chat_id=GROUP)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(GROUP, "lost")
    await bot.send_message(GROUP, "through")
    assert [m.text for m in emu.sent(GROUP)] == ["through"]
    failed = [c for c in emu.calls if not c.ok]
    assert [(c.method, c.error_code) for c in failed] == [("sendMessage", 502)] * 2


async def test_a_fault_targets_one_method_and_chat(emu: BotApiEmulator, bot: Bot) -> None:
    emu.inject_fault("sendMessage", chat_id=-100)
    await bot.send_message(GROUP, "another chat")
    await bot.get_chat(GROUP)
    assert [m.text for m in emu.sent(GROUP)] == ["another chat"]
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(-100, "the faulty chat")


async def test_a_hang_outlasts_the_client_and_sends_nothing(emu: BotApiEmulator) -> None:
    emu.inject_fault("sendMessage", "hang", seconds=30)
    async with Bot(TOKEN, base_url=f"{emu.base_url}/bot") as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(GROUP, "lost", read_timeout=0.1)
        await bot.send_message(GROUP, "through")
    assert [m.text for m in emu.sent(GROUP)] == ["through"]
    assert emu.calls[-2].description == "no answer (injected hang)"


async def test_a_short_hang_answers_504(emu: BotApiEmulator, bot: Bot) -> None:
    emu.inject_fault("sendMessage", "hang", seconds=0.01)
    with pytest.raises(NetworkError, match="Gateway Timeout"):
        await bot.send_message(GROUP, "lost")
    assert emu.sent(GROUP) == []


async def test_a_disconnect_drops_the_connection(emu: BotApiEmulator, bot: Bot) -> None:
    emu.inject_fault("editMessageText", "disconnect")
    sent = await bot.send_message(GROUP, "before")
    with pytest.raises(NetworkError, match="disconnected"):
        await bot.edit_message_text("after", chat_id=GROUP, message_id=sent.message_id)
    assert emu.sent(GROUP)[0].text == "before"
    await bot.edit_message_text("after", chat_id=GROUP, message_id=sent.message_id)
    assert emu.sent(GROUP)[0].text == "after"


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        ({"method": "sendTelepathy"}, "unknown Bot API method"),
        ({"method": "sendMessage", "fault": "explode"}, "unknown fault"),
        ({"method": "sendMessage", "status": 400}, "5xx"),
        ({"method": "sendMessage", "times": 0}, "positive"),
    ],
)
def test_impossible_faults_raise(emu: BotApiEmulator, arguments: dict, match: str) -> None:
    with pytest.raises(EmulatorError, match=match):
        emu.inject_fault(**arguments)


async def test_faults_are_injected_over_the_control_api(emu: BotApiEmulator, bot: Bot) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{emu.base_url}/_emulator/inject_fault",
            json={"method": "sendMessage", "status": 503, "chat_id": GROUP},
        ) as response:
            assert (await response.json())["ok"] is True
    with pytest.raises(NetworkError, match="Service Unavailable"):
        await bot.send_message(GROUP, "lost")


async def test_an_upgraded_group_answers_with_its_new_id(emu: BotApiEmulator, bot: Bot) -> None:
    emu.add_group(BASIC_GROUP, "Old team", admins=[ALICE], members=[BOB, 123456], basic=True)
    await bot.send_message(BASIC_GROUP, "before")
    new = await emu.upgrade_group(BASIC_GROUP, ALICE, SUPERGROUP)
    assert (new["id"], new["type"], new["title"]) == (SUPERGROUP, "supergroup", "Old team")
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(BASIC_GROUP, "after")
    assert migrated.value.new_chat_id == SUPERGROUP
    await bot.send_message(SUPERGROUP, "after")
    assert [m.text for m in emu.sent(SUPERGROUP)] == ["after"]
    updates = await bot.get_updates()
    service = [u.message for u in updates if u.message]
    assert [(m.chat.id, m.migrate_to_chat_id, m.migrate_from_chat_id) for m in service] == [
        (BASIC_GROUP, SUPERGROUP, None),
        (SUPERGROUP, None, BASIC_GROUP),
    ]
    refused = emu.calls[-3]  # before getUpdates and the send to the supergroup
    assert (refused.error_code, refused.description) == (
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
    )


async def test_only_the_creator_upgrades_a_basic_group(emu: BotApiEmulator) -> None:
    emu.add_group(BASIC_GROUP, "Old team", admins=[ALICE], members=[BOB], basic=True)
    with pytest.raises(EmulatorError, match="creator"):
        await emu.upgrade_group(BASIC_GROUP, BOB, SUPERGROUP)
    with pytest.raises(EmulatorError, match="basic group"):
        await emu.upgrade_group(GROUP, ALICE, SUPERGROUP)
    with pytest.raises(EmulatorError, match="supergroup id"):
        await emu.upgrade_group(BASIC_GROUP, ALICE, -5)
