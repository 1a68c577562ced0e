"""`crmbot demo` and `crmbot chat`: the real bot, offline, against the local emulator."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.clock import ManualClock, system_clock
from bot.config import Settings
from bot.i18n.format import WEEKDAYS
from tgemu import SentMessage
from tgemu.sandbox import Person, Sandbox
from tgemu.transcript_text import transcript_line

GROUP_ID = -1001234567890
TEAM_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Cast:
    manager: Person
    alice: Person
    bob: Person


# The scripted conversation: (who, text). Special "who": "+" advances the clock by "HH:MM",
# "job" runs a scheduled job now, "press:NAME" presses the button starting with `text` on the
# bot's last message.
SCRIPTS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("maria", "/setup"),
        ("alice", "/lead Acme Trading 50k via distributor Huatai, contact Li Lei 13800138000"),
        ("+", "00:20"),
        ("bob", "#visit Acme Trading met their buyer at the expo"),
        ("+", "01:10"),
        ("alice", "@{bot} visited Acme Trading today, follow up next Tuesday about the quote"),
        ("bob", "/lead Globex 120k via agent Sunrise"),
        ("bob", "/fu Globex tomorrow 3pm send samples"),
        ("+", "00:30"),
        ("alice", "/tasks"),
        ("maria", "/tasks all"),
        ("alice", "/note Acme Trading prefers <email> & WeChat over calls"),
        ("alice", "/undo"),
        ("+", "28:30"),
        ("job", "due_reminders"),
        ("press:bob", "✅"),
        ("bob", "/won Globex 118k"),
        ("maria", "/stats week"),
        ("maria", "/help"),
    ],
    "zh": [
        ("maria", "/lang zh"),
        ("maria", "/setup"),
        ("alice", "/lead 万科 12万 渠道华泰经销 联系人张三 13800138000"),
        ("+", "00:20"),
        ("bob", "#拜访 万科 展会上见了采购"),
        ("+", "01:10"),
        ("alice", "@{bot} 拜访华为，下周二跟进报价"),
        ("bob", "/lead 比亚迪 3.5w 代理商日升"),
        ("bob", "/fu 比亚迪 明天下午3点 寄样品"),
        ("+", "00:30"),
        ("alice", "/tasks"),
        ("maria", "/tasks all"),
        ("+", "28:30"),
        ("job", "due_reminders"),
        ("press:bob", "✅"),
        ("bob", "/won 比亚迪 3.2万"),
        ("maria", "/stats 本周"),
        ("maria", "/help"),
    ],
}


def _cast(sandbox: Sandbox, lang: str) -> Cast:
    if lang == "zh":
        return Cast(
            manager=sandbox.person(1001, "王经理", "maria", "zh"),
            alice=sandbox.person(1002, "李爱丽", "alice", "zh"),
            bob=sandbox.person(1003, "张博", "bob", "zh"),
        )
    return Cast(
        manager=sandbox.person(1001, "Maria", "maria"),
        alice=sandbox.person(1002, "Alice", "alice"),
        bob=sandbox.person(1003, "Bob", "bob"),
    )


class Transcript:
    """Prints the conversation as a readable chat log."""

    def __init__(self, sandbox: Sandbox, lang: str, out: TextIO | None = None) -> None:
        self.sandbox = sandbox
        self.lang = lang
        self.out = out or sys.stdout

    def _print(self, line: str = "") -> None:
        print(line, file=self.out)

    def say(self, key: str, **params: object) -> None:
        """Print a line of the transcript's own, from the catalog, as plain text."""
        self._print(transcript_line(self.lang, key, **params))

    def stamp(self) -> str:
        local = self.sandbox.clock().astimezone(TEAM_TZ)
        return f"{WEEKDAYS[self.lang][local.weekday()]} {local:%H:%M}"

    def said(self, who: Person, text: str) -> None:
        self._print(f"[{self.stamp()}] {who.first_name}: {text}")

    def answered(self, replies: list[SentMessage]) -> None:
        for sent in replies:
            self.bot(sent)

    def bot(self, sent: SentMessage, *, edited: bool = False) -> None:
        lines = (sent.text or "").splitlines() or [""]
        if sent.photo or sent.document:
            lines = [f"[{'chart' if sent.photo else 'file'}] {lines[0]}", *lines[1:]]
        mark = "✏️" if edited else "🤖"
        self._print(f"{'':8}{mark} {lines[0]}")
        for line in lines[1:]:
            self._print(f"{'':11}{line}")
        if sent.buttons:
            self._print(f"{'':11}" + " ".join(f"[{text}]" for text, _ in sent.buttons))


async def run_demo(settings: Settings, *, lang: str = "en", database_url: str | None = None) -> int:
    """Play the scripted conversation of a channel sales team and print it."""
    path = Path("data") / f"demo-{lang}.db"
    if database_url is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    # Monday of this week, 09:30: the story runs over working days.
    today = system_clock().astimezone(TEAM_TZ).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, time(9, 30), tzinfo=TEAM_TZ)
    clock = ManualClock(start)
    sandbox = Sandbox(database_url=database_url, clock=clock, settings=settings)
    await sandbox.open()
    try:
        cast = _cast(sandbox, lang)
        people = {"maria": cast.manager, "alice": cast.alice, "bob": cast.bob}
        title = "华东渠道销售群" if lang == "zh" else "East China channel sales"
        sandbox.group(
            GROUP_ID, title, admins=[cast.manager], members=[cast.alice, cast.bob], with_bot=False
        )
        log = Transcript(sandbox, lang)
        log.say("demo.title", title=title, url=sandbox.emulator.base_url)
        log._print()
        log.say("demo.added", at=log.stamp(), who=cast.manager.first_name, bot=sandbox.bot_username)
        log.answered(await sandbox.add_bot(GROUP_ID, cast.manager))
        last: list[SentMessage] = []
        for who, text in SCRIPTS[lang]:
            if who == "+":
                hours, minutes = (int(x) for x in text.split(":"))
                clock.advance(timedelta(hours=hours, minutes=minutes))
                continue
            if who == "job":
                log.say("demo.job", at=log.stamp(), job=text)
                last = await sandbox.run_job(text)
                log.answered(last)
                continue
            if who.startswith("press:"):
                person = people[who.removeprefix("press:")]
                card = last[-1]
                label, data = next(b for b in card.buttons if b[0].startswith(text))
                log.said(person, transcript_line(lang, "demo.presses", label=label))
                await sandbox.press(GROUP_ID, person, card.message_id, data)
                log.bot(sandbox.message(GROUP_ID, card.message_id), edited=True)
                continue
            person = people[who]
            text = text.format(bot=sandbox.bot_username)
            log.said(person, text)
            last = await sandbox.say(GROUP_ID, person, text)
            log.answered(last)
        log._print()
        where = path if database_url.endswith(str(path)) else database_url
        log.say("demo.where", where=str(where))
    finally:
        await sandbox.close()
    return 0


async def run_chat(
    settings: Settings, *, as_user: str, lang: str = "en", database_url: str | None = None
) -> int:
    """Chat with the bot in the terminal as a member of a simulated, activated team."""
    if database_url is None:
        Path("data").mkdir(exist_ok=True)
        database_url = "sqlite:///data/chat.db"
    # Update ids start from the wall clock so a later session on the same database is not
    # mistaken for a redelivery of this one.
    first_update_id = int(system_clock().timestamp() * 1000) % 2**31
    sandbox = Sandbox(database_url=database_url, settings=settings, first_update_id=first_update_id)
    await sandbox.open()
    try:
        cast = _cast(sandbox, lang)
        people = {"maria": cast.manager, "alice": cast.alice, "bob": cast.bob}
        if as_user not in people:
            names = ", ".join(people)
            print(f"crmbot: {transcript_line(lang, 'chat.bad_user', names=names)}", file=sys.stderr)
            return 2
        chat = TerminalChat(sandbox, cast, Transcript(sandbox, lang), lang)
        await chat.open_group("crmbot chat")
        me = people[as_user]
        chat.log.say(
            "chat.intro", name=me.first_name, username=me.username, bot=sandbox.bot_username
        )
        while True:
            try:
                text = (await asyncio.to_thread(input, f"{me.first_name}> ")).strip()
            except EOFError:
                break
            if text in (":quit", ":q"):
                break
            if text.startswith(":as "):
                me = people.get(text[4:].strip(), me)
            elif text:
                await chat.handle(me, text)
    finally:
        await sandbox.close()
    return 0


class TerminalChat:
    """Where `crmbot chat` is (a group of the cast's, or one's private chat) and what it does."""

    def __init__(self, sandbox: Sandbox, cast: Cast, log: Transcript, lang: str) -> None:
        self.sandbox, self.cast, self.log, self.lang = sandbox, cast, log, lang
        self.groups: dict[str, int] = {}
        self.group = GROUP_ID
        self.private = False
        self.shown: dict[int, list[SentMessage]] = {}  # the bot's last answer in each chat

    def where(self, me: Person) -> int:
        return me.user_id if self.private else self.group

    async def open_group(self, title: str) -> None:
        """Go to the cast's group `title`, made and activated by maria the first time."""
        self.private = False
        if title in self.groups:
            self.group = self.groups[title]
            return
        self.group = GROUP_ID - len(self.groups)
        self.groups[title] = self.group
        cast = self.cast
        self.sandbox.group(self.group, title, admins=[cast.manager], members=[cast.alice, cast.bob])
        await self.sandbox.say(self.group, cast.manager, f"/lang {self.lang}")
        await self.sandbox.say(self.group, cast.manager, "/setup")

    async def handle(self, me: Person, text: str) -> None:
        """Run one line typed as `me`: a `:` command of the chat's, or a message to send."""
        if text.startswith(":group"):
            title = text[len(":group") :].strip()
            if not title:
                self.log.say("chat.groups", names=", ".join(self.groups))
                return
            await self.open_group(title)
            self.log.say("chat.in_group", title=title)
        elif text == ":dm":
            self.private = True
            await self.sandbox.emulator.start_private(me.user_id)
            self.log.say("chat.in_private", bot=self.sandbox.bot_username)
        elif text.startswith(":press "):
            await self.press(me, text[len(":press ") :].strip())
        elif text.startswith(":anon "):  # an admin writing as the group, anonymously
            text = text[len(":anon ") :].strip()
            if not text or me != self.cast.manager or self.private:
                self.log.say("chat.not_admin")
                return
            self.answered(me, await self.sandbox.say(self.group, me, text, as_chat=self.group))
        else:
            self.answered(me, await self.sandbox.say(self.where(me), me, text))

    def answered(self, me: Person, replies: list[SentMessage]) -> None:
        if replies:
            self.shown[self.where(me)] = replies
        self.log.answered(replies)

    async def press(self, me: Person, label: str) -> None:
        """Press the button whose label holds `label` on the bot's last answer here."""
        chat_id = self.where(me)
        found = [
            (sent, data)
            for sent in reversed(self.shown.get(chat_id, []))
            for text, data in sent.buttons
            if data is not None and label.casefold() in text.casefold()
        ]
        if not label or not found:
            self.log.say("chat.no_button", label=label)
            return
        sent, data = found[0]
        before = len(self.sandbox.emulator.callback_answers)
        replies = await self.sandbox.press(chat_id, me, sent.message_id, data)
        for answer in self.sandbox.emulator.callback_answers[before:]:
            if answer.text:
                self.log.say("chat.toast", text=answer.text)
        self.log.bot(self.sandbox.message(chat_id, sent.message_id), edited=True)
        self.answered(me, replies)
