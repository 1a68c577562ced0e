"""Serve the emulator standalone: ``python -m tgemu --port 9100``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from tgemu.emulator import BotApiEmulator


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tgemu", description="Serve a local Telegram Bot API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--token", default="123456:EMULATOR-TOKEN", help="bot token to register")
    parser.add_argument("--bot-username", default="crmbot_dev_bot")
    parser.add_argument(
        "--lenient-html",
        action="store_true",
        help="accept a bare & or > in HTML text, as Telegram does",
    )
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    emulator = BotApiEmulator(strict_html=not args.lenient_html)
    emulator.add_bot(args.token, args.bot_username)
    base_url = await emulator.start(args.host, args.port)
    print(base_url, flush=True)
    print(f"bot token: {args.token} (@{args.bot_username})", flush=True)
    print(f"bot API:   {base_url}/bot<token>/<method>", flush=True)
    print(f"control:   {base_url}/_emulator/<action>", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    """Run the emulator until interrupted."""
    asyncio.run(_serve(_parse_args(argv)))


if __name__ == "__main__":
    main()
