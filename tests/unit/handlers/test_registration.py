"""Rules every handler follows, checked on the Application that build_application() wires."""

from __future__ import annotations

import pytest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.app import build_application
from bot.config import Settings
from bot.views.callbacks import PREFIXES


def _handlers() -> list[BaseHandler]:
    app = build_application(Settings(TELEGRAM_BOT_TOKEN="123456:TEST"))
    return [handler for group in app.handlers.values() for handler in group]


def _ignores_edits(handler: CommandHandler) -> bool:
    """True when the handler's filter admits new messages only (UpdateType.MESSAGE and'ed in)."""
    stack = [handler.filters]
    while stack:
        current = stack.pop()
        if current is filters.UpdateType.MESSAGE:
            return True
        if isinstance(current, filters._MergedFilter) and current.and_filter is not None:
            stack += [current.base_filter, current.and_filter]
    return False


def test_every_command_ignores_edited_messages() -> None:
    commands = [h for h in _handlers() if isinstance(h, CommandHandler)]
    assert len(commands) >= 30  # every feature registered
    reruns = sorted(next(iter(h.commands)) for h in commands if not _ignores_edits(h))
    assert reruns == [], f"an edit would run these commands again: {reruns}"


def test_every_button_prefix_has_exactly_one_handler() -> None:
    patterns = [
        h.pattern.pattern  # type: ignore[union-attr]
        for h in _handlers()
        if isinstance(h, CallbackQueryHandler) and h.pattern is not None
    ]
    for prefix in PREFIXES:
        assert patterns.count(f"^{prefix}:") == 1, prefix


@pytest.mark.parametrize("names", [["stats"], ["digest"], ["export"]])
def test_heavy_commands_are_among_the_checked(names: list[str]) -> None:
    found = [h for h in _handlers() if isinstance(h, CommandHandler) and set(names) & h.commands]
    assert found and all(_ignores_edits(h) for h in found)
