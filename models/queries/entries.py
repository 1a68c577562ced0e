"""Logged entries and the rows each created."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, or_, update
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from models.tables import Activity, Deal, Entry, Member, Task

ENTRY = Entry.__table__  # type: ignore[attr-defined]
# Built once: every logged message runs it. A Core insert that returns the id lets the rows
# that point at the entry go into the unit of work's one flush.
_INSERT_ENTRY = insert(ENTRY).returning(ENTRY.c.id)


def add_entry(*, session: Session, **values: Any) -> Entry:
    """Insert an entry now, in one statement; return it as a row of the session."""
    entry_id = session.execute(_INSERT_ENTRY, values).scalar_one()
    entry = Entry(id=entry_id, **values)
    make_transient_to_detached(entry)  # it is stored: later changes to it are UPDATEs
    session.add(entry)
    return entry


def last_live_entry(*, session: Session, team_id: int, member_id: int) -> Entry | None:
    """A member's newest entry that was not taken back."""
    return session.exec(
        select(Entry)
        .where(
            Entry.team_id == team_id, Entry.member_id == member_id, col(Entry.undone_at).is_(None)
        )
        .order_by(col(Entry.id).desc())
    ).first()


def live_entry_for_message(
    *, session: Session, team_id: int, chat_id: int, message_id: int
) -> Entry | None:
    """The live entry logged from a chat message."""
    return session.exec(
        select(Entry).where(
            Entry.team_id == team_id,
            Entry.chat_id == chat_id,
            Entry.message_id == message_id,
            col(Entry.undone_at).is_(None),
        )
    ).first()


def entries_of_customer(*, session: Session, customer_id: int) -> list[Entry]:
    return list(session.exec(select(Entry).where(Entry.customer_id == customer_id)))


def task_of(*, session: Session, entry_id: int) -> Task | None:
    """The task an entry created."""
    return session.exec(select(Task).where(Task.entry_id == entry_id)).first()


def deal_of(*, session: Session, entry_id: int) -> Deal | None:
    """The deal an entry created."""
    return session.exec(select(Deal).where(Deal.entry_id == entry_id)).first()


def created_rows(*, session: Session, entry_id: int) -> list[Activity | Task | Deal]:
    """The activities, tasks and deals an entry created."""
    return [
        *session.exec(select(Activity).where(Activity.entry_id == entry_id)),
        *session.exec(select(Task).where(Task.entry_id == entry_id)),
        *session.exec(select(Deal).where(Deal.entry_id == entry_id)),
    ]


def proposals(
    *, session: Session, customer_id: int, owner_id: int | None, limit: int
) -> list[tuple[Entry, Member | None]]:
    """Live entries by others than the owner that proposed an amount or a close, newest first."""
    proposed = or_(col(Entry.proposed_amount).is_not(None), col(Entry.proposed_stage).is_not(None))
    query = (
        select(Entry, Member)
        .join(Member, col(Member.id) == Entry.member_id, isouter=True)
        .where(Entry.customer_id == customer_id, col(Entry.undone_at).is_(None), proposed)
        .order_by(col(Entry.id).desc())
        .limit(limit)
    )
    if owner_id is not None:
        query = query.where(Entry.member_id != owner_id)
    return [(entry, member) for entry, member in session.exec(query).all()]


# Built once, as every card runs it; a Core statement on the table skips the ORM's update path.
_SET_CARD_MESSAGE = (
    update(Entry.__table__)  # type: ignore[attr-defined]
    .where(Entry.__table__.c.id == bindparam("entry_id"))  # type: ignore[attr-defined]
    .values(card_message_id=bindparam("card_message_id"))
)


def set_card_message(*, session: Session, entry_id: int, message_id: int) -> None:
    """Note which bot message is an entry's card, in one UPDATE."""
    session.execute(_SET_CARD_MESSAGE, {"entry_id": entry_id, "card_message_id": message_id})
