"""Money amounts: 50k, $3.5m, 1,250,000, 12万元, 3.5w, 十二万, HK$5000, RMB 20000, USD 1200."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from bot.parsing.dates import find_dues
from bot.parsing.numerals import (
    BIG_UNITS,
    CN_DIGIT_CHARS,
    CN_NUMERAL_CHARS,
    SMALL_UNITS,
    parse_cn_int,
)
from bot.parsing.phones import find_phones, phone_spans
from bot.parsing.text import Span, fold, overlaps


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """A money amount found in text: value, ISO currency and span."""

    value: Decimal
    currency: str
    start: int
    end: int


_PREFIX_CURRENCY = {
    "us$": "USD", "hk$": "HKD", "nt$": "TWD", "s$": "SGD", "a$": "AUD", "c$": "CAD",
    "rmb": "CNY", "cny": "CNY", "usd": "USD", "eur": "EUR", "gbp": "GBP", "hkd": "HKD",
    "jpy": "JPY", "sgd": "SGD", "aud": "AUD", "cad": "CAD", "twd": "TWD", "chf": "CHF",
    "krw": "KRW", "inr": "INR", "$": "USD", "¥": "CNY", "￥": "CNY", "€": "EUR", "£": "GBP",
    "₩": "KRW", "₹": "INR",
}  # fmt: skip
_SUFFIX_CURRENCY = {
    "元": "CNY", "块钱": "CNY", "块": "CNY", "塊錢": "CNY", "塊": "CNY", "圆": "CNY", "圓": "CNY",
    "人民币": "CNY", "人民幣": "CNY", "美元": "USD", "美金": "USD", "欧元": "EUR", "歐元": "EUR",
    "港币": "HKD", "港幣": "HKD", "港元": "HKD", "英镑": "GBP", "英鎊": "GBP", "日元": "JPY",
    "日圓": "JPY", "yuan": "CNY", "dollars": "USD", "dollar": "USD", "bucks": "USD",
    "euros": "EUR", "euro": "EUR", "pounds": "GBP", "pound": "GBP",
    **{code.lower(): iso for code, iso in (("RMB", "CNY"), ("CNY", "CNY"), ("USD", "USD"),
       ("EUR", "EUR"), ("GBP", "GBP"), ("HKD", "HKD"), ("JPY", "JPY"), ("SGD", "SGD"),
       ("AUD", "AUD"), ("CAD", "CAD"), ("TWD", "TWD"), ("CHF", "CHF"))},
}  # fmt: skip
_MULTIPLIERS = {
    "k": 10**3, "thousand": 10**3, "grand": 10**3, "千": 10**3, "仟": 10**3, "w": 10**4,
    "万": 10**4, "萬": 10**4, "十万": 10**5, "十萬": 10**5, "百万": 10**6, "百萬": 10**6,
    "千万": 10**7, "千萬": 10**7, "m": 10**6, "mn": 10**6, "mm": 10**6, "million": 10**6,
    "亿": 10**8, "億": 10**8, "b": 10**9, "bn": 10**9, "billion": 10**9,
}  # fmt: skip


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CJK_MULT = "十万|十萬|百万|百萬|千万|千萬|万|萬|亿|億|千|仟"
_AMOUNT_RE = re.compile(
    rf"""
    (?<![A-Za-z0-9_.,#@+\-/:])
    (?:(?P<pc>{_alt(_PREFIX_CURRENCY)})\s?)?
    (?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
    (?:
        \s?(?P<cm>{_CJK_MULT})
      | (?P<lm>[kKwWmMbB]|mn|mm|bn)(?![A-Za-z])
      | \s(?P<wm>thousand|grand|million|billion)(?![A-Za-z])
    )?
    (?:\s?(?P<sc>{_alt({k: v for k, v in _SUFFIX_CURRENCY.items() if not k.isascii()})})
      | \s?(?P<sca>{_alt({k: v for k, v in _SUFFIX_CURRENCY.items() if k.isascii()})})
        (?![A-Za-z])
    )?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_CN_AMOUNT_RE = re.compile(
    rf"""
    (?P<cn>[{CN_DIGIT_CHARS}十拾][{CN_NUMERAL_CHARS}]*)
    (?!火急)
    (?P<sc>{_alt({k: v for k, v in _SUFFIX_CURRENCY.items() if not k.isascii()})})?
    """,
    re.VERBOSE,
)
# What may not follow a number for it to be money: counts, measures, percentages, ordinals.
_NOT_MONEY_AFTER_RE = re.compile(
    r"""(?:
        个|個|台|件|套|箱|只|支|瓶|张|張|份|位|名|人|家|次|岁|歲|楼|樓|层|層|米|公里|吨|噸|斤|克
      | 栋|棟|间|間|辆|輛|款|种|種
      | \s?[%％‰°]|[:/]\d|-\d|\.\d
      | \s?(?i:pcs|pieces?|units?|items?|people|persons?|pax|users?|seats?|licen[cs]es?|stores?
        |shops?|days?|weeks?|months?|years?|yrs?|hours?|hrs?|mins?|minutes?|seconds?|secs?
        |times|st|nd|rd|th|am|pm|a\.m|p\.m|km|kg|cm|mm|ml|sq|x)(?![A-Za-z])
    )""",
    re.VERBOSE,
)
# A date or time unit after a number (12月, 5日, 3点, 3天) also rules out money, unless a
# currency says otherwise; after a multiplier only when attached (5万年, but 8.5万 周五).
_TIME_AFTER_RE = re.compile(
    r"(\s?)(?:天|日|周|週|月|年|号|號|点|點|时|時|小时|小時|分钟|分鐘|分|秒)"
)
_ID_BEFORE_RE = re.compile(
    r"(?i)(?:\b(?:id|no|nr|num|order|ticket|invoice|inv|po|sku|model|room|ext|zip|code|ref|case|"
    r"version|ver|v)\s*[.:#]?\s*|订单号?|訂單號?|单号|單號|编号|編號|工号|工號|型号|型號|尾号|尾號|"
    r"邮编|郵編|房间|房間|第)$"
)
_YEAR_BEFORE_RE = re.compile(
    r"(?i)\b(?:in|since|by|until|before|after|from|of|year|fy|q[1-4]|h[12]|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+$"
)
_MAX_VALUE = Decimal(10) ** 15


def parse_amount(text: str, *, default_currency: str = "CNY") -> AmountMatch | None:
    """Return the money amount in text (the best evidenced one, else the first), or None."""
    try:
        folded = fold(text)
        now = datetime(2000, 1, 1, tzinfo=UTC)  # only the spans of dates matter here
        dues = find_dues(folded, now=now, tz=ZoneInfo("UTC"))
        exclude = [(d.start, d.end) for d in dues] + phone_spans(find_phones(folded))
        return best_amount(folded, exclude=exclude, default_currency=default_currency)
    except (ValueError, ArithmeticError):
        return None


def best_amount(
    text: str, *, exclude: list[Span], default_currency: str = "CNY"
) -> AmountMatch | None:
    """Return the best amount in folded text outside the excluded spans (dates, phones)."""
    best: tuple[int, AmountMatch] | None = None
    for strength, match in _candidates(text, exclude, default_currency):
        if best is None or strength > best[0]:
            best = (strength, match)
    return best[1] if best else None


def _candidates(
    text: str, exclude: list[Span], default_currency: str
) -> list[tuple[int, AmountMatch]]:
    out: list[tuple[int, AmountMatch]] = []
    for m in _AMOUNT_RE.finditer(text):
        found = _digits_amount(m, text, exclude, default_currency)
        if found is not None:
            out.append(found)
    for m in _CN_AMOUNT_RE.finditer(text):
        found = _cn_amount(m, text, exclude, default_currency)
        if found is not None:
            out.append(found)
    out.sort(key=lambda item: item[1].start)
    return out


def _digits_amount(
    m: re.Match[str], text: str, exclude: list[Span], default_currency: str
) -> tuple[int, AmountMatch] | None:
    start, end = m.span()
    num = m["num"]
    multiplier_word = (m["cm"] or m["lm"] or m["wm"] or "").lower()
    currency_word = (m["pc"] or m["sc"] or m["sca"] or "").lower()
    has_currency = bool(currency_word)
    if overlaps(start, end, exclude) or _not_money_after(
        text, end, has_currency=has_currency, has_multiplier=bool(multiplier_word)
    ):
        return None
    if not currency_word and not multiplier_word and not m["num"].replace(",", "").isdigit():
        return None  # a bare decimal ("3.5") is a score or a version, not money
    if not has_currency and not multiplier_word:
        if "," not in num:
            digits = num
            if len(digits) < 4 or len(digits) > 9 or digits.startswith("0"):
                return None  # small counts, long ids and zero-padded codes
            if (
                len(digits) == 4
                and digits[:2] in ("19", "20")
                and _YEAR_BEFORE_RE.search(text, max(0, start - 8), start)
            ):
                return None
        if _ID_BEFORE_RE.search(text, max(0, start - 10), start):
            return None
    if multiplier_word in ("m", "b") and not has_currency and "." not in num and m["lm"]:
        # "5m" alone is as often minutes or metres as millions; keep it only with a currency
        # or a decimal ("3.5m").
        return None
    try:
        value = Decimal(num.replace(",", "")) * _MULTIPLIERS.get(multiplier_word, 1)
    except InvalidOperation:
        return None
    if value <= 0 or value >= _MAX_VALUE:
        return None
    currency = _currency(m["pc"], m["sc"] or m["sca"], default_currency)
    strength = 2 if has_currency or multiplier_word else 1 if "," in num else 0
    return strength, AmountMatch(_tidy(value), currency, start, end)


def _cn_amount(
    m: re.Match[str], text: str, exclude: list[Span], default_currency: str
) -> tuple[int, AmountMatch] | None:
    start, end = m.span()
    if overlaps(start, end, exclude) or _not_money_after(
        text, end, has_currency=bool(m["sc"]), has_multiplier=False
    ):
        return None
    if start > 0 and (text[start - 1].isdigit() or text[start - 1] in CN_NUMERAL_CHARS):
        return None
    numeral = m["cn"]
    value_int = parse_cn_int(numeral)
    if value_int is None or value_int <= 0:
        return None
    has_unit = any(ch in BIG_UNITS or ch in SMALL_UNITS for ch in numeral)
    if not m["sc"] and (not has_unit or value_int < 1000):
        return None  # 一百, 三 without 元: a count, not money
    value = Decimal(value_int)
    if value >= _MAX_VALUE:
        return None
    return 2, AmountMatch(value, _currency(None, m["sc"], default_currency), start, end)


def _not_money_after(text: str, end: int, *, has_currency: bool, has_multiplier: bool) -> bool:
    if _NOT_MONEY_AFTER_RE.match(text, end):
        return True
    if has_currency:
        return False
    unit = _TIME_AFTER_RE.match(text, end)
    return unit is not None and not (has_multiplier and unit.group(1))


def _currency(prefix: str | None, suffix: str | None, default: str) -> str:
    if prefix:
        return _PREFIX_CURRENCY[prefix.lower()]
    if suffix:
        return _SUFFIX_CURRENCY[suffix.lower()]
    return default.upper()


def _tidy(value: Decimal) -> Decimal:
    """Return the value without exponent or trailing zeros (Decimal('120000'), Decimal('2.5'))."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()
