"""/app: open the Mini App, for the group's team or (in private) for all of the user's teams."""

from __future__ import annotations

import logging

from sqlmodel import Session
from telegram import MenuButtonWebApp, Update, WebAppInfo
from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import BotContext
from bot.sending import send_text
from bot.services.teams import Actor
from bot.views import webapp as views
from handlers.common import Outcome, chat_language, command, in_transaction, is_group, respond

log = logging.getLogger(__name__)


async def cmd_app(update: Update, context: BotContext) -> None:
    """Answer with a button that opens the Mini App; in private, make it the menu button too."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return
    url = context.settings.webapp_url
    if is_group(chat):
        link = views.direct_link(context.bot.username, context.settings.webapp_name, chat.id)

        def work(session: Session, actor: Actor) -> Outcome:
            actor.require_active()
            if url is None:
                return Outcome(views.not_set_up(actor.lang))
            text, keyboard = views.group_invite(actor.lang, team=actor.team.title, link=link)
            return Outcome(text, keyboard)

        await respond(update, context, work)
        return
    # Nothing to write, but claimed like every update: a redelivery sends no second answer.
    await in_transaction(update, context, lambda session: None)
    lang = chat_language(update, context)
    reply_to = message.message_id if message else None
    if url is None:
        await send_text(context.bot, chat.id, views.not_set_up(lang), reply_to=reply_to)
        return
    text, keyboard = views.private_invite(lang, url=url)
    await send_text(context.bot, chat.id, text, keyboard=keyboard, reply_to=reply_to)
    button = MenuButtonWebApp(views.menu_label(lang), WebAppInfo(url))
    try:
        await context.bot.set_chat_menu_button(chat_id=chat.id, menu_button=button)
    except TelegramError as exc:  # the button above still opens it
        log.warning("could not set the menu button of chat %s: %s", chat.id, exc)


def register(app: Application) -> None:
    """Add /app."""
    app.add_handler(command("app", cmd_app))
