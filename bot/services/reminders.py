"""Overdue reminders, escalations and the morning agenda, claimed exactly once; reminder buttons.

Exactly once: a job claims what is due in one transaction. Due tasks are selected with
`FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite has one writer at a time) and marked in the same
transaction — `reminded_due_at = due_at`, `escalated_at = now`, `Team.agenda_sent_for = today`
— so a second process, or the next run after a restart, finds nothing left to claim. A snooze
moves `due_at` past `reminded_due_at` and so re-arms the reminder. A send that fails for a
passing reason (network, flood control) releases its claim, so the next run retries it.

What the jobs send comes back as `Notice`s: who is told of which tasks, in which team;
bot/views/reminders.py words them and reminders/due.py sends them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services import tasks, teams
from bot.services.errors import CrmError
from bot.services.teams import Actor
from bot.services.worktime import (
    WorkTime,
    add_working_time,
    is_working_time,
    local_date,
    window,
)
from models.queries import customers as customer_queries
from models.queries import members as member_queries
from models.queries import tasks as task_queries
from models.queries import teams as team_queries
from models.queries.members import MemberView
from models.queries.tasks import DueTask, TaskRef
from models.queries.teams import TeamView
from models.tables import Customer, Member, Task, TaskStatus, Team

CLAIM_LIMIT = 1000  # tasks per run; more wait for the next run
AGENDA_HOURS = timedelta(hours=3)  # the agenda is for the morning; a late start skips it
MAX_PICKER = 24  # members offered by the Reassign keyboard


class NoticeKind(StrEnum):
    REMINDER = "reminder"
    ESCALATION = "escalation"
    AGENDA = "agenda"


@dataclass(frozen=True)
class DueItem:
    """A task a notice lists, with the name of its customer and its owner."""

    task: DueTask
    customer_name: str | None
    owner: MemberView


@dataclass(frozen=True)
class Notice:
    """One message a job sends, and what was claimed for it."""

    kind: NoticeKind
    team: TeamView
    chat_id: int
    items: list[DueItem]
    claimed_at: datetime
    owner: MemberView | None = None  # whose overdue tasks a reminder lists
    managers: list[MemberView] = field(default_factory=list)  # whom an escalation calls
    day: date | None = None  # the agenda's local date
    member_id: int | None = None  # the recipient of a private reminder
    fallback: Notice | None = None  # where to send when Telegram refuses the private chat

    @property
    def team_id(self) -> int:
        return self.team.id

    @property
    def task_ids(self) -> list[int]:
        return [item.task.id for item in self.items]

    @property
    def task_refs(self) -> list[TaskRef]:
        return [TaskRef(item.task.id, item.task.number) for item in self.items]


def work_time(team: Team | TeamView) -> WorkTime:
    """Return a team's working time."""
    return _work_time(team.timezone, team.workday_start, team.workday_end, team.work_weekdays)


@lru_cache(maxsize=4096)
def _work_time(tz: str, start: str, end: str, weekdays: str) -> WorkTime:
    return WorkTime.from_settings(tz, start, end, weekdays)


# -- claiming ---------------------------------------------------------------------------------


def working_teams(*, session: Session, now: datetime) -> dict[int, TeamView]:
    """Return the active teams inside their working hours at `now`, by id."""
    return {
        team.id: team
        for team in team_queries.active_teams(session=session)
        if is_working_time(now, work_time(team))
    }


def claim_due_reminders(
    *, session: Session, now: datetime, limit: int = CLAIM_LIMIT
) -> list[Notice]:
    """Claim every overdue, not yet reminded task of teams now at work; one Notice per owner."""
    working = working_teams(session=session, now=now)
    if not working:
        return []
    due = task_queries.lock_unreminded(session=session, team_ids=working, now=now, limit=limit)
    if not due:
        return []
    task_queries.mark_reminded(session=session, task_ids=[task.id for task in due], now=now)
    by_owner: dict[tuple[int, int], list[DueItem]] = defaultdict(list)
    for item in _items(session, due):
        by_owner[(item.task.team_id, item.task.owner_id)].append(item)
    return [_reminder(working[team_id], owned, now=now) for (team_id, _), owned in by_owner.items()]


def _reminder(team: TeamView, owned: list[DueItem], *, now: datetime) -> Notice:
    owner = owned[0].owner
    in_group = Notice(
        kind=NoticeKind.REMINDER,
        team=team,
        chat_id=team.chat_id,
        items=owned,
        claimed_at=now,
        owner=owner,
    )
    if team.remind_privately and owner.private_chat:
        return replace(in_group, chat_id=owner.user_id, member_id=owner.id, fallback=in_group)
    return in_group


def claim_escalations(*, session: Session, now: datetime, limit: int = CLAIM_LIMIT) -> list[Notice]:
    """Claim tasks overdue for their team's escalate_after_hours working hours; one per team."""
    working = working_teams(session=session, now=now)
    by_hours: dict[int, list[int]] = defaultdict(list)
    for team in working.values():
        if team.escalate_after_hours > 0:
            by_hours[team.escalate_after_hours].append(team.id)
    escalated: list[DueTask] = []
    for hours, team_ids in sorted(by_hours.items()):
        # Working hours never outrun wall-clock hours: only tasks this old can qualify.
        candidates = task_queries.lock_unescalated(
            session=session, team_ids=team_ids, due_before=now - timedelta(hours=hours), limit=limit
        )
        escalated.extend(
            task
            for task in candidates
            if add_working_time(
                task.due_at, timedelta(hours=hours), work_time(working[task.team_id])
            )
            <= now
        )
    if not escalated:
        return []
    task_queries.mark_escalated(session=session, task_ids=[task.id for task in escalated], now=now)
    by_team: dict[int, list[DueItem]] = defaultdict(list)
    for item in _items(session, escalated):
        by_team[item.task.team_id].append(item)
    return [
        Notice(
            kind=NoticeKind.ESCALATION,
            team=working[team_id],
            chat_id=working[team_id].chat_id,
            items=items,
            claimed_at=now,
            managers=member_queries.managers(session=session, team_id=team_id),
        )
        for team_id, items in by_team.items()
    ]


def claim_agendas(*, session: Session, now: datetime) -> list[Notice]:
    """Claim today's morning agenda of every team that wants one and is at work."""
    notices = []
    for team in team_queries.active_teams(session=session, wanting_agenda=True):
        work = work_time(team)
        if not is_working_time(now, work):
            continue
        today = local_date(now, work)
        start, _ = window(today, work)
        if now >= start + AGENDA_HOURS:
            continue
        if not team_queries.claim_agenda(session=session, team_id=team.id, day=today):
            continue
        tz = ZoneInfo(team.timezone)
        end_of_day = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        due = task_queries.open_due_before(session=session, team_id=team.id, end=end_of_day)
        if due:
            notices.append(
                Notice(
                    kind=NoticeKind.AGENDA,
                    team=team,
                    chat_id=team.chat_id,
                    items=_items(session, due),
                    claimed_at=now,
                    day=today,
                )
            )
    return notices


def _items(session: Session, due: list[DueTask]) -> list[DueItem]:
    owners = member_queries.members_by_id(session=session, ids={task.owner_id for task in due})
    names = customer_queries.names_by_id(
        session=session, ids={task.customer_id for task in due if task.customer_id}
    )
    return [DueItem(task, names.get(task.customer_id or 0), owners[task.owner_id]) for task in due]


# -- after sending ----------------------------------------------------------------------------


def remember_message(*, session: Session, notice: Notice, chat_id: int, message_id: int) -> None:
    """Note which message reminds of the notice's tasks, so their buttons can edit it."""
    if notice.kind is not NoticeKind.REMINDER or not notice.items:
        return
    task_queries.remember_message(
        session=session, task_ids=notice.task_ids, chat_id=chat_id, message_id=message_id
    )


def release(*, session: Session, notice: Notice) -> None:
    """Undo a notice's claim after a send failed for a passing reason; the next run retries."""
    if notice.kind is NoticeKind.REMINDER:
        task_queries.release_reminded(
            session=session, task_ids=notice.task_ids, claimed_at=notice.claimed_at
        )
    elif notice.kind is NoticeKind.ESCALATION:
        task_queries.release_escalated(
            session=session, task_ids=notice.task_ids, claimed_at=notice.claimed_at
        )
    elif notice.day is not None:
        team_queries.release_agenda(session=session, team_id=notice.team_id, day=notice.day)


def forget_private_chat(*, session: Session, member_id: int) -> None:
    """The member blocked the bot or never started it: remind them in the group from now on."""
    member = session.get(Member, member_id)
    if member is not None:
        member.private_chat = False


# -- buttons ----------------------------------------------------------------------------------


class Act(StrEnum):
    """What a reminder button does to its task."""

    DONE = "done"
    SNOOZE = "snooze"
    HAND_OVER = "hand_over"
    PICK = "pick"  # ask whom to hand it to
    BACK = "back"  # put that question away


@dataclass(frozen=True)
class Presser:
    """The Telegram user who pressed a button, and where."""

    user_id: int
    username: str | None
    full_name: str
    chat_id: int


@dataclass(frozen=True)
class Pressed:
    """What a press did, to which task and by whom, and what its message still waits on."""

    act: Act
    task: Task
    customer_name: str | None
    by: Member
    lang: str
    tz: ZoneInfo
    waiting: list[DueItem]  # the tasks the message still reminds of, soonest first
    owner: Member | None = None  # whom the task was handed to
    teammates: list[MemberView] = field(default_factory=list)  # whom it could be handed to


def press(
    *,
    session: Session,
    presser: Presser,
    act: Act,
    task_id: int,
    message_id: int,
    now: datetime,
    snooze: timedelta | None = None,
    to_member: int | None = None,
) -> Pressed:
    """Act on a reminder button; only the task's owner or a manager may (CrmError otherwise).

    SNOOZE moves the task by `snooze`; HAND_OVER gives it to the member with id `to_member`.
    """
    task, actor = _task_and_actor(session, presser, task_id, now=now)
    tasks.require_owner_or_manager(actor, task)
    if task.status != TaskStatus.OPEN:
        raise CrmError("error.task_closed", id=task.number)
    owner = None
    if act is Act.DONE:
        tasks.complete_task(session=session, actor=actor, task=task, now=now)
    elif act is Act.SNOOZE:
        if snooze is None:
            raise ValueError("a snooze needs a length")
        tasks.snooze_task(session=session, actor=actor, task=task, until=now + snooze, now=now)
    elif act is Act.HAND_OVER:
        owner = session.get(Member, to_member) if to_member is not None else None
        if owner is None or owner.team_id != actor.team.id:
            raise CrmError("error.task_gone")
        tasks.reassign_task(session=session, actor=actor, task=task, owner=owner, now=now)
    session.flush()
    customer = session.get(Customer, task.customer_id) if task.customer_id else None
    teammates = (
        member_queries.teammates(
            session=session, team_id=task.team_id, but=task.owner_id, limit=MAX_PICKER
        )
        if act is Act.PICK
        else []
    )
    return Pressed(
        act=act,
        task=task,
        customer_name=customer.name if customer else None,
        by=actor.member,
        lang=actor.lang,
        tz=actor.tz,
        waiting=_items(
            session,
            task_queries.waiting_on(
                session=session, chat_id=presser.chat_id, message_id=message_id
            ),
        ),
        owner=owner,
        teammates=teammates,
    )


@dataclass(frozen=True)
class ReminderMessage:
    """A sent reminder and the tasks it still waits on."""

    chat_id: int
    message_id: int
    waiting: list[TaskRef]


def reminder_after_change(*, session: Session, task: Task) -> ReminderMessage | None:
    """The reminder of a task that a command or the Mini App just changed, if it has one."""
    chat_id, message_id = task.reminder_chat_id, task.reminder_message_id
    if chat_id is None or message_id is None:
        return None
    session.flush()
    waiting = waiting_on(session=session, chat_id=chat_id, message_id=message_id)
    return ReminderMessage(chat_id, message_id, waiting)


def waiting_on(*, session: Session, chat_id: int, message_id: int) -> list[TaskRef]:
    """Return the tasks a reminder message still waits on (open, not snoozed or moved)."""
    due = task_queries.waiting_on(session=session, chat_id=chat_id, message_id=message_id)
    return [TaskRef(task.id, task.number) for task in due]


def _task_and_actor(
    session: Session, presser: Presser, task_id: int, *, now: datetime
) -> tuple[Task, Actor]:
    task = session.get(Task, task_id)
    team = session.get(Team, task.team_id) if task is not None else None
    if task is None or team is None:
        raise CrmError("error.task_gone")
    if presser.chat_id < 0:
        if team.chat_id != presser.chat_id:
            raise CrmError("error.task_gone")
        member = teams.ensure_member(
            session=session,
            team=team,
            user_id=presser.user_id,
            username=presser.username,
            full_name=presser.full_name,
            now=now,
        )
    else:
        # A private chat: the presser must already belong to the task's team.
        found = member_queries.member_by_user(
            session=session, team_id=team.id, user_id=presser.user_id
        )
        if found is None:
            raise CrmError("error.not_your_task_change", id=task.number)
        member = found
    return task, Actor(team=team, member=member)
