"""Overdue reminders through Telegram: once, at working time, with buttons that edit them.

The clock starts on Tuesday 24 November 2026, 10:00 in Shanghai; jobs run on demand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from bot.clock import ManualClock
from models.tables import Task, TaskStatus
from tests.conftest import SHANGHAI
from tests.e2e.conftest import Team
from tgemu.sandbox import Sandbox

REMINDERS = "due_reminders"
ESCALATIONS = "escalations"
AGENDA = "morning_agenda"


def at(clock: ManualClock, year: int, month: int, day: int, hour: int, minute: int) -> None:
    clock.set(datetime(year, month, day, hour, minute, tzinfo=SHANGHAI))


def tasks_of(sandbox: Sandbox) -> list[Task]:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        return list(session.exec(select(Task).order_by(Task.id)))  # type: ignore[arg-type]


async def test_reminder_arrives_with_buttons_and_done_closes_it(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (reply,) = await sandbox.say(chat, alice, "/task call Acme back tomorrow 10am")
    assert reply.text == "📌 Task #1 for @alice: call Acme back\n⏰ Due Wed 25 Nov 10:00"
    assert await sandbox.run_job(REMINDERS) == []  # not due yet

    clock.advance(timedelta(days=1, minutes=1))
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert reminder.chat_id == chat
    assert reminder.text == "⏰ @alice, overdue:\n🔴 #1 · Wed 25 Nov 10:00 · call Acme back"
    assert reminder.buttons == [
        ("✅ Done", "r:d:1"),
        ("💤 1h", "r:s:1:1h"),
        ("💤 1 day", "r:s:1:1d"),
        ("👤 Reassign", "r:a:1"),
    ]

    assert await sandbox.press(chat, alice, reminder.message_id, "r:d:1") == []
    edited = sandbox.message(chat, reminder.message_id)
    assert edited.text == "⏰ @alice, overdue:\n✅ #1 · call Acme back — done by @alice"
    assert edited.reply_markup is None
    answer = sandbox.emulator.callback_answers[-1]
    assert answer.text == "Task #1 done ✅" and not answer.show_alert
    assert tasks_of(sandbox)[0].status == TaskStatus.DONE
    (listing,) = await sandbox.say(chat, alice, "/tasks")
    assert listing.text == "No open tasks. 🎉"


async def test_only_the_owner_or_a_manager_may_press(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice, bob = active_team.chat_id, active_team.alice, active_team.bob
    await sandbox.say(chat, alice, "/task call Acme back in 1 hour")
    clock.advance(timedelta(hours=2))
    (reminder,) = await sandbox.run_job(REMINDERS)
    await sandbox.press(chat, bob, reminder.message_id, "r:d:1")
    answer = sandbox.emulator.callback_answers[-1]
    assert answer.show_alert and answer.text is not None and "only they or a manager" in answer.text
    assert sandbox.message(chat, reminder.message_id).text == reminder.text
    await sandbox.press(chat, active_team.manager, reminder.message_id, "r:s:1:1d")
    edited = sandbox.message(chat, reminder.message_id)
    assert edited.text.endswith("— snoozed to Wed 25 Nov 12:00 by @maria")


async def test_several_overdue_tasks_come_as_one_message(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice, bob = active_team.chat_id, active_team.alice, active_team.bob
    for what in ("call Acme", "send samples to Globex", "visit Initech"):
        await sandbox.say(chat, alice, f"/task {what} tomorrow 9am")
    await sandbox.say(chat, bob, "/task quote for Umbrella tomorrow 9:30")
    at(clock, 2026, 11, 25, 10, 0)
    sent = await sandbox.run_job(REMINDERS)
    assert len(sent) == 2
    alices = next(m for m in sent if m.text.startswith("⏰ @alice"))
    assert len(alices.text.splitlines()) == 4
    assert [data for _, data in alices.buttons if data and data.startswith("r:d:")] == [
        "r:d:1",
        "r:d:2",
        "r:d:3",
    ]
    # Closing one keeps the others' buttons and lines.
    await sandbox.press(chat, alice, alices.message_id, "r:d:2")
    edited = sandbox.message(chat, alices.message_id)
    assert edited.text.splitlines()[2] == "✅ #2 · send samples to Globex — done by @alice"
    assert edited.text.splitlines()[1].startswith("🔴 #1")
    assert [data for _, data in edited.buttons if data and data.startswith("r:d:")] == [
        "r:d:1",
        "r:d:3",
    ]


async def test_a_restart_does_not_remind_twice(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/task call Acme in 30 minutes")
    clock.advance(timedelta(hours=1))
    assert len(await sandbox.run_job(REMINDERS)) == 1
    await sandbox.stop_bot()
    await sandbox.start_bot()
    assert await sandbox.run_job(REMINDERS) == []
    assert len(sandbox.emulator.sent(chat)) == 3  # the task, the reminder, nothing more


async def test_what_fell_due_while_down_is_reminded_once_when_back(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/task call Acme tomorrow 11am")
    await sandbox.say(chat, alice, "/task mail Globex tomorrow 2pm")
    await sandbox.stop_bot()
    at(clock, 2026, 11, 25, 16, 0)
    await sandbox.start_bot()
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert "#1" in reminder.text and "#2" in reminder.text
    assert await sandbox.run_job(REMINDERS) == []


async def test_quiet_hours_and_the_weekend(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    (reply,) = await sandbox.say(chat, alice, "/task send the contract friday 11pm")
    assert "Fri 27 Nov 23:00" in reply.text
    for moment in ((2026, 11, 27, 23, 30), (2026, 11, 28, 10, 0), (2026, 11, 30, 8, 59)):
        at(clock, *moment)
        assert await sandbox.run_job(REMINDERS) == []
    at(clock, 2026, 11, 30, 9, 0)
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert "Fri 27 Nov 23:00 · send the contract" in reminder.text


async def test_snooze_rearms_the_reminder(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/task call Acme in 10 minutes")
    clock.advance(timedelta(minutes=15))
    (first,) = await sandbox.run_job(REMINDERS)
    await sandbox.press(chat, alice, first.message_id, "r:s:1:1h")
    assert sandbox.emulator.callback_answers[-1].text == "Task #1 snoozed to Tue 24 Nov 11:15"
    assert sandbox.message(chat, first.message_id).reply_markup is None
    clock.advance(timedelta(minutes=59))
    assert await sandbox.run_job(REMINDERS) == []
    clock.advance(timedelta(minutes=1))
    (second,) = await sandbox.run_job(REMINDERS)
    assert second.message_id != first.message_id and "🔴 #1 · Tue 24 Nov 11:15" in second.text
    # /snooze works the same way from the command line.
    (reply,) = await sandbox.say(chat, alice, "/snooze 1 tomorrow 3pm")
    assert reply.text == "💤 Task #1 snoozed to Wed 25 Nov 15:00."
    at(clock, 2026, 11, 25, 15, 0)
    assert len(await sandbox.run_job(REMINDERS)) == 1


async def test_reassign_from_the_reminder(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice, bob = active_team.chat_id, active_team.alice, active_team.bob
    await sandbox.say(chat, bob, "hi")  # bob has written in the group: he is a member
    await sandbox.say(chat, alice, "/task call Acme in 10 minutes")
    clock.advance(timedelta(minutes=15))
    (reminder,) = await sandbox.run_job(REMINDERS)
    await sandbox.press(chat, alice, reminder.message_id, "r:a:1")
    picker = sandbox.message(chat, reminder.message_id)
    to_bob = next(data for text, data in picker.buttons if text == "@bob")
    assert to_bob is not None
    await sandbox.press(chat, alice, reminder.message_id, to_bob)
    edited = sandbox.message(chat, reminder.message_id)
    assert edited.text.endswith("➡️ #1 · call Acme — handed to @bob by @alice")
    assert edited.reply_markup is None
    clock.advance(timedelta(minutes=1))
    (again,) = await sandbox.run_job(REMINDERS)
    assert again.text.startswith("⏰ @bob, overdue:")


async def test_task_for_someone_else_and_reassign_command(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice, bob = active_team.chat_id, active_team.alice, active_team.bob
    said = await sandbox.emulator.send_message(chat, bob.user_id, "I can visit them")
    await sandbox.settle()
    (reply,) = await sandbox.say(
        chat, alice, "/task visit Initech friday", reply_to=int(said["message_id"])
    )
    assert reply.text.startswith("📌 Task #1 for @bob: visit Initech")
    (reply,) = await sandbox.say(chat, alice, "/task call Acme tomorrow @bob")
    assert reply.text.startswith("📌 Task #2 for @bob: call Acme")
    (reply,) = await sandbox.say(chat, alice, "/reassign 2 @alice")
    assert reply.text.startswith("Task #2 belongs to someone else")
    (reply,) = await sandbox.say(chat, bob, "/reassign 2 @alice")
    assert reply.text == "➡️ Task #2 now belongs to @alice: call Acme"
    (reply,) = await sandbox.say(chat, alice, "/task")
    assert reply.text.startswith("Usage: /task WHAT WHEN [@user]")
    (reply,) = await sandbox.say(chat, alice, "/snooze 2 yesterday")
    assert reply.text.startswith("Usage: /snooze ID 2h")
    (reply,) = await sandbox.say(chat, alice, "/done 99999999999999999999")
    assert reply.text.startswith("Usage: /done ID")
    (reply,) = await sandbox.say(chat, alice, "/task call Zed tomorrow @nobody")
    assert "don't know @nobody" in reply.text


async def test_untagged_member_is_mentioned_by_link(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat = active_team.chat_id
    carol = sandbox.person(400, "Carol <3", "")
    sandbox.emulator.state.chat(chat).members[carol.user_id] = "member"
    await sandbox.say(chat, carol, "/task call Acme in 5 minutes")
    clock.advance(timedelta(minutes=10))
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert reminder.text.startswith("⏰ Carol <3, overdue:")
    assert '<a href="tg://user?id=400">Carol &lt;3</a>' in reminder.html


async def test_escalation_reaches_managers_once(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/task call Acme today 11am")
    at(clock, 2026, 11, 26, 16, 59)  # Thursday: 23 working hours after Tuesday 11:00
    assert await sandbox.run_job(ESCALATIONS) == []
    at(clock, 2026, 11, 26, 17, 0)
    (escalation,) = await sandbox.run_job(ESCALATIONS)
    assert escalation.text.splitlines() == [
        "⚠️ @maria: overdue by more than 24 working hours",
        "🔴 #1 · due Tue 24 Nov 11:00 · call Acme · @alice",
    ]
    clock.advance(timedelta(hours=3))
    assert await sandbox.run_job(ESCALATIONS) == []


async def test_morning_agenda_and_settings(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, manager, alice = active_team.chat_id, active_team.manager, active_team.alice
    (reply,) = await sandbox.say(chat, alice, "/settings agenda on")
    assert reply.text == (
        "The team's settings are for managers; /tasks shows your tasks and when they are due."
    )
    (reply,) = await sandbox.say(chat, manager, "/settings agenda on")
    assert reply.text.startswith("✅ Saved.") and "Morning agenda: on" in reply.text
    (reply,) = await sandbox.say(chat, manager, "/settings hours 08:30-17:30")
    assert "Working hours: 08:30–17:30 (Asia/Shanghai)" in reply.text
    (reply,) = await sandbox.say(chat, manager, "/settings hours 18:00-09:00")
    assert reply.text.startswith("Usage: /settings hours 09:00-18:00")
    await sandbox.say(chat, alice, "/task call Acme tomorrow 3pm")
    at(clock, 2026, 11, 25, 8, 29)
    assert await sandbox.run_job(AGENDA) == []
    at(clock, 2026, 11, 25, 8, 30)
    (agenda,) = await sandbox.run_job(AGENDA)
    assert agenda.text.splitlines() == [
        "☀️ Today's tasks · 25 Nov 2026",
        "@alice (1)",
        "  • #1 · Wed 25 Nov 15:00 · call Acme",
    ]
    assert await sandbox.run_job(AGENDA) == []
    await sandbox.stop_bot()
    await sandbox.start_bot()
    assert await sandbox.run_job(AGENDA) == []


async def test_settings_in_chinese(sandbox: Sandbox, active_team: Team) -> None:
    chat, manager = active_team.chat_id, active_team.manager
    await sandbox.say(chat, manager, "/lang zh")
    (reply,) = await sandbox.say(chat, manager, "/settings days 1-6")
    assert "工作日：周一–周六" in reply.text
    (reply,) = await sandbox.say(chat, manager, "/settings remind 私聊")
    assert "私聊提醒" in reply.text
    (reply,) = await sandbox.say(chat, manager, "/settings escalate lots")
    assert reply.text.startswith("用法：/settings escalate 24")


async def test_private_reminders_and_the_group_fallback(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice, bob = active_team.chat_id, active_team.alice, active_team.bob
    await sandbox.say(chat, active_team.manager, "/settings remind private")
    await sandbox.say(chat, alice, "/task call Acme in 5 minutes")
    await sandbox.say(chat, bob, "/task call Globex in 5 minutes")
    await sandbox.emulator.start_private(alice.user_id)
    await sandbox.settle()
    clock.advance(timedelta(minutes=10))
    sent = await sandbox.run_job(REMINDERS)
    private = next(m for m in sent if m.chat_id == alice.user_id)
    assert private.text.startswith(f"⏰ Overdue in Sales {chat}:")
    group = next(m for m in sent if m.chat_id == chat)
    assert group.text.startswith("⏰ @bob, overdue:")
    # Done pressed in private closes the task of the group's team.
    await sandbox.press(alice.user_id, alice, private.message_id, "r:d:1")
    assert "done by @alice" in sandbox.message(alice.user_id, private.message_id).text
    # Alice blocks the bot: her next reminder comes in the group.
    await sandbox.emulator.block_bot(alice.user_id)
    await sandbox.settle()
    await sandbox.say(chat, alice, "/task call Initech in 5 minutes")
    clock.advance(timedelta(minutes=10))
    (fallback,) = await sandbox.run_job(REMINDERS)
    assert fallback.chat_id == chat and fallback.text.startswith("⏰ @alice, overdue:")


async def test_commands_update_the_reminder_buttons(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice, bob = active_team.chat_id, active_team.alice, active_team.bob
    await sandbox.say(chat, alice, "/task call Acme in 5 minutes")
    await sandbox.say(chat, alice, "/task mail Globex in 5 minutes")
    await sandbox.say(chat, bob, "/task visit Initech in 5 minutes")
    clock.advance(timedelta(minutes=10))
    sent = await sandbox.run_job(REMINDERS)
    reminder = next(m for m in sent if m.text.startswith("⏰ @alice"))
    (reply,) = await sandbox.say(chat, alice, "/done 1")
    assert reply.text.startswith("✅ Task #1 done")
    buttons = sandbox.message(chat, reminder.message_id).buttons
    assert [data for _, data in buttons] == ["r:d:2", "r:s:2:1h", "r:s:2:1d", "r:a:2"]
    assert buttons[0][0] == "✅ Done"
    # A rep's /tasks overdue lists their own overdue tasks.
    (listing,) = await sandbox.say(chat, bob, "/tasks overdue")
    assert listing.text.splitlines()[0] == "Overdue tasks (1)"
    assert "visit Initech" in listing.text and "Globex" not in listing.text
    (listing,) = await sandbox.say(chat, active_team.manager, "/tasks overdue")
    assert listing.text.splitlines()[0] == "Overdue tasks (2)"


async def test_follow_up_of_a_customer_is_reminded_with_its_name(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, bob = active_team.chat_id, active_team.bob
    await sandbox.say(chat, bob, "/lead Globex 120k")
    await sandbox.say(chat, bob, "/fu Globex tomorrow 3pm send samples")
    clock.advance(timedelta(days=1, hours=6))
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert reminder.text == "⏰ @bob, overdue:\n🔴 #1 · Wed 25 Nov 15:00 · Globex — send samples"


async def test_a_press_on_a_message_telegram_no_longer_shows_is_drawn_from_the_database(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    for what in ("call Acme", "send samples to Globex"):
        await sandbox.say(chat, alice, f"/task {what} tomorrow 9am")
    at(clock, 2026, 11, 25, 10, 0)
    (reminder,) = await sandbox.run_job(REMINDERS)
    # Telegram sends only the chat and id of an old message: the task is closed all the same.
    await sandbox.press(chat, alice, reminder.message_id, "r:d:2", inaccessible=True)
    answer = sandbox.emulator.callback_answers[-1]
    assert answer.text == "Task #2 done ✅" and not answer.show_alert
    edited = sandbox.message(chat, reminder.message_id)
    assert edited.text.splitlines() == [
        "✅ #2 · send samples to Globex — done by @alice",
        "🔴 #1 · Wed 25 Nov 09:00 · call Acme",
    ]
    assert [data for _, data in edited.buttons if data and data.startswith("r:d:")] == ["r:d:1"]
    assert [t.status for t in tasks_of(sandbox)] == [TaskStatus.OPEN, TaskStatus.DONE]


async def test_a_press_on_a_message_without_its_text_in_chinese(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, manager, alice = active_team.chat_id, active_team.manager, active_team.alice
    await sandbox.say(chat, manager, "/lang zh")
    await sandbox.say(chat, alice, "/task 给华泰打电话 明天9点")
    at(clock, 2026, 11, 25, 10, 0)
    (reminder,) = await sandbox.run_job(REMINDERS)
    await sandbox.press(chat, alice, reminder.message_id, "r:s:1:1d", inaccessible=True)
    answer = sandbox.emulator.callback_answers[-1]
    assert not answer.show_alert and (answer.text or "").startswith("任务 #1")
    edited = sandbox.message(chat, reminder.message_id)
    assert edited.text == "💤 #1 · 给华泰打电话 — @alice 推迟到 11月26日(周四) 10:00"


async def test_a_lost_customer_is_reminded_no_more_and_undo_brings_its_follow_up_back(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/lead Acme 50k")
    await sandbox.say(chat, alice, "/fu Acme tomorrow 10am send the quote")
    (card,) = await sandbox.say(chat, alice, "/lost Acme went with a competitor")
    assert card.text == (
        "❌ Lost · Acme\n"
        "Owner @alice · ¥50,000 · reason: went with a competitor\n"
        "🗑 Its open follow-up is cancelled (↩️ Undo reopens it)"
    )
    (listing,) = await sandbox.say(chat, alice, "/tasks")
    assert listing.text == "No open tasks. 🎉"
    clock.advance(timedelta(days=1, minutes=1))
    assert await sandbox.run_job(REMINDERS) == []  # nobody chases a lost customer

    await sandbox.press(chat, alice, card.message_id, card.buttons[0][1])  # ↩️ Undo
    assert sandbox.message(chat, card.message_id).text.startswith("↩️ Undone")
    (profile,) = await sandbox.say(chat, alice, "/customer Acme")
    assert "stage Lead" in profile.text and "¥50,000 · open" in profile.text
    (reminder,) = await sandbox.run_job(REMINDERS)
    assert reminder.text == "⏰ @alice, overdue:\n🔴 #1 · Wed 25 Nov 10:00 · Acme — send the quote"


async def test_a_loss_says_in_chinese_which_follow_ups_it_cancelled(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, active_team.manager, "/lang zh")
    await sandbox.say(chat, alice, "/fu 华为 明天上午10点 发报价")
    await sandbox.say(chat, alice, "/fu 华为 下周一 回访")
    (card,) = await sandbox.say(chat, alice, "/lost 华为 价格太高")
    assert card.text.splitlines()[-1] == "🗑 已取消其 2 个待办跟进（↩️ 撤销可恢复）"
    (listing,) = await sandbox.say(chat, alice, "/tasks")
    assert "华为" not in listing.text
