"""Chinese numerals (一二三, 两, 十二, 三千五, 一亿二千万) and English number words."""

from __future__ import annotations

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
    if not text or any(ch not in DIGITS and ch not in SMALL_UNITS and ch not in BIG_UNITS
                       for ch in text):  # fmt: skip
        return None
    if text[0] in BIG_UNITS:
        return None
    if all(ch in DIGITS for ch in text):
        # Digit by digit, like a year: 二零二六 -> 2026.
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    total = 0  # everything already closed by a big unit (万, 亿)
    section = 0  # the part below the current big unit
    number = 0  # the digit waiting for its unit
    last_unit = 0  # the unit just before a trailing digit, for 三千五 = 3500
    seen_zero = False
    top_big = 0
    previous_was_unit = False
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
            if digit == 0:
                seen_zero = True
            elif not previous_was_unit:
                # Two digits in a row (二三) is not a numeral we understand.
                if number:
                    return None
            number = digit
            previous_was_unit = False
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            section += (number or 1) * unit  # 十二 = 12: a bare unit counts once
            number = 0
            last_unit, seen_zero, previous_was_unit = unit, False, True
        else:
            unit = BIG_UNITS[ch]
            section += number
            if unit > top_big:
                total = (total + section) * unit
                top_big = unit
            else:
                total += section * unit
            section = number = 0
            last_unit, seen_zero, previous_was_unit = unit, False, True
    if number and last_unit >= 10 and not seen_zero:
        # Colloquial elision: 三千五 = 3500, 一万二 = 12000, 两百五 = 250 (but 十五 = 15).
        number *= last_unit // 10
    return total + section + number


def to_int(token: str) -> int | None:
    """Return the value of ASCII digits or a Chinese numeral."""
    token = token.strip()
    if token.isascii() and token.isdigit():
        return int(token)
    return parse_cn_int(token)
