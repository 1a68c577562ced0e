"""What every benchmark shares: the machine's description, percentiles, a scratch database."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


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
