"""Tasks: follow-ups and other to-dos with an owner and a due time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.parsing import DateHabits, parse_due
from bot.parsing.dates import DEFAULT_HABITS
from bot.services import audit
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
from models.queries import tasks as task_queries
from models.tables import Member, Task, TaskStatus

MAX_TITLE = 500
# A Telegram username (5-32 characters; shorter ones in tests), not part of an e-mail address.
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{2,31})\b")
_RELATIVE = re.compile(
    r"^\+?(\d{1,3})\s*(m|min|mins|minutes?|分钟|h|hrs?|hours?|小时|个小时|d|days?|天|w|weeks?|周)$",
    re.IGNORECASE,
)


class TaskScope(StrEnum):
    MINE = "mine"
    ALL = "all"
    OVERDUE = "overdue"
    MEMBER = "member"


@dataclass(frozen=True)
class TaskView:
    """A task with the names a list shows."""

    task: Task
    customer_name: str | None
    owner: Member


def numbered_task(*, session: Session, actor: Actor, number: int) -> Task:
    """Return the team's open task with the number its members see (#3), or raise."""
    actor.require_active()
    task = task_queries.task_by_number(session=session, team_id=actor.team.id, number=number)
    return _open_task(task, asked=number)


def task_by_id(*, session: Session, actor: Actor, task_id: int) -> Task:
    """Return the team's open task by its id (the Mini App's), or raise as numbered_task does."""
    actor.require_active()
    task = session.get(Task, task_id)
    if task is not None and task.team_id != actor.team.id:
        task = None  # another team's task is no task of this team's
    return _open_task(task, asked=task_id)


def _open_task(task: Task | None, asked: int) -> Task:
    """The task found for `asked` if it is open; refuse a missing or closed one."""
    if task is None:
        raise CrmError("error.task_not_found", id=asked)
    if task.status != TaskStatus.OPEN:
        raise CrmError("error.task_closed", id=task.number)
    return task


def list_tasks(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    scope: TaskScope = TaskScope.MINE,
    member: Member | None = None,
    limit: int = 30,
) -> list[TaskView]:
    """Return open tasks, soonest (so overdue) first: mine, a member's, everyone's or overdue.

    Everyone's and another member's lists are for managers; a rep asking for the overdue ones
    gets their own.
    """
    actor.require_active()
    if scope is TaskScope.OVERDUE and not actor.is_manager:
        member = actor.member
    elif scope is not TaskScope.MINE:
        actor.require_manager("error.not_manager.tasks")
    if scope is TaskScope.MINE:
        member = actor.member
    rows = task_queries.open_tasks(
        session=session,
        team_id=actor.team.id,
        owner_id=member.id if member is not None else None,
        due_before=now if scope is TaskScope.OVERDUE else None,
        limit=limit,
    )
    return [TaskView(task, name, owner) for task, name, owner in rows]


def complete_task(*, session: Session, actor: Actor, task: Task, now: datetime) -> Task:
    """Mark an open task of the actor's team done; its owner, its creator or a manager may."""
    actor.require_active()
    if actor.member.id not in (task.owner_id, task.created_by) and not actor.is_manager:
        raise CrmError("error.not_your_task", id=task.number)
    task.status = TaskStatus.DONE
    task.done_at = now
    task.done_by = actor.member.id
    audit.by_actor(
        actor,
        session=session,
        action="done",
        entity="task",
        entity_id=task.id,
        now=now,
    )
    return task


@dataclass(frozen=True)
class TaskRequest:
    """What `/task WHAT WHEN [@user]` asks for."""

    title: str
    due: datetime | None
    assignee: str | None  # a username, without the @


def parse_task_text(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_time: time,
    habits: DateHabits = DEFAULT_HABITS,
) -> TaskRequest:
    """Split a /task argument into the title, the due time and an @assignee."""
    assignee = None
    mentions = list(_MENTION.finditer(text))
    if mentions:
        last = mentions[-1]
        assignee = last.group(1)
        text = text[: last.start()] + " " * (last.end() - last.start()) + text[last.end() :]
    due = parse_due(text, now=now, tz=tz, default_time=default_time, habits=habits)
    if due is not None:
        text = text[: due.start] + " " + text[due.end :]
    title = " ".join(text.split()).strip(" ,;:-，；：")
    return TaskRequest(title=title[:MAX_TITLE], due=due.when if due else None, assignee=assignee)


def parse_snooze(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_time: time,
    habits: DateHabits = DEFAULT_HABITS,
) -> datetime:
    """Read how long to snooze: 30m, 2h, 1d, 1w, tomorrow, 下周一, …; raise if it is not ahead."""
    spec = text.strip()
    match = _RELATIVE.match(spec)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        if amount == 0:
            raise UsageError("usage.snooze")
        if unit[0] in "mh" or unit in ("分钟", "小时", "个小时"):
            minutes = amount * (1 if unit[0] == "m" or unit == "分钟" else 60)
            return now + timedelta(minutes=minutes)
        days = amount * (7 if unit[0] == "w" or unit == "周" else 1)
        # Calendar days keep the local time of day, across DST changes too.
        local = now.astimezone(tz)
        return (
            datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=tz)
        ).astimezone(now.tzinfo)
    found = parse_due(spec, now=now, tz=tz, default_time=default_time, habits=habits)
    if found is None or found.when <= now:
        raise UsageError("usage.snooze")
    return found.when


def require_owner_or_manager(actor: Actor, task: Task) -> None:
    """Only a task's owner or a manager may snooze or hand it on."""
    if not actor.is_manager and actor.member.id != task.owner_id:
        raise CrmError("error.not_your_task_change", id=task.number)


def create_task(
    *,
    session: Session,
    actor: Actor,
    title: str,
    due: datetime,
    owner: Member,
    now: datetime,
    customer_id: int | None = None,
) -> Task:
    """Add a task for `owner` (the actor or a teammate); audited."""
    actor.require_active()
    title = " ".join(title.split())[:MAX_TITLE]
    if not title:
        raise UsageError("usage.task")
    if owner.team_id != actor.team.id:
        raise CrmError("error.unknown_member", username=owner.username or owner.full_name)
    task = Task(
        team_id=actor.team.id,
        customer_id=customer_id,
        owner_id=owner.id,
        created_by=actor.member.id,
        title=title,
        due_at=due,
        created_at=now,
    )
    session.add(task)
    session.flush()
    audit.by_actor(
        actor,
        session=session,
        action="create",
        entity="task",
        entity_id=task.id,
        now=now,
        owner=owner.id,
        due=due,
    )
    return task


def snooze_task(
    *, session: Session, actor: Actor, task: Task, until: datetime, now: datetime
) -> Task:
    """Move an open task's due time to `until`; it will be reminded again then."""
    actor.require_active()
    require_owner_or_manager(actor, task)
    if until <= now:
        raise UsageError("usage.snooze")
    old = task.due_at
    # reminded_due_at keeps the old due time, so the new one is not yet reminded.
    task.due_at = until
    audit.by_actor(
        actor,
        session=session,
        action="snooze",
        entity="task",
        entity_id=task.id,
        now=now,
        old=old,
        new=until,
    )
    return task


def reassign_task(
    *, session: Session, actor: Actor, task: Task, owner: Member, now: datetime
) -> Task:
    """Hand an open task to another member of the team; an overdue one is reminded to them."""
    actor.require_active()
    require_owner_or_manager(actor, task)
    if owner.team_id != actor.team.id:
        raise CrmError("error.unknown_member", username=owner.username or owner.full_name)
    if owner.id == task.owner_id:
        raise CrmError("error.already_owner", id=task.number)
    old = task.owner_id
    task.owner_id = owner.id
    # The new owner has not been reminded of this due time yet.
    task.reminded_due_at = None
    audit.by_actor(
        actor,
        session=session,
        action="reassign",
        entity="task",
        entity_id=task.id,
        now=now,
        old_owner=old,
        new_owner=owner.id,
    )
    return task
