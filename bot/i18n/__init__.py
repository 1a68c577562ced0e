"""Message catalogs, one per language; `t()` renders a message as Telegram HTML.

Every parameter is HTML-escaped unless it is wrapped in `Html`, so user text is safe by default.
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from bot.i18n import en, en_exchange, en_reports, en_tasks, zh, zh_exchange, zh_reports, zh_tasks

LANGUAGES = ("en", "zh")
# One catalog per language, kept in one file per feature so features can change independently.
CATALOGS: dict[str, dict[str, str]] = {
    "en": {**en.MESSAGES, **en_tasks.MESSAGES, **en_reports.MESSAGES, **en_exchange.MESSAGES},
    "zh": {**zh.MESSAGES, **zh_tasks.MESSAGES, **zh_reports.MESSAGES, **zh_exchange.MESSAGES},
}


class Html(str):
    """A fragment that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


def _escape(value: Any) -> str:
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    return html.escape(str(value), quote=False)


def t(lang: str, key: str, /, **params: Any) -> Html:
    """Render message `key` in `lang` (falling back to English) with escaped parameters."""
    catalog = CATALOGS.get(lang, CATALOGS["en"])
    template = catalog.get(key) or CATALOGS["en"][key]
    return Html(template.format(**{name: _escape(v) for name, v in params.items()}))


def escape(text: str) -> Html:
    """Escape user text for an HTML message."""
    return Html(html.escape(text, quote=False))


def normalize_lang(code: str | None, default: str = "en") -> str:
    """Map a Telegram language code (zh-hans, zh-CN, en-US …) to a catalog language."""
    if not code:
        return default
    code = code.lower()
    if code.startswith("zh"):
        return "zh"
    if code.startswith("en"):
        return "en"
    return default
