"""Init data checks against Telegram's documented algorithm."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from bot.web.auth import InitDataError, data_check_string, secret_key, sign, validate
from tests.support.miniapp import init_data, person_user, telegram_hash

TOKEN = "123456:TEST-crmbot-token"
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
USER = person_user(200, "Alice 李", "alice", "zh-hans")


def test_a_vector_computed_by_hand_is_accepted() -> None:
    # Written out step by step as core.telegram.org/bots/webapps describes it.
    user = '{"id":200,"first_name":"Alice","username":"alice"}'
    auth_date = str(int(NOW.timestamp()))
    check = f"auth_date={auth_date}\nquery_id=Q1\nsignature=sig\nuser={user}"
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    raw = f"query_id=Q1&user={quote(user)}&auth_date={auth_date}&signature=sig&hash={digest}"
    found = validate(raw, token=TOKEN, now=NOW)
    assert found.user.id == 200
    assert found.user.username == "alice"
    assert found.auth_date == NOW
    assert secret_key(TOKEN) == secret
    assert data_check_string(dict(parse_qsl(raw))) == check
    assert sign(dict(parse_qsl(raw)), TOKEN) == digest


def test_signed_init_data_names_the_user_and_start_param() -> None:
    raw = init_data(USER, token=TOKEN, signed_at=NOW - timedelta(hours=23), start_param="-1001")
    found = validate(raw, token=TOKEN, now=NOW)
    assert found.user.full_name == "Alice 李"
    assert found.user.language_code == "zh-hans"
    assert found.start_param == "-1001"


def _tampered(raw: str, **changes: str) -> str:
    fields = dict(parse_qsl(raw))
    fields.update(changes)
    return urlencode(fields, quote_via=quote)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("", "no init data"),
        (_tampered(init_data(USER, token=TOKEN, signed_at=NOW), hash="0" * 64), "does not match"),
        (
            "&".join(
                p
                for p in init_data(USER, token=TOKEN, signed_at=NOW).split("&")
                if not p.startswith("hash=")
            ),
            "no hash",
        ),
        (init_data(USER, token=TOKEN, signed_at=NOW - timedelta(hours=24, seconds=1)), "older"),
        (init_data(USER, token=TOKEN, signed_at=NOW + timedelta(hours=1)), "future"),
        (
            _tampered(
                init_data(USER, token=TOKEN, signed_at=NOW), user='{"id":100,"first_name":"M"}'
            ),
            "does not match",
        ),
        (_tampered(init_data(USER, token=TOKEN, signed_at=NOW), signature="x"), "does not match"),
        (init_data(USER, token="654321:OTHER-token", signed_at=NOW), "does not match"),
        ("a=1&a=2&hash=00", "repeated"),
        ("x" * 9000, "too long"),
    ],
    ids=[
        "empty",
        "forged",
        "no-hash",
        "stale",
        "future",
        "tampered-user",
        "tampered-signature",
        "wrong-token",
        "repeated",
        "long",
    ],
)
def test_refused(raw: str, why: str) -> None:
    with pytest.raises(InitDataError, match=why):
        validate(raw, token=TOKEN, now=NOW)


def test_a_signed_init_data_without_a_user_is_refused() -> None:
    fields = {"auth_date": str(int(NOW.timestamp())), "query_id": "Q"}
    fields["hash"] = telegram_hash(fields, TOKEN)
    with pytest.raises(InitDataError, match="no user"):
        validate(urlencode(fields), token=TOKEN, now=NOW)


def test_a_small_skew_ahead_is_accepted() -> None:
    raw = init_data(USER, token=TOKEN, signed_at=NOW + timedelta(minutes=2))
    assert validate(raw, token=TOKEN, now=NOW).user.id == 200
