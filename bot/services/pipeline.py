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


def stage_name(team: Team, key: str, lang: str) -> str:
    """Return a stage's display name: the team's own, else the default in `lang`."""
    from bot.i18n import CATALOGS

    for stage in team.stages:
        if stage["key"] == key and stage.get("name"):
            return str(stage["name"])
    return CATALOGS.get(lang, CATALOGS["en"]).get(f"stage.{key}", key)


def find_stage(team: Team, text: str, lang: str) -> str | None:
    """Return the key of the stage a user named (by key, custom name or either language)."""
    from bot.i18n import CATALOGS

    wanted = text.strip().casefold()
    for key in stage_keys(team):
        names = {key, stage_name(team, key, lang).casefold()}
        names |= {c.get(f"stage.{key}", key).casefold() for c in CATALOGS.values()}
        if wanted in names:
            return key
    return None


def set_stage(*, team: Team, customer: Customer, key: str) -> None:
    """Put a customer in any stage (a manual correction may go backwards)."""
    if key not in stage_keys(team):
        raise ValueError(key)
    customer.stage = key


def rename_stage(*, team: Team, key: str, name: str) -> None:
    """Give a stage a team-specific name."""
    team.stages = [{**s, "name": name} if s["key"] == key else s for s in team.stages]


def add_stage(*, team: Team, name: str, before: str | None = None) -> str:
    """Add an open stage (before `before`, else before 'won'); return its key."""
    import re

    base = re.sub(r"\W+", "_", name.casefold()).strip("_")[:24] or "stage"
    key, n = base, 2
    while key in stage_keys(team):
        key, n = f"{base}{n}", n + 1
    stages = list(team.stages)
    anchor = before if before in stage_keys(team) else "won"
    index = stage_keys(team).index(anchor) if anchor in stage_keys(team) else len(stages)
    stages.insert(index, {"key": key, "name": name})
    team.stages = stages
    return key


def move_stage(*, team: Team, key: str, position: int) -> None:
    """Move an open stage to a 1-based position among the stages; won/lost stay last."""
    if key in CLOSED:
        raise ValueError(key)
    stages = [s for s in team.stages if s["key"] != key]
    moving = next(s for s in team.stages if s["key"] == key)
    open_count = sum(1 for s in stages if s["key"] not in CLOSED)
    stages.insert(max(0, min(position - 1, open_count)), moving)
    team.stages = stages
