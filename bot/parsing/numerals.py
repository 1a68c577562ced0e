"""Chinese numerals (一二三, 两, 十二, 三千五, 一亿二千万) and English number words.

The conversion itself is cn2an's ("smart" mode: colloquial 三万五, Traditional 兩萬, financial
壹仟); this module only says which characters make a numeral, for the regexes of the package.
"""

from __future__ import annotations

import cn2an

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
    "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

# Character classes for regexes elsewhere in the package.
CN_DIGIT_CHARS = "".join(DIGITS)
CN_NUMERAL_CHARS = CN_DIGIT_CHARS + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

EN_NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "ninety": 90, "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2,
    "a few": 3, "few": 3,
}  # fmt: skip


def parse_cn_int(text: str) -> int | None:
    """Return the value of a Chinese numeral such as 十二, 两百五, 一万二, 二零二六, or None."""
    if not text or text[0] in BIG_UNITS or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None  # not a numeral cn2an understands (二三万, 万)
    return value if isinstance(value, int) else None


def to_int(token: str) -> int | None:
    """Return the value of ASCII digits or a Chinese numeral."""
    token = token.strip()
    if token.isascii() and token.isdigit():
        return int(token)
    return parse_cn_int(token)
