"""Bot API methods about the bot itself, updates, webhooks, commands, chats and files.

Message methods live in ``messages.py``; ``METHODS`` below is the full dispatch table.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from tgemu import messages
from tgemu.context import MethodContext
from tgemu.errors import (
    POLL_TERMINATED,
    WEBHOOK_ACTIVE,
    bad_request,
    conflict,
)
from tgemu.media import file_json
from tgemu.params import Params
from tgemu.state import JSON, MEMBER_STATUSES, BotAccount, Chat, EmulatorState, WebhookConfig

Handler = Callable[[MethodContext, Params], Awaitable[Any]]

_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_SCOPES_WITH_CHAT = frozenset({"chat", "chat_administrators", "chat_member"})
_SCOPES = (
    frozenset({"default", "all_private_chats", "all_group_chats", "all_chat_administrators"})
    | _SCOPES_WITH_CHAT
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_MAX_DOWNLOAD = 20 * 1024 * 1024
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}
_GROUP_PERMISSIONS = {
    "can_send_messages": True,
    "can_send_audios": True,
    "can_send_documents": True,
    "can_send_photos": True,
    "can_send_videos": True,
    "can_send_video_notes": True,
    "can_send_voice_notes": True,
    "can_send_polls": True,
    "can_send_other_messages": True,
    "can_add_web_page_previews": True,
    "can_change_info": False,
    "can_invite_users": True,
    "can_pin_messages": False,
    "can_manage_topics": False,
}


# -- the bot and its updates -------------------------------------------------------------


async def get_me(ctx: MethodContext, params: Params) -> JSON:
    """getMe."""
    return dict(ctx.bot.user)


async def log_out(ctx: MethodContext, params: Params) -> bool:
    """logOut / close: nothing to release in the emulator."""
    return True


def _set_allowed_updates(bot: BotAccount, params: Params) -> None:
    allowed = params.json("allowed_updates", error="can't parse allowed updates JSON object")
    if allowed is None:
        return
    if not isinstance(allowed, list) or not all(isinstance(item, str) for item in allowed):
        raise bad_request("can't parse allowed updates JSON object")
    bot.allowed_updates = frozenset(allowed) if allowed else None


async def get_updates(ctx: MethodContext, params: Params) -> list[JSON]:
    """getUpdates: confirm by offset, then long-poll for up to ``timeout`` seconds."""
    bot, state = ctx.bot, ctx.state
    if bot.webhook is not None:
        raise conflict(WEBHOOK_ACTIVE)
    offset = params.integer("offset", 0) or 0
    limit = min(max(params.integer("limit", 100) or 100, 1), 100)
    timeout = max(params.integer("timeout", 0) or 0, 0)
    _set_allowed_updates(bot, params)
    if offset > 0:
        state.confirm(bot, offset)
    elif offset < 0:
        while len(bot.pending) > -offset:
            bot.pending.popleft()
        if bot.pending:
            state.confirm(bot, bot.pending[0]["update_id"])

    # A newer getUpdates terminates an older one still waiting, as in Telegram.
    bot.poll_generation += 1
    generation = bot.poll_generation
    state.notifier.notify()
    if not bot.pending and timeout > 0:
        await state.notifier.wait_until(
            lambda: (
                bool(bot.pending)
                or bot.poll_generation != generation
                or bot.webhook is not None
                or state.closing
            ),
            timeout,
        )
    if bot.poll_generation != generation:
        raise conflict(POLL_TERMINATED)
    if bot.webhook is not None:
        raise conflict(WEBHOOK_ACTIVE)
    updates = list(itertools.islice(bot.pending, limit))
    if updates:
        bot.delivered_update_id = max(bot.delivered_update_id, updates[-1]["update_id"])
        state.notifier.notify()
    return updates


def _drop_pending(ctx: MethodContext) -> None:
    bot = ctx.bot
    bot.pending.clear()
    bot.confirmed_update_id = max(bot.confirmed_update_id, bot.last_update_id)
    ctx.state.notifier.notify()


async def set_webhook(ctx: MethodContext, params: Params) -> bool:
    """setWebhook (plain http is accepted so tests can run a local receiver)."""
    url = params.text("url") or ""
    if not url:
        return await delete_webhook(ctx, params)
    if not url.lower().startswith(("https://", "http://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.text("secret_token")
    if secret is not None and not _SECRET_RE.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    _set_allowed_updates(ctx.bot, params)
    if params.boolean("drop_pending_updates"):
        _drop_pending(ctx)
    max_connections = params.integer("max_connections", 40) or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    ctx.bot.webhook = WebhookConfig(url=url, secret_token=secret, max_connections=max_connections)
    ctx.webhooks.refresh(ctx.bot)
    return True


async def delete_webhook(ctx: MethodContext, params: Params) -> bool:
    """deleteWebhook."""
    if params.boolean("drop_pending_updates"):
        _drop_pending(ctx)
    ctx.bot.webhook = None
    ctx.webhooks.refresh(ctx.bot)
    return True


async def get_webhook_info(ctx: MethodContext, params: Params) -> JSON:
    """getWebhookInfo."""
    bot = ctx.bot
    info: JSON = {
        "url": bot.webhook.url if bot.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(bot.pending),
    }
    if bot.webhook is not None:
        info["max_connections"] = bot.webhook.max_connections
        if bot.webhook.last_error_date is not None:
            info["last_error_date"] = bot.webhook.last_error_date
            info["last_error_message"] = bot.webhook.last_error_message
    if bot.allowed_updates is not None:
        info["allowed_updates"] = sorted(bot.allowed_updates)
    return info


# -- commands and bot profile ---------------------------------------------------------------


def _scope_chat_id(state: EmulatorState, raw: Any) -> int:
    if isinstance(raw, str) and raw.startswith("@"):
        for chat in state.chats.values():
            if chat.username and chat.username.lower() == raw[1:].lower():
                return chat.id
        raise bad_request("chat not found")
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None


def command_scope_key(state: EmulatorState, scope: Any) -> str:
    """Normalise a BotCommandScope into the key commands are stored under."""
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    key: JSON = {"type": scope["type"]}
    if scope["type"] in _SCOPES_WITH_CHAT:
        key["chat_id"] = _scope_chat_id(state, scope.get("chat_id"))
    if scope["type"] == "chat_member":
        try:
            key["user_id"] = int(scope["user_id"])
        except (KeyError, TypeError, ValueError):
            raise bad_request("user not found") from None
    return json.dumps(key, sort_keys=True)


def _commands_key(ctx: MethodContext, params: Params) -> tuple[str, str]:
    scope = params.json("scope", error="can't parse BotCommandScope JSON object")
    return command_scope_key(ctx.state, scope), params.text("language_code") or ""


async def set_my_commands(ctx: MethodContext, params: Params) -> bool:
    """setMyCommands."""
    commands = params.json("commands", error="can't parse commands JSON object")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    cleaned: list[JSON] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command = str(item.get("command", ""))
        description = str(item.get("description", "")).strip()
        if not _COMMAND_RE.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": command, "description": description})
    key = _commands_key(ctx, params)
    if cleaned:
        ctx.bot.commands[key] = cleaned
    else:
        ctx.bot.commands.pop(key, None)
    return True


async def get_my_commands(ctx: MethodContext, params: Params) -> list[JSON]:
    """getMyCommands (exact scope and language, no fallback, as in Telegram)."""
    return list(ctx.bot.commands.get(_commands_key(ctx, params), []))


async def delete_my_commands(ctx: MethodContext, params: Params) -> bool:
    """deleteMyCommands."""
    ctx.bot.commands.pop(_commands_key(ctx, params), None)
    return True


def _property_setter(name: str, limit: int) -> Callable[[MethodContext, Params], Awaitable[bool]]:
    async def setter(ctx: MethodContext, params: Params) -> bool:
        value = params.text(name) or ""
        if len(value) > limit:
            raise bad_request(f"{name} is too long")
        ctx.bot.properties[(name, params.text("language_code") or "")] = value
        return True

    return setter


def _property_getter(name: str) -> Callable[[MethodContext, Params], Awaitable[JSON]]:
    async def getter(ctx: MethodContext, params: Params) -> JSON:
        key = (name, params.text("language_code") or "")
        return {name: ctx.bot.properties.get(key, "")}

    return getter


async def set_chat_menu_button(ctx: MethodContext, params: Params) -> bool:
    """setChatMenuButton."""
    button = params.json("menu_button", error="can't parse menu button JSON object")
    _check_menu_button(button)
    ctx.bot.properties[("menu_button", params.text("chat_id") or "")] = button or {
        "type": "default"
    }
    return True


def _check_menu_button(button: Any) -> None:
    """A MenuButton: commands, default, or web_app with a text and an https Web App."""
    if button is None:
        return
    kind = button.get("type") if isinstance(button, dict) else None
    if kind not in ("commands", "default", "web_app"):
        raise bad_request("can't parse menu button JSON object")
    if kind == "web_app":
        if not isinstance(button.get("text"), str) or not button["text"]:
            raise bad_request('can\'t parse menu button: Field "text" must be of type String')
        messages.check_web_app(button.get("web_app"), "menu button")


async def get_chat_menu_button(ctx: MethodContext, params: Params) -> JSON:
    """getChatMenuButton."""
    key = ("menu_button", params.text("chat_id") or "")
    return dict(ctx.bot.properties.get(key, {"type": "commands"}))


# -- chats ---------------------------------------------------------------------------------


def _full_info(state: EmulatorState, chat: Chat) -> JSON:
    info = state.chat_json(chat)
    info.update(
        {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": dict(_NO_GIFTS)}
    )
    if chat.type in ("group", "supergroup"):
        info["permissions"] = dict(_GROUP_PERMISSIONS)
    if chat.linked_chat_id is not None:
        info["linked_chat_id"] = chat.linked_chat_id
    pinned = state.message(chat, chat.pinned_message_id) if chat.pinned_message_id else None
    if pinned is not None:
        info["pinned_message"] = pinned.data
    return info


async def get_chat(ctx: MethodContext, params: Params) -> JSON:
    """getChat (returns ChatFullInfo)."""
    return _full_info(ctx.state, ctx.chat_for_read(params))


async def get_chat_administrators(ctx: MethodContext, params: Params) -> list[JSON]:
    """getChatAdministrators."""
    chat = ctx.chat_for_read(params)
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    return [
        ctx.state.member_json(chat, user_id)
        for user_id, status in chat.members.items()
        if status in ("creator", "administrator")
    ]


async def get_chat_member(ctx: MethodContext, params: Params) -> JSON:
    """getChatMember."""
    chat = ctx.chat_for_read(params)
    user_id = params.integer("user_id")
    if user_id is None or user_id not in ctx.state.users:
        raise bad_request("user not found")
    if chat.type == "private":
        status = "member" if user_id in (chat.id, ctx.bot.id) else "left"
        return {"status": status, "user": ctx.state.user_json(user_id)}
    return ctx.state.member_json(chat, user_id)


async def get_chat_member_count(ctx: MethodContext, params: Params) -> int:
    """getChatMemberCount."""
    chat = ctx.chat_for_read(params)
    if chat.type == "private":
        return 2
    return sum(1 for status in chat.members.values() if status in MEMBER_STATUSES)


async def leave_chat(ctx: MethodContext, params: Params) -> bool:
    """leaveChat."""
    chat = ctx.chat_for_read(params)
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    chat.members[ctx.bot.id] = "left"
    return True


async def send_chat_action(ctx: MethodContext, params: Params) -> bool:
    """sendChatAction."""
    ctx.chat_for_send(params)
    if params.text("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def get_file(ctx: MethodContext, params: Params) -> JSON:
    """getFile."""
    stored = ctx.state.files.get(params.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > _MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return file_json(stored)


_HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "logOut": log_out,
    "close": log_out,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": _property_setter("description", 512),
    "getMyDescription": _property_getter("description"),
    "setMyShortDescription": _property_setter("short_description", 120),
    "getMyShortDescription": _property_getter("short_description"),
    "setMyName": _property_setter("name", 64),
    "getMyName": _property_getter("name"),
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "getChat": get_chat,
    "getChatAdministrators": get_chat_administrators,
    "getChatMember": get_chat_member,
    "getChatMemberCount": get_chat_member_count,
    "leaveChat": leave_chat,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
    **messages.HANDLERS,
}

# Telegram matches method names case-insensitively.
METHODS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler) for name, handler in _HANDLERS.items()
}
