"""A basic group upgraded to a supergroup keeps its team; the bot removed and added back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.i18n import t
from models.tables import AuditLog, Customer
from models.tables import Team as TeamRow
from reminders.digest import JOB as DIGEST
from tests.conftest import SHANGHAI
from tests.e2e.conftest import make_team
from tgemu.sandbox import Sandbox

REMINDERS = "due_reminders"
BASIC = -4000000001
SUPER = -1004000000001
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
NEXT_MONDAY = datetime(2026, 12, 7, 9, 5, tzinfo=SHANGHAI)
SAYS = {
    "en": {
        "tasks": "Your open tasks (1)\n#1 · Mon 30 Nov 11:00 · call Acme back",
        "reminder": "⏰ @alice, overdue:",
        "digest": "📊 Weekly digest · 30 Nov – 6 Dec 2026",
        "leads": "leads 2 (▲2)",
    },
    "zh": {
        "tasks": "我的待办（1）\n#1 · 11月30日(周一) 11:00 · call Acme back",
        "reminder": "⏰ @alice，以下任务已到期：",
        "digest": "📊 渠道周报 · 2026年11月30日–12月6日",
        "leads": "线索 2 (▲2)",
    },
}
OVERDUE = "Your open tasks (1)\n🔴 #1 · Mon 30 Nov 11:00 · call Acme back"


def sends(sandbox: Sandbox, chat_id: int) -> list[Any]:
    return [c for c in sandbox.emulator.calls if c.method == "sendMessage" and c.chat_id == chat_id]


def teams_and_upgrades(sandbox: Sandbox) -> tuple[list[tuple[int, int, bool]], int]:
    assert sandbox.db is not None
    with sandbox.db.session() as s:
        rows = s.exec(select(TeamRow).order_by(col(TeamRow.id)))
        teams = [(team.id, team.chat_id, team.bot_present) for team in rows]
        upgrades = s.exec(select(AuditLog).where(AuditLog.action == "upgrade")).all()
    return teams, len(upgrades)


async def start(sandbox: Sandbox, clock: ManualClock, lang: str = "en") -> Any:
    """A basic group: active, a lead's card, and a task due in an hour (its reminder pending)."""
    team = make_team(sandbox, BASIC, lang=lang, basic=True)
    clock.set(MONDAY)
    await sandbox.say(BASIC, team.manager, "/setup")
    (card,) = await sandbox.say(BASIC, team.alice, "/lead Acme 50k")
    assert "Acme" in card.text
    await sandbox.say(BASIC, team.alice, "/task call Acme back in 1 hour")
    return team


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_upgraded_group_carries_on_in_the_supergroup(
    sandbox: Sandbox, clock: ManualClock, lang: str
) -> None:
    says = SAYS[lang]
    team = await start(sandbox, clock, lang)
    (before,), _ = teams_and_upgrades(sandbox)
    sent_before = len(sends(sandbox, BASIC))

    await sandbox.emulator.upgrade_group(BASIC, team.manager.user_id, SUPER)
    await sandbox.settle()

    # Both service messages were seen; the team moved once, same row, same data.
    assert teams_and_upgrades(sandbox) == ([(before[0], SUPER, True)], 1)
    (tasks,) = await sandbox.say(SUPER, team.alice, "/tasks")
    assert tasks.text == says["tasks"]
    (acme,) = await sandbox.say(SUPER, team.bob, "/customer Acme")
    assert acme.text.startswith("👤 Acme\n") and "@alice" in acme.text
    (card,) = await sandbox.say(SUPER, team.bob, "/lead Globex 10k")
    assert "Globex" in card.text and card.message_id < 10  # the supergroup counts afresh

    clock.advance(timedelta(hours=2))
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert (reminder.chat_id, reminder.text.splitlines()[0]) == (SUPER, says["reminder"])
    assert "#1" in reminder.text

    clock.set(NEXT_MONDAY)
    digest = [m for m in await sandbox.run_job(DIGEST) if m.text]
    assert [(m.chat_id, m.text.splitlines()[0]) for m in digest] == [(SUPER, says["digest"])]
    assert says["leads"] in digest[0].text  # Acme, logged before, and Globex, after
    # Nothing went to the old id after the upgrade: no refused call first.
    assert len(sends(sandbox, BASIC)) == sent_before
    assert sandbox.db is not None
    with sandbox.db.session() as s:
        assert len(s.exec(select(Customer)).all()) == 2


async def test_a_send_refused_before_the_upgrade_is_seen_moves_the_team(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    """Telegram is slow with the service messages: the reminder's refusal moves the team."""
    team = await start(sandbox, clock)
    await sandbox.stop_bot()
    await sandbox.emulator.upgrade_group(BASIC, team.manager.user_id, SUPER)
    held = sandbox.emulator.hold_updates()
    assert len(held) == 2
    await sandbox.start_bot()
    clock.advance(timedelta(hours=2))
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert reminder.chat_id == SUPER and reminder.text.startswith("⏰ @alice, overdue:")
    refused = sends(sandbox, BASIC)[-1]
    assert (refused.ok, refused.error_code) == (False, 400)
    (moved,), upgrades = teams_and_upgrades(sandbox)
    assert (moved[1], upgrades) == (SUPER, 1)

    for update_id in held:  # the service messages, late: nothing more happens
        sandbox.emulator.redeliver(update_id)
    (tasks,) = await sandbox.say(SUPER, team.alice, "/tasks")  # handled after them
    assert sandbox.emulator.delivered_update_id > max(held)
    assert teams_and_upgrades(sandbox) == ([moved], 1)
    assert tasks.text == OVERDUE
    clock.advance(timedelta(hours=2))
    assert await sandbox.run_job(REMINDERS) == []  # reminded once, not again after the move


async def test_a_team_made_in_the_supergroup_first_joins_the_groups_team(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    """The upgrade went unseen and an admin sent /setup in the supergroup: on the first send
    refused for the old id, that empty team gives way to the group's team with its data."""
    team = await start(sandbox, clock)
    await sandbox.stop_bot()
    await sandbox.emulator.upgrade_group(BASIC, team.manager.user_id, SUPER)
    sandbox.emulator.hold_updates()  # never delivered
    await sandbox.start_bot()
    (fresh,) = await sandbox.say(SUPER, team.manager, "/setup")
    assert fresh.text.startswith("✅ crmbot is active")
    (empty,) = await sandbox.say(SUPER, team.alice, "/tasks")
    assert "#1" not in empty.text
    (old, _), _ = teams_and_upgrades(sandbox)

    clock.advance(timedelta(hours=2))
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert reminder.chat_id == SUPER
    assert teams_and_upgrades(sandbox) == ([(old[0], SUPER, True)], 1)
    (tasks,) = await sandbox.say(SUPER, team.alice, "/tasks")
    assert tasks.text == OVERDUE
    (reply,) = await sandbox.say(SUPER, team.manager, "/setup")
    assert reply.text.startswith("crmbot is already active here")


async def test_a_reminder_sent_before_the_upgrade_is_not_edited_in_the_supergroup(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    """Message ids start afresh in the supergroup: the old reminder's id is another message."""
    team = await start(sandbox, clock)
    clock.advance(timedelta(hours=2))
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert reminder.chat_id == BASIC
    await sandbox.emulator.upgrade_group(BASIC, team.manager.user_id, SUPER)
    await sandbox.settle()
    while not any(m.message_id >= reminder.message_id for m in sandbox.emulator.sent(SUPER)):
        await sandbox.say(SUPER, team.bob, "/tasks")
    (same_id,) = [m for m in sandbox.emulator.sent(SUPER) if m.message_id == reminder.message_id]
    (done,) = await sandbox.say(SUPER, team.alice, "/done 1")
    assert "#1" in done.text and done.chat_id == SUPER
    edits = [
        (c.chat_id, c.ok)
        for c in sandbox.emulator.calls
        if c.method.startswith("edit") and int(c.params["message_id"]) == same_id.message_id
    ]
    assert edits == [(BASIC, False)]  # tried where the reminder is, refused, never followed


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_bot_removed_pauses_the_team_and_added_back_resumes_it(
    sandbox: Sandbox, clock: ManualClock, lang: str
) -> None:
    team = make_team(sandbox, lang=lang)
    chat = team.chat_id
    clock.set(MONDAY)
    await sandbox.say(chat, team.manager, "/setup")
    await sandbox.say(chat, team.alice, "/lead Acme 50k")
    await sandbox.say(chat, team.alice, "/task call Acme back in 1 hour")
    await sandbox.emulator.remove_bot_from_group(chat, team.manager.user_id)
    await sandbox.settle()
    (removed,), _ = teams_and_upgrades(sandbox)
    assert removed[1:] == (chat, False)

    clock.advance(timedelta(hours=2))
    assert await sandbox.run_job(REMINDERS) == []
    clock.set(NEXT_MONDAY)
    assert await sandbox.run_job(DIGEST) == []

    replies = await sandbox.add_bot(chat, team.manager)
    assert [r.text for r in replies] == [t(lang, "welcome.back")]
    assert teams_and_upgrades(sandbox)[0] == [(removed[0], chat, True)]
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert reminder.chat_id == chat and "#1" in reminder.text
    digest = [m for m in await sandbox.run_job(DIGEST) if m.text]
    assert [m.text.splitlines()[0] for m in digest] == [SAYS[lang]["digest"]]
    (tasks,) = await sandbox.say(chat, team.alice, "/tasks")
    assert tasks.text.endswith("#1 " + SAYS[lang]["tasks"].split("#1 ")[1])  # now overdue


async def test_a_team_never_activated_hears_the_first_welcome_again(sandbox: Sandbox) -> None:
    team = make_team(sandbox)
    await sandbox.say(team.chat_id, team.alice, "hello")
    await sandbox.emulator.remove_bot_from_group(team.chat_id, team.manager.user_id)
    await sandbox.settle()
    (welcome,) = await sandbox.add_bot(team.chat_id, team.manager)
    assert welcome.text.startswith("👋 Hi, I'm crmbot, this team's CRM assistant.")
