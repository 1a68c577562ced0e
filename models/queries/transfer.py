"""Moving a customer with everything of it to another team of its company, in a few statements.

The customer gets a new row (a new id) in its new team, and its contacts, deals, activities
and tasks are pointed at it; the old row goes. A new id, because each process keeps a team's
customer names by id and catches up on the ids above the newest it has seen
(bot.services.names): a row that kept its id would never reach the new team's books in the
other processes. These are Core statements, unseen by the report counters' flush hook: the
caller counts the customer out of its old team before and into its new one after
(models.counters.count_customers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, insert, update
from sqlmodel import Session, col, func, select

from models.tables import Activity, Contact, Customer, Deal, DealStatus, Entry, Task, TaskStatus

# What the moved customer's new row takes over unchanged from the old one
KEPT = (
    "name", "normalized_name", "stage", "lost_reason", "created_at", "created_by",
)  # fmt: skip


@dataclass(frozen=True)
class Destination:
    """Where a customer goes: its new team, owner, attribution and protection."""

    team_id: int
    owner_id: int
    channel_id: int | None
    partner_id: int | None
    now: datetime
    protected_until: datetime


@dataclass(frozen=True)
class MovedRows:
    """What went along with a customer."""

    customer_id: int  # the new row's
    deals: int
    activities: int
    tasks: int


def move(*, session: Session, customer: Customer, to: Destination, first_number: int) -> MovedRows:
    """Give the customer a row in `to`'s team and move its rows there; drop the old row.

    Its tasks are numbered from `first_number` on (reserved in the new team), in their old
    order. Its open deal and open tasks go to the new owner; what is done stays credited to
    whoever did it. Links to the old team's chat messages (entries, reminder messages) are cut:
    an undo or a button there no longer reaches the customer.
    """
    old = customer.id
    values: dict[str, Any] = {name: getattr(customer, name) for name in KEPT}
    new = session.execute(
        insert(Customer)
        .values(
            **values,
            team_id=to.team_id,
            owner_id=to.owner_id,
            channel_id=to.channel_id,
            partner_id=to.partner_id,
            registered_at=to.now,
            protected_until=to.protected_until,
            last_activity_at=to.now,
            pooled_at=None,
        )
        .returning(col(Customer.id))
    ).scalar_one()
    session.execute(
        update(Contact)
        .where(col(Contact.customer_id) == old)
        .values(team_id=to.team_id, customer_id=new)
    )
    session.execute(
        update(Deal)
        .where(col(Deal.customer_id) == old, col(Deal.status) == DealStatus.OPEN)
        .values(owner_id=to.owner_id)
    )
    deals = _count(
        session,
        update(Deal)
        .where(col(Deal.customer_id) == old)
        .values(team_id=to.team_id, customer_id=new, entry_id=None),
    )
    activities = _count(
        session,
        update(Activity)
        .where(col(Activity.customer_id) == old)
        .values(team_id=to.team_id, customer_id=new, entry_id=None),
    )
    tasks = _move_tasks(session, old, new, to, first_number)
    session.execute(update(Entry).where(col(Entry.customer_id) == old).values(customer_id=None))
    session.execute(delete(Customer).where(col(Customer.id) == old))
    return MovedRows(new, deals, activities, tasks)


def _count(session: Session, statement: Any) -> int:
    """Run an UPDATE; return how many rows it changed."""
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    return result.rowcount


def task_count(*, session: Session, customer_id: int) -> int:
    """How many tasks, open or not, a customer has."""
    return session.exec(
        select(func.count()).select_from(Task).where(Task.customer_id == customer_id)
    ).one()


def _move_tasks(session: Session, old: int, new: int, to: Destination, first_number: int) -> int:
    """Move a customer's tasks, numbered anew; return how many there were."""
    tasks = session.execute(
        select(col(Task.id), col(Task.status))
        .where(Task.customer_id == old)
        .order_by(col(Task.number))
    ).all()
    rows: list[dict[str, Any]] = []
    for offset, (task_id, task_status) in enumerate(tasks):
        row: dict[str, Any] = {
            "id": task_id, "team_id": to.team_id, "customer_id": new,
            "number": first_number + offset, "entry_id": None,
            "reminder_chat_id": None, "reminder_message_id": None,
        }  # fmt: skip
        if task_status == TaskStatus.OPEN:  # reminded to its new owner, in the new team
            row.update(owner_id=to.owner_id, reminded_due_at=None, escalated_at=None)
        rows.append(row)
    if rows:
        session.execute(update(Task), rows)  # by primary key, grouped by the keys each row has
    return len(rows)
