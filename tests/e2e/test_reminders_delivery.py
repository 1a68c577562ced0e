"""Reminders under pressure: flood control delays them, two bot processes send them once."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from bot.app import build_application
from bot.clock import ManualClock
from models.db import Database
from tests.e2e.conftest import GROUP, Team, make_team
from tgemu.sandbox import Sandbox, sandbox_rate_limiter

REMINDERS = "due_reminders"


async def test_a_burst_of_reminders_is_delayed_never_dropped(
    database_url: str, clock: ManualClock
) -> None:
    # The production rate limiter: ~20 messages a minute per group, 429s waited out.
    async with Sandbox(database_url=database_url, clock=clock, rate_limited=True) as box:
        team = make_team(box)
        await box.say(team.chat_id, team.manager, "/setup")
        reps = [box.person(500 + i, f"Rep{i}", f"rep{i}") for i in range(6)]
        for rep in reps:
            box.emulator.state.chat(team.chat_id).members[rep.user_id] = "member"
            await box.say(team.chat_id, rep, "/task call a customer in 5 minutes")
        clock.advance(timedelta(minutes=10))
        box.emulator.simulate_flood(retry_after=1, times=2, chat_id=team.chat_id)
        started = time.monotonic()
        sent = await box.run_job(REMINDERS)
        waited = time.monotonic() - started
    assert sorted(m.text.split(",")[0] for m in sent) == [f"⏰ @rep{i}" for i in range(6)]
    refused = [c for c in box.emulator.calls if c.method == "sendMessage" and c.error_code == 429]
    assert len(refused) == 2 and waited >= 2.0


async def test_two_bot_processes_send_one_reminder(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/task call Acme in 5 minutes")
    await sandbox.say(chat, active_team.bob, "/task call Globex in 5 minutes")
    clock.advance(timedelta(minutes=10))
    # A second Application with its own engine, against the same database and Bot API.
    second_db = Database(sandbox.database_url)
    second = build_application(
        sandbox.settings(),
        clock=clock,
        db=second_db,
        rate_limiter=sandbox_rate_limiter(),
    )
    await second.initialize()
    try:
        assert second.post_init is not None
        await second.post_init(second)
        assert sandbox.app is not None and sandbox.app.job_queue is not None
        assert second.job_queue is not None
        (mine,) = sandbox.app.job_queue.get_jobs_by_name(REMINDERS)
        (theirs,) = second.job_queue.get_jobs_by_name(REMINDERS)
        before = len(sandbox.emulator.sent(chat))
        await asyncio.gather(mine.run(sandbox.app), theirs.run(second))
        await sandbox.settle()
        reminders = sandbox.emulator.sent(chat)[before:]
        assert sorted(m.text.split(",")[0] for m in reminders) == ["⏰ @alice", "⏰ @bob"]
        await asyncio.gather(mine.run(sandbox.app), theirs.run(second))
        assert len(sandbox.emulator.sent(chat)) == before + 2
    finally:
        await second.shutdown()
        second_db.dispose()


async def test_each_group_is_reminded_in_its_own_language(
    sandbox: Sandbox, active_team: Team, clock: ManualClock
) -> None:
    other = make_team(sandbox, GROUP - 1, lang="zh", offset=1)
    await sandbox.say(other.chat_id, other.manager, "/setup")
    await sandbox.say(other.chat_id, other.manager, "/lang zh")
    await sandbox.say(other.chat_id, other.alice, "/task 给万科打电话 10分钟后")
    await sandbox.say(active_team.chat_id, active_team.alice, "/task call Acme in 10 minutes")
    clock.advance(timedelta(minutes=15))
    sent = await sandbox.run_job(REMINDERS)
    by_chat = {m.chat_id: m for m in sent}
    assert by_chat[other.chat_id].text.startswith("⏰ @alice1，以下任务已到期：")
    assert ("✅ 完成", "r:d:1") in by_chat[other.chat_id].buttons
    assert by_chat[active_team.chat_id].text.startswith("⏰ @alice, overdue:")
