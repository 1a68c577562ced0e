"""Phone numbers: Chinese mobiles, +country formats, landlines and numbers after "tel"/"电话"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parsing.text import Span


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    """A phone number found in text: normalized digits and its span."""

    number: str
    start: int
    end: int


_SEP = r"[ \-.]"
_PHONE_RE = re.compile(
    rf"""
    (?<![A-Za-z0-9_+])
    (?:
        (?P<kw>(?i:tel|phone|mobile|mob|cell|whatsapp|wechat|电话|電話|手机|手機|座机|座機|微信))
        \s*[:：.]?\s*
    )?
    (?P<number>
        \+\d{{1,3}}{_SEP}?(?:\(\d{{1,4}}\){_SEP}?)?\d{{1,4}}(?:{_SEP}?\d{{2,4}}){{1,4}}
      | (?:00?86{_SEP}?|86{_SEP})?1[3-9]\d(?:{_SEP}?\d{{4}}){{2}}
      | \(0\d{{2,3}}\)\s?\d{{3,4}}{_SEP}?\d{{4}}
      | 0\d{{2,3}}-\d{{3,4}}-?\d{{4}}
      | \(\d{{3}}\)\s?\d{{3}}{_SEP}\d{{4}}
      | (?<=[:： ])\d{{7,12}}
    )
    (?![A-Za-z0-9_]|[.,]\d|[万萬千])
    """,
    re.VERBOSE,
)
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")


def find_phones(text: str) -> list[PhoneMatch]:
    """Return the phone numbers in text, in order."""
    found: list[PhoneMatch] = []
    for m in _PHONE_RE.finditer(text):
        raw = m.group("number")
        if raw.isdigit() and not m.group("kw") and not _MOBILE_RE.fullmatch(raw):
            # A bare run of digits is only a phone after a keyword (else it is an id or amount).
            continue
        digits = "".join(ch for ch in raw if ch.isdigit())
        if not 7 <= len(digits) <= 15:
            continue
        if raw.startswith("+"):
            number = "+" + digits
        elif digits.startswith("0086") and len(digits) == 15:
            number = "+" + digits[2:]
        elif digits.startswith("86") and len(digits) == 13 and raw[:2] == "86":
            number = "+" + digits
        else:
            number = digits
        start = m.start("kw") if m.group("kw") else m.start("number")
        found.append(PhoneMatch(number, start, m.end("number")))
    return found


def phone_spans(phones: list[PhoneMatch]) -> list[Span]:
    """Return the spans of found phones."""
    return [(p.start, p.end) for p in phones]
