"""Benchmark: finding and claiming due reminders among 100,000 open tasks.

Builds a database of many teams (default 1,000 teams, 5 members each, 100,000 open tasks with
due times spread over the last and the next 30 days; what fell due more than a run ago was
already reminded), then times, over repeated runs, in the same process:

* find   - the claim query alone (ix_task_unreminded, the partial index)
* claim  - claim_due_reminders(): working teams, the locked query, marking, rendering; rolled
           back after each run so every run sees the same due rows
* baseline-index - the same claim query with the partial index dropped (ix_task_due only)
* baseline-scan  - a naive claim: load every open task of the working teams, filter in Python
* claim-idle     - claim_due_reminders() once everything due is claimed: the per-minute case

Run:  .venv/bin/python -m benchmarks.bench_reminders [--database-url postgresql+psycopg://…]
Without --database-url it uses a temporary SQLite file. Target: claim p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, text
from sqlmodel import col, select

from benchmarks.common import NOW, database_version, ensure_database, machine, percentile
from bot.services import reminders
from bot.views.reminders import notice_keyboard, notice_text
from models.db import Database
from models.queries.tasks import unreminded
from models.tables import TASK_UNREMINDED, Member, Task, TaskStatus, Team

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Asia/Singapore"]


def build(db: Database, *, teams: int, members: int, tasks: int, seed: int = 7) -> int:
    """Fill an empty, migrated database; return how many tasks are due and unreminded."""
    rng = random.Random(seed)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Team),
            [
                {
                    "id": i + 1,
                    "chat_id": -1001000000000 - i,
                    "title": f"Team {i}",
                    "timezone": ZONES[i % len(ZONES)],
                    "language": "en",
                    "currency": "CNY",
                    "active": True,
                    "created_at": NOW,
                    "protection_days": 90,
                    "pool_after_days": 30,
                    "workday_start": "00:00" if i % 2 else "09:00",  # half of them work now
                    "workday_end": "23:59" if i % 2 else "18:00",
                    "work_weekdays": "1234567" if i % 2 else "12345",
                    "default_due_time": "09:00",
                    "remind_privately": False,
                    "escalate_after_hours": 24,
                    "morning_agenda": False,
                    "digest_enabled": True,
                    "digest_weekday": 1,
                    "digest_time": "09:00",
                    "digest_skip_empty": False,
                    "warn_drop_pct": 30,
                    "partner_silent_days": 14,
                    "churn_silent_days": 30,
                    "stages": [],
                }
                for i in range(teams)
            ],
        )
        conn.execute(
            insert(Member),
            [
                {
                    "id": t * members + m + 1,
                    "team_id": t + 1,
                    "user_id": 10_000 + t * members + m,
                    "username": f"rep{t}_{m}",
                    "full_name": f"Rep {t} {m}",
                    "role": "rep",
                    "private_chat": False,
                    "joined_at": NOW,
                }
                for t in range(teams)
                for m in range(members)
            ],
        )
        rows = []
        due_unreminded = 0
        for n in range(tasks):
            team = n % teams
            due = NOW + timedelta(minutes=rng.randint(-30 * 24 * 60, 30 * 24 * 60))
            # Steady state: whatever fell due before the last run (a minute ago) was reminded,
            # except in the last night, when the off-hours half of the teams was not at work.
            fresh = NOW - timedelta(hours=16) < due <= NOW
            reminded = due <= NOW and not fresh
            due_unreminded += fresh
            rows.append(
                {
                    "team_id": team + 1,
                    "owner_id": team * members + rng.randrange(members) + 1,
                    "title": f"task {n}",
                    "due_at": due,
                    "status": TaskStatus.OPEN.value,
                    "reminded_at": due if reminded else None,
                    "reminded_due_at": due if reminded else None,
                    "created_at": due - timedelta(days=1),
                }
            )
            if len(rows) == 5000:
                conn.execute(insert(Task), rows)
                rows = []
        if rows:
            conn.execute(insert(Task), rows)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return due_unreminded


def timed(run: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    """Run `run` once to warm up, then `repeat` times; return milliseconds and its last count."""
    count = run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        count = run()
        times.append((time.perf_counter() - started) * 1000)
    return times, count


def report(name: str, times: list[float], count: int) -> None:
    print(
        f"  {name:<15} p50 {percentile(times, 50):8.1f} ms   p95 {percentile(times, 95):8.1f} ms"
        f"   max {max(times):8.1f} ms   rows {count}"
    )


def bench(db: Database, *, repeat: int, limit: int) -> None:
    def working_ids() -> list[int]:
        with db.session() as s:
            return list(reminders.working_teams(session=s, now=NOW))

    ids = working_ids()

    def find() -> int:
        with db.session() as s:
            rows = s.exec(
                select(Task.id)
                .where(unreminded(), col(Task.due_at) <= NOW, col(Task.team_id).in_(ids))
                .order_by(col(Task.due_at), col(Task.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            s.rollback()
            return len(rows)

    def claim() -> int:
        with db.session() as s:
            notices = reminders.claim_due_reminders(session=s, now=NOW, limit=limit)
            for notice in notices:  # worded as the job words them, as before the split
                notice_text(notice)
                notice_keyboard(notice)
            s.rollback()  # leave the rows due, so every run claims the same
            return sum(len(n.task_ids) for n in notices)

    def naive() -> int:
        with db.session() as s:
            open_tasks = s.exec(
                select(Task).where(Task.status == TaskStatus.OPEN, col(Task.team_id).in_(ids))
            ).all()
            due = [t for t in open_tasks if t.due_at <= NOW and t.reminded_due_at != t.due_at][
                :limit
            ]
            s.rollback()
            return len(due)

    print(f"  plan:          {plan(db, ids, limit)}")
    results = {"find": timed(find, repeat), "claim": timed(claim, repeat)}
    with db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_task_unreminded"))
    db.engine.dispose()  # no pooled connection keeps a plan that used the index
    try:
        print(f"  baseline plan: {plan(db, ids, limit)}")
        results["baseline-index"] = timed(claim, repeat)
    finally:
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE INDEX ix_task_unreminded ON task (status, due_at) "
                    f"WHERE {TASK_UNREMINDED}"
                )
            )
    results["baseline-scan"] = timed(naive, max(3, repeat // 5))
    # The usual run, every minute: what was due is claimed already, nothing new is.
    with db.session() as s:
        reminders.claim_due_reminders(session=s, now=NOW, limit=10 * limit)
    results["claim-idle"] = timed(claim, repeat)
    for name, (times, count) in results.items():
        report(name, times, count)


def plan(db: Database, ids: list[int], limit: int) -> str:
    query = (
        select(Task.id)
        .where(unreminded(), col(Task.due_at) <= NOW, col(Task.team_id).in_(ids))
        .order_by(col(Task.due_at), col(Task.id))
        .limit(limit)
    )
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
    with db.engine.connect() as conn:
        rows = conn.execute(text(prefix + str(compiled))).all()
    return " | ".join(str(row[-1]).strip() for row in rows)[:300]


def run_one(url: str, args: argparse.Namespace) -> None:
    db = Database(ensure_database(url))
    try:
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.upgrade()
        started = time.perf_counter()
        due = build(db, teams=args.teams, members=args.members, tasks=args.tasks)
        built = time.perf_counter() - started
        print(
            f"\n{database_version(db.engine)}: {args.tasks:,} open tasks, {args.teams:,} teams, "
            f"{due:,} due and unreminded (built in {built:.1f} s), claim limit {args.limit}, "
            f"{args.repeat} runs"
        )
        bench(db, repeat=args.repeat, limit=args.limit)
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", action="append", default=[],
                        help="also run against this database (it is wiped!)")  # fmt: skip
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--limit", type=int, default=reminders.CLAIM_LIMIT)
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    urls = list(args.database_url)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_sqlite:
            urls.insert(0, f"sqlite:///{Path(tmp) / 'bench.db'}")
        for url in urls:
            run_one(url, args)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
