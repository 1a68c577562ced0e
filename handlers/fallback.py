"""Unknown commands, and the error handler that keeps tracebacks out of the chat."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import t
from bot.sending import send_text
from bot.services.updates import AlreadyHandled, was_applied
from bot.views.text import plain
from handlers.common import button_expired, is_group, team_language

log = logging.getLogger(__name__)


async def on_unknown_command(update: Update, context: BotContext) -> None:
    """Answer a command crmbot does not know (commands for other bots are not ours)."""
    message = update.effective_message
    if message is None or not message.text or not is_group(message.chat):
        return
    command = message.text.split()[0]
    name, _, target = command.partition("@")
    if target and target.lower() != (context.bot.username or "").lower():
        return
    lang = team_language(context, message.chat_id)
    text = t(lang, "error.unknown_command", command=name)
    await send_text(context.bot, message.chat_id, text, reply_to=message.message_id)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure and tell the chat, in its language, that it did not work."""
    if isinstance(context.error, AlreadyHandled):
        log.info("update %s was handled before; skipped", context.error)
        return
    log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    chat = update.effective_chat
    try:
        lang = team_language(context, chat.id)
        saved = await context.db.in_session(
            lambda session: was_applied(
                session=session, bot_id=context.bot.id, update_id=update.update_id
            )
        )
    except Exception:  # the database itself may be what failed
        lang, saved = context.settings.default_lang, False
    # After its unit of work committed, only the reply was lost: saying "nothing was saved"
    # would make the rep enter it again.
    key = "error.after_save" if saved else "error.internal"
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(plain(t(lang, key)), show_alert=True)
        except Exception:
            log.debug("could not answer the callback query", exc_info=True)
        return
    if update.effective_message is not None:
        reply_to = update.effective_message.message_id
        await send_text(context.bot, chat.id, t(lang, key), reply_to=reply_to)


def register(app: Application) -> None:
    """Add the catch-alls last; they only see what no feature handled."""
    app.add_handler(
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, on_unknown_command)
    )
    # Buttons of a kind no feature registers (an older version's keyboard): say they expired.
    app.add_handler(CallbackQueryHandler(button_expired))
    app.add_error_handler(on_error)
