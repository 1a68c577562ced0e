"""Telegram's side of a Mini App launch: the URL a client opens, with the launch parameters.

A Telegram client opens a Mini App at its URL with the launch parameters in the fragment:
`#tgWebAppData=<url-encoded init data>&tgWebAppVersion=…&tgWebAppPlatform=…&tgWebAppThemeParams=…`
(core.telegram.org/bots/webapps). The init data itself, signed with the bot's token, comes from
the caller (tests/support/miniapp.py signs it as Telegram does).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import quote, urlencode

# Telegram's default light theme on Android, as its clients send it.
LIGHT_THEME = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#707579",
    "link_color": "#3390ec",
    "button_color": "#3390ec",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f4f4f5",
}


def launch_url(
    app_url: str,
    init_data: str,
    *,
    theme: Mapping[str, str] | None = None,
    platform: str = "android",
    version: str = "7.0",
) -> str:
    """Return the URL a Telegram client opens: the app's URL and the launch fragment."""
    params = {"tgWebAppData": init_data, "tgWebAppVersion": version, "tgWebAppPlatform": platform}
    if theme is not None:
        params["tgWebAppThemeParams"] = json.dumps(dict(theme), separators=(",", ":"))
    return f"{app_url}#{urlencode(params, quote_via=quote)}"
