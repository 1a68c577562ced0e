"""Customers: names by id."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, col, select

from models.tables import Customer


def customer_names(*, session: Session, ids: Collection[int]) -> dict[int, str]:
    """Return the names of these customers, by id."""
    if not ids:
        return {}
    rows = session.exec(
        select(Customer.id, Customer.name).where(col(Customer.id).in_(list(ids)))
    ).all()
    return {int(customer_id or 0): name for customer_id, name in rows}
