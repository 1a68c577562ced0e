"""The private console's own replies: which team a command is for, and one's tasks in every team."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Html, plain, t
from bot.services.console import Choice, Welcome
from bot.services.tasks import TaskScope, TaskView
from bot.services.teams import Actor
from bot.views.callbacks import ConsoleCommand, ConsolePress, OwnTaskPress
from bot.views.keyboards import Button, Keyboard
from bot.views.tasks import task_list

MAX_LABEL = 40  # characters of a team's title on its button
MAX_TITLES = 5  # teams named in the private welcome
MAX_DONE = 8  # Done buttons under the private list of one's tasks: the soonest due

ASKED = {
    ConsoleCommand.STATS: "/stats",
    ConsoleCommand.STATS_ORG: "/stats org",
    ConsoleCommand.TASKS_ALL: "/tasks all",
    ConsoleCommand.DIGEST: "/digest",
    ConsoleCommand.EXPORT: "/export",
}


def picker(
    choices: list[Choice], command: ConsoleCommand, args: list[str], *, lang: str
) -> tuple[Html, Keyboard]:
    """Ask which team a command is for: a button per team, carrying what was asked.

    Raise ValueError when what was asked does not fit in a button's data.
    """
    asked = " ".join(args) or None
    rows = [
        [Button(_label(choice.title), ConsolePress(command, choice.team_id, asked).encode())]
        for choice in choices
    ]
    return t(lang, "console.pick", command=ASKED[command]), rows


def _label(title: str) -> str:
    # A button's label is plain text (Telegram shows it as written, no HTML).
    title = " ".join(title.split()) or "—"
    return title if len(title) <= MAX_LABEL else title[: MAX_LABEL - 1] + "…"


def own_tasks(found: list[tuple[Actor, list[TaskView]]], *, lang: str, now: datetime) -> Html:
    """A user's open tasks, per team: the team's title, then its list in the team's language."""
    if not found:
        return t(lang, "console.tasks.none")
    parts = [
        Html(
            t(actor.lang, "console.tasks.team", team=actor.team.title or "—")
            + "\n"
            + task_list(tasks, TaskScope.MINE, lang=actor.lang, tz=actor.tz, now=now)
        )
        for actor, tasks in found
    ]
    return Html("\n\n".join(parts))


def own_task_buttons(found: list[tuple[Actor, list[TaskView]]], *, lang: str) -> Keyboard:
    """A Done button per task of the private list, soonest due first; with several teams the
    button names the team (task numbers are per team)."""
    several = len(found) > 1
    views = sorted(
        ((actor, view) for actor, views in found for view in views),
        key=lambda pair: pair[1].task.due_at,
    )[:MAX_DONE]
    rows = []
    for actor, view in views:
        what, number = view.customer_name or view.task.title, view.task.number
        if several:
            team = " ".join(actor.team.title.split())[:16] or "—"
            text = plain(lang, "console.tasks.done.in", id=number, what=what, team=team)
        else:
            text = plain(lang, "console.tasks.done", id=number, what=what)
        rows.append([Button(_label(text), OwnTaskPress(view.task.id).encode())])
    return rows


def welcome(found: Welcome, *, lang: str, helping: bool = False) -> Html:
    """/start and /help in private: what works here, for the teams the user is in.

    Someone in no team yet is told how to start (/start) or shown every command (/help).
    """
    if not found.member_of:
        return t(lang, "help" if helping else "start.private")
    lines = [t(lang, "console.welcome", teams=_titles(found.member_of, lang))]
    if found.managed:
        lines.append(t(lang, "console.welcome.manager", teams=_titles(found.managed, lang)))
    lines.append(t(lang, "console.welcome.rest"))
    return Html("\n".join(lines))


def _titles(titles: list[str], lang: str) -> str:
    shown = [title or "—" for title in titles[:MAX_TITLES]]
    more = len(titles) - len(shown)
    text = ("、" if lang == "zh" else ", ").join(shown)
    return text + (str(t(lang, "console.welcome.more", count=more)) if more else "")
