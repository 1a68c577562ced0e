"""What runs before every feature handler: exactly-once updates and ignoring other bots."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.services import teams
from bot.services.updates import claim_update
from handlers.common import is_group

log = logging.getLogger(__name__)


async def skip_seen_and_bots(update: Update, context: BotContext) -> None:
    """Drop updates handled before (a redelivery after a restart) and messages from bots."""
    user = update.effective_user
    if user is not None and user.is_bot and update.callback_query is None:
        raise ApplicationHandlerStop
    chat = update.effective_chat
    now = context.clock()
    with context.db.session() as session:
        fresh = claim_update(
            session=session, bot_id=context.bot.id, update_id=update.update_id, now=now
        )
        if fresh and user is not None and is_group(chat):
            # Know every member who writes, so /role @user and /assign @user can find them.
            assert chat is not None
            team = teams.get_team(session=session, chat_id=chat.id)
            if team is not None:
                teams.ensure_member(
                    session=session,
                    team=team,
                    user_id=user.id,
                    username=user.username,
                    full_name=user.full_name,
                    now=now,
                )
    if not fresh:
        log.info("update %s was handled before; skipped", update.update_id)
        raise ApplicationHandlerStop


def register(app: Application) -> None:
    """Add the guard in a group of its own, before every other handler."""
    app.add_handler(TypeHandler(Update, skip_seen_and_bots), group=-1)
