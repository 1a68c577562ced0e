"""A private chat with the bot is a manager's console: team commands, for a team picked by button.

A manager's command in private (/stats, /stats org, /tasks all, /digest, /export) runs for
the one team it fits, or asks which with a button per team; the press runs it there. Either
way the feature's own unit of work runs, as the user's actor in that team (handlers.common's
`team_id`), with its services, permission checks and audit. A rep's /tasks lists their own
open tasks in all their teams.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Protocol

from sqlmodel import Session
from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Html, t
from bot.sending import send_text
from bot.services import console, reminders
from bot.services.reminders import Act, Presser
from bot.views import console as views
from bot.views.callbacks import ConsoleCommand, ConsolePress, OwnTaskPress
from bot.views.console import ASKED
from bot.views.keyboards import Keyboard
from bot.views.reminders import task_keyboard
from handlers.common import (
    Edit,
    Outcome,
    answer,
    button,
    chat_language,
    in_transaction,
    is_group,
)


class Runner(Protocol):
    """Runs a command with the words after its name: for the update's group, or for a team."""

    def __call__(
        self, update: Update, context: BotContext, args: list[str], team_id: int | None = None, /
    ) -> Awaitable[None]: ...


async def here_or_ask(
    update: Update, context: BotContext, command: ConsoleCommand, args: list[str], run: Runner
) -> None:
    """Run a command in its group; in a private chat, for a team of the asker's (see ask)."""
    if is_group(update.effective_chat):
        await run(update, context, args)
    else:
        await ask(update, context, command, args, run)


async def ask(
    update: Update, context: BotContext, command: ConsoleCommand, args: list[str], run: Runner
) -> None:
    """A manager's command in private: run it for the one team it fits, or ask which."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None:
        return

    def find(session: Session) -> console.Teams:
        return console.managed_teams(
            session=session, user_id=user.id, head_offices=command is ConsoleCommand.STATS_ORG
        )

    found = await in_transaction(update, context, find, claim=False, read_only=True)
    if len(found.fitting) == 1:
        await run(update, context, args, found.fitting[0].team_id)
        return
    lang = chat_language(update, context)
    keyboard = None
    if not found.member:
        text = t(lang, "console.no_team")
    elif not found.fitting:
        if command is ConsoleCommand.STATS_ORG:
            text = t(lang, "console.no_company")
        else:
            text = t(lang, "console.managers_only", command=ASKED[command])
    else:
        try:
            text, keyboard = views.picker(found.fitting, command, args, lang=lang)
        except ValueError:
            text = t(lang, "console.too_long")
    await in_transaction(update, context, lambda session: None)  # answered: exactly once
    reply_to = message.message_id if message else None
    await send_text(context.bot, chat.id, text, keyboard=keyboard, reply_to=reply_to)


async def own_tasks(update: Update, context: BotContext) -> None:
    """/tasks in private: the user's own open tasks in each of their teams."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None:
        return
    now = context.clock()
    lang = chat_language(update, context)

    def read(session: Session) -> tuple[Html, Keyboard]:
        found = console.own_tasks(session=session, user_id=user.id, now=now)
        if not found and not console.managed_teams(session=session, user_id=user.id).member:
            return t(lang, "console.no_team"), []
        return views.own_tasks(found, lang=lang, now=now), views.own_task_buttons(found, lang=lang)

    text, keyboard = await in_transaction(update, context, read)
    reply_to = message.message_id if message else None
    await send_text(context.bot, chat.id, text, keyboard=keyboard or None, reply_to=reply_to)


async def own_task_done(update: Update, context: BotContext, pressed: OwnTaskPress) -> None:
    """✅ under the private list of one's tasks: done, then the list drawn again.

    The task's reminder in its group loses its Done button, as after /done there.
    """
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None or query.message is None:
        return
    presser = Presser(user.id, user.username, user.full_name, chat.id)
    message_id, now, lang = (
        query.message.message_id,
        context.clock(),
        chat_language(update, context),
    )

    async def unit() -> Outcome:
        def act(session: Session) -> Outcome:
            done = reminders.press(
                session=session, presser=presser, act=Act.DONE, task_id=pressed.task_id,
                message_id=message_id, now=now,
            )  # fmt: skip
            reminder = reminders.reminder_after_change(session=session, task=done.task)
            found = console.own_tasks(session=session, user_id=user.id, now=now)
            edits = []
            if reminder is not None:
                buttons = task_keyboard(done.lang, reminder.waiting)
                edits.append(Edit(reminder.chat_id, reminder.message_id, keyboard=buttons))
            return Outcome(
                text=views.own_tasks(found, lang=lang, now=now),
                keyboard=views.own_task_buttons(found, lang=lang),
                toast=t(done.lang, "toast.done", id=done.task.number),
                edits=edits,
            )

        return await in_transaction(update, context, act)

    await answer(update, context, unit)


async def welcome(update: Update, context: BotContext, *, helping: bool = False) -> None:
    """/start and /help in private: what works here, for the teams the user is in."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    lang = chat_language(update, context)

    def read(session: Session) -> Html:
        found = console.welcome(session=session, user_id=user.id)
        return views.welcome(found, lang=lang, helping=helping)

    text = await in_transaction(update, context, read)
    await send_text(context.bot, chat.id, text)


def register(app: Application, runners: Mapping[ConsoleCommand, Runner]) -> None:
    """Add the team picker's button, which runs the picked command with its runner."""

    async def on_pick(update: Update, context: BotContext, pressed: ConsolePress) -> None:
        args = pressed.args.split() if pressed.args else []
        await runners[pressed.command](update, context, args, pressed.team_id)

    app.add_handler(button(ConsolePress, on_pick))
    app.add_handler(button(OwnTaskPress, own_task_done))
