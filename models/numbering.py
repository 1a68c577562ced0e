"""Task numbers per team: a team's first task is #1, whatever other teams have done.

A new task draws its number inside its own INSERT: `number = (SELECT task_seq + 1 FROM team
WHERE id = … FOR UPDATE)`, and a trigger after the insert (revision 0014) moves the team's
`task_seq` up to it. The INSERT returns the number, so the flush knows it without a statement of
its own. On PostgreSQL the sub-select locks the team's row until the transaction ends, so two
processes adding tasks to one team take turns: the second waits, then reads the row as the first
left it (READ COMMITTED follows a locked row to its newest version) and never draws the same
number (max(number) + 1 would draw it twice and need a retry of the whole unit of work); on
SQLite the unit of work already holds the one writer's lock. The unique (team_id, number)
constraint stands behind it. Other teams are never held up.

Bulk inserts, which skip the flush, reserve their numbers first with `reserve_task_numbers`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, event, select, update
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


@lru_cache(maxsize=4096)
def next_number(team_id: int) -> Any:
    """The SQL that draws a team's next task number inside the task's INSERT.

    Built once per team (a task's flush would otherwise build and key it anew each time).
    """
    return (
        select(col(Team.task_seq) + 1)
        .where(col(Team.id) == bindparam("next_number_team", team_id))
        .with_for_update()
        .scalar_subquery()
    )


@event.listens_for(Session, "before_flush")
def _number_new_tasks(session: Session, _context: Any, _instances: Any) -> None:
    # The flush inserts them one by one in the order they were added, each after the trigger
    # of the one before has moved the counter on.
    for obj in session.new:
        if isinstance(obj, Task) and obj.number is None:
            obj.number = next_number(obj.team_id)
