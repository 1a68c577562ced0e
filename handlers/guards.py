"""What runs before every feature handler: messages from other bots are not ours."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.context import BotContext


async def skip_bots(update: Update, context: BotContext) -> None:
    """Drop messages from bots (their button presses are users', and pass)."""
    user = update.effective_user
    if user is not None and user.is_bot and update.callback_query is None:
        raise ApplicationHandlerStop


def register(app: Application) -> None:
    """Add the guard in a group of its own, before every other handler.

    Exactly-once is not a guard: each unit of work claims its update in its own transaction
    (handlers/common.py), so an update is marked handled only together with its writes.
    """
    app.add_handler(TypeHandler(Update, skip_bots), group=-1)
