"""Text helpers every view shares: fitting HTML into one Telegram message, plain text."""

from __future__ import annotations

import html
import re

from bot.i18n import Html, escape, t

MAX_MESSAGE = 4096  # characters of text Telegram allows in one message, after entities
MAX_CAPTION = 1024
MAX_ALERT = 200  # characters of a callback answer
_TOKEN = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>|&#?\w+;|[^<&]+|[<&]", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
NAMES_SHOWN = 10  # customers named in a list such as a pool announcement; the rest are counted


def fit(text: Html, limit: int = MAX_MESSAGE) -> Html:
    """Cut HTML to `limit` visible characters with an ellipsis, never inside a tag or entity.

    Tags still open at the cut are closed, so the result stays valid Telegram HTML.
    """
    if len(text) <= limit:
        return text
    kept: list[str] = []
    open_tags: list[str] = []
    visible = 0
    budget = limit - 1  # room for the ellipsis
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        closing, tag = match.group(1), match.group(2)
        if tag is not None:
            if closing:
                if open_tags and open_tags[-1] == tag.lower():
                    open_tags.pop()
            else:
                open_tags.append(tag.lower())
            kept.append(token)
            continue
        size = 1 if token.startswith("&") and token.endswith(";") else len(token)
        if visible + size > budget:
            if not token.startswith("&"):
                kept.append(token[: budget - visible])
            break
        kept.append(token)
        visible += size
    else:
        return text
    kept.append("…")
    kept.extend(f"</{tag}>" for tag in reversed(open_tags))
    return Html("".join(kept))


def plain(text: str, limit: int = MAX_ALERT) -> str:
    """Turn an HTML fragment into plain text (for toasts and alerts), cut to `limit`."""
    flat = _flat(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def visible_length(text: Html) -> int:
    """Count what Telegram counts against its limits: UTF-16 units of the text without tags."""
    return len(_flat(text).encode("utf-16-le", "surrogatepass")) // 2


def _flat(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def name_list(lang: str, names: list[str]) -> Html:
    """The first NAMES_SHOWN names, and how many more there are."""
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        return t(lang, "list.more", names=shown, count=len(names) - NAMES_SHOWN)
    return escape(shown)
