"""Exactly-once updates: a redelivered update is recognised, in the same or a later session."""

from __future__ import annotations

from bot.clock import ManualClock
from bot.services.updates import claim_update
from models.db import Database


def test_an_update_is_claimed_once(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        assert claim_update(session=s, bot_id=1, update_id=7, now=clock()) is True
        assert claim_update(session=s, bot_id=1, update_id=7, now=clock()) is False
        assert claim_update(session=s, bot_id=1, update_id=8, now=clock()) is True
    with db.session() as s:
        assert claim_update(session=s, bot_id=1, update_id=7, now=clock()) is False
        assert claim_update(session=s, bot_id=1, update_id=9, now=clock()) is True


def test_update_ids_of_another_bot_do_not_collide(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        assert claim_update(session=s, bot_id=1, update_id=7, now=clock()) is True
        assert claim_update(session=s, bot_id=2, update_id=7, now=clock()) is True
        assert claim_update(session=s, bot_id=2, update_id=7, now=clock()) is False
