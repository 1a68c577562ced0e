"""Exactly-once handling of Telegram updates across restarts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.tables import ProcessedUpdate


def claim_update(*, session: Session, bot_id: int, update_id: int, now: datetime) -> bool:
    """Record a bot's update as handled; return False if it was handled before."""
    # The primary key is the check: one INSERT per update, and a redelivery fails it.
    try:
        with session.begin_nested():
            session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id, processed_at=now))
    except IntegrityError:
        return False
    return True


def forget_old_updates(
    *, session: Session, now: datetime, keep: timedelta = timedelta(days=7)
) -> int:
    """Delete the record of updates older than `keep`; Telegram never redelivers those."""
    result = session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - keep)  # type: ignore[arg-type]
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
