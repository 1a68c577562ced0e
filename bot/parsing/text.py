"""Length-preserving text clean-up and span helpers shared by the parsers."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Messages are at most 4096 characters in Telegram; anything longer is cut so that the
# worst case stays bounded (every scanner below is linear or close to it).
MAX_INPUT = 8192

Span = tuple[int, int]


def _control_table() -> dict[int, str]:
    table = {code: " " for code in range(0x20) if chr(code) not in "\n\t"}
    table[0x7F] = " "
    for code in (*range(0x80, 0xA0), *range(0x200B, 0x2010), *range(0x202A, 0x202F),
                 *range(0x2060, 0x2070), 0x2028, 0x2029, 0xFEFF):  # fmt: skip
        table[code] = " "  # zero-width, bidi and line-separator marks
    for code in range(0xD800, 0xE000):
        table[code] = " "  # lone surrogates cannot be encoded and break downstream JSON
    return table


_CONTROL = _control_table()
# Full-width ASCII (１２３, ：, ＄) and the ideographic space map one-to-one to ASCII, so
# every span found in the folded text is also valid in the original.
_WIDTH = {**_CONTROL, 0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}
_WIDTH_TABLE = str.maketrans(_WIDTH)
_CONTROL_TABLE = str.maketrans(_CONTROL)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")


def fold(text: str) -> str:
    """Return text with full-width ASCII folded and control characters blanked, same length."""
    return text[:MAX_INPUT].translate(_WIDTH_TABLE)


def visible(text: str) -> str:
    """Return text with control characters blanked (width kept), same length."""
    return text[:MAX_INPUT].translate(_CONTROL_TABLE)


def has_cjk(text: str) -> bool:
    """Tell whether text contains a CJK ideograph."""
    return _CJK_RE.search(text) is not None


def is_cjk(char: str) -> bool:
    """Tell whether a single character is a CJK ideograph."""
    return _CJK_RE.match(char) is not None


def overlaps(start: int, end: int, spans: Iterable[Span]) -> bool:
    """Tell whether [start, end) intersects any of the spans."""
    return any(start < b and a < end for a, b in spans)


def blank(text: str, spans: Iterable[Span]) -> str:
    """Return text with every span replaced by spaces, same length."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)
