"""Placeholder: filled in by the reminders feature."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Add this feature's handlers."""
