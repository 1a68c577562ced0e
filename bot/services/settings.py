"""A team's settings: working hours and days, where reminders go, escalation, agenda, and
how an English date that reads both ways ("3/4") is read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.parsing.ids import parse_digits
from bot.services import audit
from bot.services.errors import UsageError
from bot.services.teams import Actor
from bot.services.worktime import parse_clock

MAX_ESCALATE_HOURS = 720  # 30 days of working hours is already "never"
_RANGE = re.compile(r"^([1-7])\s*-\s*([1-7])$")
_WHERE = {"group": False, "群": False, "群里": False, "private": True, "私聊": True}
_DATE_ORDERS = {"md": "md", "m/d": "md", "月/日": "md", "dm": "dm", "d/m": "dm", "日/月": "dm"}
_ONOFF = {"on": True, "开": True, "开启": True, "off": False, "关": False, "关闭": False}


class Setting(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    REMIND = "remind"
    ESCALATE = "escalate"
    AGENDA = "agenda"
    DATES = "dates"


@dataclass(frozen=True)
class Change:
    """One setting that was changed: its name and the old and new stored values."""

    setting: Setting
    old: str
    new: str


def change(*, session: Session, actor: Actor, name: str, value: str, now: datetime) -> Change:
    """Validate and store one team setting (managers only); audited."""
    actor.require_active()
    actor.require_manager("error.not_manager.settings")
    try:
        setting = Setting(name.lower())
    except ValueError:
        raise UsageError("usage.settings") from None
    team = actor.team
    value = value.strip()
    if setting is Setting.HOURS:
        start, end = parse_hours(value)
        fields: dict[str, object] = {"workday_start": start, "workday_end": end}
        old, new = f"{team.workday_start}-{team.workday_end}", f"{start}-{end}"
    elif setting is Setting.DAYS:
        days = parse_weekdays(value)
        fields, old, new = {"work_weekdays": days}, team.work_weekdays, days
    elif setting is Setting.REMIND:
        private = _choice(value, _WHERE, "usage.settings.remind")
        fields = {"remind_privately": private}
        old, new = _where(team.remind_privately), _where(private)
    elif setting is Setting.ESCALATE:
        hours = parse_escalate(value)
        fields, old, new = (
            {"escalate_after_hours": hours},
            str(team.escalate_after_hours),
            str(hours),
        )
    elif setting is Setting.DATES:
        order = _DATE_ORDERS.get(value.lower())
        if order is None:
            raise UsageError("usage.settings.dates")
        fields, old, new = {"date_order": order}, team.date_order, order
    else:
        agenda = _choice(value, _ONOFF, "usage.settings.agenda")
        fields = {"morning_agenda": agenda}
        old, new = _onoff(team.morning_agenda), _onoff(agenda)
    for field, stored in fields.items():
        setattr(team, field, stored)
    audit.by_actor(
        actor,
        session=session,
        action="setting",
        entity="team",
        entity_id=team.id,
        now=now,
        field=setting.value,
        old=old,
        new=new,
    )
    return Change(setting, old, new)


def parse_hours(text: str) -> tuple[str, str]:
    """Read '09:00-18:00' (or '9:00–18:00'); return the two clock times as 'HH:MM'."""
    parts = re.split(r"\s*[-–~至到]\s*", text.strip())
    if len(parts) != 2:
        raise UsageError("usage.settings.hours")
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if start is None or end is None or not start < end:
        raise UsageError("usage.settings.hours")
    return f"{start:%H:%M}", f"{end:%H:%M}"


def parse_weekdays(text: str) -> str:
    """Read ISO weekdays as '1-5', '1,2,3,4,5,6' or '12345'; return them as sorted digits."""
    days: set[int] = set()
    cleaned = text.replace("，", ",").replace(" ", "")
    for part in cleaned.split(","):
        match = _RANGE.match(part)
        if match:
            first, last = int(match.group(1)), int(match.group(2))
            if first > last:
                raise UsageError("usage.settings.days")
            days.update(range(first, last + 1))
        elif part and all(c in "1234567" for c in part):
            days.update(int(c) for c in part)
        else:
            raise UsageError("usage.settings.days")
    if not days:
        raise UsageError("usage.settings.days")
    return "".join(str(d) for d in sorted(days))


def parse_escalate(text: str) -> int:
    """Read a number of working hours (0 turns escalation off)."""
    word = text.lower().removesuffix("h").strip()
    if word in ("off", "关"):
        return 0
    hours = parse_digits(word)
    if hours is None or hours > MAX_ESCALATE_HOURS:
        raise UsageError("usage.settings.escalate")
    return hours


def _choice(value: str, options: dict[str, bool], usage: str) -> bool:
    try:
        return options[value.lower()]
    except KeyError:
        raise UsageError(usage) from None


def _where(private: bool) -> str:
    return "private" if private else "group"


def _onoff(flag: bool) -> str:
    return "on" if flag else "off"
