"""Claiming reminders, escalations and agendas against a real database: each exactly once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.clock import ManualClock
from bot.services import reminders, tasks
from bot.services.reminders import NoticeKind
from bot.services.teams import Actor
from bot.views.reminders import MAX_SHOWN, MAX_TEXT, notice_keyboard, notice_text, task_keyboard
from models.db import Database
from models.tables import Member, Role, Task, Team
from tests.conftest import SHANGHAI
from tests.integration.core.factories import make_actor
from tests.support.database import on_postgres

# The clock starts on Tuesday 24 November 2026, 10:00 in Shanghai (working time).


def add_task(
    s: Session, actor: Actor, due: datetime, *, owner: Member | None = None, title: str = "call"
) -> Task:
    return tasks.create_task(
        session=s,
        actor=actor,
        title=title,
        due=due,
        owner=owner or actor.member,
        now=due - timedelta(days=1),
    )


def test_an_overdue_task_is_claimed_once(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        task = add_task(s, alice, now - timedelta(minutes=5))
        add_task(s, alice, now + timedelta(hours=2), title="later")
    with db.session() as s:
        (notice,) = reminders.claim_due_reminders(session=s, now=now)
    assert notice.kind is NoticeKind.REMINDER and notice.chat_id == -100
    assert notice.task_ids == [task.id]
    assert notice_text(notice).startswith("⏰ @alice, overdue:")
    assert f"#{task.id} · Tue 24 Nov 09:55 · call" in notice_text(notice)
    assert [b.data for b in notice_keyboard(notice)[0]] == [
        f"r:d:{task.id}",
        f"r:s:{task.id}:1h",
        f"r:s:{task.id}:1d",
        f"r:a:{task.id}",
    ]
    with db.session() as s:
        assert reminders.claim_due_reminders(session=s, now=now) == []
        stored = s.get(Task, task.id)
        assert stored is not None and stored.reminded_due_at == stored.due_at
        assert stored.reminded_at == now


def test_several_tasks_of_one_owner_come_as_one_notice(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        bob = make_actor(s, now=now, user_id=2, username="bob")
        for minutes in (50, 40, 30):
            add_task(s, alice, now - timedelta(minutes=minutes), title=f"a{minutes}")
        add_task(s, bob, now - timedelta(minutes=10), title="b")
    with db.session() as s:
        notices = reminders.claim_due_reminders(session=s, now=now)
    assert len(notices) == 2
    by_text = {notice_text(n).split(",")[0]: n for n in notices}
    mine = by_text["⏰ @alice"]
    assert len(mine.task_ids) == 3 and len(notice_keyboard(mine)) == 3
    assert notice_keyboard(mine)[0][0].label == f"✅ #{mine.task_ids[0]}"
    assert [line.split(" · ")[-1] for line in notice_text(mine).split("\n")[1:]] == [
        "a50",
        "a40",
        "a30",
    ]
    assert notice_keyboard(by_text["⏰ @bob"])[0][0].label == "✅ Done"


def test_more_tasks_than_fit_are_counted(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        for minutes in range(1, 14):
            add_task(s, alice, now - timedelta(minutes=minutes))
    with db.session() as s:
        (notice,) = reminders.claim_due_reminders(session=s, now=now)
    assert len(notice.task_ids) == 13 and len(notice_keyboard(notice)) == MAX_SHOWN
    assert notice_text(notice).endswith("…and 3 more — /tasks lists them")


@pytest.mark.parametrize(
    ("due_local", "quiet_local", "next_morning_local"),
    [
        # Due at 23:00 on Tuesday: nothing at night, reminded Wednesday at 09:00.
        (datetime(2026, 11, 24, 23, 0), datetime(2026, 11, 25, 8, 59), datetime(2026, 11, 25, 9)),
        # Due on Saturday: nothing on Sunday, reminded Monday at 09:00.
        (datetime(2026, 11, 28, 10, 0), datetime(2026, 11, 29, 15, 0), datetime(2026, 11, 30, 9)),
    ],
)
def test_reminders_wait_for_working_time(
    db: Database,
    clock: ManualClock,
    due_local: datetime,
    quiet_local: datetime,
    next_morning_local: datetime,
) -> None:
    with db.session() as s:
        alice = make_actor(s, now=clock())
        add_task(s, alice, due_local.replace(tzinfo=SHANGHAI))
    for quiet in (due_local + timedelta(minutes=1), quiet_local):
        with db.session() as s:
            assert (
                reminders.claim_due_reminders(session=s, now=quiet.replace(tzinfo=SHANGHAI)) == []
            )
    with db.session() as s:
        morning = next_morning_local.replace(tzinfo=SHANGHAI)
        assert len(reminders.claim_due_reminders(session=s, now=morning)) == 1


def test_team_hours_and_days_are_respected(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        alice = make_actor(s, now=clock())
        alice.team.workday_start, alice.team.workday_end = "10:30", "20:00"
        alice.team.work_weekdays = "123456"
        add_task(s, alice, datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI))  # a Saturday
    with db.session() as s:
        saturday = datetime(2026, 11, 28, 10, 29, tzinfo=SHANGHAI)
        assert reminders.claim_due_reminders(session=s, now=saturday) == []
        assert len(reminders.claim_due_reminders(session=s, now=saturday + timedelta(minutes=1)))


def test_snooze_rearms_the_reminder(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        task = add_task(s, alice, now - timedelta(minutes=1))
    with db.session() as s:
        assert len(reminders.claim_due_reminders(session=s, now=now)) == 1
    with db.session() as s:
        actor = make_actor(s, now=now)
        tasks.snooze_task(
            session=s,
            actor=actor,
            task=s.get_one(Task, task.id),
            until=now + timedelta(hours=1),
            now=now,
        )
    with db.session() as s:
        assert reminders.claim_due_reminders(session=s, now=now + timedelta(minutes=59)) == []
        (again,) = reminders.claim_due_reminders(session=s, now=now + timedelta(hours=1))
    assert again.task_ids == [task.id]


def test_reassign_reminds_the_new_owner(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        bob = make_actor(s, now=now, user_id=2, username="bob")
        task = add_task(s, alice, now - timedelta(minutes=1))
    with db.session() as s:
        reminders.claim_due_reminders(session=s, now=now)
    with db.session() as s:
        actor = make_actor(s, now=now)
        target = s.get(Member, bob.member.id)
        assert target is not None
        tasks.reassign_task(
            session=s, actor=actor, task=s.get_one(Task, task.id), owner=target, now=now
        )
    with db.session() as s:
        (notice,) = reminders.claim_due_reminders(session=s, now=now + timedelta(minutes=1))
    assert notice_text(notice).startswith("⏰ @bob")


def test_private_reminders_fall_back_to_the_group(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        alice.team.remind_privately = True
        alice.member.private_chat = True
        bob = make_actor(s, now=now, user_id=2, username="bob")
        bob.member.username, bob.member.full_name = None, "Bob <Li>"
        add_task(s, alice, now - timedelta(minutes=1))
        add_task(s, bob, now - timedelta(minutes=1))
    with db.session() as s:
        notices = reminders.claim_due_reminders(session=s, now=now)
    private = next(n for n in notices if n.chat_id == 1)
    assert notice_text(private).startswith("⏰ Overdue in Sales:") and private.member_id is not None
    assert private.fallback is not None and private.fallback.chat_id == -100
    # Bob never started the bot: the group, with a link that mentions him by id.
    group = next(n for n in notices if n.chat_id == -100)
    assert notice_text(group).startswith('⏰ <a href="tg://user?id=2">Bob &lt;Li&gt;</a>, overdue:')
    with db.session() as s:
        reminders.forget_private_chat(session=s, member_id=private.member_id or 0)
        member = s.get(Member, private.member_id)
        assert member is not None and not member.private_chat


def test_a_released_claim_is_claimed_again(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        add_task(s, alice, now - timedelta(minutes=1))
    with db.session() as s:
        (notice,) = reminders.claim_due_reminders(session=s, now=now)
    with db.session() as s:
        reminders.release(session=s, notice=notice)
    with db.session() as s:
        (again,) = reminders.claim_due_reminders(session=s, now=now + timedelta(minutes=1))
    assert again.task_ids == notice.task_ids


def test_remembered_message_gets_the_buttons(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        first = add_task(s, alice, now - timedelta(minutes=2))
        second = add_task(s, alice, now - timedelta(minutes=1))
    with db.session() as s:
        (notice,) = reminders.claim_due_reminders(session=s, now=now)
    with db.session() as s:
        reminders.remember_message(session=s, notice=notice, chat_id=-100, message_id=77)
    with db.session() as s:
        keyboard = task_keyboard("en", reminders.waiting_on(session=s, chat_id=-100, message_id=77))
        assert [row[0].data for row in keyboard] == [f"r:d:{first.id}", f"r:d:{second.id}"]
        actor = make_actor(s, now=now)
        tasks.complete_task(session=s, actor=actor, task=s.get_one(Task, first.id), now=now)
    with db.session() as s:
        keyboard = task_keyboard("en", reminders.waiting_on(session=s, chat_id=-100, message_id=77))
        assert [row[0].label for row in keyboard] == ["✅ Done"]


def test_inactive_teams_are_not_reminded(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        add_task(s, alice, now - timedelta(minutes=1))
        alice.team.active = False
    with db.session() as s:
        assert reminders.claim_due_reminders(session=s, now=now) == []


def test_escalation_after_working_hours_once_per_task(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        alice.member.role = Role.REP
        task = add_task(s, alice, now)  # due Tuesday 10:00; 24 working hours: Thursday 16:00
        add_task(s, alice, now + timedelta(days=1), title="tomorrow")
    thursday = datetime(2026, 11, 26, 16, 0, tzinfo=SHANGHAI)
    with db.session() as s:
        assert reminders.claim_escalations(session=s, now=thursday - timedelta(minutes=1)) == []
        (notice,) = reminders.claim_escalations(session=s, now=thursday)
    assert notice.kind is NoticeKind.ESCALATION and notice.task_ids == [task.id]
    assert notice_text(notice).startswith("⚠️ @boss: overdue by more than 24 working hours")
    assert "@alice" in notice_text(notice)
    with db.session() as s:
        assert reminders.claim_escalations(session=s, now=thursday + timedelta(hours=1)) == []


def test_escalation_can_be_turned_off(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        alice.team.escalate_after_hours = 0
        add_task(s, alice, now - timedelta(days=10))
    with db.session() as s:
        assert reminders.claim_escalations(session=s, now=now) == []


def test_morning_agenda_once_per_team_and_day(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        bob = make_actor(s, now=now, user_id=2, username="bob")
        alice.team.morning_agenda = True
        add_task(s, alice, datetime(2026, 11, 25, 15, 0, tzinfo=SHANGHAI), title="today")
        add_task(s, alice, datetime(2026, 11, 24, 15, 0, tzinfo=SHANGHAI), title="overdue")
        add_task(s, bob, datetime(2026, 11, 25, 11, 0, tzinfo=SHANGHAI), title="bob's")
        add_task(s, bob, datetime(2026, 11, 26, 11, 0, tzinfo=SHANGHAI), title="tomorrow")
    wednesday = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)
    with db.session() as s:
        assert reminders.claim_agendas(session=s, now=wednesday - timedelta(minutes=1)) == []
        (agenda,) = reminders.claim_agendas(session=s, now=wednesday)
        assert reminders.claim_agendas(session=s, now=wednesday + timedelta(hours=2)) == []
    lines = notice_text(agenda).split("\n")
    assert lines[0] == "☀️ <b>Today's tasks</b> · 25 Nov 2026"
    assert lines[1] == "@alice (2)" and lines[2].startswith("  🔴") and "overdue" in lines[2]
    assert lines[4] == "@bob (1)" and "tomorrow" not in notice_text(agenda)
    with db.session() as s:
        team = s.exec(select(Team)).one()
        assert str(team.agenda_sent_for) == "2026-11-25"
        # Thursday has its own agenda.
        assert len(reminders.claim_agendas(session=s, now=wednesday + timedelta(days=1))) == 1


@pytest.mark.skipif(not on_postgres(), reason="SKIP LOCKED needs PostgreSQL")
def test_a_second_process_skips_rows_the_first_has_locked(
    database_url: str, clock: ManualClock
) -> None:
    now = clock()
    first_db, second_db = Database(database_url), Database(database_url)
    try:
        with first_db.session() as s:
            alice = make_actor(s, now=now)
            for minutes in range(1, 6):
                add_task(s, alice, now - timedelta(minutes=minutes))
        claimed_by_first = threading.Event()
        second_done = threading.Event()
        results: dict[str, list[int]] = {}

        def first() -> None:
            with first_db.session() as s:
                notices = reminders.claim_due_reminders(session=s, now=now)
                results["first"] = [i for n in notices for i in n.task_ids]
                claimed_by_first.set()
                # Hold the row locks until the second process has looked.
                assert second_done.wait(10)

        def second() -> None:
            assert claimed_by_first.wait(10)
            with second_db.session() as s:
                notices = reminders.claim_due_reminders(session=s, now=now)
                results["second"] = [i for n in notices for i in n.task_ids]
            second_done.set()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert len(results["first"]) == 5 and results["second"] == []
        with second_db.session() as s:
            assert reminders.claim_due_reminders(session=s, now=now) == []
    finally:
        first_db.dispose()
        second_db.dispose()


@pytest.mark.skipif(not on_postgres(), reason="concurrent writers need PostgreSQL")
def test_racing_processes_claim_every_task_exactly_once(
    database_url: str, clock: ManualClock
) -> None:
    now = clock()
    with Database(database_url).session() as s:
        owners = [make_actor(s, now=now, user_id=i, username=f"rep{i}") for i in range(1, 9)]
        for n in range(240):
            add_task(s, owners[n % 8], now - timedelta(minutes=n % 50 + 1))
    databases = [Database(database_url) for _ in range(4)]
    claimed: list[list[int]] = [[] for _ in databases]
    start = threading.Barrier(len(databases))

    def worker(index: int) -> None:
        start.wait(10)
        while True:
            with databases[index].session() as s:
                notices = reminders.claim_due_reminders(session=s, now=now, limit=7)
            if not notices:
                return
            claimed[index].extend(i for n in notices for i in n.task_ids)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(databases))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for database in databases:
        database.dispose()
    every = [task_id for ids in claimed for task_id in ids]
    assert len(every) == 240 and len(set(every)) == 240


def test_long_titles_and_long_agendas_fit_one_message(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        alice.team.morning_agenda = True
        for n in range(12):
            add_task(s, alice, now - timedelta(minutes=n + 1), title=f"{n} " + "x" * 490)
        for user_id in range(2, 40):
            rep = make_actor(s, now=now, user_id=user_id, username=f"rep{user_id}")
            for _ in range(10):
                add_task(s, rep, now + timedelta(hours=5), title="y" * 300)
    with db.session() as s:
        notices = reminders.claim_due_reminders(session=s, now=now)
    mine = next(n for n in notices if notice_text(n).startswith("⏰ @alice"))
    assert len(notice_text(mine)) < 4096 and "x" * 100 + "…" in notice_text(mine)
    wednesday = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)
    with db.session() as s:
        (agenda,) = reminders.claim_agendas(session=s, now=wednesday)
    assert len(notice_text(agenda)) <= MAX_TEXT and notice_text(agenda).endswith("\n…")


def test_a_late_start_skips_the_morning_agenda(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        alice = make_actor(s, now=clock())
        alice.team.morning_agenda = True
        add_task(s, alice, datetime(2026, 11, 25, 15, 0, tzinfo=SHANGHAI))
    with db.session() as s:
        noon = datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)
        assert reminders.claim_agendas(session=s, now=noon) == []
        assert len(reminders.claim_agendas(session=s, now=noon - timedelta(minutes=1))) == 1


@pytest.mark.skipif(not on_postgres(), reason="concurrent writers need PostgreSQL")
def test_racing_processes_send_one_agenda_and_one_escalation(
    database_url: str, clock: ManualClock
) -> None:
    now = clock()
    with Database(database_url).session() as s:
        alice = make_actor(s, now=now)
        alice.team.morning_agenda = True
        add_task(s, alice, datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI))  # last Friday
    wednesday = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)
    databases = [Database(database_url) for _ in range(4)]
    start = threading.Barrier(len(databases))
    kinds: list[NoticeKind] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        start.wait(10)
        for claim in (reminders.claim_agendas, reminders.claim_escalations):
            with databases[index].session() as s:
                notices = claim(session=s, now=wednesday)
            with lock:
                kinds.extend(n.kind for n in notices)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(databases))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for database in databases:
        database.dispose()
    assert sorted(kinds) == [NoticeKind.AGENDA, NoticeKind.ESCALATION]
