"""/tasks and /done."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.i18n import Html, t
from bot.services import tasks, teams
from bot.services.errors import UsageError
from bot.services.tasks import TaskScope
from bot.services.teams import Actor
from handlers.cards import task_line
from handlers.common import Reply, command_args, respond


def parse_task_id(args: list[str], usage: str) -> int:
    """Read a task id like 12 or #12."""
    if not args or not args[0].lstrip("#").isdigit():
        raise UsageError(usage)
    return int(args[0].lstrip("#"))


async def cmd_tasks(update: Update, context: BotContext) -> None:
    """List my open tasks; managers: /tasks all | overdue | @user."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Reply:
        actor.require_active()
        scope, member = TaskScope.MINE, None
        if args:
            word = args[0].lower()
            if word in ("all", "全部"):
                scope = TaskScope.ALL
            elif word in ("overdue", "逾期"):
                scope = TaskScope.OVERDUE
            elif word.startswith("@"):
                scope = TaskScope.MEMBER
                actor.require_manager()
                member = teams.find_member(session=session, team=actor.team, username=word)
            else:
                raise UsageError("usage.tasks")
        views = tasks.list_tasks(session=session, actor=actor, now=now, scope=scope, member=member)
        if not views:
            return Reply(t(actor.lang, "tasks.none"))
        show_owner = scope is not TaskScope.MINE
        lines = [task_line(actor, v, now=now, show_owner=show_owner) for v in views]
        title = t(actor.lang, f"tasks.title.{scope.value}", count=len(views))
        return Reply(Html("\n".join([title, *lines])))

    await respond(update, context, work)


async def cmd_done(update: Update, context: BotContext) -> None:
    """Close a task: /done ID."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Reply:
        task_id = parse_task_id(args, "usage.done")
        task = tasks.complete_task(
            session=session, actor=actor, task_id=task_id, now=context.clock()
        )
        return Reply(t(actor.lang, "done.ok", id=task.id, title=task.title))

    await respond(update, context, work)


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Add the task handlers."""
    app.add_handler(CommandHandler("tasks", cmd_tasks))
    app.add_handler(CommandHandler("done", cmd_done))
