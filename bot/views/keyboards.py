"""Inline buttons as plain data: views build them, handlers and jobs turn them into markup."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    """An inline button: its label and its callback data, or a link, or a Mini App to open."""

    label: str
    data: str = ""
    url: str | None = None  # a link (t.me direct links to the Mini App, in groups)
    web_app: str | None = None  # the Mini App's https URL (private chats only)


Keyboard = list[list[Button]]
