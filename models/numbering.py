"""Task numbers per team: a team's first task is #1, whatever other teams have done.

A new task gets its number in the flush that inserts it, from a counter on its team's row:
one `UPDATE team SET task_seq = task_seq + n … RETURNING task_seq` per team and flush reserves
the numbers of all its new tasks. On PostgreSQL the UPDATE locks the team's row until the
transaction ends, so two processes adding tasks to one team take turns and never draw the
same number (max(number) + 1 would draw it twice under READ COMMITTED and need a retry of
the whole unit of work); on SQLite the unit of work already holds the one writer's lock. The
unique (team_id, number) constraint stands behind it. It costs one statement per unit of
work that adds tasks; other teams are never held up.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import event, inspect, update
from sqlmodel import Session, col

from models.tables import Task, Team


def reserve_task_numbers(session: Session, team_id: int, count: int) -> int:
    """Reserve `count` numbers of a team's tasks; return the first."""
    last = (
        session.connection()
        .execute(
            update(Team)
            .where(col(Team.id) == team_id)
            .values(task_seq=col(Team.task_seq) + count)
            .returning(col(Team.task_seq))
        )
        .scalar_one()
    )
    return int(last) - count + 1


@event.listens_for(Session, "before_flush")
def _number_new_tasks(session: Session, _context: Any, _instances: Any) -> None:
    fresh: dict[int, list[Task]] = defaultdict(list)
    for obj in session.new:
        if isinstance(obj, Task) and obj.number is None:
            fresh[obj.team_id].append(obj)
    for team_id, tasks in fresh.items():
        first = reserve_task_numbers(session, team_id, len(tasks))
        # In the order they were added: session.new is a set
        for offset, task in enumerate(sorted(tasks, key=_added_order)):
            task.number = first + offset


def _added_order(task: Task) -> int:
    return inspect(task).insert_order or 0
