"""Exactly-once updates: the claim commits with the update's writes, or not at all."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.services.updates import AlreadyHandled, claim_update
from models.db import Database
from models.tables import ProcessedUpdate


def _claim(db: Database, clock: ManualClock, *, bot_id: int, update_id: int) -> None:
    with db.session() as s:
        claim_update(session=s, bot_id=bot_id, update_id=update_id, now=clock())


def test_an_update_is_claimed_once(db: Database, clock: ManualClock) -> None:
    _claim(db, clock, bot_id=1, update_id=7)
    with pytest.raises(AlreadyHandled):
        _claim(db, clock, bot_id=1, update_id=7)
    _claim(db, clock, bot_id=1, update_id=8)


def test_update_ids_of_another_bot_do_not_collide(db: Database, clock: ManualClock) -> None:
    _claim(db, clock, bot_id=1, update_id=7)
    _claim(db, clock, bot_id=2, update_id=7)
    with pytest.raises(AlreadyHandled):
        _claim(db, clock, bot_id=2, update_id=7)


def test_a_failed_unit_of_work_leaves_the_update_unclaimed(
    db: Database, clock: ManualClock
) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        claim_update(session=s, bot_id=1, update_id=7, now=clock())
        raise RuntimeError("the handler failed after the claim")
    with db.session() as s:
        assert s.exec(select(ProcessedUpdate)).all() == []
    _claim(db, clock, bot_id=1, update_id=7)  # the redelivery is applied
