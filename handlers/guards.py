"""What runs before every feature handler: messages from other bots are not ours."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.context import BotContext


async def skip_bots(update: Update, context: BotContext) -> None:
    """Drop messages from bots and a linked channel's automatic forwards, without a word.

    Button presses are people's, and pass. So does a message written as a chat (an anonymous
    admin's, or one sent as a channel): its `from` is a placeholder bot, but a person wrote it,
    and the handlers answer it as such (handlers.common.anonymous_sender).
    """
    user, message = update.effective_user, update.effective_message
    if update.callback_query is not None:
        return
    if message is not None and message.is_automatic_forward:
        raise ApplicationHandlerStop  # the channel's own post, copied into its discussion group
    written_as_chat = message is not None and message.sender_chat is not None
    if user is not None and user.is_bot and not written_as_chat:
        raise ApplicationHandlerStop


def register(app: Application) -> None:
    """Add the guard in a group of its own, before every other handler.

    Exactly-once is not a guard: each unit of work claims its update in its own transaction
    (handlers/common.py), so an update is marked handled only together with its writes.
    """
    app.add_handler(TypeHandler(Update, skip_bots), group=-1)
