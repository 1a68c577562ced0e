"""Benchmark: /visit logging through webhook mode, next to a bare python-telegram-bot echo bot.

Both bots run the same way in the same process and event loop: the local Bot API emulator
delivers updates to the bot's aiohttp webhook server over HTTP, and answers the bot's
sendMessage calls. Latency is from the user's message entering the emulator to the bot's
reply arriving there; throughput is a burst of messages handled back to back.

    .venv/bin/python -m benchmarks.bench_webhook [--messages 300] [--database-url URL]

Rate limiting is off for both bots (Telegram's per-group limit would otherwise dominate).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from benchmarks.common import fresh_database, machine, percentile
from benchmarks.harness import echo_bot
from bot.webhook import WEBHOOK_PATH, serve_webhook
from tgemu import BotApiEmulator
from tgemu.sandbox import BOT_USERNAME, TOKEN, Sandbox, _free_port

GROUP = -1009000000001
CUSTOMERS = ["Acme Trading", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries"]


async def measure(
    emu: BotApiEmulator, user_id: int, texts: list[str], settle: Callable[[], Awaitable[None]]
) -> tuple[list[float], float]:
    """Return per-message latencies (sequential) and the burst throughput in updates/s."""
    latencies = []
    for text in texts:
        start = time.monotonic()
        before = len(emu.sent(GROUP))
        await emu.send_message(GROUP, user_id, text)

        def replied(before: int = before) -> bool:
            return len(emu.sent(GROUP)) > before

        await emu.wait_until(replied, timeout=30, what="reply")
        reply = next(c for c in reversed(emu.calls) if c.method == "sendMessage")
        latencies.append(reply.time - start)
    await settle()
    before = len(emu.sent(GROUP))
    start = time.monotonic()
    for text in texts:
        await emu.send_message(GROUP, user_id, text)
    await emu.wait_until(
        lambda: len(emu.sent(GROUP)) >= before + len(texts), timeout=300, what="burst replies"
    )
    return latencies, len(texts) / (time.monotonic() - start)


async def bench_crmbot(texts: list[str], database_url: str) -> tuple[list[float], float]:
    box = Sandbox(database_url=database_url, webhook=True)
    await box.open()
    try:
        boss = box.person(1, "Maria", "maria")
        alice = box.person(2, "Alice", "alice")
        box.group(GROUP, "Bench", admins=[boss], members=[alice])
        await box.say(GROUP, boss, "/setup")
        for name in CUSTOMERS:
            await box.say(GROUP, alice, f"/lead {name}")
        await measure(box.emulator, alice.user_id, texts[:20], box.settle)  # warm-up
        return await measure(box.emulator, alice.user_id, texts, box.settle)
    finally:
        await box.close()


async def bench_echo(texts: list[str]) -> tuple[list[float], float]:
    emu = BotApiEmulator()
    await emu.start()
    emu.add_bot(TOKEN, BOT_USERNAME)
    emu.add_user(2, "Alice", "alice")
    emu.add_group(GROUP, "Bench", admins=[2], members=[int(TOKEN.split(":")[0])])

    app = echo_bot(emu, concurrent_updates=1)  # one update at a time, PTB's default
    port, stop, ready = _free_port(), asyncio.Event(), asyncio.Event()
    server = asyncio.create_task(
        serve_webhook(
            app,
            host="127.0.0.1",
            port=port,
            url=f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
            secret="bench",
            stop=stop,
            ready=ready,
            handle_signals=False,
        )
    )
    await ready.wait()

    async def settle() -> None:
        await emu.wait_consumed(timeout=30)  # answered only once processed

    try:
        await measure(emu, 2, texts[:20], settle)
        return await measure(emu, 2, texts, settle)
    finally:
        stop.set()
        await server
        await emu.stop()


def report(name: str, latencies: list[float], rate: float) -> None:
    ms = [x * 1000 for x in latencies]
    print(
        f"{name:<22} {rate:8.1f} updates/s   p50 {statistics.median(ms):6.2f} ms"
        f"   p99 {percentile(ms, 99):6.2f} ms   (n={len(ms)})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    texts = [
        f"/visit {CUSTOMERS[i % len(CUSTOMERS)]}, showed the samples, follow up in {i % 9 + 1} days"
        for i in range(args.messages)
    ]
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        print(f"database: {url.split('@')[-1]}")
        echo = await bench_echo(texts)
        crm = await bench_crmbot(texts, url)
    report("bare PTB echo bot", *echo)
    report("crmbot /visit", *crm)
    print(
        f"ratio (crmbot / echo): throughput {crm[1] / echo[1]:.2f}×, "
        f"p50 latency {statistics.median(crm[0]) / statistics.median(echo[0]):.2f}×"
    )


if __name__ == "__main__":
    asyncio.run(main())
