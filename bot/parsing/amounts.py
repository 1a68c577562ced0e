"""Money amounts: 50k, $3.5m, 3 mil, 1,250,000, 12万元, 3万5, 2.5个亿, 三万五, HK$5000, 港币5万.

Numbers that are not money (50台, 200 pcs, iPhone 16, X-300, 15%, 2026年, PO 4500123) are never
read as amounts; a minus sign, a number too large to be a deal, or a range is stated as a Doubt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from bot.parsing.dates import find_dues
from bot.parsing.doubts import Doubt, DoubtKind
from bot.parsing.numerals import CN_DIGIT_CHARS, CN_NUMERAL_CHARS, parse_cn_int
from bot.parsing.phones import find_phones, phone_spans
from bot.parsing.text import Span, fold, overlaps


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """A money amount found in text: value, ISO currency and span."""

    value: Decimal
    currency: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MoneyReading:
    """The amount a message names, the doubts about it, and numbers a customer name ends before."""

    amount: AmountMatch | None = None
    doubts: tuple[Doubt, ...] = ()
    stops: tuple[Span, ...] = ()  # quantities, years, ids and models: kept in the note
    unreadable: tuple[Span, ...] = ()  # negative or too large: named on the card, not saved


# Currencies whose symbol or word is shared: "$" and "dollars" are the team's own dollar when
# its currency is one, else USD; "¥" is JPY for a yen team, else CNY; 元 / 块 are the team's
# yuan (CNY, TWD, HKD, MOP), else CNY.
_DOLLAR, _YEN, _YUAN = "$dollar", "$yen", "$yuan"
_DOLLAR_CURRENCIES = frozenset({"USD", "HKD", "TWD", "SGD", "AUD", "CAD", "NZD"})
_YUAN_CURRENCIES = frozenset({"CNY", "TWD", "HKD", "MOP"})
_ISO = ("CNY", "USD", "EUR", "GBP", "HKD", "JPY", "SGD", "AUD", "CAD", "TWD", "CHF", "KRW",
        "INR", "MYR", "THB", "MOP", "NZD")  # fmt: skip
_CJK_CURRENCY = {
    "人民币": "CNY", "人民幣": "CNY", "美金": "USD", "美元": "USD", "美刀": "USD",
    "港币": "HKD", "港幣": "HKD", "港元": "HKD", "港纸": "HKD", "港紙": "HKD",
    "新台币": "TWD", "新台幣": "TWD", "台币": "TWD", "台幣": "TWD", "臺幣": "TWD",
    "欧元": "EUR", "歐元": "EUR", "英镑": "GBP", "英鎊": "GBP", "日元": "JPY", "日圆": "JPY",
    "日圓": "JPY", "日币": "JPY", "日幣": "JPY", "新币": "SGD", "新幣": "SGD", "新加坡元": "SGD",
    "澳币": "AUD", "澳幣": "AUD", "澳元": "AUD", "加币": "CAD", "加幣": "CAD", "加元": "CAD",
    "韩元": "KRW", "韓元": "KRW", "韩币": "KRW", "韓幣": "KRW", "泰铢": "THB", "泰銖": "THB",
    "马币": "MYR", "馬幣": "MYR", "令吉": "MYR", "澳门币": "MOP", "澳門幣": "MOP",
    "瑞郎": "CHF", "卢比": "INR", "盧比": "INR",
}  # fmt: skip
_PREFIX_CURRENCY = {
    **{code.lower(): code for code in _ISO}, **_CJK_CURRENCY,
    "us$": "USD", "usd$": "USD", "hk$": "HKD", "hkd$": "HKD", "nt$": "TWD", "ntd": "TWD",
    "s$": "SGD", "sg$": "SGD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD",
    "nz$": "NZD", "mop$": "MOP", "rmb": "CNY", "rmb¥": "CNY", "jp¥": "JPY",
    "$": _DOLLAR, "¥": _YEN, "￥": _YEN, "円": "JPY", "€": "EUR", "£": "GBP", "₩": "KRW",
    "₹": "INR", "฿": "THB", "₫": "VND", "₱": "PHP",
}  # fmt: skip
_SUFFIX_CURRENCY = {
    **_CJK_CURRENCY,
    "元": _YUAN, "块钱": _YUAN, "块": _YUAN, "塊錢": _YUAN, "塊": _YUAN, "圆": _YUAN,
    "圓": _YUAN, "蚊": "HKD", "刀": "USD", "円": "JPY", "欧": "EUR", "歐": "EUR",
    **{code.lower(): code for code in _ISO},
    "rmb": "CNY", "ntd": "TWD", "yuan": "CNY", "kuai": "CNY", "yen": "JPY", "euros": "EUR",
    "euro": "EUR", "pounds": "GBP", "pound": "GBP", "quid": "GBP", "baht": "THB",
    "ringgit": "MYR", "rupees": "INR", "dollars": _DOLLAR, "dollar": _DOLLAR, "bucks": _DOLLAR,
    "usd$": "USD", "us$": "USD", "hk$": "HKD", "$": _DOLLAR, "€": "EUR", "£": "GBP",
    "¥": _YEN, "￥": _YEN,
}  # fmt: skip
_MULTIPLIERS = {
    "k": 10**3, "thousand": 10**3, "grand": 10**3, "千": 10**3, "仟": 10**3, "w": 10**4,
    "万": 10**4, "萬": 10**4, "十万": 10**5, "十萬": 10**5, "百万": 10**6, "百萬": 10**6,
    "千万": 10**7, "千萬": 10**7, "m": 10**6, "mn": 10**6, "mm": 10**6, "mil": 10**6,
    "mill": 10**6, "mio": 10**6, "mln": 10**6, "million": 10**6, "millions": 10**6,
    "亿": 10**8, "億": 10**8, "个亿": 10**8, "個億": 10**8, "个億": 10**8,
    "b": 10**9, "bn": 10**9, "bln": 10**9, "bil": 10**9, "billion": 10**9, "billions": 10**9,
    "万亿": 10**12, "萬億": 10**12, "tn": 10**12, "trillion": 10**12, "trillions": 10**12,
}  # fmt: skip
_SMALL_TAIL_UNITS = {"千": 10**3, "仟": 10**3, "百": 100, "佰": 100}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CJK_MULT = _alt(k for k in _MULTIPLIERS if not k.isascii())
_SUFFIX_CJK = _alt(k for k in _SUFFIX_CURRENCY if not k.isascii())
_SUFFIX_ASCII = _alt(k for k in _SUFFIX_CURRENCY if k.isascii())
_WORD_MULT = "k|thousand|grand|millions?|mil|mill|mio|mln|bn|bln|billions?|tn|trillions?"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# One side of an amount: optional currency, the number, a multiplier (k, 万, 3万5's trailing
# digit), and a currency after it (5k usd, 5万港币, 3000多块).
_AMOUNT_BODY = rf"""
    (?:(?P<pc>{_alt(k for k in _PREFIX_CURRENCY if k != "円")})\s?)?
    (?P<neg2>[-−](?=\d))?
    (?P<num>{_NUMBER})
    (?:
        \s?(?P<cm>{_CJK_MULT})(?P<tail>\d(?![\d.,])(?P<tailu>[千仟百佰])?)?
      | (?P<lm>[kKwWmMbB]|mn|mm|bn|bln|bil|mil|mill|mio|mln)(?![A-Za-z])
      | \s(?P<wm>{_WORD_MULT})(?![A-Za-z])
    )?
    (?P<approx>\+|\s?(?:多|余|餘|来|來))?
    (?:\s?(?P<sc>{_SUFFIX_CJK})
      | \s?(?P<sca>{_SUFFIX_ASCII})(?![A-Za-z])
    )?
"""
# A minus sign glued to the amount ("-50k", "-¥5000", 负5万) is read, to be reported. A comma
# or colon before it is punctuation ("签了，120万", "金额：85万", folded to ASCII), unless it
# follows a digit or a letter (1,500 and 10:30 are read whole, elsewhere).
_AMOUNT_RE = re.compile(
    rf"(?<![A-Za-z0-9_.#@+\-−/])(?<![A-Za-z0-9][,:])"
    rf"(?P<neg>[-−](?=[\d$¥￥€£A-Za-z])|[负負])?{_AMOUNT_BODY}",
    re.IGNORECASE | re.VERBOSE,
)
_HIGH_RE = re.compile(_AMOUNT_BODY, re.IGNORECASE | re.VERBOSE)
_CN_AMOUNT_RE = re.compile(
    rf"""
    (?P<neg>[负負])?
    (?P<cn>[{CN_DIGIT_CHARS}十拾][{CN_NUMERAL_CHARS}]*)(?P<ge>[个個][亿億])?
    (?!火急)
    (?P<approx>多|余|餘|来|來)?
    (?P<sc>{_SUFFIX_CJK})?
    """,
    re.VERBOSE,
)
# "50-80万", "5k~8k", "$5-8k", "5 to 8k": a range is read as its low end, and the card says so.
_RANGE_RE = re.compile(r"\s?(?:[-–~～]|到|至|to)\s?(?=[$¥￥€£]?\d)", re.IGNORECASE)
# What may not follow a number for it to be money: counts, measures, percentages, ordinals,
# and letters glued to it (256GB, 5000W, 4090Ti). A measure word that starts a common word
# (成交, 项目, 所以, 包括 …) does not count.
_MEASURE_WORDS = (
    "个|個|台(?![币幣])|臺(?![币幣])|件|套(?!餐)|箱|只(?![是要有])|支(?![付持])|瓶|张|張|份|位|名|"
    "人(?![民])|家|次|岁|歲|楼|樓|层|層|米|公里|吨|噸|斤|克|栋|棟|间|間|辆|輛|款(?![项項])|种|種|"
    "部(?![门門分])|颗|顆|片|包(?![括含])|盒|桶|袋|卷|条(?![件])|條(?![件])|双|雙|对(?![吧吗嗎方])|"
    "對(?![吧嗎方])|批(?![发發])|单(?![价價])|單(?![價])|户|戶|平(?![台均安])|方(?![案面式法向便])|"
    "升(?![级級])|度|瓦|伏|寸|码|碼|倍|折(?![扣])|成(?![交本功])|届|屆|期(?![望])|页|頁|"
    "项(?![目])|項(?![目])|笔|筆|所(?![以])|座|室|型|代(?![理])|轮|輪|趟|杯|粒|架|枚|副(?![总總])|"
    "周年|週年"
)
_NOT_MONEY_AFTER_RE = re.compile(
    rf"""(?:
        {_MEASURE_WORDS}
      | \s?[%％‰°]|[:/,]\d|-\d|\.\d|[A-Za-z]
      | \s?(?i:pcs|pieces?|units?|items?|people|persons?|pax|users?|seats?|licen[cs]es?|stores?
        |shops?|days?|weeks?|months?|years?|yrs?|hours?|hrs?|mins?|minutes?|seconds?|secs?
        |times|st|nd|rd|th|am|pm|a\.m|p\.m|km|kg|cm|mm|ml|sq|x|percent|per\s?cent|pct|bps
        |boxes|box|cartons?|pallets?|sets?|orders?|skus?|rooms?|beds?|floors?|gb|tb|mb)(?![A-Za-z])
    )""",
    re.VERBOSE,
)
# A date or time unit after a number (12月, 5日, 3点, 3天) also rules out money, unless a
# currency says otherwise; after a multiplier only when attached (5万年, but 8.5万 周五).
_TIME_AFTER_RE = re.compile(
    r"(\s?)(?:天|日|周|週|月|年|号|號|点|點|时|時|小时|小時|分钟|分鐘|分|秒)"
)
# Labels, product and model words after which a bare number is an id, a code or a model.
_ID_LABEL = (
    r"(?i:\b(?:id|no|nr|num|number|nbr|order|ticket|invoice|inv|po|so|sku|model|room|ext|zip|"
    r"code|ref|case|version|ver|v|tel|fax|serial|sn|s/n|imei|batch|lot|contract|iphone|ipad|"
    r"galaxy|pixel|mate|series|gen|rtx|gtx|type|win|windows|office|ios|android)\s*[.:#]?\s*"
    r"(?:(?:no|number|nbr)\s*[.:#]?\s*)?|#\s*|(?:订单号?|訂單號?|单号|單號|编号|編號|工号|工號|型号|"
    r"型號|尾号|尾號|邮编|郵編|房间|房間|合同号|合同號|发票号|發票號|批号|批號|第|百分之)\s*[:：#]?\s*)"
)
_ID_BEFORE_RE = re.compile(_ID_LABEL + "$")
# "PO#4500123", "订单号:2026001": an id written right after its label, never money.
_ID_NUMBER_RE = re.compile(_ID_LABEL + r"(?<![A-Za-z])\d[\d-]*")
_CN_ID_BEFORE_RE = re.compile(r"(?:百分之|第|型号|型號|编号|編號)$")
_YEAR_BEFORE_RE = re.compile(
    r"(?i)\b(?:in|since|by|until|before|after|from|of|year|fy|q[1-4]|h[12]|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+$"
)
# A label right before an amount: it makes a bare number money, and says nothing in the note.
AMOUNT_LABEL_RE = re.compile(
    r"(?:预算|預算|金额|金額|报价|報價|价格|價格|单价|單價|总价|總價|合同额|合同額|"
    r"(?<![A-Za-z])(?:budget|amount|deal\s+size|deal\s+value|worth|value|price|quote[d]?))"
    r"\s*(?:is|of|at|[:：])?\s*$",
    re.IGNORECASE,
)
# A unit price is no deal's amount ("500 units at $20 each", "单价20块", "20元一箱"): it stays in
# the note, and the deal keeps the total a rep writes, or none.
_UNITS_ZH = "箱|件|个|個|台|盒|瓶|套|吨|噸|包|袋|支|只|斤|公斤|桶|罐|卷|张|張"
_PER_UNIT_BEFORE_RE = re.compile(
    rf"(?:单价|單價|每(?:{_UNITS_ZH})|(?<![A-Za-z])(?i:unit\s+price|price\s+per\s+unit))"
    r"\s*(?:是|为|為|[:：])?\s*$"
)
_PER_UNIT_AFTER_RE = re.compile(
    r"\s*(?:(?i:each|apiece|ea|a\s+piece|per\s+(?:unit|pc|piece|item|box|case|carton|bottle|kg|ton"
    r"|head|seat|user|licen[cs]e)|/\s*(?:unit|pc|pcs|piece|item|box|case|carton|bottle|kg|ton|seat"
    rf"|user))(?![A-Za-z])|/\s*(?:{_UNITS_ZH})|一(?:{_UNITS_ZH}))"
)
# Above this no deal is real: it is a typo, an id or a joke, and the card says so.
MAX_AMOUNT = Decimal(10) ** 12
_BARE_DIGITS_MAX = 9  # longer bare digit strings are ids, or amounts with a typo


@dataclass(frozen=True, slots=True)
class _Candidate:
    strength: int  # 2: a currency or multiplier, 1: a comma or a label, 0: a bare number
    match: AmountMatch
    doubt: Doubt | None = None


@dataclass(slots=True)
class _Reading:
    exclude: list[Span]
    default: str
    best: _Candidate | None = None
    doubts: list[Doubt] = field(default_factory=list)
    stops: list[Span] = field(default_factory=list)
    unreadable_spans: list[Span] = field(default_factory=list)

    def offer(self, candidate: _Candidate) -> None:
        best = self.best
        if best is None or candidate.strength > best.strength:
            self.best = candidate

    def unreadable(self, text: str, start: int, end: int) -> None:
        self.doubts.append(Doubt(DoubtKind.AMOUNT_UNREADABLE, text[start:end].strip()))
        self.unreadable_spans.append((start, end))


def parse_amount(text: str, *, default_currency: str = "CNY") -> AmountMatch | None:
    """Return the money amount in text (the best evidenced one, else the first), or None."""
    try:
        folded = fold(text)
        now = datetime(2000, 1, 1, tzinfo=UTC)  # only the spans of dates matter here
        dues = find_dues(folded, now=now, tz=ZoneInfo("UTC"))
        exclude = [(d.start, d.end) for d in dues] + phone_spans(find_phones(folded))
        return read_money(folded, exclude=exclude, default_currency=default_currency).amount
    except (ValueError, ArithmeticError):
        return None


def read_money(text: str, *, exclude: list[Span], default_currency: str = "CNY") -> MoneyReading:
    """Read the amount in folded text outside the excluded spans (dates, phones), with doubts."""
    reading = _Reading(exclude, default_currency.upper())
    reading.stops.extend(m.span() for m in _ID_NUMBER_RE.finditer(text))
    for m in _AMOUNT_RE.finditer(text):
        _read_digits(m, text, reading)
    for m in _CN_AMOUNT_RE.finditer(text):
        _read_cn(m, text, reading)
    best = reading.best
    doubts = reading.doubts
    if best is not None and best.doubt is not None:
        doubts.insert(0, best.doubt)
    return MoneyReading(
        best.match if best else None,
        tuple(doubts),
        tuple(sorted(reading.stops)),
        tuple(reading.unreadable_spans),
    )


def _read_digits(m: re.Match[str], text: str, reading: _Reading) -> None:
    start = m.start()
    high = _range_high(text, m.end())
    end = high.end() if high else m.end()
    if overlaps(start, end, reading.exclude):
        return
    num = m["num"]
    multiplier = _multiplier(m) or (_multiplier(high) if high else "")
    currency_word = _currency_word(m) or (_currency_word(high) if high else None)
    if _not_money_after(
        text, end, has_currency=bool(currency_word), has_multiplier=bool(multiplier)
    ):
        reading.stops.append((_id_start(text, start), end))  # "50台", "200 pcs": a quantity
        return
    if _per_unit(text, start, end, reading):
        return
    labelled = AMOUNT_LABEL_RE.search(text, max(0, start - 16), start) is not None
    digits = num.replace(",", "")
    negative = bool(m["neg"] or m["neg2"])
    if not currency_word and not multiplier and not labelled:
        if "." in num:
            return  # a bare decimal is a score or a version
        if (id_start := _id_start(text, start)) < start:
            reading.stops.append((id_start, end))  # "PO 4500123", "iPhone 16": an id or model
            return
        if "," not in num:
            if len(digits) > _BARE_DIGITS_MAX and not negative:
                reading.unreadable(text, start, end)  # a long id, or an amount with a typo
                return
            if _is_year(text, start, digits):
                before = _YEAR_BEFORE_RE.search(text, max(0, start - 8), start)
                reading.stops.append((before.start() if before else start, end))  # "Q3 2026"
                return
            if len(digits) < 4 or digits.startswith("0"):
                return  # small counts and zero-padded codes
    if not currency_word and not labelled and _ambiguous_multiplier(multiplier, num):
        reading.stops.append((start, end))  # 5m, 5000W: a measure
        return
    try:
        value = Decimal(digits) * _MULTIPLIERS.get(multiplier, 1) + _tail(m, multiplier)
    except InvalidOperation:
        return
    if negative or value >= MAX_AMOUNT:
        reading.unreadable(text, start, end)
        return
    if value <= 0:
        return
    currency = _currency(currency_word, reading.default)
    strength = 2 if currency_word or multiplier else 1 if "," in num or labelled else 0
    match = AmountMatch(_tidy(value), currency, start, end)
    doubt = None
    if high is not None:
        words = text[start:end].strip()
        doubt = Doubt(DoubtKind.AMOUNT_ASSUMED, words, f"{match.value:,} {currency}")
    reading.offer(_Candidate(strength, match, doubt))


def _read_cn(m: re.Match[str], text: str, reading: _Reading) -> None:
    start, end = m.span()
    if overlaps(start, end, reading.exclude) or _not_money_after(
        text, end, has_currency=bool(m["sc"]), has_multiplier=False
    ):
        return
    before = text[start - 1] if start else " "
    if before.isdigit() or before in CN_NUMERAL_CHARS or before in "-−":
        return
    if _per_unit(text, start, end, reading):
        return
    if _CN_ID_BEFORE_RE.search(text, max(0, start - 3), start):
        return
    numeral = m["cn"] + (m["ge"] or "")[1:]
    value_int = parse_cn_int(numeral)
    if value_int is None or value_int <= 0:
        return
    if not m["sc"] and (value_int < 1000 or all(ch in CN_DIGIT_CHARS for ch in numeral)):
        return  # 一百, 三, 二零二六 without 元: a count or a year, not money
    value = Decimal(value_int)
    if m["neg"] or value >= MAX_AMOUNT:
        reading.unreadable(text, start, end)
        return
    currency = _currency(m["sc"], reading.default)
    reading.offer(_Candidate(2, AmountMatch(value, currency, start, end)))


def _per_unit(text: str, start: int, end: int, reading: _Reading) -> bool:
    """Tell whether the amount at start..end is a unit price; if so, it stops a name there."""
    before = _PER_UNIT_BEFORE_RE.search(text, max(0, start - 12), start)
    after = _PER_UNIT_AFTER_RE.match(text, end)
    if before is None and after is None:
        return False
    reading.stops.append((before.start() if before else start, after.end() if after else end))
    return True


def _id_start(text: str, start: int) -> int:
    """Return where the id label before a number starts ("PO 4500123"), else start."""
    label = _ID_BEFORE_RE.search(text, max(0, start - 16), start)
    return label.start() if label else start


def _multiplier(m: re.Match[str]) -> str:
    return (m["cm"] or m["lm"] or m["wm"] or "").lower()


def _currency_word(m: re.Match[str]) -> str | None:
    return m["pc"] or m["sc"] or m["sca"]


def _range_high(text: str, end: int) -> re.Match[str] | None:
    """Return the high end of a range starting at end ("-80万" in "50-80万"), if any."""
    sep = _RANGE_RE.match(text, end)
    return _HIGH_RE.match(text, sep.end()) if sep else None


def _ambiguous_multiplier(multiplier: str, num: str) -> bool:
    """Tell whether a letter multiplier is more likely a unit: 5m (minutes), 5000W (watts)."""
    if multiplier in ("m", "b"):
        return "." not in num  # "3.5m" is money, "5m" as often minutes or metres
    return multiplier == "w" and len(num.split(".")[0].replace(",", "")) >= 4


def _tail(m: re.Match[str], multiplier: str) -> Decimal:
    """Return what a digit after a Chinese multiplier adds: 3万5 = 35000, 1万2千 = 12000."""
    if not m["tail"]:
        return Decimal(0)
    unit = _SMALL_TAIL_UNITS.get(m["tailu"] or "", _MULTIPLIERS[multiplier] // 10)
    return Decimal(int(m["tail"][0]) * unit)


def _is_year(text: str, start: int, digits: str) -> bool:
    """Tell whether a bare four-digit number is a year: 1990-2039, or 19xx/20xx after "in"."""
    if len(digits) != 4 or digits[:2] not in ("19", "20"):
        return False
    if 1990 <= int(digits) <= 2039:
        return True
    return _YEAR_BEFORE_RE.search(text, max(0, start - 8), start) is not None


def _not_money_after(text: str, end: int, *, has_currency: bool, has_multiplier: bool) -> bool:
    if _NOT_MONEY_AFTER_RE.match(text, end):
        return True
    if has_currency:
        return False
    unit = _TIME_AFTER_RE.match(text, end)
    return unit is not None and not (has_multiplier and unit.group(1))


def _currency(word: str | None, default: str) -> str:
    key = word.lower() if word else ""
    found = _PREFIX_CURRENCY.get(key) or _SUFFIX_CURRENCY.get(key)
    if found == _DOLLAR:
        return default if default in _DOLLAR_CURRENCIES else "USD"
    if found == _YEN:
        return "JPY" if default == "JPY" else "CNY"
    if found == _YUAN:
        return default if default in _YUAN_CURRENCIES else "CNY"
    return found or default


def _tidy(value: Decimal) -> Decimal:
    """Return the value without exponent or trailing zeros (Decimal('120000'), Decimal('2.5'))."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()
