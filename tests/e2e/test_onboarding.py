"""Joining a group, activation, language, time zone and roles — through the emulator."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import GROUP, Team, make_team
from tgemu.sandbox import Sandbox


async def test_added_to_group_says_hello_once(sandbox: Sandbox) -> None:
    team = make_team(sandbox, with_bot=False)
    replies = await sandbox.add_bot(team.chat_id, team.manager)
    assert len(replies) == 1
    assert "/setup" in replies[0].text


async def test_data_commands_before_setup_explain_how_to_activate(
    sandbox: Sandbox, team: Team
) -> None:
    (reply,) = await sandbox.say(team.chat_id, team.alice, "/lead Acme 50k")
    assert "not active" in reply.text and "/setup" in reply.text
    (reply,) = await sandbox.say(team.chat_id, team.alice, "/tasks")
    assert "/setup" in reply.text


async def test_only_a_chat_admin_can_activate(sandbox: Sandbox, team: Team) -> None:
    (reply,) = await sandbox.say(team.chat_id, team.alice, "/setup")
    assert (
        reply.text
        == "Only a chat admin can activate crmbot; ask one of the group's admins to send /setup."
    )
    (reply,) = await sandbox.say(team.chat_id, team.manager, "/setup")
    assert reply.text.startswith("✅ crmbot is active")
    (reply,) = await sandbox.say(team.chat_id, team.manager, "/setup")
    assert "already active" in reply.text


async def test_start_and_help(sandbox: Sandbox, active_team: Team) -> None:
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, "/start")
    assert "active" in reply.text
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, "/help")
    assert "/lead" in reply.text and "Managers" not in reply.text
    (reply,) = await sandbox.say(active_team.chat_id, active_team.manager, "/help")
    assert "/role" in reply.text


async def test_language_switch_changes_every_reply(sandbox: Sandbox, active_team: Team) -> None:
    (reply,) = await sandbox.say(active_team.chat_id, active_team.manager, "/lang zh")
    assert reply.text == "语言已切换为简体中文。"
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, "/tasks")
    assert reply.text == "没有待办任务。🎉"
    (reply,) = await sandbox.say(active_team.chat_id, active_team.alice, "/lang en")
    assert reply.text == "只有经理可以修改团队语言；请找经理或群管理员。"
    (reply,) = await sandbox.say(active_team.chat_id, active_team.manager, "/lang fr")
    assert "/lang zh" in reply.text


async def test_timezone(sandbox: Sandbox, active_team: Team) -> None:
    (reply,) = await sandbox.say(active_team.chat_id, active_team.manager, "/tz Europe/Berlin")
    assert reply.text == "Time zone set to Europe/Berlin."
    (reply,) = await sandbox.say(active_team.chat_id, active_team.manager, "/tz Mars/Base")
    assert "not a time zone" in reply.text


async def test_roles_come_from_admins_and_role_command(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice, bob = active_team.chat_id, active_team.alice, active_team.bob
    await sandbox.say(chat, bob, "hello")  # bob becomes known to the team
    (reply,) = await sandbox.say(chat, alice, "/role @bob manager")
    assert (
        reply.text
        == "Only managers change roles; ask a chat admin (they are managers) to send /role."
    )
    (reply,) = await sandbox.say(chat, active_team.manager, "/role @bob manager")
    assert reply.text == "@bob is now a manager."
    (reply,) = await sandbox.say(chat, bob, "/tasks all")
    assert "No open tasks" in reply.text
    (reply,) = await sandbox.say(chat, active_team.manager, "/role @nobody rep")
    assert "don't know @nobody" in reply.text


async def test_a_new_chat_admin_is_a_manager_on_first_need(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat = active_team.chat_id
    (reply,) = await sandbox.say(chat, active_team.alice, "/tasks all")
    assert reply.text == "Other people's tasks are for managers; /tasks shows yours."
    sandbox.emulator.set_admin(chat, active_team.alice.user_id, True)
    (reply,) = await sandbox.say(chat, active_team.alice, "/tasks all")
    assert "No open tasks" in reply.text


async def test_command_menus_are_published_in_both_languages(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    en = [c["command"] for c in emu.commands(scope={"type": "all_group_chats"}, language_code="en")]
    zh = emu.commands(scope={"type": "all_group_chats"}, language_code="zh")
    assert "lead" in en and "tasks" in en
    assert any(c["description"] == "记录新线索" for c in zh)


@pytest.mark.parametrize(
    ("code", "welcome", "setup"),
    [
        ("zh-hans", "👋 你好", "✅ crmbot 已在本群启用"),
        ("zh-TW", "👋 你好", "✅ crmbot 已在本群启用"),
        ("en-US", "👋 Hi", "✅ crmbot is active for this group"),
        ("de", "👋 Hi", "✅ crmbot is active for this group"),  # neither: the default
    ],
)
async def test_a_new_team_speaks_the_inviting_admins_language(
    sandbox: Sandbox, code: str, welcome: str, setup: str
) -> None:
    team = make_team(sandbox, with_bot=False, lang=code)
    (hello,) = await sandbox.add_bot(team.chat_id, team.manager)
    assert hello.text.startswith(welcome)
    (reply,) = await sandbox.say(team.chat_id, team.manager, "/setup")
    assert reply.text.startswith(setup)


async def test_an_admins_setup_sets_the_language_of_a_team_a_rep_started(
    sandbox: Sandbox,
) -> None:
    """A rep wrote first (the team began in the default, English); the admin's /setup is zh."""
    boss = sandbox.person(100, "王经理", "boss", "zh-hans")
    rep = sandbox.person(400, "Eve", "eve", "en")
    chat = sandbox.group(GROUP, "华东组", admins=[boss], members=[rep])
    (reply,) = await sandbox.say(chat, rep, "/start")
    assert reply.text == "crmbot is not active here yet. A chat admin sends /setup to start."
    (reply,) = await sandbox.say(chat, boss, "/setup")
    assert reply.text.startswith("✅ crmbot 已在本群启用")
    # Nobody's phone switches it after that.
    (reply,) = await sandbox.say(chat, rep, "/start")
    assert reply.text.startswith("crmbot 已在本群启用")


async def test_a_language_chosen_with_lang_before_setup_stays(sandbox: Sandbox) -> None:
    team = make_team(sandbox, with_bot=False, lang="zh")
    (hello,) = await sandbox.add_bot(team.chat_id, team.manager)
    assert hello.text.startswith("👋 你好")
    await sandbox.say(team.chat_id, team.manager, "/lang en")
    (reply,) = await sandbox.say(team.chat_id, team.manager, "/setup")
    assert reply.text.startswith("✅ crmbot is active for this group")
