"""Reminders, escalations and the morning agenda as text; reminder buttons; reminder settings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.i18n import Html, escape, t
from bot.i18n.format import WEEKDAYS, format_date, format_when, member_label
from bot.services.reminders import Act, DueItem, Notice, NoticeKind, Pressed
from bot.views.callbacks import ReminderAction, ReminderPress, SnoozeFor
from bot.views.keyboards import Button, Keyboard
from models.queries.members import MemberView
from models.queries.tasks import TaskRef
from models.tables import Member, Team

MAX_SHOWN = 10  # tasks (and rows of buttons) in one message; the rest are counted
MAX_ESCALATED_SHOWN = 30
MAX_WHAT = 120  # characters of a task's customer and title in a line
MAX_TEXT = 3900  # Telegram allows 4096 characters; leave room for the edits of a line
_TASK_LINE = re.compile(r"^\W*#(\d+) ·")
_TAG = re.compile(r"<[^>]+>")


def mention(member: Member | MemberView) -> Html:
    """Name a member so that Telegram notifies them: @username, else a tg://user link."""
    if member.username:
        return escape(f"@{member.username}")
    name = escape(member.full_name or str(member.user_id))
    return Html(f'<a href="tg://user?id={member.user_id}">{name}</a>')


# -- notices ----------------------------------------------------------------------------------


def notice_text(notice: Notice) -> Html:
    """The text of a job's notice, in its team's language and zone."""
    if notice.kind is NoticeKind.REMINDER:
        return reminder_text(notice)
    if notice.kind is NoticeKind.ESCALATION:
        return escalation_text(notice)
    return agenda_text(notice)


def notice_keyboard(notice: Notice) -> Keyboard:
    """The buttons of a notice: a reminder's, one row per task shown; none for the others."""
    if notice.kind is not NoticeKind.REMINDER:
        return []
    return task_keyboard(notice.team.language, notice.task_refs)


def reminder_text(notice: Notice) -> Html:
    """'⏰ @alice, overdue:' and a line per task (in private: '⏰ Overdue in Sales:')."""
    lang, tz, now = notice.team.language, ZoneInfo(notice.team.timezone), notice.claimed_at
    if notice.member_id is not None:
        head = t(lang, "remind.private", team=notice.team.title)
    else:
        assert notice.owner is not None
        head = t(lang, "remind.group", who=mention(notice.owner))
    shown = notice.items[:MAX_SHOWN]
    lines = [reminder_line(item, lang=lang, tz=tz, now=now) for item in shown]
    if len(notice.items) > len(shown):
        lines.append(t(lang, "remind.more", count=len(notice.items) - len(shown)))
    return Html("\n".join([head, *lines]))


def reminder_line(item: DueItem, *, lang: str, tz: ZoneInfo, now: datetime) -> Html:
    """One overdue task in a reminder: '🔴 #12 · Tue 24 Nov 09:00 · Acme — call back'."""
    return t(
        lang,
        "remind.line",
        id=item.task.number,
        when=format_when(item.task.due_at, lang=lang, tz=tz, now=now),
        what=_what(item.task.title, item.customer_name),
    )


def escalation_text(notice: Notice) -> Html:
    """'⚠️ @boss: overdue by more than 24 working hours' and a line per task with its owner."""
    lang, tz, now = notice.team.language, ZoneInfo(notice.team.timezone), notice.claimed_at
    hours = t(lang, "count.working_hours", count=notice.team.escalate_after_hours)
    head = (
        t(
            lang,
            "escalate.title",
            hours=hours,
            managers=Html(" ".join(map(mention, notice.managers))),
        )
        if notice.managers
        else t(lang, "escalate.title.none", hours=hours)
    )
    shown = notice.items[:MAX_ESCALATED_SHOWN]
    lines = [
        t(
            lang,
            "escalate.line",
            id=item.task.number,
            when=format_when(item.task.due_at, lang=lang, tz=tz, now=now),
            what=_what(item.task.title, item.customer_name),
            owner=member_label(item.owner.username, item.owner.full_name),
        )
        for item in shown
    ]
    if len(notice.items) > len(shown):
        lines.append(t(lang, "remind.more", count=len(notice.items) - len(shown)))
    return _join([head, *lines])


def agenda_text(notice: Notice) -> Html:
    """Today's tasks of a team, owner by owner, the overdue ones marked."""
    lang, tz, now = notice.team.language, ZoneInfo(notice.team.timezone), notice.claimed_at
    by_owner: dict[int, list[DueItem]] = {}
    for item in notice.items:
        by_owner.setdefault(item.owner.id, []).append(item)
    lines = [t(lang, "agenda.title", date=format_date(now, lang=lang, tz=tz))]
    for owned in by_owner.values():
        lines.append(t(lang, "agenda.owner", who=mention(owned[0].owner), count=len(owned)))
        for item in owned[:MAX_SHOWN]:
            key = "agenda.line.overdue" if item.task.due_at <= now else "agenda.line"
            lines.append(
                t(
                    lang,
                    key,
                    id=item.task.number,
                    when=format_when(item.task.due_at, lang=lang, tz=tz, now=now),
                    what=_what(item.task.title, item.customer_name),
                )
            )
        if len(owned) > MAX_SHOWN:
            lines.append(t(lang, "remind.more", count=len(owned) - MAX_SHOWN))
    return _join(lines)


# -- buttons ----------------------------------------------------------------------------------


def task_keyboard(lang: str, tasks: list[TaskRef]) -> Keyboard:
    """A row of buttons for each task a reminder shows (the first MAX_SHOWN)."""
    shown = tasks[:MAX_SHOWN]
    return [task_buttons(lang, task, single=len(shown) == 1) for task in shown]


def task_buttons(lang: str, task: TaskRef, *, single: bool) -> list[Button]:
    """Done / Snooze 1h / Snooze 1 day / Reassign for one task, in one row.

    The buttons carry the task's id, not its team number: reminders sent before tasks were
    numbered per team hold ids, and an id never names another task.
    """
    done, hour, day, reassign = _button_labels(lang)
    task_id = task.id
    return [
        Button(
            done if single else t(lang, "btn.r.done_id", id=task.number),
            ReminderPress(ReminderAction.DONE, task_id).encode(),
        ),
        Button(hour, ReminderPress(ReminderAction.SNOOZE, task_id, SnoozeFor.HOUR).encode()),
        Button(day, ReminderPress(ReminderAction.SNOOZE, task_id, SnoozeFor.DAY).encode()),
        Button(reassign, ReminderPress(ReminderAction.PICK, task_id).encode()),
    ]


@lru_cache(maxsize=8)
def _button_labels(lang: str) -> tuple[str, str, str, str]:
    keys = ("btn.r.done", "btn.r.snooze_1h", "btn.r.snooze_1d", "btn.r.reassign")
    done, hour, day, reassign = (str(t(lang, key)) for key in keys)
    return done, hour, day, reassign


def picker_keyboard(
    keyboard: Keyboard, task_id: int, teammates: list[MemberView], lang: str
) -> Keyboard:
    """Replace the task's row with one button per teammate (three a row) and Cancel."""
    picks = [
        Button(
            member_label(m.username, m.full_name),
            ReminderPress(ReminderAction.TO, task_id, str(m.id)).encode(),
        )
        for m in teammates
    ]
    rows = [picks[i : i + 3] for i in range(0, len(picks), 3)]
    rows.append(
        [Button(t(lang, "btn.r.cancel"), ReminderPress(ReminderAction.BACK, task_id).encode())]
    )
    mine = ReminderPress(ReminderAction.DONE, task_id).encode()
    result: Keyboard = []
    placed = False
    for row in keyboard:
        if row and row[0].data == mine:
            result.extend(rows)
            placed = True
        else:
            result.append(row)
    if not placed:
        result.extend(rows)
    return result


@dataclass(frozen=True)
class PressView:
    """How a press shows: the task's new line (None: unchanged), the keyboard, a short answer."""

    keyboard: Keyboard
    line: Html | None = None
    toast: Html | None = None


def press_view(pressed: Pressed, *, now: datetime) -> PressView:
    """The new state of a pressed reminder: its task's line, its buttons and the answer."""
    lang, task = pressed.lang, pressed.task
    keyboard = task_keyboard(lang, [TaskRef(i.task.id, i.task.number) for i in pressed.waiting])
    what = _what(task.title, pressed.customer_name)
    who = mention(pressed.by)
    if pressed.act is Act.DONE:
        return PressView(
            keyboard,
            t(lang, "remind.line.done", id=task.number, what=what, who=who),
            t(lang, "toast.done", id=task.number),
        )
    if pressed.act is Act.SNOOZE:
        when = format_when(task.due_at, lang=lang, tz=pressed.tz, now=now)
        return PressView(
            keyboard,
            t(lang, "remind.line.snoozed", id=task.number, what=what, who=who, when=when),
            t(lang, "toast.snoozed", id=task.number, when=when),
        )
    if pressed.act is Act.HAND_OVER and pressed.owner is not None:
        owner = pressed.owner
        return PressView(
            keyboard,
            t(
                lang,
                "remind.line.reassigned",
                id=task.number,
                what=what,
                who=who,
                owner=mention(owner),
            ),
            t(
                lang,
                "toast.reassigned",
                id=task.number,
                owner=member_label(owner.username, owner.full_name),
            ),
        )
    if pressed.act is Act.PICK:
        return PressView(
            picker_keyboard(keyboard, task.id, pressed.teammates, lang),
            toast=t(lang, "toast.pick", id=task.number),
        )
    return PressView(keyboard)


def pressed_text(pressed: Pressed, line: Html, html: str | None, *, now: datetime) -> Html:
    """The pressed reminder's new text: its task's line swapped in the message's HTML.

    A message whose text is missing (too old to be shown to the bot) or no longer lists the
    task is drawn again from the database: the new line, then the tasks it still waits on.
    """
    lines = (html or "").split("\n")
    for index, current in enumerate(lines):
        match = _TASK_LINE.match(_TAG.sub("", current))
        if match and int(match.group(1)) == pressed.task.number:
            lines[index] = line
            return Html("\n".join(lines))
    waiting = [
        reminder_line(item, lang=pressed.lang, tz=pressed.tz, now=now)
        for item in pressed.waiting[:MAX_SHOWN]
        if item.task.id != pressed.task.id
    ]
    return Html("\n".join([line, *waiting]))


# -- settings ---------------------------------------------------------------------------------


def settings_text(team: Team) -> Html:
    """The team's working time, reminder, escalation and agenda settings."""
    lang = team.language
    escalate = (
        t(
            lang,
            "settings.escalate.hours",
            hours=t(lang, "count.working_hours", count=team.escalate_after_hours),
        )
        if team.escalate_after_hours
        else t(lang, "settings.escalate.off")
    )
    return t(
        lang,
        "settings.show",
        start=team.workday_start,
        end=team.workday_end,
        tz=team.timezone,
        days=weekdays_label(team.work_weekdays, lang),
        remind=t(
            lang, "settings.remind.private" if team.remind_privately else "settings.remind.group"
        ),
        escalate=escalate,
        agenda=t(lang, "settings.on" if team.morning_agenda else "settings.off"),
        dates=t(lang, f"settings.dates.{team.date_order}"),
    )


def settings_changed(team: Team) -> Html:
    """The reply to a changed setting: saved, and the settings now."""
    return t(team.language, "settings.changed", summary=settings_text(team))


def weekdays_label(days: str, lang: str) -> str:
    """Render ISO weekday digits: '12345' -> 'Mon–Fri', '1246' -> 'Mon, Tue, Thu, Sat'."""
    names = WEEKDAYS.get(lang, WEEKDAYS["en"])
    numbers = sorted({int(c) for c in days if c in "1234567"})
    if len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{names[numbers[0] - 1]}–{names[numbers[-1] - 1]}"
    separator = "、" if lang == "zh" else ", "
    return separator.join(names[n - 1] for n in numbers)


# -- helpers ----------------------------------------------------------------------------------


def _what(title: str, customer_name: str | None) -> str:
    title = " ".join(title.split())
    about = customer_name or ""
    if title == about:
        title = ""
    what = " — ".join(x for x in (about, title) if x) or "…"
    return what if len(what) <= MAX_WHAT else what[: MAX_WHAT - 1] + "…"


def _join(lines: list[Html]) -> Html:
    """Join whole lines (each is balanced HTML) while they fit in one Telegram message."""
    kept: list[str] = []
    size = 0
    for line in lines:
        size += len(line) + 1
        if size > MAX_TEXT:
            kept.append("…")
            break
        kept.append(line)
    return Html("\n".join(kept))
