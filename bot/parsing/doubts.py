"""What the parser was unsure of: each doubt is stated on the entry's card, never hidden.

A CRM whose records are quietly wrong is worse than a spreadsheet, so a field the parser could
not read, or read only by assuming something, comes with a Doubt naming the words it is about.
The card words each kind in the team's language (`doubt.<kind>` in bot/i18n).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DoubtKind(StrEnum):
    """Why a field deserves a second look; the value is the i18n key's suffix."""

    DATE_UNREADABLE = "date_unreadable"  # "31 Feb", "2026-13-40": no such day
    DATE_PAST = "date_past"  # a due time that has already gone by
    DATE_ASSUMED = "date_assumed"  # read by a stated rule: "11/12" as month/day, "EOD" …
    AMOUNT_UNREADABLE = "amount_unreadable"  # a negative amount, or one too large to be money
    AMOUNT_ASSUMED = "amount_assumed"  # a currency or multiplier taken by a rule


@dataclass(frozen=True, slots=True)
class Doubt:
    """One doubt: its kind, the message's words it is about, and what was assumed (if any)."""

    kind: DoubtKind
    text: str
    assumed: str = ""
