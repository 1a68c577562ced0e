"""Telegram's side of a Mini App launch: signed init data and the URL a client opens.

A Telegram client opens a Mini App at its URL with the launch parameters in the fragment:
`#tgWebAppData=<url-encoded init data>&tgWebAppVersion=…&tgWebAppPlatform=…&tgWebAppThemeParams=…`.
The init data is a query string signed the documented way (core.telegram.org/bots/webapps):
secret = HMAC-SHA256(key="WebAppData", msg=bot token), hash = hex HMAC-SHA256(secret, the
sorted `key=value` lines of every other field).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
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


def init_data(
    *,
    token: str,
    user_id: int,
    first_name: str,
    username: str | None = None,
    language_code: str = "en",
    auth_date: datetime,
    start_param: str | None = None,
) -> str:
    """Return the init data query string Telegram would hand this user's Mini App."""
    user: dict[str, object] = {"id": user_id, "first_name": first_name}
    if username:
        user["username"] = username
    user["language_code"] = language_code
    fields = {
        "query_id": f"AAE{user_id}",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(auth_date.timestamp())),
    }
    if start_param is not None:
        fields["start_param"] = start_param
    fields["hash"] = sign(fields, token)
    return urlencode(fields, quote_via=quote)


def sign(fields: Mapping[str, str], token: str) -> str:
    """Return the hex `hash` Telegram puts on these (decoded) fields for a bot token."""
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    lines = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()) if key != "hash")
    return hmac.new(secret, lines.encode(), hashlib.sha256).hexdigest()


def launch_url(
    app_url: str,
    data: str,
    *,
    theme: Mapping[str, str] | None = None,
    platform: str = "android",
    version: str = "7.0",
) -> str:
    """Return the URL a Telegram client opens: the app's URL with the launch fragment."""
    params = {"tgWebAppData": data, "tgWebAppVersion": version, "tgWebAppPlatform": platform}
    if theme is not None:
        params["tgWebAppThemeParams"] = json.dumps(dict(theme), separators=(",", ":"))
    return f"{app_url}#{urlencode(params, quote_via=quote)}"
