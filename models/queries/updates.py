"""The record of handled Telegram updates."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Executable, Result, bindparam, delete, insert, select
from sqlmodel import Session, col

from models.tables import ProcessedUpdate

TABLE = ProcessedUpdate.__table__  # type: ignore[attr-defined]
# Built once: every update runs it, and a Core insert skips the ORM's unit of work.
_CLAIM = insert(TABLE)
# The same insert as a data-modifying WITH for PostgreSQL, which runs it whether or not the
# query it is attached to reads it: the claim then costs no round trip of its own. Its bind
# parameters are prefixed so that they never meet the query's.
CLAIM_CTE = (
    insert(TABLE)
    .values(
        bot_id=bindparam("claim_bot_id"),
        update_id=bindparam("claim_update_id"),
        processed_at=bindparam("claim_at"),
    )
    .returning(TABLE.c.update_id)
    .cte("claim")
)


class Claim(NamedTuple):
    """An update to mark handled: which bot's, which one, when."""

    bot_id: int
    update_id: int
    at: datetime


def insert_claim(*, session: Session, bot_id: int, update_id: int, now: datetime) -> None:
    """Insert an update's row; the primary key refuses a second one (IntegrityError)."""
    session.execute(_CLAIM, {"bot_id": bot_id, "update_id": update_id, "processed_at": now})


def execute_claimed(
    session: Session,
    query: Executable,
    claimed: Executable,
    params: dict[str, Any],
    claim: Claim | None,
) -> Result[*tuple[Any, ...]]:
    """Execute `query` with an update's claim before it (IntegrityError: claimed already).

    On PostgreSQL `claimed` runs, the query with CLAIM_CTE added: one statement. SQLite has no
    data-modifying WITH, so there the claim is inserted first, then the query runs.
    """
    if claim is None:
        return session.execute(query, params)
    if session.get_bind().dialect.name == "postgresql":
        bound = {"claim_bot_id": claim.bot_id, "claim_update_id": claim.update_id}
        return session.execute(claimed, {**params, **bound, "claim_at": claim.at})
    insert_claim(session=session, bot_id=claim.bot_id, update_id=claim.update_id, now=claim.at)
    return session.execute(query, params)


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
