"""BotApiEmulator: a local, strict Telegram Bot API for tests, demos and benchmarks."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import TracebackType

from tgemu.control import control_routes
from tgemu.errors import EmulatorError
from tgemu.faults import Fault, FaultInjection, FaultKind
from tgemu.flood import FloodControl
from tgemu.methods import METHODS, command_scope_key
from tgemu.server import EmulatorServer
from tgemu.state import (
    JSON,
    BotAccount,
    BotCall,
    CallbackAnswer,
    Chat,
    EmulatorState,
    SentMessage,
)
from tgemu.user_side import UserActions
from tgemu.webhook import WebhookDispatcher

_DUMP_CALLS = 15


def _utc_now() -> datetime:
    return datetime.now(UTC)


class BotApiEmulator(UserActions):
    """A fake Telegram: bots talk to it over HTTP, tests act as users through Python.

    Usage::

        async with BotApiEmulator() as emu:
            emu.add_bot("123456:TEST", "crm_bot")
            ...  # ApplicationBuilder().base_url(f"{emu.base_url}/bot")
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        strict_html: bool = True,
        enforce_rate_limits: bool = False,
        webhook_timeout: float = 10.0,
        webhook_max_retry_delay: float = 1.0,
        first_update_id: int = 1,
    ) -> None:
        # Telegram's update ids only grow; a bot keeping state across emulator runs (crmbot chat)
        # needs them to start above the last run's.
        self.state = EmulatorState(clock or _utc_now, first_update_id)
        self._private_peer: dict[int, str] = {}
        self.flood = FloodControl(enforce_limits=enforce_rate_limits)
        self.faults = FaultInjection()
        self._webhooks = WebhookDispatcher(
            self.state, timeout=webhook_timeout, max_retry_delay=webhook_max_retry_delay
        )
        self._server = EmulatorServer(
            self.state,
            self._webhooks,
            self.flood,
            self.faults,
            strict_html=strict_html,
            extra_routes=control_routes(self),
        )
        self._base_url: str | None = None
        self._mark_all = 0
        self._marks: dict[int | None, int] = {}

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def clock(self) -> Callable[[], datetime]:
        """Return the clock that stamps message dates."""
        return self.state.clock

    @property
    def base_url(self) -> str:
        """Return e.g. "http://127.0.0.1:40123" once started."""
        if self._base_url is None:
            raise EmulatorError("the emulator is not started; await emu.start() first")
        return self._base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving (port 0 picks a free port); return the base URL."""
        self.state.closing = False
        self._base_url = await self._server.start(host, port)
        return self._base_url

    async def stop(self) -> None:
        """Release long polls, stop webhook delivery and the HTTP server."""
        self.state.closing = True
        self.state.notifier.notify()
        await self._webhooks.close()
        await self._server.stop()
        self._base_url = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- the world ------------------------------------------------------------------------------

    def add_bot(
        self,
        token: str,
        username: str,
        first_name: str = "crmbot",
        *,
        can_read_all_group_messages: bool = True,
    ) -> JSON:
        """Register a bot; its id is the token's numeric prefix. Return getMe's User."""
        prefix, _, secret = token.partition(":")
        if not prefix.isdigit() or not secret:
            raise EmulatorError(f"bot tokens look like '123456:ABC-xyz', got {token!r}")
        user: JSON = {
            "id": int(prefix),
            "is_bot": True,
            "first_name": first_name,
            "username": username.lstrip("@"),
            "can_join_groups": True,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.state.bots[token] = BotAccount(token=token, user=user)
        self.state.users[user["id"]] = {
            key: user[key] for key in ("id", "is_bot", "first_name", "username")
        }
        return dict(user)

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        language_code: str = "en",
        is_bot: bool = False,
        *,
        last_name: str | None = None,
    ) -> JSON:
        """Register (or update) a user; return their User JSON."""
        if user_id <= 0:
            raise EmulatorError("user ids are positive")
        user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username.lstrip("@")
        if language_code and not is_bot:
            user["language_code"] = language_code
        self.state.users[user_id] = user
        return dict(user)

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        admins: Sequence[int] = (),
        members: Sequence[int] = (),
        is_forum: bool = False,
        username: str | None = None,
        basic: bool = False,
    ) -> JSON:
        """Create a supergroup (or a basic group); the first admin is its creator.

        Bots listed in admins/members are in the group from the start, without updates;
        use add_bot_to_group() to exercise the bot's join flow instead. Return its Chat JSON.
        """
        if chat_id >= 0:
            raise EmulatorError("group chat ids are negative, e.g. -1001234567890")
        chat = Chat(
            id=chat_id,
            type="group" if basic else "supergroup",
            title=title,
            username=username.lstrip("@") if username else None,
            is_forum=is_forum,
        )
        return self._create(chat, admins, members)

    def add_channel(
        self,
        chat_id: int,
        title: str,
        *,
        admins: Sequence[int] = (),
        members: Sequence[int] = (),
        username: str | None = None,
        linked_group: int | None = None,
    ) -> JSON:
        """Create a channel; the first admin is its creator. Return its Chat JSON.

        Its admins can write as it in supergroups (send_message(as_chat=…)) and post in it
        (post_in_channel); with `linked_group` (a supergroup) that group is its discussion
        group, which gets each post as an automatic forward.
        """
        if not str(chat_id).startswith("-100"):
            raise EmulatorError("channel ids look like -1001234567890")
        group = None
        if linked_group is not None:
            group = self.state.chat(linked_group)
            if group.type != "supergroup" or group.linked_chat_id is not None:
                raise EmulatorError(f"chat {linked_group} is not a supergroup free to link")
        chat = Chat(
            id=chat_id,
            type="channel",
            title=title,
            username=username.lstrip("@") if username else None,
            linked_chat_id=linked_group,
        )
        created = self._create(chat, admins, members)
        if group is not None:
            group.linked_chat_id = chat_id
        return created

    def _create(self, chat: Chat, admins: Sequence[int], members: Sequence[int]) -> JSON:
        """Store a new chat with its members, the first admin its creator; return its JSON."""
        if chat.id in self.state.chats:
            raise EmulatorError(f"chat {chat.id} already exists")
        for user_id in (*admins, *members):
            self.state.user(user_id)
        for user_id in members:
            chat.members[user_id] = "member"
        for index, user_id in enumerate(admins):
            chat.members[user_id] = "creator" if index == 0 else "administrator"
        self.state.chats[chat.id] = chat
        return self.state.chat_json(chat)

    # -- reading --------------------------------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[SentMessage]:
        """Return the messages bots sent (to one chat, or all), oldest first."""
        return [m for m in self.state.sent if chat_id is None or m.chat_id == chat_id]

    def messages(self, chat_id: int) -> list[JSON]:
        """Return every non-deleted message of a chat (users' and bots') as Message JSON."""
        chat = self.state.chat(chat_id)
        return [stored.data for stored in chat.messages.values() if not stored.deleted]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Return the bots' answers to callback queries, oldest first."""
        return self.state.callback_answers

    @property
    def calls(self) -> list[BotCall]:
        """Return every Bot API request received, oldest first."""
        return self.state.calls

    @property
    def updates(self) -> list[JSON]:
        """Return every update ever queued, oldest first."""
        return self.state.updates_log

    def commands(
        self, scope: JSON | None = None, language_code: str = "", *, bot: str | None = None
    ) -> list[JSON]:
        """Return the commands set for exactly this scope (default) and language."""
        key = (command_scope_key(self.state, scope), language_code)
        return list(self._bot(bot).commands.get(key, []))

    def menu_button(self, chat_id: int | None = None, *, bot: str | None = None) -> JSON:
        """Return the menu button set for a private chat (None: the bot's default one)."""
        key = ("menu_button", "" if chat_id is None else str(chat_id))
        return dict(self._bot(bot).properties.get(key, {"type": "commands"}))

    def visible_commands(self, chat_id: int, user_id: int, *, bot: str | None = None) -> list[JSON]:
        """Return the command menu a user sees in a chat, per Telegram's scope fallback."""
        account = self._bot(bot)
        language = str(self.state.user(user_id).get("language_code", ""))
        chat = self.state.chat(chat_id) if chat_id in self.state.chats else None
        scopes: list[JSON]
        if chat_id > 0:
            scopes = [{"type": "chat", "chat_id": chat_id}, {"type": "all_private_chats"}]
        else:
            is_admin = chat is not None and chat.is_admin(user_id)
            scopes = [{"type": "chat_member", "chat_id": chat_id, "user_id": user_id}]
            if is_admin:
                scopes.append({"type": "chat_administrators", "chat_id": chat_id})
            scopes.append({"type": "chat", "chat_id": chat_id})
            if is_admin:
                scopes.append({"type": "all_chat_administrators"})
            scopes.append({"type": "all_group_chats"})
        scopes.append({"type": "default"})
        for scope in scopes:
            key = json.dumps(scope, sort_keys=True)
            for lang in (language, "") if language else ("",):
                if (key, lang) in account.commands:
                    return list(account.commands[(key, lang)])
        return []

    def file_content(self, file_id: str) -> bytes:
        """Return the bytes of a stored file."""
        try:
            return self.state.files[file_id].content
        except KeyError:
            raise EmulatorError(f"unknown file_id {file_id!r}") from None

    @property
    def delivered_update_id(self) -> int:
        """Return the highest update id handed to any bot (getUpdates or webhook)."""
        return max((bot.delivered_update_id for bot in self.state.bots.values()), default=0)

    @property
    def confirmed_update_id(self) -> int:
        """Return the highest update id any bot confirmed."""
        return max((bot.confirmed_update_id for bot in self.state.bots.values()), default=0)

    # -- flood control --------------------------------------------------------------------------

    def simulate_flood(
        self, retry_after: int = 1, times: int = 1, chat_id: int | None = None
    ) -> None:
        """Answer the next ``times`` send/edit calls (to ``chat_id`` or any) with 429."""
        if retry_after < 1 or times < 1:
            raise EmulatorError("retry_after and times must be positive")
        self.flood.simulate(retry_after, times, chat_id)

    # -- stumbles ------------------------------------------------------------------------------

    def redeliver(self, update_id: int) -> None:
        """Queue an update again, as Telegram does when a bot never acknowledged it."""
        update = next(u for u in self.state.updates_log if u["update_id"] == update_id)
        bot = next(b for b in self.state.bots.values() if b.last_update_id >= update_id)
        bot.pending.append(copy.deepcopy(update))
        self.state.notifier.notify()

    def hold_updates(self) -> list[int]:
        """Take back every update not yet handed to a bot, as if Telegram were slow to deliver
        them; return their ids, for redeliver() to hand over later, in any order."""
        held = []
        for bot in self.state.bots.values():
            held += [update["update_id"] for update in bot.pending]
            bot.pending.clear()
            bot.confirmed_update_id = max(bot.confirmed_update_id, bot.last_update_id)
        self.state.notifier.notify()
        return held

    def inject_fault(
        self,
        method: str,
        fault: FaultKind = "error",
        *,
        times: int = 1,
        chat_id: int | None = None,
        status: int = 500,
        seconds: float = 30.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (to ``chat_id`` or any) stumble.

        ``"error"`` answers HTTP ``status`` (a 5xx); ``"hang"`` answers nothing for ``seconds``
        (past the client's timeout), then 504; ``"disconnect"`` closes the connection without
        an answer. The call itself is never carried out.
        """
        entry = METHODS.get(method.lower())
        if entry is None:
            raise EmulatorError(f"unknown Bot API method {method!r}")
        self.faults.inject(entry[0], Fault(fault, status, seconds), times, chat_id)

    # -- synchronisation ------------------------------------------------------------------------

    def mark(self) -> None:
        """Make wait_sent() count only messages sent from now on."""
        self._mark_all = len(self.state.sent)
        self._marks.clear()

    async def wait_sent(
        self, chat_id: int | None = None, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Wait for ``count`` new bot messages (in a chat, or anywhere) since the last wait.

        Returns all new messages; the next wait for the same chat starts after them.
        """
        start = self._marks.get(chat_id, self._mark_all)

        def fresh() -> list[SentMessage]:
            return [m for m in self.state.sent[start:] if chat_id is None or m.chat_id == chat_id]

        if not await self.state.notifier.wait_until(lambda: len(fresh()) >= count, timeout):
            where = "anywhere" if chat_id is None else f"in chat {chat_id}"
            raise TimeoutError(
                self._dump(f"expected {count} new bot message(s) {where} within {timeout}s")
            )
        result = fresh()
        self._marks[chat_id] = len(self.state.sent)
        return result

    async def wait_consumed(self, timeout: float = 5.0) -> None:
        """Wait until every update queued so far was fetched and confirmed (or acknowledged)."""
        targets = {bot.token: bot.last_update_id for bot in self.state.bots.values()}

        def consumed() -> bool:
            return all(
                self.state.bots[token].confirmed_update_id >= target
                for token, target in targets.items()
            )

        if not await self.state.notifier.wait_until(consumed, timeout):
            raise TimeoutError(self._dump(f"updates not consumed within {timeout}s"))

    async def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "condition"
    ) -> None:
        """Wait until ``predicate()`` holds (re-checked after every emulator event)."""
        if not await self.state.notifier.wait_until(predicate, timeout):
            raise TimeoutError(self._dump(f"{what} not met within {timeout}s"))

    def _dump(self, headline: str) -> str:
        lines = [headline]
        for bot in self.state.bots.values():
            lines.append(
                f"@{bot.username}: {len(bot.pending)} pending update(s), last queued "
                f"{bot.last_update_id}, delivered {bot.delivered_update_id}, confirmed "
                f"{bot.confirmed_update_id}, webhook {bot.webhook.url if bot.webhook else None}"
            )
        lines.append(f"last {_DUMP_CALLS} Bot API calls:")
        for call in self.state.calls[-_DUMP_CALLS:]:
            outcome = "ok" if call.ok else f"{call.error_code} {call.description}"
            params = {k: v for k, v in call.params.items() if k != "reply_markup"}
            lines.append(f"  {call.method} {params} -> {outcome}")
        lines.append("last bot messages:")
        for message in self.state.sent[-5:]:
            lines.append(f"  [{message.chat_id}#{message.message_id}] {message.text!r}")
        return "\n".join(lines)
