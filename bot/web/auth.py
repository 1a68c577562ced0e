"""Telegram Mini App init data: check its signature and age, read the user it names.

The algorithm is Telegram's (core.telegram.org/bots/webapps, "Validating data received via
the Mini App"): secret = HMAC-SHA256(key="WebAppData", msg=bot token); the data-check-string
is every field but `hash`, URL-decoded, as sorted `key=value` lines joined by "\\n";
`hash` is the hex HMAC-SHA256 of it under the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

MAX_AGE = timedelta(hours=24)
# A phone's clock a little ahead of the server's still signs in.
FUTURE_SKEW = timedelta(minutes=5)
MAX_INIT_DATA = 8192  # Telegram's is well under 2 KB; a longer header is not Telegram's


class InitDataError(ValueError):
    """Init data that is missing, malformed, forged or stale; the message says which."""


@dataclass(frozen=True)
class WebUser:
    """The Telegram user a valid init data names."""

    id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class InitData:
    """What a valid init data says: who, when it was signed, and the start parameter."""

    user: WebUser
    auth_date: datetime
    start_param: str | None = None


def secret_key(token: str) -> bytes:
    """Return the key init data is signed with for a bot token."""
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    """Return the sorted `key=value` lines of every field but `hash`."""
    return "\n".join(f"{key}={value}" for key, value in sorted(fields.items()) if key != "hash")


def sign(fields: dict[str, str], token: str) -> str:
    """Return the hex hash Telegram puts in `hash` for these fields."""
    message = data_check_string(fields).encode()
    return hmac.new(secret_key(token), message, hashlib.sha256).hexdigest()


def validate(raw: str, *, token: str, now: datetime) -> InitData:
    """Check a raw init data query string for `token` at `now`; raise InitDataError."""
    if not raw:
        raise InitDataError("no init data")
    if len(raw) > MAX_INIT_DATA:
        raise InitDataError("init data too long")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("init data is not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field is repeated")
    given = fields.get("hash", "")
    if not given:
        raise InitDataError("no hash")
    if not hmac.compare_digest(sign(fields, token).encode(), given.encode(errors="replace")):
        raise InitDataError("the hash does not match")
    signed_at = _auth_date(fields.get("auth_date", ""))
    if signed_at < now - MAX_AGE:
        raise InitDataError("init data is older than 24 hours")
    if signed_at > now + FUTURE_SKEW:
        raise InitDataError("init data is from the future")
    return InitData(_user(fields.get("user", "")), signed_at, fields.get("start_param") or None)


def _auth_date(text: str) -> datetime:
    if not text.isdigit() or len(text) > 12:
        raise InitDataError("no auth_date")
    return datetime.fromtimestamp(int(text), UTC)


def _user(text: str) -> WebUser:
    try:
        data = json.loads(text)
    except ValueError:
        raise InitDataError("no user") from None
    if not isinstance(data, dict):
        raise InitDataError("no user")
    user_id, first = data.get("id"), data.get("first_name", "")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not isinstance(first, str):
        raise InitDataError("no user")
    last, username, lang = (
        data.get("last_name", ""),
        data.get("username"),
        data.get("language_code"),
    )
    return WebUser(
        id=user_id,
        first_name=first,
        last_name=last if isinstance(last, str) else "",
        username=username if isinstance(username, str) and username else None,
        language_code=lang if isinstance(lang, str) else None,
    )
