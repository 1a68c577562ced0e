"""Placeholder: the digest jobs."""

from __future__ import annotations

from telegram.ext import Application


def schedule(app: Application) -> None:  # type: ignore[type-arg]
    """Schedule this module's jobs."""
