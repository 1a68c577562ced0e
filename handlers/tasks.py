"""/task, /tasks, /done, /snooze and /reassign."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update, User
from telegram.ext import Application

from bot.context import BotContext
from bot.parsing.ids import parse_digits
from bot.services import entries, reminders, tasks, teams
from bot.services.errors import UsageError
from bot.services.tasks import TaskScope
from bot.services.teams import Actor
from bot.views import tasks as views
from bot.views.callbacks import ConsoleCommand
from bot.views.reminders import task_keyboard
from handlers import console
from handlers.common import Edit, Outcome, command, command_args, is_group, respond
from models.tables import Task

ALL = ("all", "全部")


def parse_task_number(args: list[str], usage: str) -> int:
    """Read a task number like 12 or #12; anything else (or too long) gets the usage."""
    number = parse_digits(args[0].lstrip("#")) if args else None
    if number is None:
        raise UsageError(usage)
    return number


def reminder_edits(session: Session, actor: Actor, task: Task) -> list[Edit]:
    """Show only the buttons a task's reminder still needs after a command changed the task."""
    found = reminders.reminder_after_change(session=session, task=task)
    if found is None:
        return []
    keyboard = task_keyboard(actor.lang, found.waiting)
    return [Edit(found.chat_id, found.message_id, keyboard=keyboard)]


async def cmd_tasks(update: Update, context: BotContext) -> None:
    """List my open tasks; managers: /tasks all | overdue | @user. In private: see console."""
    args = command_args(update.effective_message)
    if is_group(update.effective_chat):
        await tasks_of(update, context, args)
    elif args and args[0].lower() in ALL:
        await console.ask(update, context, ConsoleCommand.TASKS_ALL, args[:1], tasks_of)
    else:
        await console.own_tasks(update, context)


async def tasks_of(
    update: Update, context: BotContext, args: list[str], team_id: int | None = None
) -> None:
    """/tasks for the update's team, or (from a private chat) for team `team_id`."""
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        scope, member = TaskScope.MINE, None
        if args:
            word = args[0].lower()
            if word in ALL:
                scope = TaskScope.ALL
            elif word in ("overdue", "逾期"):
                scope = TaskScope.OVERDUE
            elif word.startswith("@"):
                scope = TaskScope.MEMBER
                actor.require_manager("error.not_manager.tasks")
                member = teams.find_member(session=session, team=actor.team, username=word)
            else:
                raise UsageError("usage.tasks")
        found = tasks.list_tasks(session=session, actor=actor, now=now, scope=scope, member=member)
        return Outcome(views.task_list(found, scope, lang=actor.lang, tz=actor.tz, now=now))

    await respond(update, context, work, team_id=team_id)


async def cmd_done(update: Update, context: BotContext) -> None:
    """Close a task: /done ID."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        number = parse_task_number(args, "usage.done")
        task = tasks.numbered_task(session=session, actor=actor, number=number)
        tasks.complete_task(session=session, actor=actor, task=task, now=now)
        return Outcome(
            views.task_done(task, lang=actor.lang), edits=reminder_edits(session, actor, task)
        )

    await respond(update, context, work)


async def cmd_task(update: Update, context: BotContext) -> None:
    """Add a task: /task WHAT WHEN [@user]; replying to a rep's message gives it to them."""
    message = update.effective_message
    words = (message.text or "").split(None, 1) if message else []
    text = words[1] if len(words) == 2 else ""
    replied = _replied_user(update, context)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        request = tasks.parse_task_text(
            text, now=now, tz=actor.tz, default_time=actor.due_time, habits=actor.date_habits
        )
        if not request.title:
            raise UsageError("usage.task")
        owner = actor.member
        if request.assignee:
            owner = teams.find_member(session=session, team=actor.team, username=request.assignee)
        elif replied is not None:
            owner = teams.ensure_member(
                session=session,
                team=actor.team,
                user_id=replied.id,
                username=replied.username,
                full_name=replied.full_name,
                now=now,
            )
        due = request.due or entries.default_due(actor=actor, now=now)
        task = tasks.create_task(
            session=session, actor=actor, title=request.title, due=due, owner=owner, now=now
        )
        return Outcome(views.task_created(task, owner, lang=actor.lang, tz=actor.tz, now=now))

    await respond(update, context, work)


def _replied_user(update: Update, context: BotContext) -> User | None:
    """Return the person whose message this one replies to, unless it is a bot or a chat's."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    user = replied.from_user if replied else None
    if user is None or user.is_bot or user.id == context.bot.id:
        return None
    if replied is not None and replied.sender_chat is not None:
        return None  # written as a chat: `from` is a placeholder (Telegram, 777000), nobody's
    return user


async def cmd_snooze(update: Update, context: BotContext) -> None:
    """Move a task's due time: /snooze ID 2h|1d|tomorrow|下周一."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        number = parse_task_number(args, "usage.snooze")
        if len(args) < 2:
            raise UsageError("usage.snooze")
        until = tasks.parse_snooze(
            " ".join(args[1:]),
            now=now,
            tz=actor.tz,
            default_time=actor.due_time,
            habits=actor.date_habits,
        )
        task = tasks.numbered_task(session=session, actor=actor, number=number)
        tasks.snooze_task(session=session, actor=actor, task=task, until=until, now=now)
        return Outcome(
            views.task_snoozed(task, lang=actor.lang, tz=actor.tz, now=now),
            edits=reminder_edits(session, actor, task),
        )

    await respond(update, context, work)


async def cmd_reassign(update: Update, context: BotContext) -> None:
    """Hand a task to a teammate: /reassign ID @user (its owner or a manager)."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        number = parse_task_number(args, "usage.reassign")
        if len(args) != 2 or not args[1].startswith("@"):
            raise UsageError("usage.reassign")
        owner = teams.find_member(session=session, team=actor.team, username=args[1])
        task = tasks.numbered_task(session=session, actor=actor, number=number)
        tasks.reassign_task(session=session, actor=actor, task=task, owner=owner, now=now)
        return Outcome(
            views.task_reassigned(task, owner, lang=actor.lang),
            edits=reminder_edits(session, actor, task),
        )

    await respond(update, context, work)


def register(app: Application) -> None:
    """Add the task handlers."""
    app.add_handler(command("task", cmd_task))
    app.add_handler(command("tasks", cmd_tasks))
    app.add_handler(command("done", cmd_done))
    app.add_handler(command("snooze", cmd_snooze))
    app.add_handler(command("reassign", cmd_reassign))
