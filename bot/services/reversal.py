"""What an entry changed in rows it did not create, kept so that taking it back restores them.

Undo and an edited message take an entry back: the rows it created go (entries.remove_entry_rows),
and what it changed in rows that were there before comes back from its activity's `restores`: the
customer's stage and lost reason, the open deal it closed or re-priced, the open follow-ups a
loss cancelled. A field comes back only if it still holds what the entry set: a later entry's
change is not undone by taking back an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from models.queries import customers as customer_queries
from models.tables import Activity, Customer, Deal, Entry, Task, TaskStatus

CUSTOMER_FIELDS = ("stage", "lost_reason")
DEAL_FIELDS = ("status", "stage", "closed_at", "amount", "currency", "lost_reason")


@dataclass(frozen=True)
class Before:
    """The fields an entry may change, as they were before it."""

    customer: dict[str, Any]
    deal: dict[str, Any] | None  # the customer's open deal, if it had one


def before(customer: Customer, deal: Deal | None) -> Before:
    """Note the customer's and its open deal's fields before an entry changes them."""
    return Before(
        customer=_values(customer, CUSTOMER_FIELDS),
        deal=_values(deal, DEAL_FIELDS) if deal is not None else None,
    )


def cancel_open_tasks(*, session: Session, customer_id: int, now: datetime) -> list[Task]:
    """Cancel a customer's open tasks (a lost customer is followed up no more); return them."""
    cancelled = customer_queries.open_tasks_of(session=session, customer_id=customer_id)
    for task in cancelled:
        task.status = TaskStatus.CANCELLED
        task.done_at = now
    return cancelled


def changes(
    was: Before, customer: Customer, deal: Deal | None, cancelled: list[Task]
) -> dict[str, Any] | None:
    """What an entry changed, for its activity to keep: each field as [before, after], the tasks.

    `deal` is the open deal `was` was taken of (a deal the entry created goes with it on undo).
    """
    restores: dict[str, Any] = {}
    changed = _changes(was.customer, _values(customer, CUSTOMER_FIELDS))
    if changed:
        restores["customer"] = changed
    if was.deal is not None and deal is not None:
        changed = _changes(was.deal, _values(deal, DEAL_FIELDS))
        if changed:
            restores["deal"] = {"id": deal.id, "fields": changed}
    if cancelled:
        restores["tasks"] = [task.id for task in cancelled]
    return restores or None


def recorded(*, session: Session, entry_id: int) -> dict[str, Any]:
    """What an entry changed, as its activity keeps it ({} if nothing)."""
    found = session.exec(select(Activity.restores).where(Activity.entry_id == entry_id)).first()
    return dict(found or {})


def cancelled_count(*, session: Session, entry_id: int) -> int:
    """How many of its customer's open follow-ups an entry (a loss) cancelled."""
    return len(recorded(session=session, entry_id=entry_id).get("tasks", []))


def restore(*, session: Session, entry: Entry) -> None:
    """Put back what the entry changed, where it still holds what the entry set."""
    restores = recorded(session=session, entry_id=entry.id)
    customer = session.get(Customer, entry.customer_id) if entry.customer_id else None
    if customer is not None:
        _put_back(customer, restores.get("customer", {}))
    deal_changes = restores.get("deal")
    if deal_changes:
        deal = session.get(Deal, deal_changes["id"])
        if deal is not None:
            _put_back(deal, deal_changes["fields"])
    for task_id in restores.get("tasks", []):
        task = session.get(Task, task_id)
        if task is not None and task.status == TaskStatus.CANCELLED:
            task.status, task.done_at = TaskStatus.OPEN, None


def _values(row: Customer | Deal, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _stored(getattr(row, name)) for name in fields}


def _changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [old[name], new[name]] for name in old if old[name] != new[name]}


def _put_back(row: Customer | Deal, changes: dict[str, list[Any]]) -> None:
    for name, (was, set_to) in changes.items():
        if _stored(getattr(row, name)) == set_to:
            setattr(row, name, _loaded(name, was))


def _stored(value: Any) -> Any:
    """A field's value as JSON keeps it."""
    if isinstance(value, datetime):  # in UTC, however the driver hands it back
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 50000 and 50000.00 are one amount
    return value


def _loaded(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "closed_at":
        return datetime.fromisoformat(value)
    if name == "amount":
        return Decimal(value)
    return value
