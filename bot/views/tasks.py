"""Tasks as text: the lines of /tasks and the replies to /task, /done, /snooze and /reassign."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Html, t
from bot.i18n.format import format_when, member_label
from bot.services.tasks import TaskScope, TaskView
from models.tables import Member, Task


def task_line(view: TaskView, *, lang: str, tz: ZoneInfo, now: datetime, show_owner: bool) -> Html:
    """One line of a task list: id, due, customer, title, owner; overdue marked."""
    task = view.task
    when = format_when(task.due_at, lang=lang, tz=tz, now=now)
    key = "tasks.line.overdue" if task.due_at < now else "tasks.line"
    owner = member_label(view.owner.username, view.owner.full_name) if show_owner else ""
    about = view.customer_name or ""
    title = task.title if task.title != about else ""
    line = t(
        lang,
        key,
        id=task.number,
        when=when,
        what=" — ".join(x for x in (about, title) if x),
        owner=owner,
    )
    return Html(line.rstrip())


def task_list(
    views: list[TaskView], scope: TaskScope, *, lang: str, tz: ZoneInfo, now: datetime
) -> Html:
    """A /tasks listing: a title and one line per task, or that there are none."""
    if not views:
        return t(lang, "tasks.none")
    show_owner = scope is not TaskScope.MINE
    lines = [task_line(v, lang=lang, tz=tz, now=now, show_owner=show_owner) for v in views]
    title = t(lang, f"tasks.title.{scope.value}", count=len(views))
    return Html("\n".join([title, *lines]))


def task_created(task: Task, owner: Member, *, lang: str, tz: ZoneInfo, now: datetime) -> Html:
    """The reply to /task: whose task it is, what, and when it is due."""
    return t(
        lang,
        "task.created",
        id=task.number,
        owner=member_label(owner.username, owner.full_name),
        title=task.title,
        when=format_when(task.due_at, lang=lang, tz=tz, now=now),
    )


def task_done(task: Task, *, lang: str) -> Html:
    """The reply to /done."""
    return t(lang, "done.ok", id=task.number, title=task.title)


def task_snoozed(task: Task, *, lang: str, tz: ZoneInfo, now: datetime) -> Html:
    """The reply to /snooze: the task's new due time."""
    when = format_when(task.due_at, lang=lang, tz=tz, now=now)
    return t(lang, "snooze.ok", id=task.number, when=when)


def task_reassigned(task: Task, owner: Member, *, lang: str) -> Html:
    """The reply to /reassign: the task's new owner."""
    label = member_label(owner.username, owner.full_name)
    return t(lang, "reassign.ok", id=task.number, owner=label, title=task.title)
