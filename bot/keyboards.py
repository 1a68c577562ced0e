"""Service button rows as Telegram inline keyboards, shared by handlers and jobs."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.reminders import Keyboard


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """Turn plain button rows into Telegram's inline keyboard."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )
