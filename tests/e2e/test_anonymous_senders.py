"""Anonymous admins and channels: nobody's entries, the group's manager commands, no Member.

An admin who writes anonymously shows up as the group itself (`sender_chat`, `from` the
placeholder GroupAnonymousBot); someone writing as a channel shows up as the channel (`from`
Channel_Bot); a linked channel's posts are copied into the group as automatic forwards.
None of them is a person the bot can log work for.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import pytest
from sqlmodel import Session, col, select

from models.tables import AuditLog, Customer, Entry, Member, Task
from tests.e2e.conftest import Team, make_team
from tgemu import SentMessage
from tgemu.sandbox import Sandbox

CHANNEL = -1005550000009
PLACEHOLDERS = (1087968824, 136817688, 777000)  # GroupAnonymousBot, Channel_Bot, Telegram

ASK_ADMIN = {
    "en": (
        "🙈 You are writing as the group (anonymous admin), so I can't tell whose this is. "
        "Send it from your own account; manager commands such as /stats work as they are."
    ),
    "zh": (
        "🙈 你正以群组身份（匿名管理员）发言，我无法知道这是谁的记录。"
        "请用你自己的账号发送；/stats 等经理命令可以照常使用。"
    ),
}
ASK_CHANNEL = {
    "en": "🙈 That was sent as a channel, so I can't tell whose it is. Send it from your own account.",  # noqa: E501
    "zh": "🙈 这条消息是以频道身份发送的，我无法知道这是谁的记录。请用你自己的账号发送。",
}


def session_of(sandbox: Sandbox) -> AbstractContextManager[Session]:
    assert sandbox.db is not None
    return sandbox.db.session()


def only_text(replies: list[SentMessage]) -> str:
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0].text


async def activated(sandbox: Sandbox, lang: str) -> Team:
    team = make_team(sandbox, lang=lang)
    await sandbox.say(team.chat_id, team.manager, "/setup")
    await sandbox.say(team.chat_id, team.manager, f"/lang {lang}")
    return team


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_anonymous_admins_entries_ask_for_their_own_account(
    sandbox: Sandbox, lang: str
) -> None:
    team = await activated(sandbox, lang)
    chat, maria, alice = team.chat_id, team.manager, team.alice
    await sandbox.say(chat, alice, "/lead Globex 20k")
    await sandbox.say(chat, alice, "/fu Globex tomorrow send samples")
    with session_of(sandbox) as session:
        (task,) = session.exec(select(Task)).all()
        entries_before = len(session.exec(select(Entry)).all())
    bot = sandbox.bot_username
    for text in (
        "/lead Acme Trading 50k via distributor Huatai",
        "#visit Acme Trading met their buyer",
        f"@{bot} visited Acme Trading today, follow up next Tuesday",
        "/won Globex 80k",
        "/note Globex wants a discount",
        "/claim Globex",
        f"/done {task.number}",
        "/task call Globex Friday 3pm",
        "/undo",
    ):
        assert only_text(await sandbox.say(chat, maria, text, as_chat=chat)) == ASK_ADMIN[lang]
    written = sandbox.last_message_id
    sheet = "客户名称,负责人\nInitech,@alice\n".encode()
    imported = await sandbox.send_document(
        chat, maria, "old.csv", sheet, "text/csv", caption="/import", as_chat=chat
    )
    assert only_text(imported) == ASK_ADMIN[lang]
    # A sheet shared without the caption is not asked about (an import needs a person).
    assert (
        await sandbox.send_document(chat, maria, "old.csv", sheet, "text/csv", as_chat=chat) == []
    )
    # Chatting anonymously, or editing what was refused, is not for the bot: no reply at all.
    assert await sandbox.say(chat, maria, "hello everyone", as_chat=chat) == []
    assert await sandbox.edit(chat, maria, written, "#visit Acme Trading again") == []

    with session_of(sandbox) as session:
        assert len(session.exec(select(Entry)).all()) == entries_before
        assert [c.name for c in session.exec(select(Customer)).all()] == ["Globex"]
        assert session.get(Task, task.id).status == "open"  # type: ignore[union-attr]
        assert session.exec(select(Member).where(col(Member.user_id).in_(PLACEHOLDERS))).all() == []
    # The same admin, as themselves, logs as usual.
    reply = only_text(await sandbox.say(chat, maria, "/lead Acme Trading 50k"))
    assert "Acme Trading" in reply and "@maria" in reply


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_anonymous_admin_runs_the_groups_manager_commands(
    sandbox: Sandbox, lang: str
) -> None:
    team = make_team(sandbox, lang=lang)
    chat, maria, alice = team.chat_id, team.manager, team.alice

    async def anonymous(text: str) -> list[SentMessage]:
        return await sandbox.say(chat, maria, text, as_chat=chat)

    assert "/setup" in only_text(await sandbox.say(chat, alice, "/setup"))  # a rep may not
    assert only_text(await anonymous("/setup")).startswith("✅ crmbot")
    assert only_text(await anonymous(f"/lang {lang}")) == (
        "语言已切换为简体中文。" if lang == "zh" else "Language set to English."
    )
    await sandbox.say(chat, alice, "/lead Acme 50k via distributor Huatai")
    await sandbox.say(chat, alice, "/won Acme 50k")

    stats = only_text(await anonymous("/stats"))
    assert ("¥5万" if lang == "zh" else "¥50,000") in stats
    assert "👤" not in stats  # a manager's view: nobody's own line
    assert "@alice" in only_text(await anonymous("/stats @alice"))
    assert "@alice" in only_text(await anonymous("/leaderboard"))
    assert "10:00" in only_text(await anonymous("/settings hours 10:00-19:00"))
    assert only_text(await anonymous("/settings")).count("10:00") == 1
    assert only_text(await anonymous("/role @alice manager")) == (
        "@alice 现在是经理。" if lang == "zh" else "@alice is now a manager."
    )
    assert "09:00" in only_text(await anonymous("/digest"))
    assert "Europe/Berlin" in only_text(await anonymous("/tz Europe/Berlin"))
    files = await anonymous("/export all")
    assert [m.kind for m in files if m.kind == "document"] == ["document", "document"]

    with session_of(sandbox) as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action != "export")).all()
        by_group = [(r.action, r.detail.get("field")) for r in rows if r.actor_user_id == chat]
        assert ("activate", None) in by_group and ("role", None) in by_group
        assert ("setting", "language") in by_group and ("setting", "timezone") in by_group
        assert all(r.detail["by"] == "anonymous admin" for r in rows if r.actor_user_id == chat)
        assert not any(r.actor_user_id in PLACEHOLDERS for r in rows)
        people = {m.user_id for m in session.exec(select(Member)).all()}
        assert people == {alice.user_id}  # maria only ever wrote as the group
        (alice_row,) = session.exec(select(Member).where(Member.user_id == alice.user_id)).all()
        assert alice_row.role == "manager"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_channel_is_nobodys_manager_and_its_forwards_get_no_reply(
    sandbox: Sandbox, lang: str
) -> None:
    team = await activated(sandbox, lang)
    chat, maria = team.chat_id, team.manager
    sandbox.channel(CHANNEL, "Brand news", admins=[maria], linked_group=chat)
    await sandbox.say(chat, team.alice, "/lead Acme 50k")

    # The channel's own posts arrive as automatic forwards: the group hears nothing of them.
    assert await sandbox.post_in_channel(CHANNEL, maria, "#visit Acme launch day /stats") == []
    assert await sandbox.post_in_channel(CHANNEL, maria, "/lead Globex 10k") == []
    forward = sandbox.emulator.messages(chat)[-1]
    assert forward["is_automatic_forward"] and forward["from"]["id"] == 777000
    # A task asked for in reply to the forward is the asker's: the channel is nobody to own it.
    await sandbox.say(
        chat, team.alice, "/task ask about the launch tomorrow", reply_to=forward["message_id"]
    )
    # Writing as the channel: entries and manager commands alike are someone's, not its.
    for text in ("/lead Globex 10k", "#visit Acme met them", "/stats", "/settings", "/export"):
        assert (
            only_text(await sandbox.say(chat, maria, text, as_chat=CHANNEL)) == (ASK_CHANNEL[lang])
        ), text
    assert "/setup" in only_text(await sandbox.say(chat, maria, "/setup", as_chat=CHANNEL))
    assert await sandbox.say(chat, maria, "new catalogue is out", as_chat=CHANNEL) == []

    with session_of(sandbox) as session:
        assert [c.name for c in session.exec(select(Customer)).all()] == ["Acme"]
        assert session.exec(select(Member).where(col(Member.user_id).in_(PLACEHOLDERS))).all() == []
        assert not session.exec(select(AuditLog).where(AuditLog.actor_user_id == CHANNEL)).all()
        (task,) = session.exec(select(Task)).all()
        owner = session.get(Member, task.owner_id)
        assert owner is not None and owner.user_id == team.alice.user_id
