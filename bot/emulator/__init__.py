"""A local Telegram Bot API emulator for end-to-end tests, demos and benchmarks."""

from bot.emulator.emulator import BotApiEmulator
from bot.emulator.errors import ApiError, EmulatorError
from bot.emulator.state import BotCall, CallbackAnswer, SentMessage

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "BotCall",
    "CallbackAnswer",
    "EmulatorError",
    "SentMessage",
]
