"""Benchmark: the Mini App's first render in headless chromium, next to a blank page.

One generated team (benchmarks/generate.py, 20,000 customers by default) behind the Mini App's
server (bot.web.server.make_web_app, the API on that database). Each load opens a fresh
browser context (nothing cached, as on a first open) the way Telegram opens the page, with
init data in the URL fragment, and reads the page's own mark of its first screen: from
navigation start to the customer list (the page's first screen), or to the pipeline board
(the tab it opens on when that was the last one used), on the page. The baseline is a blank
HTML page served by the same server, measured the same way in the same run, so the figures
say what crmbot's page adds.
Loads alternate between the three, so a change in the machine's load hits each.

    .venv/bin/python -m benchmarks.bench_page [--loads 30] [--customers 20000]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_pg]

Needs Debian's chromium at /usr/bin/chromium (scripts/install-chromium).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from playwright.async_api import Browser, Response, async_playwright

from benchmarks.common import NOW, database_version, fresh_database, load, machine, percentile
from benchmarks.generate import Size, generate, team_chat_id, team_user_ids
from bot.clock import ManualClock
from bot.web.api import Backend
from bot.web.server import STATIC_DIR, make_web_app
from models.db import Database
from tests.support.miniapp import init_data, person_user
from tgemu.sandbox import TOKEN, _free_port
from tgemu.webapp import LIGHT_THEME, launch_url

TEAM = 1
CHROMIUM = "/usr/bin/chromium"
TARGET_MS = 1000.0
FIRST_SCREEN_LIMIT = 100_000  # bytes, the budget for the first screen
BLANK = (
    '<!doctype html><title>blank</title><script>performance.mark("crmbot:rendered:blank")</script>'
)
VIEWS = ("blank", "customers", "board")


def static_copy(folder: Path) -> Path:
    """The page's files plus a blank page, so one server serves both."""
    shutil.copytree(STATIC_DIR, folder, dirs_exist_ok=True)
    (folder / "blank.html").write_text(BLANK)
    return folder


# In the page, ms since navigation start: its first API call leaving (the HTML, CSS and script
# are in and running), the last API answer in, and its own mark of the first screen.
PHASES = """(mark) => {
  const api = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/"));
  return {
    started: api.length ? Math.min(...api.map((e) => e.startTime)) : 0,
    answered: api.length ? Math.max(...api.map((e) => e.responseEnd)) : 0,
    rendered: performance.getEntriesByName(mark)[0].startTime,
  };
}"""


async def first_render(
    browser: Browser, url: str, view: str, sizes: dict[str, int]
) -> dict[str, float]:
    """Open `url` in a fresh context; return ms from navigation start to each phase."""
    context = await browser.new_context(viewport={"width": 390, "height": 760}, is_mobile=True)
    if view == "board":
        await context.add_init_script("localStorage.setItem('crmbot.tab', 'board')")
    page = await context.new_page()

    async def weigh(response: Response) -> None:
        # Keyed by path and query: each distinct file or API call once, however many loads.
        where = urlsplit(response.url)
        sizes[where.path + ("?" + where.query if where.query else "")] = len(await response.body())

    tasks: list[asyncio.Task[None]] = []
    page.on("response", lambda response: tasks.append(asyncio.ensure_future(weigh(response))))
    await page.goto(url)
    mark = f"crmbot:rendered:{view}"
    await page.wait_for_function(f"performance.getEntriesByName('{mark}').length > 0")
    phases = await page.evaluate(PHASES, mark)
    await asyncio.gather(*tasks)
    await context.close()
    return {name: float(value) for name, value in phases.items()}


async def run(args: argparse.Namespace, url: str) -> None:
    started = time.perf_counter()
    counts = generate(
        url, Size(teams=1, customers_per_team=args.customers, first_team=TEAM), force=True
    )
    print(
        f"seeded 1 team × {args.customers:,} customers ({counts['activity']:,} activities) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    db = Database(url)
    print(f"database: {database_version(db.engine)}")
    clock = ManualClock(NOW)
    backend = Backend(token=TOKEN, clock=clock, database=lambda: db)
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        runner = web.AppRunner(make_web_app(backend, static_dir=static_copy(Path(tmp))))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        manager = team_user_ids(TEAM, Size().reps)[0]
        data = init_data(
            person_user(manager, "Maria", "maria"),
            token=TOKEN,
            signed_at=clock(),
            start_param=str(team_chat_id(TEAM)),
        )
        app = launch_url(f"http://127.0.0.1:{port}/app/", data, theme=LIGHT_THEME)
        urls: dict[str, str] = {
            "blank": f"http://127.0.0.1:{port}/app/blank.html",
            "board": app,
            "customers": app,
        }
        times: dict[str, list[dict[str, float]]] = {view: [] for view in VIEWS}
        sizes: dict[str, dict[str, int]] = {view: {} for view in VIEWS}
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM)
                for view in VIEWS:  # warm-up: chromium's own start, the database's caches
                    await first_render(browser, urls[view], view, {})
                for _ in range(args.loads):
                    for view in VIEWS:
                        times[view].append(
                            await first_render(browser, urls[view], view, sizes[view])
                        )
                await browser.close()
        finally:
            await runner.cleanup()
            db.dispose()
    report(times, sizes, args)


def fmt(value: float) -> str:
    return f"{value:>9.1f}"


def report(
    times: dict[str, list[dict[str, float]]],
    sizes: dict[str, dict[str, int]],
    args: argparse.Namespace,
) -> None:
    print(f"machine: {machine()} · {load()}")
    print(f"{args.loads} loads each, fresh browser context per load, viewport 390×760")
    print(f"{'first render':<30}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'max ms':>9}")
    labels = {
        "blank": "blank page (baseline)",
        "board": "page → pipeline board",
        "customers": "page → customer list",
    }
    for view in VIEWS:
        values = [one["rendered"] for one in times[view]]
        print(
            f"{labels[view]:<30}{fmt(percentile(values, 50))}{fmt(percentile(values, 95))}"
            f"{fmt(statistics.mean(values))}{fmt(max(values))}"
        )
    print("where the time goes (p50 ms since navigation start):")
    for view in ("customers", "board"):
        started, answered = (
            percentile([one[phase] for one in times[view]], 50) for phase in ("started", "answered")
        )
        print(
            f"  {view}: page loaded and its script calling the API at {started:.0f}, "
            f"the last API answer in at {answered:.0f}"
        )
    for view in ("customers", "board"):
        files = {
            path[5:] or "index.html": size
            for path, size in sizes[view].items()
            if path.startswith("/app/")
        }
        json = {path: size for path, size in sizes[view].items() if path.startswith("/api/")}
        total = sum(sizes[view].values())
        print(
            f"weight of the first screen ({view}): {total:,} bytes = page files "
            f"{sum(files.values()):,} ({', '.join(f'{n} {s:,}' for n, s in sorted(files.items()))})"
            f" + API JSON {sum(json.values()):,} ({len(json)} calls)"
        )
    worst = max(
        percentile([one["rendered"] for one in times[view]], 95) for view in ("customers", "board")
    )
    heaviest = max(sum(sizes[view].values()) for view in ("customers", "board"))
    print(
        f"verdict: first render p95 {worst:.0f} ms (target < {TARGET_MS:.0f} ms): "
        f"{'PASS' if worst < TARGET_MS else 'FAIL'}; first screen {heaviest:,} bytes "
        f"(target < {FIRST_SCREEN_LIMIT:,}): {'PASS' if heaviest < FIRST_SCREEN_LIMIT else 'FAIL'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(
            f"chromium not found at {CHROMIUM} (./scripts/install-chromium installs it)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(args.database_url or f"sqlite:///{Path(tmp) / 'page.db'}")
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
