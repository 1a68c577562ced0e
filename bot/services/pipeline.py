"""Pipeline stages: a team's ordered stages and moving customers along them."""

from __future__ import annotations

from models.tables import Customer, Team

CLOSED = ("won", "lost")


def stage_keys(team: Team) -> list[str]:
    """Return the team's stage keys in order."""
    return [stage["key"] for stage in team.stages]


def advance(*, team: Team, customer: Customer, stage: str) -> bool:
    """Move a customer forward to `stage` unless it is already there, further on, or closed."""
    keys = stage_keys(team)
    if customer.stage in CLOSED or stage not in keys:
        return False
    current = keys.index(customer.stage) if customer.stage in keys else -1
    if keys.index(stage) <= current:
        return False
    customer.stage = stage
    return True
