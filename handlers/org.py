"""/org: a company of several groups — create, code, join, partner, leave, and its groups."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services import companies
from bot.services.errors import UsageError
from bot.services.teams import Actor
from bot.views import org as views
from handlers.common import (
    Outcome,
    anonymous_sender,
    command,
    command_args,
    head_office_chat,
    is_chat_admin,
    is_group,
    respond,
)

SUBCOMMANDS = {
    "create": "create", "创建": "create",
    "code": "code", "邀请码": "code",
    "join": "join", "加入": "join",
    "partner": "partner", "伙伴": "partner",
    "leave": "leave", "退出": "leave",
}  # fmt: skip
# Who decides: the chat admins of this group, or of the company's head office (its managers).
OF_THIS_GROUP = frozenset({"create", "join", "leave"})
OF_HEAD_OFFICE = frozenset({"code", "partner"})
UNBIND = frozenset({"off", "关闭", "解除"})  # /org partner off


async def cmd_org(update: Update, context: BotContext) -> None:
    """/org [create NAME | code | join CODE | partner NAME | partner off | leave]."""
    args = command_args(update.effective_message)
    action = SUBCOMMANDS.get(args[0].lower()) if args else "show"
    rest = " ".join(args[1:])
    admin = await _is_admin(update, context, action)

    def work(session: Session, actor: Actor) -> Outcome:
        now = context.clock()
        if action == "show":
            return Outcome(
                views.company_card(actor.lang, companies.overview(session=session, actor=actor))
            )
        if action == "create":
            issued = companies.create_company(
                session=session, actor=actor, name=rest, chat_admin=admin, now=now
            )
            return Outcome(views.code_issued(actor, issued, now=now, created=True))
        if action == "code":
            issued = companies.issue_code(session=session, actor=actor, head_admin=admin, now=now)
            return Outcome(views.code_issued(actor, issued, now=now, created=False))
        if action == "join" and rest:
            name = companies.join_company(
                session=session, actor=actor, code=rest, chat_admin=admin, now=now
            )
            return Outcome(views.joined(actor.lang, name))
        if action == "partner" and rest.lower() in UNBIND:
            name, partner = companies.unbind_partner(
                session=session, actor=actor, head_admin=admin, now=now
            )
            return Outcome(views.partner_unbound(actor.lang, name, partner))
        if action == "partner":
            name, partner = companies.bind_partner(
                session=session, actor=actor, name=rest, head_admin=admin, now=now
            )
            return Outcome(views.partner_bound(actor.lang, name, partner))
        if action == "leave":
            name = companies.leave_company(session=session, actor=actor, chat_admin=admin, now=now)
            return Outcome(views.left(actor.lang, name))
        raise UsageError("usage.org")

    await respond(update, context, work)


async def _is_admin(update: Update, context: BotContext, action: str | None) -> bool:
    """Ask Telegram whether the user administers the chat that decides `action`.

    The group's anonymous admin is one of its chat admins (only they can write as the group).
    """
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or not is_group(chat):
        return False
    anonymous = anonymous_sender(update)
    if anonymous is not None and not anonymous.admin:
        return False  # a channel administers nothing
    if action in OF_THIS_GROUP:
        return anonymous is not None or await is_chat_admin(context, chat.id, user.id)
    if action in OF_HEAD_OFFICE:
        head = await head_office_chat(update, context)
        if anonymous is not None:
            return head == chat.id
        return head is not None and await is_chat_admin(context, head, user.id)
    return False


def register(app: Application) -> None:
    """Add the /org handler."""
    app.add_handler(command("org", cmd_org))
