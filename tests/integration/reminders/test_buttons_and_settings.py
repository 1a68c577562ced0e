"""Reminder buttons, /task, /snooze, /reassign and /settings against a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.services import reminders, settings, tasks
from bot.services.errors import CrmError, NotManager, UsageError
from bot.services.reminders import Act, Presser
from bot.views.reminders import PressView, press_view
from models.db import Database
from models.tables import AuditLog, Role, Task, TaskStatus
from tests.integration.core.factories import make_actor

GROUP = -100


def overdue_reminder(db: Database, clock: ManualClock) -> tuple[int, int]:
    """Alice has one overdue task, reminded in message 50; return (task id, bob's member id)."""
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        bob = make_actor(s, now=now, user_id=2, username="bob")
        task = tasks.create_task(
            session=s, actor=alice, title="call Acme", due=now, owner=alice.member, now=now
        )
    with db.session() as s:
        (notice,) = reminders.claim_due_reminders(session=s, now=now)
        reminders.remember_message(session=s, notice=notice, chat_id=GROUP, message_id=50)
    return task.id or 0, bob.member.id or 0


def presser(user_id: int, username: str) -> Presser:
    return Presser(user_id, username, username.title(), GROUP)


def press(
    db: Database,
    clock: ManualClock,
    who: Presser,
    act: Act,
    task_id: int,
    *,
    snooze: timedelta | None = None,
    to_member: int | None = None,
) -> PressView:
    """Press a button of reminder message 50 and show the outcome as the handler would."""
    with db.session() as s:
        pressed = reminders.press(
            session=s,
            presser=who,
            act=act,
            task_id=task_id,
            message_id=50,
            now=clock(),
            snooze=snooze,
            to_member=to_member,
        )
        return press_view(pressed, now=clock())


def test_owner_presses_done(db: Database, clock: ManualClock) -> None:
    task_id, _ = overdue_reminder(db, clock)
    outcome = press(db, clock, presser(1, "alice"), Act.DONE, task_id)
    assert outcome.line == f"✅ #{task_id} · call Acme — done by @alice"
    assert outcome.toast == f"Task #{task_id} done ✅" and outcome.keyboard == []
    with db.session() as s:
        task = s.get(Task, task_id)
        assert task is not None and task.status == TaskStatus.DONE


def test_someone_else_gets_an_alert(db: Database, clock: ManualClock) -> None:
    task_id, _ = overdue_reminder(db, clock)
    with pytest.raises(CrmError) as caught:
        press(db, clock, presser(2, "bob"), Act.DONE, task_id)
    assert caught.value.key == "error.not_your_task_change"


def test_a_manager_may_snooze(db: Database, clock: ManualClock) -> None:
    task_id, _ = overdue_reminder(db, clock)
    outcome = press(
        db, clock, presser(9999, "boss"), Act.SNOOZE, task_id, snooze=timedelta(hours=1)
    )
    assert outcome.line == f"💤 #{task_id} · call Acme — snoozed to Tue 24 Nov 11:00 by @boss"
    with db.session() as s:
        task = s.get(Task, task_id)
        assert task is not None and task.due_at == clock() + timedelta(hours=1)


def test_reassign_picker_and_pick(db: Database, clock: ManualClock) -> None:
    task_id, bob_id = overdue_reminder(db, clock)
    picker = press(db, clock, presser(1, "alice"), Act.PICK, task_id)
    assert picker.line is None and picker.toast == f"Who should take task #{task_id}?"
    labels = [b.label for row in picker.keyboard for b in row]
    assert "@bob" in labels and "@boss" in labels and "@alice" not in labels
    assert picker.keyboard[-1][0].data == f"r:b:{task_id}"
    back = press(db, clock, presser(1, "alice"), Act.BACK, task_id)
    assert back.keyboard[0][0].data == f"r:d:{task_id}"
    moved = press(db, clock, presser(1, "alice"), Act.HAND_OVER, task_id, to_member=bob_id)
    assert moved.line == f"➡️ #{task_id} · call Acme — handed to @bob by @alice"
    assert moved.keyboard == []  # bob is reminded anew
    with db.session() as s:
        actions = s.exec(select(AuditLog.action).where(AuditLog.entity == "task")).all()
        assert "reassign" in actions


def test_buttons_of_another_group_do_not_work(db: Database, clock: ManualClock) -> None:
    task_id, _ = overdue_reminder(db, clock)
    with pytest.raises(CrmError) as caught:
        press(db, clock, Presser(1, "alice", "Alice", -555), Act.DONE, task_id)
    assert caught.value.key == "error.task_gone"


def test_a_closed_task_cannot_be_pressed_again(db: Database, clock: ManualClock) -> None:
    task_id, _ = overdue_reminder(db, clock)
    for expected in (None, "error.task_closed"):
        try:
            press(db, clock, presser(1, "alice"), Act.DONE, task_id)
        except CrmError as exc:
            assert exc.key == expected
        else:
            assert expected is None


def test_snooze_and_reassign_rules(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        bob = make_actor(s, now=now, user_id=2, username="bob")
        task = tasks.create_task(
            session=s, actor=alice, title="x", due=now, owner=alice.member, now=now
        )
        with pytest.raises(CrmError):
            tasks.snooze_task(
                session=s, actor=bob, task=task, until=now + timedelta(hours=1), now=now
            )
        with pytest.raises(UsageError):
            tasks.snooze_task(session=s, actor=alice, task=task, until=now, now=now)
        with pytest.raises(CrmError) as same:
            tasks.reassign_task(session=s, actor=alice, task=task, owner=alice.member, now=now)
        assert same.value.key == "error.already_owner"
        with pytest.raises(UsageError):
            tasks.create_task(
                session=s, actor=alice, title="  ", due=now, owner=bob.member, now=now
            )


def test_settings_change_is_validated_and_audited(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        boss = make_actor(s, now=now, user_id=9999, username="boss", role=Role.MANAGER)
        change = settings.change(session=s, actor=boss, name="hours", value="08:30-17:30", now=now)
        assert (change.old, change.new) == ("09:00-18:00", "08:30-17:30")
        settings.change(session=s, actor=boss, name="days", value="1-6", now=now)
        settings.change(session=s, actor=boss, name="remind", value="private", now=now)
        settings.change(session=s, actor=boss, name="escalate", value="8", now=now)
        settings.change(session=s, actor=boss, name="agenda", value="on", now=now)
        team = boss.team
        assert (team.workday_start, team.workday_end, team.work_weekdays) == ("08:30", "17:30",
                                                                             "123456")  # fmt: skip
        assert team.remind_privately and team.escalate_after_hours == 8 and team.morning_agenda
        assert len(s.exec(select(AuditLog).where(AuditLog.action == "setting")).all()) == 5
        for name, value in [("hours", "late"), ("remind", "loud"), ("agenda", "maybe"),
                            ("colour", "red")]:  # fmt: skip
            with pytest.raises(UsageError):
                settings.change(session=s, actor=boss, name=name, value=value, now=now)
        rep = make_actor(s, now=now, user_id=3, username="carol")
        with pytest.raises(NotManager):
            settings.change(session=s, actor=rep, name="agenda", value="off", now=now)
