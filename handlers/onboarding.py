"""Joining a group, /start, /help, /setup, /lang, /tz and /role."""

from __future__ import annotations

from sqlmodel import Session
from telegram import BotCommand, BotCommandScopeAllGroupChats, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import Application, ChatMemberHandler, MessageHandler, filters

from bot.context import AppState, BotContext
from bot.i18n import LANGUAGES, t
from bot.sending import send_text
from bot.services import teams
from bot.services.errors import NotChatAdmin, UsageError
from bot.services.teams import Actor
from handlers import console
from handlers.common import (
    Outcome,
    command,
    command_args,
    defaults,
    in_transaction,
    is_chat_admin,
    is_group,
    respond,
)

# Commands shown in Telegram's menu, in this order; descriptions come from the catalogs.
MENU_COMMANDS = (
    "lead",
    "visit",
    "call",
    "followup",
    "task",
    "tasks",
    "done",
    "customer",
    "undo",
    "stats",
    "funnel",
    "app",
    "export",
    "help",
    "setup",
)


async def set_menus(app: Application) -> None:
    """Publish the command menu in English and Chinese."""
    scope = BotCommandScopeAllGroupChats()
    for lang in LANGUAGES:
        commands = [BotCommand(name, t(lang, f"menu.{name}")) for name in MENU_COMMANDS]
        await app.bot.set_my_commands(commands, scope=scope, language_code=lang)
    await app.bot.set_my_commands(
        [BotCommand(name, t("en", f"menu.{name}")) for name in MENU_COMMANDS], scope=scope
    )


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """Say hello when added to a group (welcome back when re-added); pause the team when removed."""
    change = update.my_chat_member
    if change is None or not is_group(change.chat):
        return
    was_in = change.old_chat_member.status not in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
    is_in = change.new_chat_member.status not in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
    if was_in == is_in:
        return
    chat, by = change.chat, change.from_user

    if not is_in:

        def leave(session: Session) -> None:
            teams.bot_removed(
                session=session, chat_id=chat.id, by_user_id=by.id, now=context.clock()
            )

        await in_transaction(update, context, leave)
        return

    def arrive(session: Session) -> tuple[str, bool]:
        team, returned = teams.bot_added(
            session=session,
            chat_id=chat.id,
            title=chat.title or "",
            by_user_id=by.id,
            defaults=defaults(context),
            now=context.clock(),
        )
        teams.adopt_language(session=session, team=team, language_code=by.language_code)
        return team.language, returned and team.active

    lang, back = await in_transaction(update, context, arrive)
    context.bot_data.languages[chat.id] = lang
    key = "welcome.back" if back else "welcome"
    await send_text(context.bot, chat.id, t(lang, key, bot=context.bot.username))


async def on_upgrade(update: Update, context: BotContext) -> None:
    """Follow a basic group upgraded to a supergroup: its team moves to the new chat id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return

    def move(session: Session) -> None:
        teams.follow_upgrade(session=session, old_chat_id=old, new_chat_id=new, now=context.clock())

    await in_transaction(update, context, move)
    _relabel(context.bot_data, old, new)


async def follow_refused_send(state: AppState, old: int, new: int) -> None:
    """Move a team whose send Telegram refused with ChatMigrated, before the upgrade is seen."""
    db = state.db
    if db is None:
        return

    def move(session: Session) -> None:
        teams.follow_upgrade(session=session, old_chat_id=old, new_chat_id=new, now=state.clock())

    await db.in_session(move)
    _relabel(state, old, new)


def _relabel(state: AppState, old: int, new: int) -> None:
    if old in state.languages:
        state.languages[new] = state.languages.pop(old)


async def cmd_start(update: Update, context: BotContext) -> None:
    """Introduce the bot; in private, remember that the user can be messaged there."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    if not is_group(chat):
        with context.db.session() as session:
            teams.mark_private_chat(session=session, user_id=user.id)
        await console.welcome(update, context)
        return

    admin = await is_chat_admin(context, chat.id, user.id)

    def work(session: Session, actor: Actor) -> Outcome:
        if admin:
            teams.adopt_language(session=session, team=actor.team, language_code=user.language_code)
        key = "start.active" if actor.team.active else "start.inactive"
        return Outcome(t(actor.lang, key, bot=context.bot.username))

    await respond(update, context, work)


async def cmd_help(update: Update, context: BotContext) -> None:
    """List the commands in the team's language."""

    def work(session: Session, actor: Actor) -> Outcome:
        text = t(actor.lang, "help")
        if actor.is_manager:
            text = t(actor.lang, "help.manager", base=text)
        return Outcome(text)

    if not is_group(update.effective_chat):
        await console.welcome(update, context, helping=True)
        return
    await respond(update, context, work)


async def cmd_setup(update: Update, context: BotContext) -> None:
    """Activate the team; only a chat admin may."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or not is_group(chat):
        await respond(update, context, lambda s, a: None)
        return
    admins = await context.bot.get_chat_administrators(chat.id)
    admin_ids = [admin.user.id for admin in admins if not admin.user.is_bot]

    def work(session: Session, actor: Actor) -> Outcome:
        if not actor.is_anonymous_admin and user.id not in admin_ids:
            raise NotChatAdmin()
        teams.adopt_language(session=session, team=actor.team, language_code=user.language_code)
        fresh = teams.activate(
            session=session, actor=actor, admin_user_ids=admin_ids, now=context.clock()
        )
        key = "setup.done" if fresh else "setup.already"
        return Outcome(t(actor.lang, key, tz=actor.team.timezone, lang=actor.team.language))

    await respond(update, context, work)


async def cmd_lang(update: Update, context: BotContext) -> None:
    """Switch the team's language: /lang en|zh."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Outcome:
        if len(args) != 1 or args[0].lower() not in LANGUAGES:
            raise UsageError("usage.lang")
        teams.set_language(
            session=session, actor=actor, language=args[0].lower(), now=context.clock()
        )
        return Outcome(t(actor.lang, "lang.set"))

    await respond(update, context, work)


async def cmd_tz(update: Update, context: BotContext) -> None:
    """Switch the team's time zone: /tz Area/City."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Outcome:
        if len(args) != 1:
            raise UsageError("usage.tz", tz=actor.team.timezone)
        name = teams.set_timezone(session=session, actor=actor, name=args[0], now=context.clock())
        return Outcome(t(actor.lang, "tz.set", tz=name))

    await respond(update, context, work)


async def cmd_role(update: Update, context: BotContext) -> None:
    """Give a member a role: /role @user manager|rep."""
    args = command_args(update.effective_message)

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        if len(args) != 2 or not args[0].startswith("@"):
            raise UsageError("usage.role")
        role = {"manager": "manager", "rep": "rep", "经理": "manager", "销售": "rep"}.get(
            args[1].lower()
        )
        if role is None:
            raise UsageError("usage.role")
        member = teams.set_role(
            session=session, actor=actor, username=args[0], role=role, now=context.clock()
        )
        return Outcome(
            t(
                actor.lang,
                "role.set",
                user=f"@{member.username}",
                role=t(actor.lang, f"role.{role}"),
            )
        )

    await respond(update, context, work)


def register(app: Application) -> None:
    """Add the onboarding handlers."""
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_upgrade))
    app.add_handler(command("start", cmd_start))
    app.add_handler(command("help", cmd_help))
    app.add_handler(command("setup", cmd_setup))
    app.add_handler(command("lang", cmd_lang))
    app.add_handler(command("tz", cmd_tz))
    app.add_handler(command("role", cmd_role))
