"""/app: how the Mini App opens, from a group and from a private chat, in English and Chinese."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from bot.i18n import plain, t
from tests.e2e.conftest import GROUP, make_team
from tgemu.sandbox import BOT_USERNAME, Sandbox

APP_URL = "https://crm.example.com/app/"


@pytest.fixture(params=[APP_URL, None], ids=["configured", "not-configured"])
async def sandbox(
    database_url: str, clock: ManualClock, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    settings = Settings(CRMBOT_WORKERS=0, CRMBOT_WEBAPP_NAME="board")
    settings = settings.model_copy(update={"webapp_url": request.param})
    async with Sandbox(database_url=database_url, clock=clock, settings=settings) as box:
        yield box


def configured(sandbox: Sandbox) -> bool:
    return sandbox.settings().webapp_url is not None


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_app_in_a_group_links_to_the_teams_mini_app(sandbox: Sandbox, lang: str) -> None:
    team = make_team(sandbox, GROUP, lang=lang)
    await sandbox.say(GROUP, team.manager, "/setup")
    if lang == "zh":
        await sandbox.say(GROUP, team.manager, "/lang zh")
    (reply,) = await sandbox.say(GROUP, team.alice, "/app")
    if not configured(sandbox):
        assert reply.html == t(lang, "app.not_set_up")
        assert reply.reply_markup is None
        return
    assert reply.html == t(lang, "app.group", team=f"Sales {GROUP}")
    (row,) = reply.reply_markup["inline_keyboard"]  # type: ignore[index]
    assert row == [
        {
            "text": plain(lang, "app.button"),
            "url": f"https://t.me/{BOT_USERNAME}/board?startapp={GROUP}",
        }
    ]


async def test_app_in_a_group_before_setup_says_to_set_up(sandbox: Sandbox) -> None:
    team = make_team(sandbox, GROUP)
    (reply,) = await sandbox.say(GROUP, team.alice, "/app")
    assert reply.html == t("en", "error.not_activated")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_app_in_private_opens_the_mini_app_and_sets_the_menu_button(
    sandbox: Sandbox, lang: str
) -> None:
    alice = sandbox.person(200, "Alice", "alice", lang)
    await sandbox.emulator.start_private(alice.user_id)
    await sandbox.settle()
    (reply,) = await sandbox.say(alice.user_id, alice, "/app")
    menu = sandbox.emulator.menu_button(alice.user_id)
    if not configured(sandbox):
        assert reply.html == t(lang, "app.not_set_up")
        assert menu == {"type": "commands"}
        return
    assert reply.html == t(lang, "app.private")
    assert reply.reply_markup == {
        "inline_keyboard": [[{"text": plain(lang, "app.button"), "web_app": {"url": APP_URL}}]]
    }
    assert menu == {"type": "web_app", "text": plain(lang, "app.menu"), "web_app": {"url": APP_URL}}
    # Telegram delivering it again (a restart before it was confirmed) sends no second answer.
    before = len(sandbox.emulator.sent(alice.user_id))
    sandbox.emulator.redeliver(int(sandbox.emulator.state.updates_log[-1]["update_id"]))
    await sandbox.settle()
    assert len(sandbox.emulator.sent(alice.user_id)) == before


async def test_app_is_in_the_command_menu_and_help(sandbox: Sandbox) -> None:
    for lang in ("en", "zh"):
        listed = sandbox.emulator.commands({"type": "all_group_chats"}, lang)
        assert {"command": "app", "description": plain(lang, "menu.app")} in listed
        assert "/app" in plain(lang, "help")
