"""`crmbot demo` and `crmbot chat`, added to crmbot's command line as `crmbot.commands` plugins."""

from __future__ import annotations

import argparse
import asyncio

from bot.config import Settings


class DemoCommand:
    """Play a scripted team conversation against the emulator."""

    help = "play a scripted team conversation, offline"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--lang", choices=("en", "zh"), default="en")
        parser.add_argument("--db", help="database URL (default: a fresh SQLite file under data/)")

    def run(self, args: argparse.Namespace, settings: Settings) -> int:
        from tgemu.demo import run_demo

        return asyncio.run(run_demo(settings, lang=args.lang, database_url=args.db))


class ChatCommand:
    """Chat with the bot in the terminal as a member of a simulated team."""

    help = "chat with the bot in the terminal, offline"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--as", dest="as_user", default="alice", help="who you are (alice, bob, maria)"
        )
        parser.add_argument("--lang", choices=("en", "zh"), default="en")
        parser.add_argument("--db", help="database URL (default: data/chat.db)")

    def run(self, args: argparse.Namespace, settings: Settings) -> int:
        from tgemu.demo import run_chat

        return asyncio.run(
            run_chat(settings, as_user=args.as_user, lang=args.lang, database_url=args.db)
        )


demo = DemoCommand()
chat = ChatCommand()
