"""What a Bot API method handler works with, and Telegram's chat access rules."""

from __future__ import annotations

from dataclasses import dataclass

from tgemu.errors import bad_request, forbidden, group_migrated
from tgemu.params import Params
from tgemu.state import MEMBER_STATUSES, BotAccount, Chat, EmulatorState
from tgemu.webhook import WebhookDispatcher


@dataclass
class MethodContext:
    """The calling bot plus the emulator services a method may use."""

    state: EmulatorState
    bot: BotAccount
    webhooks: WebhookDispatcher
    strict_html: bool

    def chat_id(self, params: Params, name: str = "chat_id") -> int:
        """Resolve a chat_id parameter (number or @username); Bad Request if unusable."""
        raw = params.raw(name)
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            wanted = raw[1:].lower()
            for chat in self.state.chats.values():
                if chat.username and chat.username.lower() == wanted:
                    return chat.id
            raise bad_request("chat not found")
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None

    def knows_user(self, user_id: int) -> bool:
        """Return whether the bot has met the user (private chat or a shared group)."""
        if user_id in self.bot.started:
            return True
        return any(
            chat.is_member(self.bot.id) and chat.is_member(user_id)
            for chat in self.state.chats.values()
            if chat.type != "private"
        )

    def chat_for_read(self, params: Params) -> Chat:
        """Return the chat for methods that look at a chat (getChat, deleteMessage, ...)."""
        chat_id = self.chat_id(params)
        if chat_id > 0:
            if chat_id == self.bot.id or chat_id not in self.state.users:
                raise bad_request("chat not found")
            if not self.knows_user(chat_id):
                raise bad_request("chat not found")
            return self.state.private_chat(chat_id)
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        self._check_group_membership(chat)
        return chat

    def chat_for_send(self, params: Params) -> Chat:
        """Return the chat for methods that post into it, enforcing who may be messaged."""
        chat_id = self.chat_id(params)
        if chat_id > 0:
            user = self.state.users.get(chat_id)
            if user is None or chat_id == self.bot.id:
                raise bad_request("chat not found")
            if user.get("is_bot"):
                raise forbidden("bot can't send messages to bots")
            if chat_id in self.bot.blocked_by:
                raise forbidden("bot was blocked by the user")
            if chat_id not in self.bot.started:
                raise forbidden("bot can't initiate conversation with a user")
            return self.state.private_chat(chat_id)
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        self._check_group_membership(chat)
        return chat

    def _check_group_membership(self, chat: Chat) -> None:
        if chat.migrated_to is not None:
            raise group_migrated(chat.migrated_to)
        status = chat.members.get(self.bot.id)
        if status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.type} chat")
        if status not in MEMBER_STATUSES:
            raise forbidden(f"bot is not a member of the {chat.type} chat")
