"""The emulated Telegram world: users, bots, chats, messages, files and pending updates."""

from __future__ import annotations

import asyncio
import base64
import copy
import itertools
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tgemu.errors import EmulatorError

JSON = dict[str, Any]

MEMBER_STATUSES = frozenset({"creator", "administrator", "member"})
# Telegram's default when allowed_updates was never given (or given as []).
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

# Who Telegram names in `from` when no person's account may be shown: an anonymous group
# admin's messages, messages sent as a channel, and a channel's automatic forwards into its
# discussion group (`sender_chat` says which chat wrote them).
GROUP_ANONYMOUS_BOT: JSON = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: JSON = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}
TELEGRAM_SERVICE: JSON = {"id": 777000, "is_bot": False, "first_name": "Telegram"}

_ADMIN_RIGHTS: JSON = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
}


@dataclass
class StoredFile:
    """A file known to the emulator, uploaded by a bot or a user."""

    file_id: str
    file_unique_id: str
    kind: str  # photo | document | voice | sticker
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    group_id: str | None = None  # photo sizes of one upload share it

    @property
    def size(self) -> int:
        """Return the file size in bytes."""
        return len(self.content)


@dataclass
class SentMessage:
    """A message a bot sent through the API, kept current through edits and deletion."""

    message_id: int
    chat_id: int
    text: str  # plain text as users see it (the caption for media)
    html: str  # the text/caption exactly as the bot sent it
    parse_mode: str | None
    entities: list[JSON]
    reply_markup: JSON | None
    message_thread_id: int | None
    reply_to_message_id: int | None
    date: datetime
    bot_username: str
    disable_notification: bool = False
    link_preview_options: JSON | None = None
    photo: list[JSON] | None = None
    document: JSON | None = None
    content: bytes | None = field(default=None, repr=False)
    edits: list[str] = field(default_factory=list)
    deleted: bool = False

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Return the inline keyboard as a flat list of (text, callback_data)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(button["text"], button.get("callback_data")) for row in rows for button in row]

    @property
    def kind(self) -> str:
        """Return "photo", "document" or "text"."""
        if self.photo is not None:
            return "photo"
        return "document" if self.document is not None else "text"

    def callback_data_for(self, button_text: str) -> str:
        """Return the callback_data of the button labelled ``button_text``."""
        for text, data in self.buttons:
            if text == button_text and data is not None:
                return data
        raise KeyError(f"no callback button {button_text!r}; buttons: {self.buttons}")

    def to_json(self) -> JSON:
        """Return a JSON-friendly summary (bytes as their length)."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "text": self.text,
            "html": self.html,
            "parse_mode": self.parse_mode,
            "entities": self.entities,
            "reply_markup": self.reply_markup,
            "buttons": [list(button) for button in self.buttons],
            "message_thread_id": self.message_thread_id,
            "reply_to_message_id": self.reply_to_message_id,
            "date": self.date.isoformat(),
            "bot_username": self.bot_username,
            "disable_notification": self.disable_notification,
            "photo": self.photo,
            "document": self.document,
            "content_size": None if self.content is None else len(self.content),
            "edits": self.edits,
            "deleted": self.deleted,
        }


@dataclass
class StoredMessage:
    """Any message in a chat: its current Message JSON and bookkeeping."""

    data: JSON
    sender_id: int  # the person (or bot) who wrote it, also when it shows a chat as its sender
    bot_token: str | None = None  # set when a bot sent it through the API
    sent: SentMessage | None = None
    deleted: bool = False


@dataclass
class Chat:
    """A private chat (id == user id), a group or supergroup, or a channel (negative ids)."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    topics: dict[int, str] = field(default_factory=dict)  # message_thread_id -> name
    next_message_id: int = 1
    pinned_message_id: int | None = None
    migrated_to: int | None = None  # a group upgraded to this supergroup
    linked_chat_id: int | None = None  # a channel's discussion group, and the group's channel

    def is_member(self, user_id: int) -> bool:
        """Return whether the user currently belongs to the chat."""
        return self.members.get(user_id) in MEMBER_STATUSES

    def is_admin(self, user_id: int) -> bool:
        """Return whether the user is the creator or an administrator."""
        return self.members.get(user_id) in ("creator", "administrator")


@dataclass
class WebhookConfig:
    """A bot's webhook as set by setWebhook."""

    url: str
    secret_token: str | None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class BotAccount:
    """A bot registered with the emulator, with its own update queue."""

    token: str
    user: JSON  # as getMe returns it
    pending: deque[JSON] = field(default_factory=deque)
    allowed_updates: frozenset[str] | None = None
    webhook: WebhookConfig | None = None
    commands: dict[tuple[str, str], list[JSON]] = field(default_factory=dict)
    properties: dict[tuple[str, str], Any] = field(default_factory=dict)  # descriptions, menus
    started: set[int] = field(default_factory=set)  # users who pressed Start
    blocked_by: set[int] = field(default_factory=set)
    last_update_id: int = 0  # last update enqueued for this bot
    delivered_update_id: int = 0  # highest update handed out by getUpdates or the webhook
    confirmed_update_id: int = 0  # highest update confirmed (offset) or acknowledged (2xx)
    poll_generation: int = 0

    @property
    def id(self) -> int:
        """Return the bot's user id."""
        return int(self.user["id"])

    @property
    def username(self) -> str:
        """Return the bot's username (without @)."""
        return str(self.user["username"])

    @property
    def public_user(self) -> JSON:
        """Return the bot as it appears in messages ("from")."""
        return {key: self.user[key] for key in ("id", "is_bot", "first_name", "username")}

    @property
    def can_read_all_group_messages(self) -> bool:
        """Return False when privacy mode is on."""
        return bool(self.user.get("can_read_all_group_messages"))

    def wants(self, update_type: str) -> bool:
        """Return whether allowed_updates lets this update type through."""
        if self.allowed_updates is None:
            return update_type not in DEFAULT_EXCLUDED_UPDATES
        return update_type in self.allowed_updates


@dataclass
class CallbackQueryRecord:
    """A callback query sent to a bot, awaiting answerCallbackQuery."""

    id: str
    bot_token: str
    chat_id: int
    message_id: int
    user_id: int
    data: str
    answered: bool = False


@dataclass
class CallbackAnswer:
    """What a bot answered to a callback query."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int
    data: str
    user_id: int
    chat_id: int
    message_id: int


@dataclass
class BotCall:
    """One Bot API request as the emulator received it."""

    method: str
    params: JSON
    time: float  # time.monotonic() at arrival
    bot_username: str
    ok: bool = True
    error_code: int | None = None
    description: str | None = None

    @property
    def chat_id(self) -> int | None:
        """Return the chat_id parameter as an int, when there is one."""
        try:
            return int(self.params["chat_id"])
        except (KeyError, TypeError, ValueError):
            return None


class Notifier:
    """A condition that synchronous code can signal: wakes every waiter on notify()."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        """Wake all waiters so they re-check their predicates."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float | None) -> bool:
        """Wait until ``predicate()`` holds; return False if ``timeout`` expires first."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not predicate():
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                return predicate()
            finally:
                self._waiters.discard(waiter)
        return True


class EmulatorState:
    """Everything the emulator knows; mutated by bot-side methods and user-side actions."""

    def __init__(self, clock: Callable[[], datetime], first_update_id: int = 1) -> None:
        self.clock = clock
        self.users: dict[int, JSON] = {}
        self.bots: dict[str, BotAccount] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.photo_groups: dict[str, list[StoredFile]] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.sent: list[SentMessage] = []
        self.calls: list[BotCall] = []
        self.updates_log: list[JSON] = []
        self.notifier = Notifier()
        self.closing = False
        self._update_ids = itertools.count(first_update_id)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    # -- time ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """Return the emulator clock's current time (always timezone-aware)."""
        moment = self.clock()
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise EmulatorError("the emulator clock must return timezone-aware datetimes")
        return moment

    def timestamp(self) -> int:
        """Return the current time as a Unix timestamp, as Telegram's date fields."""
        return int(self.now().timestamp())

    # -- users, bots and chats ----------------------------------------------------------

    def user(self, user_id: int) -> JSON:
        """Return a registered user's JSON or raise EmulatorError."""
        try:
            return self.users[user_id]
        except KeyError:
            raise EmulatorError(f"unknown user {user_id}; add it with add_user()") from None

    def user_json(self, user_id: int, *, with_language: bool = False) -> JSON:
        """Return the User object for "from" (with language) or for chat members."""
        user = dict(self.user(user_id))
        if not with_language:
            user.pop("language_code", None)
        if user.get("is_bot"):
            user = {
                key: user[key] for key in ("id", "is_bot", "first_name", "username") if key in user
            }
        return user

    def bot_by_id(self, user_id: int) -> BotAccount | None:
        """Return the registered bot with this user id, if any."""
        return next((bot for bot in self.bots.values() if bot.id == user_id), None)

    def default_bot(self) -> BotAccount:
        """Return the first registered bot: the one private chats talk to."""
        if not self.bots:
            raise EmulatorError("no bot registered; call add_bot() first")
        return next(iter(self.bots.values()))

    def chat(self, chat_id: int) -> Chat:
        """Return a chat or raise EmulatorError."""
        try:
            return self.chats[chat_id]
        except KeyError:
            raise EmulatorError(f"unknown chat {chat_id}") from None

    def private_chat(self, user_id: int) -> Chat:
        """Return (creating on first use) the private chat with a user."""
        chat = self.chats.get(user_id)
        if chat is None:
            self.user(user_id)
            chat = Chat(id=user_id, type="private", members={user_id: "member"})
            self.chats[user_id] = chat
        return chat

    def chat_json(self, chat: Chat) -> JSON:
        """Return the Chat object embedded in messages."""
        if chat.type == "private":
            user = self.user(chat.id)
            result: JSON = {"id": chat.id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if user.get(key):
                    result[key] = user[key]
            return result
        result = {"id": chat.id, "type": chat.type, "title": chat.title}
        if chat.username:
            result["username"] = chat.username
        if chat.is_forum:
            result["is_forum"] = True
        return result

    def member_json(self, chat: Chat, user_id: int) -> JSON:
        """Return the ChatMember object for a user in a chat."""
        status = chat.members.get(user_id, "left")
        user = self.user_json(user_id)
        if status == "creator":
            return {"status": "creator", "user": user, "is_anonymous": False}
        if status == "administrator":
            return {"status": "administrator", "user": user, **_ADMIN_RIGHTS}
        if status == "kicked":
            return {"status": "kicked", "user": user, "until_date": 0}
        return {"status": status, "user": user}

    # -- messages -----------------------------------------------------------------------

    def message(self, chat: Chat, message_id: int) -> StoredMessage | None:
        """Return a message that exists and is not deleted."""
        stored = chat.messages.get(message_id)
        return None if stored is None or stored.deleted else stored

    def post_message(
        self,
        chat: Chat,
        sender: JSON | None,
        content: JSON,
        *,
        reply_to: StoredMessage | None = None,
        thread_id: int | None = None,
        bot_token: str | None = None,
        author_id: int | None = None,
    ) -> StoredMessage:
        """Store a new message (next id in the chat) and return it.

        `sender` is its `from` (None: a channel's post, which has none); `author_id` the
        person who wrote it when `from` is not them (an anonymous admin, a channel).
        In forums, a message in a topic that replies to nothing replies to the topic's
        creation message, as in Telegram.
        """
        message_id = chat.next_message_id
        chat.next_message_id += 1
        data: JSON = {"message_id": message_id}
        if sender is not None:
            data["from"] = sender
        data.update(chat=self.chat_json(chat), date=self.timestamp())
        if chat.is_forum and thread_id is not None:
            data["message_thread_id"] = thread_id
            data["is_topic_message"] = True
            if reply_to is None:
                reply_to = self.message(chat, thread_id)
        data.update(content)
        if reply_to is not None:
            data["reply_to_message"] = snapshot(reply_to.data)
        if author_id is None:
            assert sender is not None, "a message without `from` names its author"
            author_id = int(sender["id"])
        stored = StoredMessage(data=data, sender_id=author_id, bot_token=bot_token)
        chat.messages[message_id] = stored
        return stored

    # -- updates ------------------------------------------------------------------------

    def enqueue(self, bot: BotAccount, update_type: str, payload: JSON) -> int | None:
        """Queue an update for a bot; return its id, or None if allowed_updates drops it."""
        if not bot.wants(update_type):
            return None
        update_id = next(self._update_ids)
        update = {"update_id": update_id, update_type: copy.deepcopy(payload)}
        bot.pending.append(update)
        bot.last_update_id = update_id
        self.updates_log.append(update)
        self.notifier.notify()
        return update_id

    def confirm(self, bot: BotAccount, below: int) -> None:
        """Forget every pending update with an id lower than ``below``."""
        while bot.pending and bot.pending[0]["update_id"] < below:
            bot.pending.popleft()
        bot.confirmed_update_id = max(bot.confirmed_update_id, below - 1)
        self.notifier.notify()

    def new_callback_query_id(self) -> str:
        """Return a fresh callback query id (Telegram uses large numeric strings)."""
        return str(4_000_000_000_000_000_000 + next(self._query_ids))

    # -- files --------------------------------------------------------------------------

    def store_file(
        self,
        kind: str,
        content: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int | None = None,
        height: int | None = None,
        group_id: str | None = None,
    ) -> StoredFile:
        """Keep an uploaded file so getFile and the download route can serve it."""
        number = next(self._file_ids)
        prefix = {"photo": "AgAC", "document": "BQAC", "voice": "AwAC", "sticker": "CAAC"}[kind]
        token = base64.urlsafe_b64encode(f"emulator-{kind}-{number:08d}".encode()).decode()
        extension = _extension(kind, file_name, mime_type)
        folder = {
            "photo": "photos",
            "document": "documents",
            "voice": "voice",
            "sticker": "stickers",
        }
        stored = StoredFile(
            file_id=prefix + "AgIAAxkBAAI" + token.rstrip("="),
            file_unique_id="AgAD" + base64.urlsafe_b64encode(number.to_bytes(6, "big")).decode(),
            kind=kind,
            content=content,
            file_path=f"{folder[kind]}/file_{number}{extension}",
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
            group_id=group_id,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def iter_messages(self) -> Iterator[tuple[Chat, StoredMessage]]:
        """Iterate over every stored message of every chat."""
        for chat in self.chats.values():
            for stored in chat.messages.values():
                yield chat, stored


class UserDirectory(Mapping[int, JSON]):
    """A read-only view of the registered users as chat members see them (no copies)."""

    def __init__(self, state: EmulatorState) -> None:
        self._state = state

    def __getitem__(self, user_id: int) -> JSON:
        if user_id not in self._state.users:
            raise KeyError(user_id)
        return self._state.user_json(user_id)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._state.users

    def __iter__(self) -> Iterator[int]:
        return iter(self._state.users)

    def __len__(self) -> int:
        return len(self._state.users)


def snapshot(message: JSON) -> JSON:
    """Copy a message for embedding as reply_to_message (Telegram embeds one level)."""
    result = copy.deepcopy(message)
    result.pop("reply_to_message", None)
    return result


def _extension(kind: str, file_name: str | None, mime_type: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1].lower()
    return {"photo": ".jpg", "voice": ".oga", "sticker": ".webp"}.get(kind, "")
