"""Ids and counts typed after a command or carried in button data."""

from __future__ import annotations

# 18 digits always fit a signed 64-bit column (its largest value, 2**63 - 1, has 19), so a
# longer number is refused before int() and before the database sees it.
MAX_ID_DIGITS = 18


def parse_digits(text: str) -> int | None:
    """Read plain ASCII digits that fit a signed 64-bit column; None for anything else."""
    # str.isdigit() alone also accepts "²" (int() refuses it) and full-width "１２".
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
        return None
    return int(text)
