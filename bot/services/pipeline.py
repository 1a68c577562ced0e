"""Pipeline stages: a team's ordered stages and moving customers along them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz
from sqlmodel import Session

from bot.i18n import LANGUAGES, plain
from bot.parsing.ids import parse_digits
from bot.parsing.text import is_cjk
from bot.services import audit, customers
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
from models.tables import Customer, Team

CLOSED = ("won", "lost")
MAX_STAGE_NAME = 40
FUZZY_STAGE = 80  # a misspelt stage name ("qouted") still names it
# Words reps use for the default stages, besides their names in the catalogs.
STAGE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lead": ("new", "prospect", "线索", "線索", "新客户", "新客戶", "潜在", "潛在"),
    "contacted": (
        "contact",
        "called",
        "联系",
        "聯繫",
        "聯系",
        "已聯繫",
        "沟通",
        "溝通",
        "接触",
        "接觸",
    ),
    "visited": (
        "visit",
        "met",
        "meeting",
        "拜访",
        "拜訪",
        "已拜訪",
        "见面",
        "見面",
        "上门",
        "上門",
    ),
    "quoted": (
        "quote",
        "quotation",
        "offer",
        "proposal",
        "报价",
        "報價",
        "已報價",
        "报价单",
        "報價單",
    ),
    "contract": (
        "contracted",
        "signed",
        "sign",
        "合同",
        "签约",
        "簽約",
        "签合同",
        "簽合同",
        "签单",
        "簽單",
    ),
    "shipped": ("ship", "delivered", "delivery", "发货", "發貨", "已發貨", "交付", "送货", "送貨"),
    "won": ("win", "paid", "closed", "成交", "赢单", "贏單", "回款", "已回款", "拿下"),
    "lost": ("lose", "dead", "丢单", "丟單", "输单", "輸單", "流失"),
}


@dataclass(frozen=True)
class StageChoice:
    """The stage words name several stages: the rep picks one for the customer."""

    customer: Customer
    keys: list[str]


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
    return plain(lang, f"stage.{key}", default=key)


def find_stage(team: Team, text: str, lang: str) -> str | None:
    """Return the key of the one stage a user named, or None (none, or several)."""
    found = match_stages(team, text, lang)
    return found[0] if len(found) == 1 else None


def match_stages(team: Team, text: str, lang: str) -> list[str]:
    """Return the keys of the stages `text` names, in pipeline order.

    Tried in turn, the first that finds any wins: a stage's key or name (the team's own, or
    the default in either language, Simplified or Traditional) or a synonym ("quote", 报价);
    a prefix of one of those ("quo", 合同 of 签合同's "合同"); a fuzzy match ("qouted").
    """
    wanted = _form(text)
    if not wanted:
        return []
    forms = {key: _stage_forms(team, key, lang) for key in stage_keys(team)}
    for level in (_same, _prefix, _near):
        found = [key for key, names in forms.items() if any(level(wanted, n) for n in names)]
        if found:
            return found
    return []


def _form(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    return re.sub(r"^(?:已经|已經|已)(?=\w)", "", re.sub(r"[\s()（）_\-]+", "", text))


def _stage_forms(team: Team, key: str, lang: str) -> set[str]:
    names = {key, stage_name(team, key, lang), *STAGE_SYNONYMS.get(key, ())}
    names |= {plain(other, f"stage.{key}", default=key) for other in LANGUAGES}
    words = {w for n in names for w in re.split(r"[\s()（）/]+", n) if w}
    return {f for f in map(_form, names | words) if f}


def _same(wanted: str, name: str) -> bool:
    return wanted == name


def _prefix(wanted: str, name: str) -> bool:
    shortest = 1 if any(is_cjk(c) for c in wanted) else 3
    return len(wanted) >= shortest and len(wanted) < len(name) and name.startswith(wanted)


def _near(wanted: str, name: str) -> bool:
    return len(wanted) >= 4 and fuzz.ratio(wanted, name) >= FUZZY_STAGE


def named_stage(team: Team, text: str, lang: str) -> str:
    """Return the key of the one stage a key or name names (as /stage reads it), or raise."""
    if text in stage_keys(team):
        return text
    found = match_stages(team, text, lang)
    if len(found) != 1:
        raise UsageError("usage.stage", stages=stage_list(team, lang))
    return found[0]


def split_stage(team: Team, words: list[str], lang: str) -> tuple[str, list[str]] | None:
    """Split `CUSTOMER STAGE` words into the customer's name and the stages its end names.

    The stage is the last one or two words, or the end of a single Chinese word (万科报价).
    """
    for split in (1, 2):
        if len(words) > split:
            keys = match_stages(team, " ".join(words[-split:]), lang)
            if keys:
                return " ".join(words[:-split]), keys
    if len(words) == 1 and is_cjk(words[0][:1]):
        word = words[0]
        for cut in range(max(1, len(word) - 5), len(word) - 1):
            keys = [
                k
                for k in match_stages(team, word[cut:], lang)
                if _names_whole(team, k, word[cut:], lang)
            ]
            if keys:
                return word[:cut], keys
    return None


def _names_whole(team: Team, key: str, text: str, lang: str) -> bool:
    return _form(text) in _stage_forms(team, key, lang)


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
) -> tuple[Customer, str] | StageChoice:
    """Put the customer named in `words` in the stage their end names; audited.

    Return the customer and the stage key, or a StageChoice when several stages fit; raise
    UsageError (listing the stages) when none does.
    """
    actor.require_active()
    split = split_stage(actor.team, words, actor.lang)
    if split is None or not split[0]:
        raise UsageError("usage.stage", stages=stage_list(actor.team, actor.lang))
    name, keys = split
    customer = customers.resolve(session=session, team=actor.team, name=name)
    require_owner_or_manager(session=session, actor=actor, customer=customer)
    if len(keys) > 1:
        return StageChoice(customer, keys)
    return customer, stage_customer(
        session=session, actor=actor, customer=customer, key=keys[0], now=now
    )


def choose_stage(
    *, session: Session, actor: Actor, customer_id: int, key: str, now: datetime
) -> tuple[Customer, str]:
    """Put a customer in the stage picked on a StageChoice's buttons; audited."""
    actor.require_active()
    customer = customers.get_customer(session=session, team=actor.team, customer_id=customer_id)
    require_owner_or_manager(session=session, actor=actor, customer=customer)
    if key not in stage_keys(actor.team):
        raise UsageError("usage.stage", stages=stage_list(actor.team, actor.lang))
    return customer, stage_customer(
        session=session, actor=actor, customer=customer, key=key, now=now
    )


def require_owner_or_manager(*, session: Session, actor: Actor, customer: Customer) -> None:
    """Only a customer's owner or a manager moves it (the pool's customers: anyone)."""
    if actor.is_manager or customer.owner_id in (None, actor.member.id):
        return
    owner = customers.owner_of(session=session, customer=customer)
    label = f"@{owner.username}" if owner and owner.username else "?"
    raise CrmError("stage.not_yours", customer=customer.name, owner=label)


def stage_customer(
    *, session: Session, actor: Actor, customer: Customer, key: str, now: datetime
) -> str:
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
    return key


def edit_stages(*, session: Session, actor: Actor, words: list[str], now: datetime) -> None:
    """Change the pipeline (managers): rename STAGE NAME | add NAME | move STAGE N; audited."""
    actor.require_active()
    actor.require_manager("error.not_manager.stages")
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
