"""Generate a large crmbot dataset for the stats and digest benchmarks.

Default: 1,000 teams, 100,000 customers and 1,000,000 activities (plus deals, tasks,
partners, members, channels) over the year before 24 Nov 2026, into a fresh SQLite file;
--database-url writes to PostgreSQL instead. Rows are built as plain dicts and inserted with
SQLAlchemy Core executemany, a batch of teams per transaction; ids are assigned here so that
rows can point at each other without reading anything back.

    .venv/bin/python -m benchmarks.generate                         # data/bench.db
    .venv/bin/python -m benchmarks.generate --database-url postgresql+psycopg://…/bench --reset
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, func, insert, select, text
from sqlmodel import SQLModel

from benchmarks.common import NOW, ensure_database
from bot.parsing import normalize_name
from bot.services.teams import DEFAULT_STAGES
from models import counters
from models.db import Database
from models.tables import (
    Activity,
    Channel,
    ChannelKind,
    Customer,
    Deal,
    Member,
    Partner,
    Role,
    Task,
    Team,
)

DEFAULT_URL = "sqlite:///data/bench.db"
YEAR = 365 * 86400
ZONES = [
    ("Asia/Shanghai", 80),
    ("Asia/Hong_Kong", 8),
    ("Europe/Berlin", 6),
    ("America/New_York", 6),
]
OPEN_STAGES = ("lead", "contacted", "visited", "quoted", "contract", "shipped")
KINDS = [("visit", 35), ("call", 25), ("followup", 15), ("note", 20), ("stage", 5)]
TEAMS_PER_BATCH = 50


@dataclass(frozen=True)
class Size:
    teams: int = 1000
    customers_per_team: int = 100
    activities_per_customer: int = 10  # including the lead itself
    reps: int = 5
    partners: int = 10
    deal_share: float = 0.4
    task_share: float = 0.5
    first_team: int = 0  # the number of the first team (its chat and user ids follow from it)


def team_chat_id(number: int) -> int:
    """Return the chat id of generated team `number`."""
    return -1001_000_000_000 - number


def team_user_ids(number: int, reps: int) -> list[int]:
    """Return the Telegram user ids of team `number`'s members: its manager first, then reps."""
    return [number * 100 + m for m in range(reps + 1)]


@dataclass
class Ids:
    """The next id of each table (the database is fresh, so ids are ours to give)."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


def _template(model: type[SQLModel], **required: Any) -> dict[str, Any]:
    """Every column with its Python default, so executemany rows carry all NOT NULL values."""
    values = model(**required).model_dump()
    values.pop("id", None)
    return values


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _when(rng: random.Random, start: float, end: float) -> datetime:
    return datetime.fromtimestamp(rng.uniform(start, end), UTC)


def team_batch(
    first_team: int, count: int, size: Size, ids: Ids, rng: random.Random
) -> dict[str, list[dict[str, Any]]]:
    """Build the rows of `count` teams, table by table."""
    rows: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in ("team", "member", "channel", "partner", "customer", "deal", "activity", "task")
    }
    now_ts, year_ago = NOW.timestamp(), NOW.timestamp() - YEAR
    team_t = _template(Team, chat_id=0, created_at=NOW)
    member_t = _template(Member, team_id=0, user_id=0, joined_at=NOW)
    partner_t = _template(Partner, team_id=0, name="", normalized_name="", created_at=NOW)
    customer_t = _template(Customer, team_id=0, name="", normalized_name="", created_at=NOW)
    deal_t = _template(Deal, team_id=0, customer_id=0, created_at=NOW)
    activity_t = _template(Activity, team_id=0, occurred_at=NOW)
    task_t = _template(Task, team_id=0, owner_id=0, title="", due_at=NOW, created_at=NOW)
    stages = [{"key": key, "name": None} for key in DEFAULT_STAGES]
    for number in range(first_team, first_team + count):
        team_id = ids.take("team")
        activated = NOW - timedelta(days=400)
        rows["team"].append(
            {
                **team_t,
                "id": team_id,
                "chat_id": team_chat_id(number),
                "title": f"Team {number}",
                "timezone": _weighted(rng, ZONES),
                "language": rng.choice(("en", "zh")),
                "active": True,
                "activated_at": activated,
                "created_at": activated,
                "stages": stages,
            }
        )
        members = []
        for m, user_id in enumerate(team_user_ids(number, size.reps)):
            member_id = ids.take("member")
            members.append(member_id)
            rows["member"].append(
                {
                    **member_t,
                    "id": member_id,
                    "team_id": team_id,
                    "user_id": user_id,
                    "username": f"u{number}_{m}",
                    "full_name": f"User {m}",
                    "role": Role.MANAGER if m == 0 else Role.REP,
                    "joined_at": activated,
                }
            )
        reps = members[1:]
        tasks = 0  # the team's task numbers: #1, #2, … (models/numbering.py's sequence)
        channels = []
        for kind in ChannelKind:
            channel_id = ids.take("channel")
            channels.append(channel_id)
            rows["channel"].append(
                {"id": channel_id, "team_id": team_id, "kind": kind.value, "name": kind.value}
            )
        partners = []
        for p in range(size.partners):
            partner_id = ids.take("partner")
            partners.append(partner_id)
            rows["partner"].append(
                {
                    **partner_t,
                    "id": partner_id,
                    "team_id": team_id,
                    "name": f"Partner {p}",
                    "normalized_name": normalize_name(f"Partner {p}"),
                    "tier": rng.choice("ABC"),
                    "channel_id": rng.choice(channels[:3]),
                    "owner_id": rng.choice(reps),
                    "created_at": activated,
                }
            )
        for c in range(size.customers_per_team):
            customer_id = ids.take("customer")
            created_ts = rng.uniform(year_ago, now_ts)
            created = datetime.fromtimestamp(created_ts, UTC)
            owner = rng.choice(reps)
            channel_id = rng.choice(channels)
            last = created
            rows["activity"].append(
                {
                    **activity_t,
                    "id": ids.take("activity"),
                    "team_id": team_id,
                    "customer_id": customer_id,
                    "member_id": owner,
                    "kind": "lead",
                    "occurred_at": created,
                }
            )
            extra = rng.randint(0, 2 * (size.activities_per_customer - 1))
            for _ in range(extra):
                when = _when(rng, created_ts, now_ts)
                last = max(last, when)
                rows["activity"].append(
                    {
                        **activity_t,
                        "id": ids.take("activity"),
                        "team_id": team_id,
                        "customer_id": customer_id,
                        "member_id": rng.choice(reps),
                        "kind": _weighted(rng, KINDS),
                        "occurred_at": when,
                    }
                )
            stage = rng.choice(OPEN_STAGES)
            if rng.random() < size.deal_share:
                status = rng.choices(("won", "lost", "open"), weights=(4, 2, 4))[0]
                closed = _when(rng, created_ts, now_ts) if status != "open" else None
                stage = stage if status == "open" else status
                rows["deal"].append(
                    {
                        **deal_t,
                        "id": ids.take("deal"),
                        "team_id": team_id,
                        "customer_id": customer_id,
                        "owner_id": owner,
                        "stage": stage,
                        "status": status,
                        "amount": Decimal(rng.randrange(1000, 500_000)).quantize(Decimal("0.01")),
                        "currency": "CNY",
                        "created_at": created,
                        "closed_at": closed,
                    }
                )
            rows["customer"].append(
                {
                    **customer_t,
                    "id": customer_id,
                    "team_id": team_id,
                    "name": customer_name(number, c),
                    # The bot's own dedupe key, so a lookup through the bot finds the customer.
                    "normalized_name": normalize_name(customer_name(number, c)),
                    "owner_id": owner,
                    "created_by": owner,
                    "channel_id": channel_id,
                    "partner_id": rng.choice(partners) if rng.random() < 0.5 else None,
                    "stage": stage,
                    "registered_at": created,
                    "last_activity_at": last,
                    "created_at": created,
                }
            )
            if rng.random() < size.task_share:
                tasks += 1
                due_ts = rng.uniform(created_ts, now_ts + 14 * 86400)
                due = datetime.fromtimestamp(due_ts, UTC)
                status = rng.choices(("done", "open", "cancelled"), weights=(70, 25, 5))[0]
                done = None
                if status == "done":
                    done = due + timedelta(hours=rng.uniform(-48, 24 if rng.random() < 0.3 else 0))
                rows["task"].append(
                    {
                        **task_t,
                        "id": ids.take("task"),
                        "team_id": team_id,
                        "customer_id": customer_id,
                        "owner_id": rng.choice(reps),
                        "created_by": owner,
                        "number": tasks,
                        "title": "Follow up",
                        "due_at": due,
                        "status": status,
                        "done_at": done,
                        "created_at": created,
                    }
                )
        rows["team"][-1]["task_seq"] = tasks
    return rows


TABLES: list[tuple[str, type[SQLModel]]] = [
    ("team", Team),
    ("member", Member),
    ("channel", Channel),
    ("partner", Partner),
    ("customer", Customer),
    ("deal", Deal),
    ("activity", Activity),
    ("task", Task),
]


def customer_name(team_number: int, index: int) -> str:
    """Return the name of customer `index` of generated team `team_number`."""
    return f"Customer {team_number}-{index}"


def _batches(size: Size) -> Iterator[tuple[int, int]]:
    end = size.first_team + size.teams
    for first in range(size.first_team, end, TEAMS_PER_BATCH):
        yield first, min(TEAMS_PER_BATCH, end - first)


def reset(db: Database, url: str) -> None:
    """Start from an empty, migrated database."""
    if db.is_sqlite:
        db.dispose()
        path = Path(url.split("///", 1)[-1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    db.upgrade()


def _no_sync(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=OFF")


def _has_teams(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            return bool(conn.execute(select(func.count()).select_from(Team)).scalar())
    except Exception:
        return False


def generate(url: str, size: Size, *, seed: int = 42, force: bool = False) -> dict[str, int]:
    """Fill a fresh database; return the row count of each table."""
    db = Database(ensure_database(url))
    if _has_teams(db.engine) and not force:
        raise SystemExit(f"{url} already has data; pass --reset to replace it")
    reset(db, url)
    db = Database(url)
    rng, ids = random.Random(seed), Ids()
    counts = {name: 0 for name, _ in TABLES}
    if db.is_sqlite:
        # Bulk load: the file is rebuilt if this dies. A pragma, so on every connection as it
        # opens (after the engine's own), never inside the transaction each begins at once.
        event.listen(db.engine, "connect", _no_sync)
    for first, count in _batches(size):
        rows = team_batch(first, count, size, ids, rng)
        with db.engine.begin() as conn:
            for name, model in TABLES:
                if rows[name]:
                    conn.execute(insert(model.__table__), rows[name])  # type: ignore[attr-defined]
                    counts[name] += len(rows[name])
            zones = {t["id"]: (ZoneInfo(t["timezone"]), t["currency"]) for t in rows["team"]}
            for team_id in zones:  # bulk inserts bypass the ORM hook that keeps the counters
                counters.recount(conn, team_id, zones)
        done = first + count - size.first_team
        print(f"\r  teams {done:>5}/{size.teams}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("ANALYZE")
        else:
            for name, _ in TABLES:  # explicit ids: move each sequence past them
                conn.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
                    {"table": name, "value": max(ids.next.get(name, 1) - 1, 1)},
                )
            conn.exec_driver_sql("ANALYZE")
    db.dispose()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--teams", type=int, default=Size.teams)
    parser.add_argument("--customers-per-team", type=int, default=Size.customers_per_team)
    parser.add_argument("--activities-per-customer", type=int, default=Size.activities_per_customer)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reset", action="store_true", help="replace a database that has data")
    args = parser.parse_args(argv)
    size = Size(
        teams=args.teams,
        customers_per_team=args.customers_per_team,
        activities_per_customer=args.activities_per_customer,
    )
    started = time.perf_counter()
    counts = generate(args.database_url, size, seed=args.seed, force=args.reset)
    elapsed = time.perf_counter() - started
    print(", ".join(f"{name} {n:,}" for name, n in counts.items()))
    print(f"generated in {elapsed:.1f} s into {args.database_url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
