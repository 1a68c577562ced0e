"""The weekly digest through Telegram: on demand, on schedule exactly once, settings, topics."""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
import time
from datetime import datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.services.teams import DEFAULT_STAGES
from models.tables import Team as TeamRow
from reminders.digest import JOB
from tests.conftest import SHANGHAI
from tests.e2e.conftest import Team
from tests.e2e.test_stats import without_entry_edits
from tgemu import SentMessage
from tgemu.sandbox import TOKEN, Sandbox

# The team starts on Tuesday 17 Nov and logs on Wednesday 18 Nov; the tests' clock then
# stands on Tuesday 24 Nov 10:00, after the Monday 09:00 digest time of 16–22 Nov.
SETUP = datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI)
LOGGED = datetime(2026, 11, 18, 11, 0, tzinfo=SHANGHAI)
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
PNG = b"\x89PNG\r\n\x1a\n"


async def start_team(sandbox: Sandbox, clock: ManualClock, team: Team, *, log: bool = True) -> Team:
    clock.set(SETUP)
    (reply,) = await sandbox.say(team.chat_id, team.manager, "/setup")
    assert "active" in reply.text
    if log:
        clock.set(LOGGED)
        for who, text in [
            (team.alice, "/lead Acme 50k via distributor Huatai"),
            (team.alice, "/visit Acme"),
            (team.bob, "/lead Globex 120k"),
            (team.bob, "/won Globex 120k"),
        ]:
            await sandbox.say(team.chat_id, who, text)
    clock.set(NOW)
    return team


@pytest.fixture
async def weekly_team(sandbox: Sandbox, clock: ManualClock, team: Team) -> Team:
    return await start_team(sandbox, clock, team)


def digests(messages: list[SentMessage], chat_id: int) -> list[SentMessage]:
    return [m for m in messages if m.chat_id == chat_id and m.text.startswith("📊 Weekly digest")]


async def test_digest_last_for_managers(sandbox: Sandbox, weekly_team: Team) -> None:
    text, chart = await sandbox.say(weekly_team.chat_id, weekly_team.manager, "/digest last")
    assert text.text.splitlines()[:4] == [
        "📊 Weekly digest · 16–22 Nov 2026",
        "Distributor · leads 1 (▲1) · visits 1 (▲1) · won 0 · ¥0",
        "No channel · leads 1 (▲1) · visits 0 · won 1 · ¥120,000 (▲¥120k)",
        "Total · leads 2 (▲2) · visits 1 (▲1) · won 1 · ¥120,000 (▲¥120k)",
    ]
    assert "🏆 Top reps: @bob ¥120k (won 1, visits 0) · @alice ¥0 (won 0, visits 1)" in (
        text.text.splitlines()
    )
    assert chart.kind == "photo" and chart.content is not None and chart.content[:8] == PNG
    # On demand is not the weekly send: the scheduled digest still goes out.
    assert len(digests(await sandbox.run_job(JOB), weekly_team.chat_id)) == 1


async def test_an_edited_digest_command_does_not_run_again(
    sandbox: Sandbox, weekly_team: Team
) -> None:
    chat, maria = weekly_team.chat_id, weekly_team.manager
    text, chart = await sandbox.say(chat, maria, "/digest last")
    assert text.text.startswith("📊 Weekly digest") and chart.kind == "photo"
    asked = sandbox.last_message_id
    assert await sandbox.edit(chat, maria, asked, "/digest now") == []
    without_entry_edits(sandbox)
    assert await sandbox.edit(chat, maria, asked, "/digest now") == []
    assert await sandbox.edit(chat, maria, asked, "/digest off") == []
    (settings,) = await sandbox.say(chat, maria, "/digest")
    assert settings.text.splitlines()[0].startswith("🗓 Weekly digest: on ·")


# This week so far: the clock stands on Wednesday 2 Dec 2026 15:00; last week's Monday to
# Wednesday is what it is compared with, not last week's Thursday.
WEDNESDAY = datetime(2026, 12, 2, 15, 0, tzinfo=SHANGHAI)


async def log_two_weeks(sandbox: Sandbox, clock: ManualClock, team: Team) -> None:
    """Last week: Acme's lead and visit on Tuesday, Initech's lead on Thursday; this week:
    Globex's lead and win on Monday, two visits to Acme on Tuesday and Wednesday morning."""
    chat, alice, bob = team.chat_id, team.alice, team.bob
    clock.set(datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI))
    (reply,) = await sandbox.say(chat, team.manager, "/setup")
    assert "active" in reply.text
    for when, who, text in [
        (datetime(2026, 11, 24, 10, 0), alice, "/lead Acme 50k via distributor Huatai"),
        (datetime(2026, 11, 24, 11, 0), alice, "/visit Acme"),
        (datetime(2026, 11, 26, 10, 0), alice, "/lead Initech via distributor"),
        (datetime(2026, 11, 30, 10, 0), bob, "/lead Globex 120k"),
        (datetime(2026, 11, 30, 16, 0), bob, "/won Globex 120k"),
        (datetime(2026, 12, 1, 10, 0), alice, "/visit Acme"),
        (datetime(2026, 12, 2, 9, 0), alice, "/visit Acme"),
    ]:
        clock.set(when.replace(tzinfo=SHANGHAI))
        await sandbox.say(chat, who, text)
    clock.set(WEDNESDAY)


async def test_digest_now_is_this_week_so_far(
    sandbox: Sandbox, clock: ManualClock, team: Team
) -> None:
    await log_two_weeks(sandbox, clock, team)
    text, chart = await sandbox.say(team.chat_id, team.manager, "/digest now")
    assert text.text.splitlines()[:5] == [
        "📊 This week so far · 30 Nov – 2 Dec 2026",
        "Distributor · leads 0 (▼1) · visits 2 (▲1) · won 0 · ¥0",
        "No channel · leads 1 (▲1) · visits 0 · won 1 · ¥120,000 (▲¥120k)",
        "Total · leads 1 · visits 2 (▲1) · won 1 · ¥120,000 (▲¥120k)",
        "(▲▼ against the same days of last week)",
    ]
    assert chart.kind == "photo" and chart.reply_to_message_id == text.message_id
    # The last full week is still there, as it was posted on Monday.
    text, _ = await sandbox.say(team.chat_id, team.manager, "/digest last")
    assert text.text.splitlines()[:2] == [
        "📊 Weekly digest · 23–29 Nov 2026",
        "Distributor · leads 2 (▲2) · visits 1 (▲1) · won 0 · ¥0",
    ]


async def test_digest_now_in_chinese(sandbox: Sandbox, clock: ManualClock, team: Team) -> None:
    await log_two_weeks(sandbox, clock, team)
    await sandbox.say(team.chat_id, team.manager, "/lang zh")
    text, chart = await sandbox.say(team.chat_id, team.manager, "/digest 本周")
    lines = text.text.splitlines()
    assert lines[0] == "📊 本周至今 · 2026年11月30日–12月2日"
    assert "（▲▼ 为与上周同期相比）" in lines
    assert chart.kind == "photo"
    text, _ = await sandbox.say(team.chat_id, team.manager, "/digest 上周")
    assert text.text.splitlines()[0] == "📊 渠道周报 · 2026年11月23日–29日"


async def test_a_busy_week_is_never_reported_as_empty(
    sandbox: Sandbox, clock: ManualClock, team: Team
) -> None:
    """A team set up on Monday logs all week: /digest now shows it any day, the digest of
    the next Monday reports it, and the week before it (before the team) is not posted."""
    chat = team.chat_id
    clock.set(datetime(2026, 11, 30, 9, 30, tzinfo=SHANGHAI))
    await sandbox.say(chat, team.manager, "/setup")
    assert await sandbox.run_job(JOB) == []  # 23–29 Nov was before the team
    for day, name in enumerate(["Acme", "Globex", "Initech", "Umbrella", "Hooli"]):
        clock.set(datetime(2026, 11, 30, 11, 0, tzinfo=SHANGHAI) + timedelta(days=day))
        await sandbox.say(chat, team.alice, f"/lead {name} 10k via distributor")
        await sandbox.say(chat, team.bob, f"/visit {name}")
        text, _ = await sandbox.say(chat, team.manager, "/digest now")
        assert text.text.splitlines()[0].startswith("📊 This week so far")
        assert f"leads {day + 1}" in text.text.splitlines()[1]
    clock.set(datetime(2026, 12, 7, 9, 5, tzinfo=SHANGHAI))
    sent = await sandbox.run_job(JOB)
    (posted,) = digests(sent, chat)
    assert posted.text.splitlines()[:2] == [
        "📊 Weekly digest · 30 Nov – 6 Dec 2026",
        "Distributor · leads 5 (▲5) · visits 5 (▲5) · won 0 · ¥0",
    ]
    text, _ = await sandbox.say(chat, team.manager, "/digest last")
    assert text.text.splitlines()[0] == "📊 Weekly digest · 30 Nov – 6 Dec 2026"
    (empty,) = await sandbox.say(chat, team.manager, "/digest now")
    assert empty.text == "📭 This week so far · Mon 7 Dec 2026: no activity logged yet."


@pytest.mark.parametrize(
    ("lang", "next_line", "title"),
    [
        ("en", "Next: 27 Nov 2026 17:30", "📊 Weekly digest · 16–22 Nov 2026"),
        ("zh", "下次：2026年11月27日 17:30", "📊 渠道周报 · 2026年11月16日–22日"),
    ],
)
async def test_next_is_the_digest_that_will_be_posted(
    sandbox: Sandbox, clock: ManualClock, team: Team, lang: str, next_line: str, title: str
) -> None:
    """A team set up on Tuesday with Friday digests: this Friday's would report the week
    before the team, which the job never posts; Next names the Friday after."""
    chat, maria = team.chat_id, team.manager
    clock.set(SETUP)  # Tuesday 17 Nov
    await sandbox.say(chat, maria, "/setup")
    if lang == "zh":
        await sandbox.say(chat, maria, "/lang zh")
    (reply,) = await sandbox.say(chat, maria, "/digest settings day fri time 17:30")
    assert reply.text.splitlines()[-1] == next_line
    await sandbox.say(chat, team.alice, "/lead Acme 50k")
    clock.set(datetime(2026, 11, 20, 17, 35, tzinfo=SHANGHAI))  # this Friday
    assert await sandbox.run_job(JOB) == []
    (reply,) = await sandbox.say(chat, maria, "/digest")
    assert reply.text.splitlines()[-1] == next_line
    clock.set(datetime(2026, 11, 27, 17, 35, tzinfo=SHANGHAI))
    (posted, chart) = await sandbox.run_job(JOB)
    assert posted.text.splitlines()[0] == title and chart.kind == "photo"


async def test_next_after_this_weeks_digest_went_out(
    sandbox: Sandbox, clock: ManualClock, weekly_team: Team
) -> None:
    chat, maria = weekly_team.chat_id, weekly_team.manager
    assert len(digests(await sandbox.run_job(JOB), chat)) == 1  # Monday's, on Tuesday
    # Moved to Friday after this week's went out: the week is done; the next is next Friday.
    (reply,) = await sandbox.say(chat, maria, "/digest settings day fri time 17:30")
    assert reply.text.splitlines()[-1] == "Next: 4 Dec 2026 17:30"
    clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=SHANGHAI))
    assert await sandbox.run_job(JOB) == []
    (reply,) = await sandbox.say(chat, maria, "/digest off")
    assert reply.text.splitlines()[-1] == "Next: none while the digest is off"


async def test_scheduled_digest_is_sent_once_across_runs_and_restarts(
    sandbox: Sandbox, clock: ManualClock, weekly_team: Team
) -> None:
    chat = weekly_team.chat_id
    clock.set(NOW - timedelta(days=1, hours=1, minutes=1))  # Monday 08:59
    assert await sandbox.run_job(JOB) == []
    clock.set(NOW)
    sent = await sandbox.run_job(JOB)
    (text,) = digests(sent, chat)
    (chart,) = [m for m in sent if m.kind == "photo"]
    assert chart.reply_to_message_id == text.message_id and chart.content is not None
    assert chart.content[:8] == PNG and len(chart.content) > 10_000
    assert await sandbox.run_job(JOB) == []
    await sandbox.stop_bot()
    await sandbox.start_bot()
    assert await sandbox.run_job(JOB) == []
    clock.set(NOW + timedelta(days=5))  # Sunday
    assert await sandbox.run_job(JOB) == []
    # The next week has its own digest; nothing was logged in it: one line.
    clock.set(NOW + timedelta(days=7))
    (line,) = await sandbox.run_job(JOB)
    assert line.text == "📭 Weekly digest · 23–29 Nov 2026: no activity was logged."
    assert await sandbox.run_job(JOB) == []


async def test_empty_weeks_can_be_skipped(sandbox: Sandbox, clock: ManualClock, team: Team) -> None:
    await start_team(sandbox, clock, team, log=False)
    (reply,) = await sandbox.say(team.chat_id, team.manager, "/digest settings skip-empty on")
    assert reply.text.startswith("✅ 🗓 Weekly digest: on · Mon 09:00 (Asia/Shanghai)")
    assert "Empty weeks: skipped" in reply.text
    assert await sandbox.run_job(JOB) == []
    await sandbox.say(team.chat_id, team.manager, "/digest settings skip-empty off")
    assert await sandbox.run_job(JOB) == []  # this week's was already handled (skipped)


async def test_settings(sandbox: Sandbox, clock: ManualClock, weekly_team: Team) -> None:
    chat = weekly_team.chat_id
    (reply,) = await sandbox.say(chat, weekly_team.alice, "/digest")
    assert reply.text.splitlines()[0] == (
        "🗓 Weekly digest: on · Mon 09:00 (Asia/Shanghai) · posted in this chat"
    )
    (reply,) = await sandbox.say(chat, weekly_team.alice, "/digest settings day fri")
    assert reply.text.startswith("The digest on demand and its settings are for managers;")
    (reply,) = await sandbox.say(chat, weekly_team.manager, "/digest settings day fri time 17:30")
    assert reply.text.splitlines()[0] == (
        "✅ 🗓 Weekly digest: on · Fri 17:30 (Asia/Shanghai) · posted in this chat"
    )
    assert reply.text.splitlines()[-1] == "Next: 27 Nov 2026 17:30"
    assert await sandbox.run_job(JOB) == []  # Friday has not come yet
    (reply,) = await sandbox.say(chat, weekly_team.manager, "/digest settings day someday")
    assert reply.text.startswith("Usage: /digest now (this week so far), /digest last (the last")
    (reply,) = await sandbox.say(chat, weekly_team.manager, "/digest settings topic here")
    assert reply.text.startswith("Send /digest settings topic here inside the forum topic")
    await sandbox.say(chat, weekly_team.manager, "/digest off")
    clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=SHANGHAI))
    assert await sandbox.run_job(JOB) == []
    await sandbox.say(chat, weekly_team.manager, "/digest on")
    assert len(digests(await sandbox.run_job(JOB), chat)) == 1


async def test_digest_goes_to_the_chosen_forum_topic(sandbox: Sandbox, clock: ManualClock) -> None:
    maria = sandbox.person(110, "Maria", "maria_f")
    alice = sandbox.person(210, "Alice", "alice_f")
    chat = -1001000000077
    sandbox.emulator.add_group(
        chat,
        "Sales forum",
        admins=[maria.user_id],
        members=[alice.user_id, sandbox.bot_id],
        is_forum=True,
    )
    team = Team(chat, maria, alice, alice)
    await start_team(sandbox, clock, team)
    topic = await sandbox.emulator.create_topic(chat, maria.user_id, "Reports")
    await sandbox.settle()
    before = len(sandbox.emulator.sent(chat))
    await sandbox.emulator.send_message(
        chat, maria.user_id, "/digest settings topic here", message_thread_id=topic
    )
    await sandbox.settle()
    (reply,) = sandbox.emulator.sent(chat)[before:]
    assert f"posted in topic #{topic}" in reply.text
    sent = await sandbox.run_job(JOB)
    (text,) = digests(sent, chat)
    assert text.message_thread_id == topic
    assert [m.message_thread_id for m in sent if m.kind == "photo"] == [topic]


async def test_two_applications_send_one_digest_per_team(
    sandbox: Sandbox, clock: ManualClock, database_url: str, weekly_team: Team
) -> None:
    """A second crmbot process on the same database races this one: each team gets one.

    Both processes start their digest job at the same instant and find the same teams due;
    with 31 teams their claiming overlaps, and the unique DigestRun key lets one of them win
    each team. The extra teams are inserted straight into the database (one-line digests).
    """
    admin = sandbox.person(900, "Olga", "olga")
    chats = [weekly_team.chat_id]
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        for i in range(30):
            chat_id = sandbox.group(-1001000000200 - i, f"Branch {i}", admins=[admin])
            session.add(
                TeamRow(
                    chat_id=chat_id,
                    title=f"Branch {i}",
                    active=True,
                    activated_at=SETUP,
                    created_at=SETUP,
                    stages=[{"key": key, "name": None} for key in DEFAULT_STAGES],
                )
            )
            chats.append(chat_id)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SECOND_PROCESS,
        f"{sandbox.emulator.base_url}/bot",
        database_url,
        NOW.isoformat(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=os.getcwd(),
    )
    assert child.stdin is not None and child.stdout is not None
    ready = await asyncio.wait_for(child.stdout.readline(), timeout=60)
    assert ready.strip() == b"ready", (ready, await child.stderr.read() if child.stderr else b"")
    before = len(sandbox.emulator.sent())
    start_at = time.time() + 0.5  # both processes run the job at this instant
    child.stdin.write(f"{start_at}\n".encode())
    await child.stdin.drain()
    await asyncio.sleep(max(0.0, start_at - time.time()))
    await sandbox.run_job(JOB)
    _, errors = await asyncio.wait_for(child.communicate(), timeout=120)
    assert child.returncode == 0, errors.decode()
    await sandbox.settle()
    sent = sandbox.emulator.sent()[before:]
    weekly = [m.chat_id for m in sent if "Weekly digest" in m.text]
    assert sorted(weekly) == sorted(chats)
    assert [m.chat_id for m in sent if m.kind == "photo"] == [weekly_team.chat_id]


# A second crmbot process: builds the Application like `crmbot run`, waits for the start
# instant, runs the digest job once against the same emulator and database, shuts down.
SECOND_PROCESS = textwrap.dedent(
    f"""
    import asyncio, sys, time
    from datetime import datetime
    from bot.app import build_application
    from bot.clock import ManualClock
    from bot.config import Settings
    from models.db import Database

    async def main() -> None:
        base, url, now = sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])
        settings = Settings(
            TELEGRAM_BOT_TOKEN={TOKEN!r}, TELEGRAM_API_BASE_URL=base, DATABASE_URL=url
        )
        app = build_application(settings, clock=ManualClock(now), db=Database(url))
        await app.initialize()
        await app.post_init(app)
        (job,) = app.job_queue.get_jobs_by_name({JOB!r})
        print("ready", flush=True)
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        await asyncio.sleep(max(0.0, float(line) - time.time()))
        await job.run(app)
        await app.shutdown()
        await app.post_shutdown(app)

    asyncio.run(main())
    """
)
