"""What every benchmark shares: "now", the machine and database descriptions, percentiles,
a scratch database.
"""

from __future__ import annotations

import os
import platform
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

# Every benchmark runs at the same instant: Tuesday 24 Nov 2026, 10:00 in Shanghai.
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def machine() -> str:
    """Describe the CPU, core count and Python, so figures say where they came from."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model} · {os.cpu_count()} cores · Python {platform.python_version()}"


def load() -> str:
    """Describe the machine's load average now (other work running shows in the figures)."""
    if not hasattr(os, "getloadavg"):
        return "load unknown"
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f}"


def database_version(engine: Engine) -> str:
    """Name the database engine and its version: 'SQLite 3.45.1', 'PostgreSQL 16.2'."""
    if engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT version()")).scalar()).split(" on ")[0]


def percentile(values: list[float], pct: float) -> float:
    """Return the nearest-rank percentile of `values`."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def ensure_database(url: str) -> str:
    """Create the PostgreSQL database a URL names if it does not exist yet; return the URL."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql") or not parsed.database:
        return url
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        ).first()
        if exists is None:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    engine.dispose()
    return url


def fresh_database(url: str) -> str:
    """Create the database if needed and empty it, so a run starts from nothing; return the URL."""
    ensure_database(url)
    if make_url(url).drivername.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    return url


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc; 0 where unknown."""
    if pid == os.getpid():
        times = os.times()
        return times.user + times.system
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    """The PostgreSQL server's processes on this machine (shared with whatever else uses it)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


@dataclass
class Cpu:
    """CPU seconds that named groups of processes use between begin() and used().

    Only processes alive at both ends count (a database connection opened meanwhile does not).
    """

    pids: dict[str, list[int]]
    start: dict[int, float] = field(default_factory=dict)

    def begin(self) -> None:
        self.start = {pid: cpu_seconds(pid) for pids in self.pids.values() for pid in pids}

    def used(self) -> dict[str, float]:
        used = {}
        for name, pids in self.pids.items():
            now = {pid: cpu_seconds(pid) for pid in pids}
            used[name] = sum(
                max(0.0, now[pid] - self.start[pid])
                for pid in pids
                if now[pid] and self.start.get(pid)
            )
        return used

    def describe(self, seconds: float) -> str:
        """Each group's CPU seconds since begin(), and as a share of one core over `seconds`."""
        return ", ".join(
            f"{name} {value:.1f} s ({value / seconds:.0%} of a core)"
            for name, value in self.used().items()
        )
