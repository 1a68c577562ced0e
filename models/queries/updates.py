"""The record of handled Telegram updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlmodel import Session, col

from models.tables import ProcessedUpdate

# Built once: every update runs it, and a Core insert skips the ORM's unit of work.
_CLAIM = insert(ProcessedUpdate.__table__)  # type: ignore[attr-defined]


def insert_claim(*, session: Session, bot_id: int, update_id: int, now: datetime) -> None:
    """Insert an update's row; the primary key refuses a second one (IntegrityError)."""
    session.execute(_CLAIM, {"bot_id": bot_id, "update_id": update_id, "processed_at": now})


def is_claimed(*, session: Session, bot_id: int, update_id: int) -> bool:
    """Whether an update's row is there: its unit of work has committed."""
    found = session.execute(
        select(col(ProcessedUpdate.update_id)).where(
            col(ProcessedUpdate.bot_id) == bot_id, col(ProcessedUpdate.update_id) == update_id
        )
    ).first()
    return found is not None


def delete_before(*, session: Session, before: datetime) -> int:
    """Delete the rows of updates handled before `before`; return how many."""
    result = session.execute(
        delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
