"""Init data as Telegram signs it, computed here on its own (not with bot.web.auth)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from urllib.parse import quote, urlencode


def telegram_hash(fields: dict[str, str], token: str) -> str:
    """Telegram's documented signature of init data fields (everything but `hash`)."""
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()


def init_data(
    user: dict[str, object],
    *,
    token: str,
    signed_at: datetime,
    start_param: str | None = None,
    extra: dict[str, str] | None = None,
) -> str:
    """A raw init data query string, URL-encoded as Telegram sends it, signed for `token`."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(signed_at.timestamp())),
        "signature": "c2lnbmVkLWJ5LXRlbGVncmFt",
        **(extra or {}),
    }
    if start_param is not None:
        fields["start_param"] = start_param
    fields["hash"] = telegram_hash(fields, token)
    return urlencode(fields, quote_via=quote)


def person_user(
    user_id: int, first_name: str, username: str, lang: str = "en"
) -> dict[str, object]:
    return {
        "id": user_id,
        "first_name": first_name,
        "last_name": "",
        "username": username,
        "language_code": lang,
        "allows_write_to_pm": True,
    }
