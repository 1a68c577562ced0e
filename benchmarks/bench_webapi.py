"""Benchmark: the Mini App's /api/customers on a 20,000-customer team, against /api/me.

One team seeded by benchmarks/generate.py (20,000 customers, their deals and tasks), the
Mini App's real aiohttp server on a free local port, a real HTTP client. Each round sends,
one at a time: /api/me (the baseline: the init-data check and one small query), the first
page of /api/customers without a search, and the first page with a search, cycling through
a full name, a part of one, a misspelt one and a word every name has (the search keeps its
best 1,000). Latency is the client's, from request to parsed JSON. The first search of a
process loads the team's name book (as the parser's first message does): timed apart.

    .venv/bin/python -m benchmarks.bench_webapi [--rounds 300] [--customers 20000]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_pg]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import aiohttp
from aiohttp import web

from benchmarks.common import NOW, database_version, fresh_database, load, machine, percentile
from benchmarks.generate import Size, generate, team_chat_id, team_user_ids
from bot.web.api import Backend
from bot.web.auth import sign
from bot.web.server import make_web_app
from models.db import Database

BIG = 1
TOKEN = "123456:BENCH-crmbot-token"
TARGET_MS = 50.0


def init_data(user_id: int) -> str:
    fields = {
        "auth_date": str(int(NOW.timestamp())),
        "query_id": "bench",
        "user": json.dumps({"id": user_id, "first_name": "Bench", "username": "bench"}),
    }
    fields["hash"] = sign(fields, TOKEN)
    return urlencode(fields, quote_via=quote)


def searches(customers: int) -> list[str]:
    """A full name, part of one, a misspelt one, and a word in every name."""
    return [
        f"Customer {BIG}-{customers // 3}",
        f"{BIG}-{customers // 7}",
        f"Custmer {BIG}-{customers // 5}",
        "customer",
    ]


async def timed(http: aiohttp.ClientSession, url: str, auth: str) -> tuple[float, dict]:
    started = time.perf_counter()
    async with http.get(url, headers={"Authorization": auth}) as response:
        body = await response.json()
        assert response.status == 200, body
    return time.perf_counter() - started, body


async def run(args: argparse.Namespace, url: str) -> None:
    db = Database(url)
    print(f"database: {database_version(db.engine)}")
    server = make_web_app(Backend(token=TOKEN, clock=lambda: NOW, database=lambda: db))
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    chat = team_chat_id(BIG)
    auth = "tma " + init_data(team_user_ids(BIG, Size.reps)[1])  # a rep
    queries = searches(args.customers)
    samples: dict[str, list[float]] = {"me": [], "customers": [], "search": []}
    by_query: dict[str, list[float]] = {q: [] for q in queries}
    try:
        async with aiohttp.ClientSession() as http:
            cold, _ = await timed(http, f"{base}/api/customers?team={chat}&q=warm", auth)
            print(f"first search of the process (loads the name book): {cold * 1000:.1f} ms")
            for i in range(args.rounds + 10):
                q = quote(queries[i % len(queries)])
                me, _ = await timed(http, f"{base}/api/me", auth)
                page, listed = await timed(http, f"{base}/api/customers?team={chat}", auth)
                found, hits = await timed(http, f"{base}/api/customers?team={chat}&q={q}", auth)
                assert listed["total"] == args.customers and len(listed["customers"]) == 50
                assert hits["customers"], queries[i % len(queries)]
                if i >= 10:  # warm-up
                    samples["me"].append(me)
                    samples["customers"].append(page)
                    samples["search"].append(found)
                    by_query[queries[i % len(queries)]].append(found)
    finally:
        await runner.cleanup()
        db.dispose()
    print(f"{args.rounds} rounds on {args.customers:,} customers, first page of 50:")
    for name, label in (
        ("me", "/api/me (baseline)"),
        ("customers", "/api/customers"),
        ("search", "/api/customers&q="),
    ):
        values = [v * 1000 for v in samples[name]]
        print(
            f"  {label:<22} p50 {percentile(values, 50):6.1f} ms · "
            f"p95 {percentile(values, 95):6.1f} ms · max {max(values):6.1f} ms"
        )
    for q, values in by_query.items():
        ms = [v * 1000 for v in values]
        print(
            f"    q={q!r:<22} p50 {percentile(ms, 50):6.1f} ms · p95 {percentile(ms, 95):6.1f} ms"
        )
    worst = max(percentile([v * 1000 for v in samples[n]], 95) for n in ("customers", "search"))
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"p95 {worst:.1f} ms {verdict} the {TARGET_MS:.0f} ms target · {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(f"machine: {machine()} · {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        started = time.perf_counter()
        size = Size(teams=1, customers_per_team=args.customers, first_team=BIG)
        counts = generate(url, size, force=True)
        print(
            f"seeded 1 team × {args.customers:,} customers ({counts['deal']:,} deals) in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
