"""Automatic entity detection and UTF-16 offsets, as Telegram computes them."""

import pytest

from tgemu.entities import detect_entities, entity_text, utf16_len


def _found(text: str) -> list[tuple[str, str]]:
    return [(e["type"], entity_text(text, e)) for e in detect_entities(text)]


def test_utf16_length_counts_surrogate_pairs() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("客户") == 2
    assert utf16_len("🙂") == 2
    assert utf16_len("👨‍👩‍👧") == 8  # three emoji joined by two ZWJ


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", [("bot_command", "/start")]),
        ("/log@crm_test_bot 5 boxes", [("bot_command", "/log@crm_test_bot")]),
        ("see /help and /report_2", [("bot_command", "/help"), ("bot_command", "/report_2")]),
        ("path a/b, 1/2 and //x", []),
        ("/cmd@ab is too short a bot name", []),
        ("hi @alice_sales!", [("mention", "@alice_sales")]),
        ("@abc is too short, @gif is allowed", [("mention", "@gif")]),
        ("mail ann@example.com", [("email", "ann@example.com")]),
        (
            "#visit #客户 #123 #a1",
            [("hashtag", "#visit"), ("hashtag", "#客户"), ("hashtag", "#a1")],
        ),
        ("#tag#other", []),
        ("price in $USD and $usd", [("cashtag", "$USD")]),
        (
            "see example.com/path. or https://t.me/x)",
            [("url", "example.com/path"), ("url", "https://t.me/x")],
        ),
        ("version 1.2.3 and file.txt", []),
    ],
)
def test_detects_entities_like_telegram(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_offsets_are_utf16_code_units_with_emoji_and_chinese() -> None:
    text = "🙂🙂 客户 #订单 @alice_sales /log"
    entities = detect_entities(text)
    assert entities == [
        {"type": "hashtag", "offset": 8, "length": 3},
        {"type": "mention", "offset": 12, "length": 12},
        {"type": "bot_command", "offset": 25, "length": 4},
    ]
    assert [entity_text(text, e) for e in entities] == ["#订单", "@alice_sales", "/log"]


def test_skip_ranges_hide_entities_inside_code() -> None:
    text = "run /start now"
    code = {"type": "code", "offset": 4, "length": 6}
    assert detect_entities(text, skip=[code]) == []
