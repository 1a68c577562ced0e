"""Cell values that are safe to open in a spreadsheet (CSV/formula injection)."""

from __future__ import annotations

# A spreadsheet treats a cell starting with one of these as a formula (or DDE) and may run it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(text: str) -> str:
    """Return text that a spreadsheet shows as text: a leading quote defuses a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralize(text: str) -> str:
    """Undo neutralize(), so a file crmbot exported imports back to the same text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
