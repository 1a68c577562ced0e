"""Several processes at once: each its own Database (engine and pool) on one PostgreSQL URL."""

from __future__ import annotations

import threading
from collections.abc import Callable

from models.db import Database


def race(url: str, work: Callable[[Database, int], None], *, processes: int = 4) -> None:
    """Run `work(database, index)` in `processes` threads that start together; wait for all."""
    databases = [Database(url) for _ in range(processes)]
    start = threading.Barrier(processes)

    def run(index: int) -> None:
        start.wait(10)
        work(databases[index], index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(processes)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for database in databases:
            database.dispose()
