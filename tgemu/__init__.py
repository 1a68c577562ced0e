"""A local Telegram Bot API emulator for end-to-end tests, demos and benchmarks."""

from tgemu.emulator import BotApiEmulator
from tgemu.errors import ApiError, EmulatorError
from tgemu.state import BotCall, CallbackAnswer, SentMessage

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "BotCall",
    "CallbackAnswer",
    "EmulatorError",
    "SentMessage",
]
