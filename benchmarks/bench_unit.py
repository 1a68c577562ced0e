"""Benchmark: a /visit's unit of work alone, in one thread, without Telegram or the event loop.

What `handlers.entries.log_message` runs in a database thread for `/visit …`: the update's
claim and the team and member, the parse against the team's customers, the entry with its
activity and task, the card; then, in a transaction of its own, the card's message id. A team
of six customers (the capacity benchmark's) is set up first, then `--warm-up` visits, then
`--visits` timed ones, by CPU time (`time.process_time`) and wall time. The baseline in the same
run is a transaction that only claims the update: what any update costs at the least.

    .venv/bin/python -m benchmarks.bench_unit [--visits 400] [--profile] [--database-url URL]

With `--profile`, cProfile's top functions of the timed visits (by internal time). Use it to
see what a change to the unit of work buys before measuring it through the bot
(bench_capacity), where the same unit costs more: the GIL passes between it and the event loop.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import fresh_database, load, machine
from benchmarks.harness import CUSTOMERS, visit_text
from bot.parsing import parse_entry
from bot.services import customers, entries, teams
from bot.services.entries import LoggedEntry, Source
from bot.services.teams import TeamDefaults
from bot.views.entries import entry_card
from models.db import Database
from models.queries import updates
from models.queries.entries import set_card_message

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
CHAT, USER = -1009_000_000_001, 7


class Unit:
    """Units of work of one rep in one team, each with an update id of its own."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.update_id = 0

    def claim(self) -> None:
        self.update_id += 1
        with self.db.session() as session:
            updates.insert_claim(session=session, bot_id=1, update_id=self.update_id, now=NOW)

    def log(self, text: str) -> None:
        self.update_id += 1
        with self.db.session() as session:
            actor = teams.ensure_actor(
                session=session, chat_id=CHAT, title="Bench", user_id=USER, username="rep",
                full_name="Rep", defaults=TeamDefaults(), now=NOW,
                claim=updates.Claim(1, self.update_id, NOW),
            )  # fmt: skip
            parsed = parse_entry(
                text, now=NOW, tz=actor.tz, default_currency=actor.team.currency,
                known_customers=customers.customer_names(session=session, team=actor.team),
                bot_username="crm_test_bot", addressed=True, default_time=actor.due_time,
                habits=actor.date_habits,
            )  # fmt: skip
            logged = entries.log_entry(
                session=session, actor=actor, parsed=parsed,
                source=Source(CHAT, self.update_id, text), now=NOW,
            )  # fmt: skip
            assert isinstance(logged, LoggedEntry)
            entry_card(actor, logged, now=NOW)
            entry_id = logged.entry.id
        with self.db.session() as session:
            set_card_message(session=session, entry_id=entry_id, message_id=self.update_id)


def timed(runs: int, work: Callable[[int], None]) -> tuple[float, float]:
    """CPU and wall milliseconds per run of `work(i)`."""
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(runs):
        work(i)
    return (time.process_time() - cpu) / runs * 1000, (time.perf_counter() - wall) / runs * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=400)
    parser.add_argument("--warm-up", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(f"machine: {machine()} · {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(args.database_url or f"sqlite:///{Path(tmp) / 'unit.db'}")
        db = Database(url)
        db.upgrade()
        unit = Unit(db)
        with db.session() as session:  # the team, active, with its rep
            actor = teams.ensure_actor(
                session=session, chat_id=CHAT, title="Bench", user_id=USER, username="rep",
                full_name="Rep", defaults=TeamDefaults(), now=NOW,
            )  # fmt: skip
            actor.team.active = True
        for name in CUSTOMERS:
            unit.log(f"/lead {name}")
        timed(args.warm_up, lambda i: unit.log(visit_text(i)))
        profiler = cProfile.Profile() if args.profile else None
        if profiler is not None:
            profiler.enable()
        cpu, wall = timed(args.visits, lambda i: unit.log(visit_text(i)))
        if profiler is not None:
            profiler.disable()
        claim_cpu, claim_wall = timed(args.visits, lambda i: unit.claim())
        db.dispose()
    print(f"/visit unit of work and card id: CPU {cpu:.3f} ms, wall {wall:.3f} ms per visit")
    print(f"baseline, a claim alone:        CPU {claim_cpu:.3f} ms, wall {claim_wall:.3f} ms")
    if profiler is not None:
        print("(times under cProfile are about 1.7× these)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
