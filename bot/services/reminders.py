"""Overdue reminders, escalations and the morning agenda: claimed exactly once, then rendered.

Exactly once: a job claims what is due in one transaction. Due tasks are selected with
`FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite has one writer at a time) and marked in the same
transaction — `reminded_due_at = due_at`, `escalated_at = now`, `Team.agenda_sent_for = today`
— so a second process, or the next run after a restart, finds nothing left to claim. A snooze
moves `due_at` past `reminded_due_at` and so re-arms the reminder. A send that fails for a
passing reason (network, flood control) releases its claim, so the next run retries it.

What the jobs send comes back as `Notice`s: HTML text in the team's language and buttons as
plain data; reminders/due.py turns them into Telegram messages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from bot.i18n import Html, escape, t
from bot.i18n.format import WEEKDAYS, format_date, format_when, member_label
from bot.services import tasks, teams
from bot.services.errors import CrmError
from bot.services.teams import Actor
from bot.services.worktime import (
    WorkTime,
    add_working_time,
    is_working_time,
    local_date,
    window,
)
from models.tables import Customer, Member, Role, Task, TaskStatus, Team

CLAIM_LIMIT = 1000  # tasks per run; more wait for the next run
MAX_SHOWN = 10  # tasks (and rows of buttons) in one message; the rest are counted
MAX_ESCALATED_SHOWN = 30
MAX_WHAT = 120  # characters of a task's customer and title in a line
MAX_TEXT = 3900  # Telegram allows 4096 characters; leave room for the edits of a line
AGENDA_HOURS = timedelta(hours=3)  # the agenda is for the morning; a late start skips it
MAX_PICKER = 24  # members offered by the Reassign keyboard
SNOOZES = {"1h": timedelta(hours=1), "1d": timedelta(days=1)}
# Inlined, not bound: a partial index is only used when the query repeats its literal predicate.
_OPEN: ColumnElement[str] = literal_column(f"'{TaskStatus.OPEN.value}'")


class NoticeKind(StrEnum):
    REMINDER = "reminder"
    ESCALATION = "escalation"
    AGENDA = "agenda"


@dataclass(frozen=True)
class Button:
    """An inline button: its label and its callback data."""

    label: str
    data: str


Keyboard = list[list[Button]]


@dataclass
class Notice:
    """One message a job sends, and what was claimed for it."""

    kind: NoticeKind
    team_id: int
    chat_id: int
    text: Html
    claimed_at: datetime
    keyboard: Keyboard = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    day: date | None = None  # the agenda's local date
    member_id: int | None = None  # the recipient of a private reminder
    fallback: Notice | None = None  # where to send when Telegram refuses the private chat


def work_time(team: Team | TeamView) -> WorkTime:
    """Return a team's working time."""
    return _work_time(team.timezone, team.workday_start, team.workday_end, team.work_weekdays)


@lru_cache(maxsize=4096)
def _work_time(tz: str, start: str, end: str, weekdays: str) -> WorkTime:
    return WorkTime.from_settings(tz, start, end, weekdays)


def mention(member: Member | MemberView) -> Html:
    """Name a member so that Telegram notifies them: @username, else a tg://user link."""
    if member.username:
        return escape(f"@{member.username}")
    name = escape(member.full_name or str(member.user_id))
    return Html(f'<a href="tg://user?id={member.user_id}">{name}</a>')


# -- claiming ---------------------------------------------------------------------------------


def unreminded() -> ColumnElement[bool]:
    """The predicate of ix_task_unreminded, repeated so the planner can use the index."""
    return and_(
        col(Task.status) == _OPEN,
        or_(col(Task.reminded_due_at).is_(None), col(Task.reminded_due_at) != col(Task.due_at)),
    )


def unescalated() -> ColumnElement[bool]:
    """The predicate of ix_task_unescalated."""
    return and_(col(Task.status) == _OPEN, col(Task.escalated_at).is_(None))


@dataclass(frozen=True)
class DueTask:
    """The columns of a task that a reminder or an escalation shows."""

    id: int
    team_id: int
    owner_id: int
    customer_id: int | None
    title: str
    due_at: datetime


_DUE_COLUMNS = (
    col(Task.id),
    col(Task.team_id),
    col(Task.owner_id),
    col(Task.customer_id),
    col(Task.title),
    col(Task.due_at),
)


def working_teams(*, session: Session, now: datetime) -> dict[int, int]:
    """Return the active teams inside their working hours at `now`: id -> escalate_after_hours."""
    rows = session.execute(
        select_columns(
            col(Team.id),
            col(Team.timezone),
            col(Team.workday_start),
            col(Team.workday_end),
            col(Team.work_weekdays),
            col(Team.escalate_after_hours),
        ).where(col(Team.active).is_(True))
    )
    return {
        team_id: hours
        for team_id, tz, start, end, days, hours in rows
        if team_id is not None and is_working_time(now, _work_time(tz, start, end, days))
    }


def _claim_rows(session: Session, query: Select[*tuple[Any, ...]]) -> list[DueTask]:
    rows = session.execute(query.with_for_update(skip_locked=True)).all()
    return [DueTask(*row) for row in rows]


@dataclass(frozen=True)
class TeamView:
    """The columns of a team that its notices need (whole rows are slow to build by the 1000)."""

    id: int
    chat_id: int
    title: str
    language: str
    timezone: str
    workday_start: str
    workday_end: str
    work_weekdays: str
    remind_privately: bool
    escalate_after_hours: int


@dataclass(frozen=True)
class MemberView:
    """The columns of a member that a notice mentions."""

    id: int
    user_id: int
    username: str | None
    full_name: str
    private_chat: bool


def _teams(session: Session, ids: set[int]) -> dict[int, TeamView]:
    fields = [col(getattr(Team, name)) for name in TeamView.__dataclass_fields__]
    rows = session.execute(select_columns(*fields).where(col(Team.id).in_(ids)))
    return {row[0]: TeamView(*row) for row in rows}


def claim_due_reminders(
    *, session: Session, now: datetime, limit: int = CLAIM_LIMIT
) -> list[Notice]:
    """Claim every overdue, not yet reminded task of teams now at work; one Notice per owner."""
    working = working_teams(session=session, now=now)
    if not working:
        return []
    due = _claim_rows(
        session,
        select_columns(*_DUE_COLUMNS)
        .where(unreminded(), col(Task.due_at) <= now, col(Task.team_id).in_(list(working)))
        .order_by(col(Task.due_at), col(Task.id))
        .limit(limit),
    )
    if not due:
        return []
    # One statement marks them all; the row locks taken above keep others away meanwhile.
    session.execute(
        update(Task)
        .where(col(Task.id).in_([task.id for task in due]))
        .values(reminded_due_at=col(Task.due_at), reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    by_owner: dict[tuple[int, int], list[DueTask]] = defaultdict(list)
    for task in due:
        by_owner[(task.team_id, task.owner_id)].append(task)
    teams_by_id = _teams(session, {team_id for team_id, _ in by_owner})
    members = _members(session, {owner for _, owner in by_owner})
    names = _customer_names(session, {task.customer_id for task in due if task.customer_id})
    return [
        _reminder_notice(teams_by_id[team_id], members[owner_id], owned, names=names, now=now)
        for (team_id, owner_id), owned in by_owner.items()
    ]


def _reminder_notice(
    team: TeamView,
    owner: MemberView,
    owned: list[DueTask],
    *,
    names: dict[int, str],
    now: datetime,
) -> Notice:
    lang, tz = team.language, ZoneInfo(team.timezone)
    shown = owned[:MAX_SHOWN]
    lines = [reminder_line(task, names.get(task.customer_id or 0), lang, tz, now) for task in shown]
    if len(owned) > len(shown):
        lines.append(t(lang, "remind.more", count=len(owned) - len(shown)))
    keyboard = [task_buttons(lang, task.id, single=len(shown) == 1) for task in shown]
    ids = [task.id for task in owned]

    def notice(chat_id: int, head: Html, member_id: int | None = None) -> Notice:
        return Notice(
            kind=NoticeKind.REMINDER,
            team_id=team.id or 0,
            chat_id=chat_id,
            text=Html("\n".join([head, *lines])),
            claimed_at=now,
            keyboard=keyboard,
            task_ids=ids,
            member_id=member_id,
        )

    in_group = notice(team.chat_id, t(lang, "remind.group", who=mention(owner)))
    if team.remind_privately and owner.private_chat:
        private = notice(owner.user_id, t(lang, "remind.private", team=team.title), owner.id)
        private.fallback = in_group
        return private
    return in_group


def claim_escalations(*, session: Session, now: datetime, limit: int = CLAIM_LIMIT) -> list[Notice]:
    """Claim tasks overdue for their team's escalate_after_hours working hours; one per team."""
    by_hours: dict[int, list[int]] = defaultdict(list)
    for team_id, hours in working_teams(session=session, now=now).items():
        if hours > 0:
            by_hours[hours].append(team_id)
    escalated: list[DueTask] = []
    teams_by_id: dict[int, TeamView] = {}
    work: dict[int, WorkTime] = {}
    for hours, team_ids in sorted(by_hours.items()):
        # Working hours never outrun wall-clock hours: only tasks this old can qualify.
        candidates = _claim_rows(
            session,
            select_columns(*_DUE_COLUMNS)
            .where(
                unescalated(),
                col(Task.due_at) <= now - timedelta(hours=hours),
                col(Task.team_id).in_(team_ids),
            )
            .order_by(col(Task.due_at), col(Task.id))
            .limit(limit),
        )
        if not candidates:
            continue
        teams_by_id.update(_teams(session, {task.team_id for task in candidates}))
        for task in candidates:
            if task.team_id not in work:
                work[task.team_id] = work_time(teams_by_id[task.team_id])
            if add_working_time(task.due_at, timedelta(hours=hours), work[task.team_id]) <= now:
                escalated.append(task)
    if not escalated:
        return []
    session.execute(
        update(Task)
        .where(col(Task.id).in_([task.id for task in escalated]))
        .values(escalated_at=now)
        .execution_options(synchronize_session=False)
    )
    by_team: dict[int, list[DueTask]] = defaultdict(list)
    for task in escalated:
        by_team[task.team_id].append(task)
    members = _members(session, {task.owner_id for task in escalated})
    names = _customer_names(session, {task.customer_id for task in escalated if task.customer_id})
    return [
        _escalation_notice(session, teams_by_id[team_id], owned, members, names, now=now)
        for team_id, owned in by_team.items()
    ]


def _escalation_notice(
    session: Session,
    team: TeamView,
    escalated: list[DueTask],
    members: dict[int, MemberView],
    names: dict[int, str],
    *,
    now: datetime,
) -> Notice:
    lang, tz = team.language, ZoneInfo(team.timezone)
    managers = session.exec(
        select(Member)
        .where(Member.team_id == team.id, col(Member.role).in_([Role.MANAGER, Role.ADMIN]))
        .order_by(col(Member.id))
    ).all()
    hours = team.escalate_after_hours
    head = (
        t(lang, "escalate.title", hours=hours, managers=Html(" ".join(map(mention, managers))))
        if managers
        else t(lang, "escalate.title.none", hours=hours)
    )
    shown = escalated[:MAX_ESCALATED_SHOWN]
    lines = [
        t(
            lang,
            "escalate.line",
            id=task.id,
            when=format_when(task.due_at, lang=lang, tz=tz, now=now),
            what=_what(task.title, names.get(task.customer_id or 0)),
            owner=member_label(members[task.owner_id].username, members[task.owner_id].full_name),
        )
        for task in shown
    ]
    if len(escalated) > len(shown):
        lines.append(t(lang, "remind.more", count=len(escalated) - len(shown)))
    return Notice(
        kind=NoticeKind.ESCALATION,
        team_id=team.id or 0,
        chat_id=team.chat_id,
        text=_join([head, *lines]),
        claimed_at=now,
        task_ids=[task.id for task in escalated],
    )


def claim_agendas(*, session: Session, now: datetime) -> list[Notice]:
    """Claim today's morning agenda of every team that wants one and is at work; render it."""
    notices = []
    wanting = session.exec(
        select(Team)
        .where(col(Team.active).is_(True), col(Team.morning_agenda).is_(True))
        .order_by(col(Team.id))
    ).all()
    for team in wanting:
        work = work_time(team)
        if not is_working_time(now, work):
            continue
        today = local_date(now, work)
        start, _ = window(today, work)
        if now >= start + AGENDA_HOURS:
            continue
        # A conditional UPDATE is the claim: of two processes, only one changes the row.
        claimed = session.execute(
            update(Team)
            .where(
                col(Team.id) == team.id,
                or_(col(Team.agenda_sent_for).is_(None), col(Team.agenda_sent_for) < today),
            )
            .values(agenda_sent_for=today)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        notice = _agenda_notice(session, team, today=today, now=now)
        if notice is not None:
            notices.append(notice)
    return notices


def _agenda_notice(session: Session, team: Team, *, today: date, now: datetime) -> Notice | None:
    lang, tz = team.language, ZoneInfo(team.timezone)
    end_of_day = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    rows = session.exec(
        select(Task, Member)
        .join(Member, col(Member.id) == Task.owner_id)
        .where(Task.team_id == team.id, Task.status == TaskStatus.OPEN, Task.due_at < end_of_day)
        .order_by(col(Member.id), col(Task.due_at))
    ).all()
    if not rows:
        return None
    names = _customer_names(session, {task.customer_id for task, _ in rows if task.customer_id})
    by_owner: dict[int, tuple[Member, list[Task]]] = {}
    for task, member in rows:
        by_owner.setdefault(member.id or 0, (member, []))[1].append(task)
    lines = [t(lang, "agenda.title", date=format_date(now, lang=lang, tz=tz))]
    for member, owned in by_owner.values():
        lines.append(t(lang, "agenda.owner", who=mention(member), count=len(owned)))
        for task in owned[:MAX_SHOWN]:
            key = "agenda.line.overdue" if task.due_at <= now else "agenda.line"
            lines.append(
                t(
                    lang,
                    key,
                    id=task.id,
                    when=format_when(task.due_at, lang=lang, tz=tz, now=now),
                    what=_what(task.title, names.get(task.customer_id or 0)),
                )
            )
        if len(owned) > MAX_SHOWN:
            lines.append(t(lang, "remind.more", count=len(owned) - MAX_SHOWN))
    return Notice(
        kind=NoticeKind.AGENDA,
        team_id=team.id or 0,
        chat_id=team.chat_id,
        text=_join(lines),
        claimed_at=now,
        day=today,
    )


# -- after sending ----------------------------------------------------------------------------


def remember_message(*, session: Session, notice: Notice, chat_id: int, message_id: int) -> None:
    """Note which message reminds of the notice's tasks, so their buttons can edit it."""
    if notice.kind is not NoticeKind.REMINDER or not notice.task_ids:
        return
    session.execute(
        update(Task)
        .where(col(Task.id).in_(notice.task_ids))
        .values(reminder_chat_id=chat_id, reminder_message_id=message_id)
        .execution_options(synchronize_session=False)
    )


def release(*, session: Session, notice: Notice) -> None:
    """Undo a notice's claim after a send failed for a passing reason; the next run retries."""
    if notice.kind is NoticeKind.REMINDER:
        session.execute(
            update(Task)
            .where(
                col(Task.id).in_(notice.task_ids),
                col(Task.reminded_due_at) == col(Task.due_at),
                col(Task.reminded_at) == notice.claimed_at,
            )
            .values(reminded_due_at=None, reminded_at=None)
            .execution_options(synchronize_session=False)
        )
    elif notice.kind is NoticeKind.ESCALATION:
        session.execute(
            update(Task)
            .where(col(Task.id).in_(notice.task_ids), col(Task.escalated_at) == notice.claimed_at)
            .values(escalated_at=None)
            .execution_options(synchronize_session=False)
        )
    else:
        session.execute(
            update(Team)
            .where(col(Team.id) == notice.team_id, col(Team.agenda_sent_for) == notice.day)
            .values(agenda_sent_for=None)
            .execution_options(synchronize_session=False)
        )


def forget_private_chat(*, session: Session, member_id: int) -> None:
    """The member blocked the bot or never started it: remind them in the group from now on."""
    member = session.get(Member, member_id)
    if member is not None:
        member.private_chat = False


# -- buttons ----------------------------------------------------------------------------------


class Action(StrEnum):
    DONE = "d"
    SNOOZE = "s"
    PICK = "a"  # show the Reassign keyboard
    TO = "t"  # hand the task to a member
    BACK = "b"  # close the Reassign keyboard


@dataclass(frozen=True)
class Press:
    """A reminder button: r:<action>:<task id>[:<argument>]."""

    action: Action
    task_id: int
    arg: str | None = None


@dataclass(frozen=True)
class Presser:
    """The Telegram user who pressed a button, and where."""

    user_id: int
    username: str | None
    full_name: str
    chat_id: int


@dataclass
class PressOutcome:
    """What a press changed: the task's new line, the message's keyboard, a short answer."""

    lang: str
    task_id: int
    keyboard: Keyboard
    line: Html | None = None
    toast: str | None = None


def parse_press(data: str) -> Press | None:
    """Read reminder callback data; None if it is not one of ours or is malformed."""
    parts = data.split(":")
    if len(parts) not in (3, 4) or parts[0] != "r" or not parts[2].isdigit():
        return None
    try:
        action = Action(parts[1])
    except ValueError:
        return None
    arg = parts[3] if len(parts) == 4 else None
    if (action is Action.SNOOZE and arg not in SNOOZES) or (
        action is Action.TO and not (arg or "").isdigit()
    ):
        return None
    return Press(action, int(parts[2]), arg)


def press(
    *,
    session: Session,
    presser: Presser,
    pressed: Press,
    message_id: int,
    now: datetime,
) -> PressOutcome:
    """Act on a reminder button; only the task's owner or a manager may (CrmError otherwise)."""
    task, actor = _task_and_actor(session, presser, pressed.task_id, now=now)
    lang = actor.lang
    tasks.require_owner_or_manager(actor, task)
    if task.status != TaskStatus.OPEN:
        raise CrmError("error.task_closed", id=task.id)
    outcome = PressOutcome(lang=lang, task_id=task.id or 0, keyboard=[])
    customer = session.get(Customer, task.customer_id) if task.customer_id else None
    what = _what(task.title, customer.name if customer else None)
    who = mention(actor.member)
    if pressed.action is Action.DONE:
        tasks.complete_task(session=session, actor=actor, task_id=task.id or 0, now=now)
        outcome.line = t(lang, "remind.line.done", id=task.id, what=what, who=who)
        outcome.toast = t(lang, "toast.done", id=task.id)
    elif pressed.action is Action.SNOOZE:
        until = now + SNOOZES[pressed.arg or "1h"]
        tasks.snooze_task(session=session, actor=actor, task_id=task.id or 0, until=until, now=now)
        when = format_when(until, lang=lang, tz=actor.tz, now=now)
        outcome.line = t(lang, "remind.line.snoozed", id=task.id, what=what, who=who, when=when)
        outcome.toast = t(lang, "toast.snoozed", id=task.id, when=when)
    elif pressed.action is Action.TO:
        target = session.get(Member, int(pressed.arg or 0))
        if target is None or target.team_id != actor.team.id:
            raise CrmError("error.task_gone")
        tasks.reassign_task(
            session=session, actor=actor, task_id=task.id or 0, owner=target, now=now
        )
        outcome.line = t(
            lang, "remind.line.reassigned", id=task.id, what=what, who=who, owner=mention(target)
        )
        outcome.toast = t(lang, "toast.reassigned", id=task.id, owner=member_label(
            target.username, target.full_name))  # fmt: skip
    session.flush()
    outcome.keyboard = message_keyboard(
        session=session, lang=lang, chat_id=presser.chat_id, message_id=message_id
    )
    if pressed.action is Action.PICK:
        outcome.keyboard = _with_picker(session, outcome.keyboard, task, lang)
        outcome.toast = t(lang, "toast.pick", id=task.id)
    return outcome


def message_keyboard(*, session: Session, lang: str, chat_id: int, message_id: int) -> Keyboard:
    """Buttons for the tasks a reminder message still waits on (open, not snoozed or moved)."""
    waiting = session.exec(
        select(Task)
        .where(
            Task.reminder_chat_id == chat_id,
            Task.reminder_message_id == message_id,
            Task.status == TaskStatus.OPEN,
            col(Task.reminded_due_at) == col(Task.due_at),
        )
        .order_by(col(Task.due_at), col(Task.id))
        .limit(MAX_SHOWN)
    ).all()
    return [task_buttons(lang, task.id or 0, single=len(waiting) == 1) for task in waiting]


def task_buttons(lang: str, task_id: int, *, single: bool) -> list[Button]:
    """Done / Snooze 1h / Snooze 1 day / Reassign for one task, in one row."""
    done, hour, day, reassign = _button_labels(lang)
    return [
        Button(done if single else t(lang, "btn.r.done_id", id=task_id), f"r:d:{task_id}"),
        Button(hour, f"r:s:{task_id}:1h"),
        Button(day, f"r:s:{task_id}:1d"),
        Button(reassign, f"r:a:{task_id}"),
    ]


@lru_cache(maxsize=8)
def _button_labels(lang: str) -> tuple[str, str, str, str]:
    keys = ("btn.r.done", "btn.r.snooze_1h", "btn.r.snooze_1d", "btn.r.reassign")
    done, hour, day, reassign = (str(t(lang, key)) for key in keys)
    return done, hour, day, reassign


def _with_picker(session: Session, keyboard: Keyboard, task: Task, lang: str) -> Keyboard:
    """Replace the task's row with one button per teammate (three a row) and Cancel."""
    members = session.exec(
        select(Member)
        .where(Member.team_id == task.team_id, Member.id != task.owner_id)
        .order_by(col(Member.full_name), col(Member.id))
        .limit(MAX_PICKER)
    ).all()
    picks = [
        Button(member_label(m.username, m.full_name), f"r:{Action.TO}:{task.id}:{m.id}")
        for m in members
    ]
    rows = [picks[i : i + 3] for i in range(0, len(picks), 3)]
    rows.append([Button(t(lang, "btn.r.cancel"), f"r:{Action.BACK}:{task.id}")])
    mine = f"r:{Action.DONE}:{task.id}"
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


def _task_and_actor(
    session: Session, presser: Presser, task_id: int, *, now: datetime
) -> tuple[Task, Actor]:
    task = session.get(Task, task_id)
    team = session.get(Team, task.team_id) if task is not None else None
    if task is None or team is None:
        raise CrmError("error.task_gone")
    if presser.chat_id < 0:
        if team.chat_id != presser.chat_id:
            raise CrmError("error.task_gone")
        member = teams.ensure_member(
            session=session,
            team=team,
            user_id=presser.user_id,
            username=presser.username,
            full_name=presser.full_name,
            now=now,
        )
    else:
        # A private chat: the presser must already belong to the task's team.
        found = session.exec(
            select(Member).where(Member.team_id == team.id, Member.user_id == presser.user_id)
        ).first()
        if found is None:
            raise CrmError("error.not_your_task_change", id=task.id)
        member = found
    return task, Actor(team=team, member=member)


# -- rendering --------------------------------------------------------------------------------

_TASK_LINE = re.compile(r"^\W*#(\d+) ·")
_TAG = re.compile(r"<[^>]+>")


def reminder_line(
    task: DueTask, customer_name: str | None, lang: str, tz: ZoneInfo, now: datetime
) -> Html:
    """One overdue task in a reminder: '🔴 #12 · Tue 24 Nov 09:00 · Acme — call back'."""
    return t(
        lang,
        "remind.line",
        id=task.id,
        when=format_when(task.due_at, lang=lang, tz=tz, now=now),
        what=_what(task.title, customer_name),
    )


def replace_task_line(html: str, task_id: int, line: Html) -> Html:
    """Swap the line of one task in a reminder's HTML for its new state (or append it)."""
    lines = html.split("\n")
    for index, current in enumerate(lines):
        match = _TASK_LINE.match(_TAG.sub("", current))
        if match and int(match.group(1)) == task_id:
            lines[index] = line
            return Html("\n".join(lines))
    return Html("\n".join([*lines, line]))


def weekdays_label(days: str, lang: str) -> str:
    """Render ISO weekday digits: '12345' -> 'Mon–Fri', '1246' -> 'Mon, Tue, Thu, Sat'."""
    names = WEEKDAYS.get(lang, WEEKDAYS["en"])
    numbers = sorted({int(c) for c in days if c in "1234567"})
    if len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{names[numbers[0] - 1]}–{names[numbers[-1] - 1]}"
    separator = "、" if lang == "zh" else ", "
    return separator.join(names[n - 1] for n in numbers)


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


def _members(session: Session, ids: set[int]) -> dict[int, MemberView]:
    if not ids:
        return {}
    fields = [col(getattr(Member, name)) for name in MemberView.__dataclass_fields__]
    rows = session.execute(select_columns(*fields).where(col(Member.id).in_(ids)))
    return {row[0]: MemberView(*row) for row in rows}


def _customer_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Customer.id, Customer.name).where(col(Customer.id).in_(ids))).all()
    return {int(customer_id or 0): name for customer_id, name in rows}
