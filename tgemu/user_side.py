"""The user half of the emulator: people (and other bots) acting in chats.

Every action stores the message as Telegram would and queues the matching update for
each bot that would receive it (privacy mode respected). Actions that make no sense in
Telegram (pressing a button that is not there, writing to a group one is not in) raise
EmulatorError, because they are bugs in the test rather than in the bot.
"""

from __future__ import annotations

import copy

from tgemu.entities import utf16_len
from tgemu.errors import EmulatorError
from tgemu.formatting import plain_text
from tgemu.media import document_json, image_size, photo_json, store_photo, tiny_png
from tgemu.state import (
    CHANNEL_BOT,
    GROUP_ANONYMOUS_BOT,
    JSON,
    MEMBER_STATUSES,
    TELEGRAM_SERVICE,
    BotAccount,
    CallbackQueryRecord,
    Chat,
    EmulatorState,
    StoredMessage,
)

_SERVICE_KEYS = frozenset(
    {
        "new_chat_members",
        "left_chat_member",
        "forum_topic_created",
        "pinned_message",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
    }
)
_TOPIC_ICON_COLOR = 7322096
# A minimal "VP8X" WebP header: enough for clients that only look at the dimensions.
_STICKER_BYTES = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\xff\x01\x00\xff\x01\x00"
)
_VOICE_BYTES = b"OggS\x00\x02" + bytes(58)


def _addressed_command(bot: BotAccount, data: JSON) -> bool:
    text = data.get("text") or data.get("caption") or ""
    entities = data.get("entities") or data.get("caption_entities") or []
    first = entities[0] if entities else None
    if first is None or first["type"] != "bot_command" or first["offset"] != 0:
        return False
    command = text.encode("utf-16-le")[: 2 * first["length"]].decode("utf-16-le")
    _, _, target = command.partition("@")
    return not target or target.lower() == bot.username.lower()


def _sees(bot: BotAccount, chat: Chat, data: JSON) -> bool:
    """Apply privacy mode: what a bot without access to all messages receives."""
    if chat.type == "private" or bot.can_read_all_group_messages or chat.is_admin(bot.id):
        return True
    if _SERVICE_KEYS & data.keys():
        return True
    reply = data.get("reply_to_message")
    if reply is not None and reply.get("from", {}).get("id") == bot.id:
        return True
    return _addressed_command(bot, data)


class UserActions:
    """User-side actions of BotApiEmulator; expects ``self.state``."""

    state: EmulatorState
    _private_peer: dict[int, str]

    # -- plumbing ---------------------------------------------------------------------------

    def _bot(self, bot: str | None) -> BotAccount:
        if bot is None:
            return self.state.default_bot()
        for account in self.state.bots.values():
            if bot in (account.token, account.username, "@" + account.username):
                return account
        raise EmulatorError(f"unknown bot {bot!r}")

    def _peer_of(self, user_id: int) -> BotAccount:
        token = self._private_peer.get(user_id)
        return self.state.bots[token] if token in self.state.bots else self.state.default_bot()

    def _group(self, chat_id: int) -> Chat:
        chat = self.state.chat(chat_id)
        if chat.type == "private":
            raise EmulatorError(f"chat {chat_id} is a private chat, not a group")
        return chat

    def _chat_for(self, chat_id: int, user_id: int) -> Chat:
        """Return the chat a user writes into, checking they may write there."""
        self.state.user(user_id)
        if chat_id > 0:
            if chat_id != user_id:
                raise EmulatorError(
                    f"user {user_id} cannot write into the private chat of user {chat_id}"
                )
            bot = self._peer_of(user_id)
            if user_id not in bot.started:
                raise EmulatorError(
                    f"user {user_id} has not started @{bot.username}; call start_private() first"
                )
            return self.state.private_chat(user_id)
        chat = self._group(chat_id)
        if chat.type == "channel":
            raise EmulatorError(f"chat {chat_id} is a channel; its admins use post_in_channel()")
        if not chat.is_member(user_id):
            raise EmulatorError(f"user {user_id} is not a member of chat {chat_id}")
        return chat

    def _author(self, chat: Chat, user_id: int, as_chat: int | None) -> tuple[JSON, JSON]:
        """Return `from` and the extra fields of a message a user writes, maybe as a chat.

        As the group itself (an anonymous admin: only admins of a supergroup can be), or as a
        channel they administer (a supergroup lets members choose to): Telegram then shows a
        placeholder bot in `from` and the chat in `sender_chat`, never the person.
        """
        if as_chat is None:
            return self.state.user_json(user_id, with_language=True), {}
        if chat.type != "supergroup":
            raise EmulatorError(f"only in a supergroup can one write as a chat, not in {chat.id}")
        if as_chat == chat.id:
            if not chat.is_admin(user_id):
                raise EmulatorError(f"user {user_id} is not an admin of {chat.id}: not anonymous")
            return dict(GROUP_ANONYMOUS_BOT), {"sender_chat": self.state.chat_json(chat)}
        channel = self.state.chat(as_chat)
        if channel.type != "channel" or not channel.is_admin(user_id):
            raise EmulatorError(f"user {user_id} cannot write as chat {as_chat}: not its admin")
        return dict(CHANNEL_BOT), {"sender_chat": self.state.chat_json(channel)}

    def _recipients(self, chat: Chat, sender_id: int) -> list[BotAccount]:
        if chat.type == "private":
            bot = self._peer_of(chat.id)
            return [] if chat.id in bot.blocked_by else [bot]
        return [
            bot
            for bot in self.state.bots.values()
            if chat.is_member(bot.id) and bot.id != sender_id
        ]

    def _dispatch(self, chat: Chat, stored: StoredMessage, update_type: str) -> None:
        for bot in self._recipients(chat, stored.sender_id):
            if _sees(bot, chat, stored.data):
                self.state.enqueue(bot, update_type, stored.data)

    def _reply_target(self, chat: Chat, reply_to: int | None) -> StoredMessage | None:
        if reply_to is None:
            return None
        target = self.state.message(chat, reply_to)
        if target is None:
            raise EmulatorError(f"no message {reply_to} to reply to in chat {chat.id}")
        return target

    def _thread(self, chat: Chat, thread_id: int | None, reply: StoredMessage | None) -> int | None:
        if thread_id is not None:
            if not chat.is_forum or thread_id not in chat.topics:
                raise EmulatorError(f"chat {chat.id} has no forum topic {thread_id}")
            return thread_id
        if reply is not None and reply.data.get("is_topic_message"):
            return int(reply.data["message_thread_id"])
        return None

    def _user_post(
        self,
        chat_id: int,
        user_id: int,
        content: JSON,
        *,
        reply_to: int | None = None,
        message_thread_id: int | None = None,
        as_chat: int | None = None,
    ) -> JSON:
        chat = self._chat_for(chat_id, user_id)
        sender, shown_as = self._author(chat, user_id, as_chat)
        target = self._reply_target(chat, reply_to)
        stored = self.state.post_message(
            chat,
            sender,
            {**shown_as, **content},
            reply_to=target,
            thread_id=self._thread(chat, message_thread_id, target),
            author_id=user_id,
        )
        self._dispatch(chat, stored, "message")
        return copy.deepcopy(stored.data)

    def _member_update(self, chat: Chat, by_user_id: int, member_id: int, old_status: str) -> JSON:
        old_member: JSON = {"status": old_status, "user": self.state.user_json(member_id)}
        if old_status == "kicked":
            old_member["until_date"] = 0
        return {
            "chat": self.state.chat_json(chat),
            "from": self.state.user_json(by_user_id, with_language=True),
            "date": self.state.timestamp(),
            "old_chat_member": old_member,
            "new_chat_member": self.state.member_json(chat, member_id),
        }

    def _change_status(self, chat: Chat, by_user_id: int, member_id: int, status: str) -> None:
        """Set a member's status and emit my_chat_member / chat_member updates."""
        old = chat.members.get(member_id, "left")
        if old == status:
            return
        chat.members[member_id] = status
        payload = self._member_update(chat, by_user_id, member_id, old)
        member_bot = self.state.bot_by_id(member_id)
        if member_bot is not None:
            self.state.enqueue(member_bot, "my_chat_member", payload)
        for bot in self.state.bots.values():
            if bot is not member_bot and chat.is_admin(bot.id):
                self.state.enqueue(bot, "chat_member", payload)  # only if allowed_updates has it

    # -- private chats ------------------------------------------------------------------------

    async def start_private(
        self, user_id: int, *, bot: str | None = None, start_parameter: str | None = None
    ) -> JSON:
        """The user opens the bot and presses Start: ``/start`` arrives in private."""
        account = self._bot(bot)
        if self.state.user(user_id).get("is_bot"):
            raise EmulatorError(f"user {user_id} is a bot and cannot start @{account.username}")
        self._private_peer[user_id] = account.token
        chat = self.state.private_chat(user_id)
        if user_id in account.blocked_by:
            account.blocked_by.discard(user_id)
            chat.members[account.id] = "member"
            payload = self._member_update(chat, user_id, account.id, "kicked")
            self.state.enqueue(account, "my_chat_member", payload)
        account.started.add(user_id)
        chat.members[account.id] = "member"
        text = "/start" if start_parameter is None else f"/start {start_parameter}"
        return await self.send_message(user_id, user_id, text)

    async def block_bot(self, user_id: int, *, bot: str | None = None) -> None:
        """The user blocks the bot: my_chat_member (member -> kicked) in the private chat."""
        account = self._bot(bot)
        if user_id not in account.started or user_id in account.blocked_by:
            raise EmulatorError(f"user {user_id} has no active private chat with the bot")
        chat = self.state.private_chat(user_id)
        account.blocked_by.add(user_id)
        chat.members[account.id] = "kicked"
        payload = self._member_update(chat, user_id, account.id, "member")
        self.state.enqueue(account, "my_chat_member", payload)

    # -- groups --------------------------------------------------------------------------------

    async def add_bot_to_group(
        self, chat_id: int, by_user_id: int, *, as_admin: bool = False, bot: str | None = None
    ) -> JSON:
        """A member adds the bot: my_chat_member, then a new_chat_members message."""
        account = self._bot(bot)
        chat = self._group(chat_id)
        if not chat.is_member(by_user_id):
            raise EmulatorError(f"user {by_user_id} is not a member of chat {chat_id}")
        if chat.is_member(account.id):
            raise EmulatorError(f"@{account.username} is already in chat {chat_id}")
        status = "administrator" if as_admin else "member"
        self._change_status(chat, by_user_id, account.id, status)
        return self._service_message(chat, by_user_id, {"new_chat_members": [account.public_user]})

    async def remove_bot_from_group(
        self, chat_id: int, by_user_id: int, *, bot: str | None = None
    ) -> None:
        """An admin removes the bot: my_chat_member (-> left)."""
        account = self._bot(bot)
        chat = self._group(chat_id)
        if not chat.is_admin(by_user_id):
            raise EmulatorError(f"user {by_user_id} is not an admin of chat {chat_id}")
        self._change_status(chat, by_user_id, account.id, "left")
        self._service_message(chat, by_user_id, {"left_chat_member": account.public_user})

    async def join_group(self, chat_id: int, user_id: int) -> JSON:
        """A user joins: chat_member (if allowed) and a new_chat_members message."""
        chat = self._group(chat_id)
        if chat.is_member(user_id):
            raise EmulatorError(f"user {user_id} is already in chat {chat_id}")
        self._change_status(chat, user_id, user_id, "member")
        new_member = self.state.user_json(user_id)
        return self._service_message(chat, user_id, {"new_chat_members": [new_member]})

    async def leave_group(self, chat_id: int, user_id: int) -> JSON:
        """A user leaves: chat_member (if allowed) and a left_chat_member message."""
        chat = self._group(chat_id)
        if not chat.is_member(user_id):
            raise EmulatorError(f"user {user_id} is not in chat {chat_id}")
        message = self._service_message(
            chat, user_id, {"left_chat_member": self.state.user_json(user_id)}
        )
        self._change_status(chat, user_id, user_id, "left")
        return message

    def set_admin(self, chat_id: int, user_id: int, admin: bool) -> None:
        """Promote or demote a member (the creator stays creator)."""
        chat = self._group(chat_id)
        status = chat.members.get(user_id)
        if status not in MEMBER_STATUSES:
            raise EmulatorError(f"user {user_id} is not a member of chat {chat_id}")
        if status == "creator":
            raise EmulatorError("the creator's status cannot change")
        creator = next((uid for uid, s in chat.members.items() if s == "creator"), user_id)
        self._change_status(chat, creator, user_id, "administrator" if admin else "member")

    async def upgrade_group(self, chat_id: int, by_user_id: int, new_chat_id: int) -> JSON:
        """The creator upgrades a basic group to a supergroup with a new id.

        The old group says ``migrate_to_chat_id``, the new one ``migrate_from_chat_id``; from
        then on every call naming the old id answers 400 with ``migrate_to_chat_id``, as
        Telegram does. Members move over; the history does not. Return the new Chat JSON.
        """
        old = self._group(chat_id)
        if old.type != "group" or old.migrated_to is not None:
            raise EmulatorError(f"chat {chat_id} is not a basic group that can be upgraded")
        if old.members.get(by_user_id) != "creator":
            raise EmulatorError(f"only the creator of chat {chat_id} can upgrade it")
        if new_chat_id in self.state.chats or not str(new_chat_id).startswith("-100"):
            raise EmulatorError(f"{new_chat_id} is not a free supergroup id like -100…")
        new = Chat(id=new_chat_id, type="supergroup", title=old.title, members=dict(old.members))
        self.state.chats[new_chat_id] = new
        self._service_message(old, by_user_id, {"migrate_to_chat_id": new_chat_id})
        old.migrated_to = new_chat_id
        self._service_message(new, by_user_id, {"migrate_from_chat_id": chat_id})
        return self.state.chat_json(new)

    async def create_topic(self, chat_id: int, user_id: int, name: str) -> int:
        """Create a forum topic; return its message_thread_id."""
        chat = self._chat_for(chat_id, user_id)
        if not chat.is_forum:
            raise EmulatorError(f"chat {chat_id} is not a forum")
        stored = self.state.post_message(
            chat,
            self.state.user_json(user_id, with_language=True),
            {"forum_topic_created": {"name": name, "icon_color": _TOPIC_ICON_COLOR}},
        )
        thread_id = int(stored.data["message_id"])
        stored.data["message_thread_id"] = thread_id
        stored.data["is_topic_message"] = True
        chat.topics[thread_id] = name
        self._dispatch(chat, stored, "message")
        return thread_id

    def _service_message(self, chat: Chat, user_id: int, content: JSON) -> JSON:
        stored = self.state.post_message(
            chat, self.state.user_json(user_id, with_language=True), content
        )
        self._dispatch(chat, stored, "message")
        return copy.deepcopy(stored.data)

    # -- messages ------------------------------------------------------------------------------

    async def send_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        message_thread_id: int | None = None,
        as_chat: int | None = None,
    ) -> JSON:
        """The user sends a text message; entities are detected like Telegram does.

        `as_chat`: written as the group itself (`chat_id`: an anonymous admin) or as a channel
        the user administers; `from` is then GroupAnonymousBot or Channel_Bot.
        """
        if not text.strip():
            raise EmulatorError("Telegram clients cannot send an empty message")
        if utf16_len(text) > 4096:
            raise EmulatorError("Telegram clients split messages longer than 4096 characters")
        return self._user_post(
            chat_id,
            user_id,
            plain_text(text).fields(),
            reply_to=reply_to,
            message_thread_id=message_thread_id,
            as_chat=as_chat,
        )

    async def post_in_channel(self, channel_id: int, user_id: int, text: str) -> JSON:
        """A channel admin posts; its discussion group gets the automatic forward.

        Bots in the channel receive a channel_post; in the linked group the post appears from
        Telegram (777000) with the channel as `sender_chat` and `is_automatic_forward`, and
        every bot there receives it. Return the post.
        """
        channel = self.state.chat(channel_id)
        if channel.type != "channel" or not channel.is_admin(user_id):
            raise EmulatorError(f"user {user_id} is not an admin of a channel {channel_id}")
        if not text.strip():
            raise EmulatorError("Telegram clients cannot send an empty message")
        content = plain_text(text).fields()
        channel_json = self.state.chat_json(channel)
        post = self.state.post_message(
            channel, None, {"sender_chat": channel_json, **content}, author_id=user_id
        )
        for bot in self.state.bots.values():
            if channel.is_member(bot.id):
                self.state.enqueue(bot, "channel_post", post.data)
        if channel.linked_chat_id is not None:
            group = self.state.chat(channel.linked_chat_id)
            origin = {
                "type": "channel",
                "chat": channel_json,
                "message_id": post.data["message_id"],
                "date": post.data["date"],
            }
            forward = {
                "sender_chat": channel_json,
                "is_automatic_forward": True,
                "forward_origin": origin,
                **content,
            }
            stored = self.state.post_message(
                group, dict(TELEGRAM_SERVICE), forward, author_id=user_id
            )
            self._dispatch(group, stored, "message")
        return copy.deepcopy(post.data)

    async def send_as_bot(
        self, chat_id: int, bot_user_id: int, text: str, *, reply_to: int | None = None
    ) -> JSON:
        """Another bot (a user added with is_bot=True) posts in a group.

        Real Telegram never shows one bot's messages to another; this exists so that
        tests can prove the bot ignores them anyway.
        """
        if not self.state.user(bot_user_id).get("is_bot"):
            raise EmulatorError(f"user {bot_user_id} is not a bot; add it with is_bot=True")
        return self._user_post(chat_id, bot_user_id, plain_text(text).fields(), reply_to=reply_to)

    async def edit_message(
        self, chat_id: int, message_id: int, user_id: int, new_text: str
    ) -> JSON:
        """The user edits their own text message: an edited_message update."""
        chat = self._chat_for(chat_id, user_id)
        stored = self.state.message(chat, message_id)
        if stored is None:
            raise EmulatorError(f"no message {message_id} in chat {chat_id}")
        if stored.sender_id != user_id or "text" not in stored.data:
            raise EmulatorError(f"message {message_id} is not a text message of user {user_id}")
        if not new_text.strip():
            raise EmulatorError("a message cannot be edited to be empty")
        stored.data.pop("entities", None)
        stored.data.update(plain_text(new_text).fields())
        stored.data["edit_date"] = self.state.timestamp()
        self._dispatch(chat, stored, "edited_message")
        return copy.deepcopy(stored.data)

    async def press_button(
        self,
        chat_id: int,
        message_id: int,
        user_id: int,
        callback_data: str,
        *,
        inaccessible: bool = False,
        forged: bool = False,
    ) -> JSON:
        """The user presses an inline button of a bot's message: a callback_query update.

        `inaccessible`: the message is too old for Telegram to show the bot, so the update
        carries only its chat and id (an InaccessibleMessage, date 0). `forged`: data the
        message's buttons do not have, as a modified client can send (Telegram lets it pass).
        """
        chat = self._chat_for(chat_id, user_id)
        stored = self.state.message(chat, message_id)
        if stored is None or stored.bot_token is None:
            raise EmulatorError(f"no bot message {message_id} in chat {chat_id}")
        rows = stored.data.get("reply_markup", {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        if not forged and not any(b.get("callback_data") == callback_data for b in buttons):
            offered = [(b.get("text"), b.get("callback_data")) for b in buttons]
            raise EmulatorError(
                f"message {message_id} in chat {chat_id} has no button with callback_data "
                f"{callback_data!r}; its buttons are {offered}"
            )
        bot = self.state.bots[stored.bot_token]
        query_id = self.state.new_callback_query_id()
        payload: JSON = {
            "id": query_id,
            "from": self.state.user_json(user_id, with_language=True),
            "message": (
                {"chat": copy.deepcopy(stored.data["chat"]), "message_id": message_id, "date": 0}
                if inaccessible
                else copy.deepcopy(stored.data)
            ),
            "chat_instance": str(abs(chat_id) * 7919 % 10**19),
            "data": callback_data,
        }
        self.state.callback_queries[query_id] = CallbackQueryRecord(
            id=query_id,
            bot_token=bot.token,
            chat_id=chat_id,
            message_id=message_id,
            user_id=user_id,
            data=callback_data,
        )
        self.state.enqueue(bot, "callback_query", payload)
        return payload

    def _caption(self, caption: str | None) -> JSON:
        if not caption:
            return {}
        if utf16_len(caption) > 1024:
            raise EmulatorError("captions are limited to 1024 characters")
        return plain_text(caption).fields("caption", "caption_entities")

    async def send_document(
        self,
        chat_id: int,
        user_id: int,
        filename: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        *,
        reply_to: int | None = None,
        message_thread_id: int | None = None,
        as_chat: int | None = None,
    ) -> JSON:
        """The user sends a file (maybe as a chat, see send_message); getFile serves its bytes."""
        if not content:
            raise EmulatorError("Telegram does not accept empty files")
        stored = self.state.store_file("document", content, file_name=filename, mime_type=mime_type)
        return self._user_post(
            chat_id,
            user_id,
            {"document": document_json(stored), **self._caption(caption)},
            reply_to=reply_to,
            message_thread_id=message_thread_id,
            as_chat=as_chat,
        )

    async def send_photo(
        self,
        chat_id: int,
        user_id: int,
        content: bytes | None = None,
        caption: str | None = None,
        *,
        reply_to: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSON:
        """The user sends a photo (PNG/JPEG/GIF/WebP bytes; a small PNG by default)."""
        content = tiny_png(64, 48) if content is None else content
        dimensions = image_size(content)
        if dimensions is None:
            raise EmulatorError("send_photo needs PNG, JPEG, GIF or WebP bytes")
        sizes = store_photo(self.state, content, *dimensions)
        return self._user_post(
            chat_id,
            user_id,
            {"photo": photo_json(sizes), **self._caption(caption)},
            reply_to=reply_to,
            message_thread_id=message_thread_id,
        )

    async def send_voice(
        self,
        chat_id: int,
        user_id: int,
        content: bytes = _VOICE_BYTES,
        duration: int = 3,
        *,
        reply_to: int | None = None,
    ) -> JSON:
        """The user sends a voice message."""
        stored = self.state.store_file("voice", content, mime_type="audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": stored.size,
        }
        return self._user_post(chat_id, user_id, {"voice": voice}, reply_to=reply_to)

    async def send_sticker(
        self, chat_id: int, user_id: int, emoji: str = "👍", *, reply_to: int | None = None
    ) -> JSON:
        """The user sends a (static, 512x512) sticker."""
        stored = self.state.store_file("sticker", _STICKER_BYTES, mime_type="image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return self._user_post(chat_id, user_id, {"sticker": sticker}, reply_to=reply_to)
