"""Tasks: follow-ups and other to-dos with an owner and a due time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from bot.services import audit
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.tables import Customer, Member, Task, TaskStatus


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


def get_task(*, session: Session, actor: Actor, task_id: int) -> Task:
    """Return one of the team's tasks, or raise if it does not exist in this team."""
    task = session.get(Task, task_id)
    if task is None or task.team_id != actor.team.id:
        raise CrmError("error.task_not_found", id=task_id)
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
    """Return open tasks due by the end of today (overdue first); managers may see everyone's."""
    actor.require_active()
    if scope is not TaskScope.MINE:
        actor.require_manager()
    end_of_today = datetime.combine(
        now.astimezone(actor.tz).date() + timedelta(days=1), time(0), tzinfo=actor.tz
    )
    query = (
        select(Task, Customer.name, Member)
        .join(Customer, col(Customer.id) == Task.customer_id, isouter=True)
        .join(Member, col(Member.id) == Task.owner_id)
        .where(Task.team_id == actor.team.id, Task.status == TaskStatus.OPEN)
    )
    if scope is TaskScope.MINE:
        query = query.where(Task.owner_id == actor.member.id)
    elif scope is TaskScope.MEMBER and member is not None:
        query = query.where(Task.owner_id == member.id)
    if scope is TaskScope.OVERDUE:
        query = query.where(Task.due_at < now)
    elif scope is TaskScope.MINE:
        # A rep's own list shows everything open, soonest first; today's and overdue stand out.
        pass
    else:
        query = query.where(Task.due_at < end_of_today)
    rows = session.exec(query.order_by(col(Task.due_at)).limit(limit)).all()
    return [TaskView(task, name, owner) for task, name, owner in rows]


def complete_task(*, session: Session, actor: Actor, task_id: int, now: datetime) -> Task:
    """Mark a task done; its owner, its creator or a manager may."""
    actor.require_active()
    task = get_task(session=session, actor=actor, task_id=task_id)
    if task.status != TaskStatus.OPEN:
        raise CrmError("error.task_closed", id=task_id)
    if actor.member.id not in (task.owner_id, task.created_by) and not actor.is_manager:
        raise CrmError("error.not_your_task", id=task_id)
    task.status = TaskStatus.DONE
    task.done_at = now
    task.done_by = actor.member.id
    audit.record(
        session=session,
        team_id=actor.team.id or 0,
        actor_user_id=actor.member.user_id,
        action="done",
        entity="task",
        entity_id=task.id,
        now=now,
    )
    return task
