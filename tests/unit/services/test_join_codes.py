"""Join codes: what a fresh one looks like, how a typed one is read, how one is kept."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.companies import CODE_ALPHABET, CODE_LENGTH, hash_code, new_code, read_code


def test_a_new_code_is_eight_unmistakable_letters_and_digits() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500  # random, not a sequence
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{8}", code), code
        assert not set(code) & set("01OIL")
    assert CODE_LENGTH >= 6


def test_every_new_code_reads_back_as_itself() -> None:
    for _ in range(200):
        code = new_code()
        assert read_code(code) == code


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("K7QX9M2P", "K7QX9M2P"),
        ("k7qx9m2p", "K7QX9M2P"),  # typed in lower case
        (" K7QX-9M2P ", "K7QX9M2P"),  # with a dash or spaces, as people copy it
        ("K7QX 9M2P", "K7QX9M2P"),
        ("Ｋ７ＱＸ９Ｍ２Ｐ", "K7QX9M2P"),  # full-width, from a Chinese keyboard
        ("K7QX9M2", None),  # too short
        ("K7QX9M2PA", None),  # too long
        ("K7QX9M20", None),  # 0 is never in a code
        ("K7QX9MOP", None),  # nor O
        ("K7QX9M2!", None),
        ("", None),
        ("万科万科万科万科", None),
    ],
)
def test_a_typed_code_is_read_or_refused(typed: str, read: str | None) -> None:
    assert read_code(typed) == read


@given(st.text(max_size=20))
def test_reading_anything_gives_a_well_formed_code_or_none(text: str) -> None:
    code = read_code(text)
    assert code is None or (len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET))


def test_a_code_is_kept_as_its_sha256() -> None:
    assert hash_code("K7QX9M2P") == hash_code("K7QX9M2P")
    assert hash_code("K7QX9M2P") != hash_code("K7QX9M2Q")
    assert re.fullmatch(r"[0-9a-f]{64}", hash_code("K7QX9M2P"))
    assert "K7QX9M2P" not in hash_code("K7QX9M2P")
