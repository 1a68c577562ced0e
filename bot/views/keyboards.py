"""Inline buttons as plain data: views build them, handlers and jobs turn them into markup."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    """An inline button: its label and its callback data."""

    label: str
    data: str


Keyboard = list[list[Button]]
