"""Pipeline stages: a team's ordered stages and moving customers along them."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session

from bot.i18n import CATALOGS
from bot.parsing.ids import parse_digits
from bot.services import audit, customers
from bot.services.errors import UsageError
from bot.services.teams import Actor
from models.tables import Customer, Team

CLOSED = ("won", "lost")
MAX_STAGE_NAME = 40


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
    for stage in team.stages:
        if stage["key"] == key and stage.get("name"):
            return str(stage["name"])
    return CATALOGS.get(lang, CATALOGS["en"]).get(f"stage.{key}", key)


def find_stage(team: Team, text: str, lang: str) -> str | None:
    """Return the key of the stage a user named (by key, custom name or either language)."""
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
    keys = stage_keys(team)
    base = re.sub(r"\W+", "_", name.casefold()).strip("_")[:24] or "stage"
    key, n = base, 2
    while key in keys:
        key, n = f"{base}{n}", n + 1
    stages = list(team.stages)
    anchor = before if before in keys else "won"
    index = keys.index(anchor) if anchor in keys else len(stages)
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


def stage_list(team: Team, lang: str) -> str:
    """Return the team's stages by display name, in order: 'Lead → Contacted → …'."""
    return " → ".join(stage_name(team, key, lang) for key in stage_keys(team))


def move_customer(
    *, session: Session, actor: Actor, words: list[str], now: datetime
) -> tuple[Customer, str]:
    """Put the customer named in `words` in the stage its last one or two words name; audited.

    Return the customer and the stage key; raise UsageError when no stage is named.
    """
    actor.require_active()
    for split in (1, 2):
        if len(words) > split:
            key = find_stage(actor.team, " ".join(words[-split:]), actor.lang)
            if key is not None:
                name = " ".join(words[:-split])
                break
    else:
        raise UsageError("usage.stage", stages=stage_list(actor.team, actor.lang))
    customer = customers.resolve(session=session, team=actor.team, name=name)
    old = customer.stage
    set_stage(team=actor.team, customer=customer, key=key)
    customer.last_activity_at = now
    audit.by_actor(
        actor,
        session=session,
        action="stage",
        entity="customer",
        entity_id=customer.id,
        now=now,
        old=old,
        new=key,
    )
    return customer, key


def edit_stages(*, session: Session, actor: Actor, words: list[str], now: datetime) -> None:
    """Change the pipeline (managers): rename STAGE NAME | add NAME | move STAGE N; audited."""
    actor.require_active()
    actor.require_manager()
    team = actor.team
    action, rest = (words[0].lower(), words[1:]) if words else ("", [])
    if action == "rename" and len(rest) >= 2:
        key = find_stage(team, rest[0], actor.lang)
        if key is None:
            raise UsageError("usage.stages")
        rename_stage(team=team, key=key, name=" ".join(rest[1:])[:MAX_STAGE_NAME])
    elif action == "add" and rest:
        add_stage(team=team, name=" ".join(rest)[:MAX_STAGE_NAME])
    elif action == "move" and len(rest) == 2:
        key, position = find_stage(team, rest[0], actor.lang), parse_digits(rest[1])
        if key is None or key in CLOSED or position is None:
            raise UsageError("usage.stages")
        move_stage(team=team, key=key, position=position)
    else:
        raise UsageError("usage.stages")
    audit.by_actor(
        actor,
        session=session,
        action="stages",
        entity="team",
        entity_id=team.id,
        now=now,
        stages=",".join(stage_keys(team)),
    )
