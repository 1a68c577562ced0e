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


def telegram_script(
    init_data: str, *, theme: Mapping[str, str] = LIGHT_THEME, viewport_height: int = 700
) -> str:
    """Return a stand-in for telegram-web-app.js, run before the page's own scripts.

    It gives the page what Telegram's script does inside a Telegram client (`Telegram.WebApp`
    with the init data, theme, viewport, BackButton and HapticFeedback) and records each call
    in `Telegram.WebApp.calls`; `Telegram.WebApp.BackButton.press()` is the user's tap on it.
    """
    settings = {"initData": init_data, "themeParams": dict(theme), "height": viewport_height}
    return _TELEGRAM_SCRIPT.replace("SETTINGS", json.dumps(settings))


_TELEGRAM_SCRIPT = """(() => {
  const settings = SETTINGS;
  const calls = [];
  const record = (name) => () => calls.push(name);
  const unsafe = Object.fromEntries(new URLSearchParams(settings.initData));
  let back = () => {};
  window.Telegram = {
    WebApp: {
      initData: settings.initData,
      initDataUnsafe: unsafe,
      version: "7.0",
      platform: "android",
      themeParams: settings.themeParams,
      viewportHeight: settings.height,
      viewportStableHeight: settings.height,
      calls,
      ready: record("ready"),
      expand: record("expand"),
      onEvent: (name) => calls.push("onEvent:" + name),
      BackButton: {
        show: record("BackButton.show"),
        hide: record("BackButton.hide"),
        onClick: (handler) => { back = handler; },
        press: () => back(),
      },
      HapticFeedback: {
        notificationOccurred: (kind) => calls.push("haptic:" + kind),
        selectionChanged: record("haptic:selection"),
        impactOccurred: (style) => calls.push("haptic:impact:" + style),
      },
    },
  };
})();"""
