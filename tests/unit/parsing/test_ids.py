"""Ids and counts: plain ASCII digits that fit a signed 64-bit column, or nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing.ids import parse_digits

INT64_MAX = 2**63 - 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("12", 12), ("007", 7), ("9" * 18, int("9" * 18))],
)
def test_reads_ascii_digits(text: str, expected: int) -> None:
    assert parse_digits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 12",
        "12 ",
        "-1",
        "+1",
        "1.0",
        "1_000",
        "0x1f",
        "²",  # isdigit() says yes, int() refuses
        "１２",  # full-width digits
        "١٢",  # Arabic-Indic digits
        "9" * 19,  # 19 nines overflow a signed 64-bit column
        "99999999999999999999",
        "1" * 5000,  # longer than int()'s default digit limit
    ],
)
def test_refuses_anything_else(text: str) -> None:
    assert parse_digits(text) is None


@given(st.text())
def test_never_raises_and_always_fits_a_bigint(text: str) -> None:
    number = parse_digits(text)
    assert number is None or 0 <= number <= INT64_MAX
