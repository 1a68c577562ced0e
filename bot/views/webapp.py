"""The /app command's replies: how the Mini App opens from a group and from a private chat."""

from __future__ import annotations

from bot.i18n import Html, plain, t
from bot.views.keyboards import Button, Keyboard


def direct_link(bot_username: str, app_name: str, chat_id: int) -> str:
    """The t.me link that opens the bot's Mini App for a team (its chat id as start parameter)."""
    return f"https://t.me/{bot_username}/{app_name}?startapp={chat_id}"


def group_invite(lang: str, *, team: str, link: str) -> tuple[Html, Keyboard]:
    """In a group: a link button (Telegram allows Web App buttons in private chats only)."""
    return t(lang, "app.group", team=team), [[Button(plain(lang, "app.button"), url=link)]]


def private_invite(lang: str, *, url: str) -> tuple[Html, Keyboard]:
    """In a private chat: a button that opens the Mini App in place."""
    return t(lang, "app.private"), [[Button(plain(lang, "app.button"), web_app=url)]]


def menu_label(lang: str) -> str:
    """The chat's menu button, which opens the Mini App too."""
    return plain(lang, "app.menu")


def not_set_up(lang: str) -> Html:
    return t(lang, "app.not_set_up")
