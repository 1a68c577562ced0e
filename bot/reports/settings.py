"""A team's digest settings as /digest shows them, as a plain dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class DigestSettings:
    """When and where the team's weekly digest goes out, and what it warns about."""

    enabled: bool
    weekday: int
    time: str
    tz: ZoneInfo
    thread_id: int | None
    skip_empty: bool
    warn_drop_pct: int
    partner_silent_days: int
    churn_silent_days: int
    next_send: datetime | None  # None: the digest is off
