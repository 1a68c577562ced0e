"""Tasks: open ones to list, the ones the reminder jobs claim and release, and the reminder
message each one waits in.

The claims lock their rows with `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite has one writer
at a time) and mark them in one UPDATE; bot/services/reminders.py explains why that makes
each claim happen exactly once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models.tables import Customer, Member, Task, TaskStatus

# Inlined, not bound: a partial index is only used when the query repeats its literal predicate.
_OPEN: ColumnElement[str] = literal_column(f"'{TaskStatus.OPEN.value}'")


@dataclass(frozen=True)
class DueTask:
    """The columns of a task that a reminder, an escalation or an agenda shows."""

    id: int
    number: int
    team_id: int
    owner_id: int
    customer_id: int | None
    title: str
    due_at: datetime


_DUE_COLUMNS = (
    col(Task.id),
    col(Task.number),
    col(Task.team_id),
    col(Task.owner_id),
    col(Task.customer_id),
    col(Task.title),
    col(Task.due_at),
)


class TaskRef(NamedTuple):
    """A task's id (in button data) and the number its team sees (#3)."""

    id: int
    number: int


def task_by_number(*, session: Session, team_id: int, number: int) -> Task | None:
    """A team's task by the number its members see (uq_task_team_number)."""
    return session.exec(select(Task).where(Task.team_id == team_id, Task.number == number)).first()


def open_tasks(
    *,
    session: Session,
    team_id: int,
    owner_id: int | None,
    due_before: datetime | None,
    limit: int,
) -> list[tuple[Task, str | None, Member]]:
    """Return a team's open tasks (of one owner, due before a time), soonest first.

    Each comes with its customer's name (None without a customer) and its owner.
    """
    query = (
        select(Task, Customer.name, Member)
        .join(Customer, col(Customer.id) == Task.customer_id, isouter=True)
        .join(Member, col(Member.id) == Task.owner_id)
        .where(Task.team_id == team_id, Task.status == TaskStatus.OPEN)
    )
    if owner_id is not None:
        query = query.where(Task.owner_id == owner_id)
    if due_before is not None:
        query = query.where(Task.due_at < due_before)
    return list(session.exec(query.order_by(col(Task.due_at)).limit(limit)).all())


def unreminded() -> ColumnElement[bool]:
    """The predicate of ix_task_unreminded, repeated so the planner can use the index."""
    return and_(
        col(Task.status) == _OPEN,
        or_(col(Task.reminded_due_at).is_(None), col(Task.reminded_due_at) != col(Task.due_at)),
    )


def unescalated() -> ColumnElement[bool]:
    """The predicate of ix_task_unescalated."""
    return and_(col(Task.status) == _OPEN, col(Task.escalated_at).is_(None))


def lock_unreminded(
    *, session: Session, team_ids: Collection[int], now: datetime, limit: int
) -> list[DueTask]:
    """Lock the overdue, not yet reminded tasks of these teams, soonest first; skip locked ones."""
    return _lock(
        session,
        select_columns(*_DUE_COLUMNS)
        .where(unreminded(), col(Task.due_at) <= now, col(Task.team_id).in_(list(team_ids)))
        .order_by(col(Task.due_at), col(Task.id))
        .limit(limit),
    )


def lock_unescalated(
    *, session: Session, team_ids: Collection[int], due_before: datetime, limit: int
) -> list[DueTask]:
    """Lock the not yet escalated tasks of these teams due by `due_before`; skip locked ones."""
    return _lock(
        session,
        select_columns(*_DUE_COLUMNS)
        .where(
            unescalated(),
            col(Task.due_at) <= due_before,
            col(Task.team_id).in_(list(team_ids)),
        )
        .order_by(col(Task.due_at), col(Task.id))
        .limit(limit),
    )


def _lock(session: Session, query: Select[*tuple[Any, ...]]) -> list[DueTask]:
    rows = session.execute(query.with_for_update(skip_locked=True)).all()
    return [DueTask(*row) for row in rows]


def mark_reminded(*, session: Session, task_ids: list[int], now: datetime) -> None:
    """Note that the tasks' current due time has been reminded, at `now`."""
    _update(session, task_ids, reminded_due_at=col(Task.due_at), reminded_at=now)


def mark_escalated(*, session: Session, task_ids: list[int], now: datetime) -> None:
    """Note that the tasks have been escalated, at `now`."""
    _update(session, task_ids, escalated_at=now)


def remember_message(
    *, session: Session, task_ids: list[int], chat_id: int, message_id: int
) -> None:
    """Note the message that reminds of these tasks."""
    _update(session, task_ids, reminder_chat_id=chat_id, reminder_message_id=message_id)


def release_reminded(*, session: Session, task_ids: list[int], claimed_at: datetime) -> None:
    """Unmark the tasks reminded at `claimed_at` whose due time has not moved since."""
    _update(
        session,
        task_ids,
        col(Task.reminded_due_at) == col(Task.due_at),
        col(Task.reminded_at) == claimed_at,
        reminded_due_at=None,
        reminded_at=None,
    )


def release_escalated(*, session: Session, task_ids: list[int], claimed_at: datetime) -> None:
    """Unmark the tasks escalated at `claimed_at`."""
    _update(session, task_ids, col(Task.escalated_at) == claimed_at, escalated_at=None)


def _update(
    session: Session, task_ids: list[int], *where: ColumnElement[bool], **values: Any
) -> None:
    # One statement for them all; the caller's row locks keep others away meanwhile.
    session.execute(
        update(Task)
        .where(col(Task.id).in_(task_ids), *where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def open_due_before(*, session: Session, team_id: int, end: datetime) -> list[DueTask]:
    """Return a team's open tasks due before `end`, by owner, then soonest first."""
    rows = session.execute(
        select_columns(*_DUE_COLUMNS)
        .where(
            col(Task.team_id) == team_id,
            col(Task.status) == TaskStatus.OPEN,
            col(Task.due_at) < end,
        )
        .order_by(col(Task.owner_id), col(Task.due_at))
    ).all()
    return [DueTask(*row) for row in rows]


def waiting_on(*, session: Session, chat_id: int, message_id: int) -> list[DueTask]:
    """Return the open tasks a reminder message still reminds of (not snoozed or moved since)."""
    rows = session.execute(
        select_columns(*_DUE_COLUMNS)
        .where(
            col(Task.reminder_chat_id) == chat_id,
            col(Task.reminder_message_id) == message_id,
            col(Task.status) == TaskStatus.OPEN,
            col(Task.reminded_due_at) == col(Task.due_at),
        )
        .order_by(col(Task.due_at), col(Task.id))
    ).all()
    return [DueTask(*row) for row in rows]
