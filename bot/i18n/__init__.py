"""Message catalogs, one per language; `t()` renders a message as Telegram HTML.

Every parameter is HTML-escaped unless it is wrapped in `Html`, so user text is safe by default.
"""

from __future__ import annotations

import html
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale

from bot.i18n import (
    en,
    en_console,
    en_exchange,
    en_org,
    en_reports,
    en_tasks,
    en_web,
    zh,
    zh_console,
    zh_exchange,
    zh_org,
    zh_reports,
    zh_tasks,
    zh_web,
)

LANGUAGES = ("en", "zh")
# A message is a template, or its plural forms by CLDR category ("one", "other", …): English
# has "one" and "other", Chinese only "other", so a Chinese entry stays a plain template.
Message = str | dict[str, str]
# One catalog per language, kept in one file per feature so features can change independently.
CATALOGS: dict[str, dict[str, Message]] = {
    "en": {
        **en.MESSAGES,
        **en_tasks.MESSAGES,
        **en_reports.MESSAGES,
        **en_exchange.MESSAGES,
        **en_org.MESSAGES,
        **en_console.MESSAGES,
        **en_web.MESSAGES,
    },
    "zh": {
        **zh.MESSAGES,
        **zh_tasks.MESSAGES,
        **zh_reports.MESSAGES,
        **zh_exchange.MESSAGES,
        **zh_org.MESSAGES,
        **zh_console.MESSAGES,
        **zh_web.MESSAGES,
    },
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
    """Render message `key` in `lang` (falling back to English) with escaped parameters.

    A message with plural forms takes the form of its `count` parameter in that language.
    """
    template = _template(lang, key, params.get("count"))
    return Html(template.format(**{name: _escape(v) for name, v in params.items()}))


def plain(lang: str, key: str, /, default: str | None = None, **params: Any) -> str:
    """Render message `key` as plain text, unescaped (charts, files, table cells).

    A key neither catalog has gives `default`, if there is one.
    """
    if default is not None and key not in CATALOGS["en"]:
        return default
    return _template(lang, key, params.get("count")).format(**params)


def _template(lang: str, key: str, count: Any) -> str:
    catalog = CATALOGS.get(lang, CATALOGS["en"])
    if key not in catalog:
        lang, catalog = "en", CATALOGS["en"]
    message = catalog[key]
    if isinstance(message, str):
        return message
    return message.get(plural_form(lang, count)) or message["other"]


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def plural_form(lang: str, count: int | Decimal | float) -> str:
    """The CLDR plural category of a number in a language: 'one', 'other', …"""
    return str(_locale(lang).plural_form(-count if count < 0 else count))


def channel_name(name: str | None, kind: str, lang: str) -> str:
    """A channel as people read it: the team's own name, else its kind in the team's language.

    The channels a team starts with have no name of their own, so they read in whatever
    language the team speaks now.
    """
    if name:
        return name
    return plain(lang, f"channel.{kind}", default=kind)


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
