"""crmbot's command line: run, parse, db, and the plugins' commands (demo and chat)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import entry_points
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import ConfigError, Settings, load_settings

# Other packages add subcommands through this entry-point group; the demo extra adds demo and
# chat, so the product never imports the emulator.
COMMANDS_GROUP = "crmbot.commands"


class Command(Protocol):
    """A subcommand a plugin adds: its help line, its arguments, and what it does."""

    help: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, settings: Settings) -> int: ...


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a subcommand; configuration errors are one line."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings()
        return int(args.func(args, settings) or 0)
    except ConfigError as exc:
        print(f"crmbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crmbot", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="receive updates by webhook")
    run.add_argument("-v", "--verbose", action="store_true")
    run.set_defaults(func=_run)

    _add_plugin_commands(sub)

    parse = sub.add_parser("parse", help="print what crmbot understands from a message (JSON)")
    parse.add_argument("text")
    parse.add_argument("--now", help="ISO 8601 time the message was sent (default: now)")
    parse.add_argument("--tz", default=None, help="time zone, e.g. Asia/Shanghai")
    parse.add_argument("--lang", choices=("en", "zh"), default=None)
    parse.add_argument("--currency", default=None)
    parse.add_argument(
        "--bot", default=None, help="the bot's @username: an @mention of it names no assignee"
    )
    parse.set_defaults(func=_parse)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(required=True, metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply schema migrations")
    upgrade.set_defaults(func=_db_upgrade)
    return parser


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_application, tune_gc

    app = build_application(settings)
    tune_gc()
    if args.webhook:
        from bot.webhook import endpoint_url, serve_webhook

        asyncio.run(
            serve_webhook(
                app,
                host=settings.listen_host,
                port=settings.listen_port,
                url=endpoint_url(settings.webhook_url),
                secret=settings.webhook_secret,
            )
        )
        return 0
    from bot.polling import serve_polling

    asyncio.run(serve_polling(app))
    return 0


def _add_plugin_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for entry_point in entry_points(group=COMMANDS_GROUP):
        try:
            command: Command = entry_point.load()
        except ModuleNotFoundError:
            # Installed without its extra (the Docker image): the command is listed but only
            # says what to install. prefix_chars="+" lets it take any options without error.
            stub = sub.add_parser(
                entry_point.name, help="needs the demo extra", prefix_chars="+", add_help=False
            )
            stub.add_argument("ignored", nargs="*")
            stub.set_defaults(func=_needs_extra(entry_point.name))
            continue
        parser = sub.add_parser(entry_point.name, help=command.help)
        command.add_arguments(parser)
        parser.set_defaults(func=command.run)


def _needs_extra(name: str) -> Callable[[argparse.Namespace, Settings], int]:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        print(f"crmbot {name} needs the demo extra: pip install 'crmbot[demo]'", file=sys.stderr)
        return 2

    return run


def _parse(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import system_clock
    from bot.parsing import parse_entry

    try:
        tz = ZoneInfo(args.tz or settings.default_tz)
    except (ZoneInfoNotFoundError, ValueError):
        print(
            f"crmbot: --tz {args.tz!r} is not a time zone (use e.g. Asia/Shanghai)", file=sys.stderr
        )
        return 2
    try:
        now = datetime.fromisoformat(args.now) if args.now else system_clock()
    except ValueError:
        print(
            f"crmbot: --now {args.now!r} is not ISO 8601 (e.g. 2026-11-24T10:00:00+08:00)",
            file=sys.stderr,
        )
        return 2
    if now.tzinfo is None:
        now = now.replace(tzinfo=tz)
    currency = args.currency or (
        "CNY" if (args.lang or settings.default_lang) == "zh" else settings.default_currency
    )
    parsed = parse_entry(
        args.text,
        now=now,
        tz=tz,
        default_currency=currency,
        addressed=True,
        bot_username=(args.bot or "").lstrip("@") or None,
    )
    print(json.dumps(parsed.to_json(), ensure_ascii=False))
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from models.db import Database

    db = Database(settings.database_url)
    db.upgrade()
    db.dispose()
    print(f"database is up to date: {_safe_url(settings.database_url)}")
    return 0


def _safe_url(url: str) -> str:
    """Hide a password in a database URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
