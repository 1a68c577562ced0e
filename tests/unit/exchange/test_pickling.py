"""Export tables and parsed imports pickle their rows in chunks, and come back equal."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from decimal import Decimal

from bot.exchange.pickling import CHUNK, reduce_in_chunks
from bot.exchange.writers import Table


def test_a_table_pickles_its_rows_a_chunk_at_a_time_and_in_order() -> None:
    when = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    rows = [[i, f"客户{i}", Decimal("12.50"), when, None] for i in range(2 * CHUNK + 1)]
    table = Table("customers", ["ID", "Customer", "Amount", "Created", "Lost"], rows)
    _, (cls, plain, lists) = reduce_in_chunks(table)
    assert cls is Table and plain == {"name": "customers"}
    assert len(lists["rows"]) == 3 and len(lists["headers"]) == 1
    assert pickle.loads(pickle.dumps(table)) == table


def test_an_empty_table_round_trips() -> None:
    table = Table("tasks", ["ID"], [])
    assert pickle.loads(pickle.dumps(table)) == table
