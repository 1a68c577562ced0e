"""Exactly-once handling of Telegram updates across restarts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.queries import updates as queries

Claim = queries.Claim  # an update to mark handled, as the query that writes it takes it


class AlreadyHandled(Exception):
    """The update was applied before (Telegram redelivered it after a restart)."""


def claim_update(*, session: Session, bot_id: int, update_id: int, now: datetime) -> None:
    """Record a bot's update as handled in the unit of work's transaction, its first statement.

    It commits with the update's own writes, or not at all: an update is either applied and
    marked, or neither. The primary key is the check; a redelivery (or a second process racing
    for the same update) fails it, the transaction is rolled back, and AlreadyHandled is raised.
    A unit that starts by loading its actor claims in that query instead (teams.ensure_actor).
    """
    with claiming(session, Claim(bot_id, update_id, now)):
        queries.insert_claim(session=session, bot_id=bot_id, update_id=update_id, now=now)


@contextmanager
def claiming(session: Session, claim: Claim | None) -> Iterator[None]:
    """Turn the claim's failure in the statements inside into AlreadyHandled, rolled back."""
    try:
        yield
    except IntegrityError:
        if claim is None:
            raise
        session.rollback()
        raise AlreadyHandled(claim.update_id) from None


def was_applied(*, session: Session, bot_id: int, update_id: int) -> bool:
    """Whether an update's unit of work has committed (a failure after it lost only a reply)."""
    return queries.is_claimed(session=session, bot_id=bot_id, update_id=update_id)


def forget_old_updates(
    *, session: Session, now: datetime, keep: timedelta = timedelta(days=7)
) -> int:
    """Delete the record of updates older than `keep`; Telegram never redelivers those."""
    return queries.delete_before(session=session, before=now - keep)
