"""`crmbot run --webhook` with the send limiter relaxed: one bot process for bench_processes.

Reads its settings from the environment as crmbot does (TELEGRAM_BOT_TOKEN, DATABASE_URL,
CRMBOT_WEBHOOK_URL, CRMBOT_WEBHOOK_LISTEN, CRMBOT_WEBHOOK_SECRET, …) and serves exactly what
`crmbot run --webhook` serves. The one difference is the sandbox's rate limiter (no send rates,
quick retries): production's 25 messages a second per process would otherwise be all that a
throughput benchmark measures.

    .venv/bin/python -m benchmarks.webhook_worker
"""

from __future__ import annotations

import asyncio
import logging

from bot.app import build_application, tune_gc
from bot.config import load_settings
from bot.webhook import endpoint_url, serve_webhook
from tgemu.sandbox import sandbox_rate_limiter


def main() -> None:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_settings()
    app = build_application(settings, rate_limiter=sandbox_rate_limiter())
    tune_gc()  # as `crmbot run` does
    asyncio.run(
        serve_webhook(
            app,
            host=settings.listen_host,
            port=settings.listen_port,
            url=endpoint_url(settings.webhook_url),
            secret=settings.webhook_secret,
        )
    )


if __name__ == "__main__":
    main()
