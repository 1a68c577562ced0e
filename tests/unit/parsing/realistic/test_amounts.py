"""Amounts as reps type them in the group chat, and the numbers that are not money.

Each case states the whole money part of the entry: the customer (so no number is glued to
it), the amount and currency, and every amount doubt the card will show.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import DoubtKind, parse_entry

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)  # a Tuesday
KNOWN = ("Acme", "Globex", "Hooli", "万科", "華為", "鴻海", "美的集团", "小米", "Initech")
NEG = DoubtKind.AMOUNT_UNREADABLE
RANGE = DoubtKind.AMOUNT_ASSUMED

Doubts = tuple[tuple[DoubtKind, str, str], ...]
Case = tuple[str, str | None, str | None, str | None, Doubts]

MULTIPLIERS: list[Case] = [
    ("/won Acme 3 mil 🎉", "Acme", "3000000", "CNY", ()),
    ("won Acme!! 3mil usd", "Acme", "3000000", "USD", ()),
    ("/lead Globex 1.2 mln eur", "Globex", "1200000", "EUR", ()),
    ("Globex deal ~2.5 mio €", "Globex", "2500000", "EUR", ()),
    ("Hooli closed $1.5M", "Hooli", "1500000", "USD", ()),
    ("Hooli budget 12M", "Hooli", "12000000", "CNY", ()),
    ("Acme 50 k", "Acme", "50000", "CNY", ()),
    ("acme 45K", "Acme", "45000", "CNY", ()),
    ("Acme 5 grand for the pilot", "Acme", "5000", "CNY", ()),
    ("Acme $2 billion?? lol no, 2bn yen", "Acme", "2000000000", "USD", ()),
    ("Initech 50k+ 💰", "Initech", "50000", "CNY", ()),
    ("Acme 3.5m usd next qtr", "Acme", "3500000", "USD", ()),
    ("万科 2.5个亿的盘子", "万科", "250000000", "CNY", ()),
    ("万科 两个亿", "万科", "200000000", "CNY", ()),
    ("#线索 美的集团 1.2亿", "美的集团", "120000000", "CNY", ()),
    ("小米 8千", "小米", "8000", "CNY", ()),
    ("小米 8仟元", "小米", "8000", "CNY", ()),
    ("万科 2百万", "万科", "2000000", "CNY", ()),
    ("万科 预算3千万", "万科", "30000000", "CNY", ()),
    ("万科 3万5", "万科", "35000", "CNY", ()),
    ("小米 1万2千 先付定金", "小米", "12000", "CNY", ()),
    ("小米 报价3千5", "小米", "3500", "CNY", ()),
    ("万科 5w", "万科", "50000", "CNY", ()),
    ("万科 3.5W块", "万科", "35000", "CNY", ()),
    ("鴻海 250萬", "鴻海", "2500000", "CNY", ()),
    ("万科 5万多", "万科", "50000", "CNY", ()),
    ("万科 预算3000多块", "万科", "3000", "CNY", ()),
]
CHINESE_NUMERALS: list[Case] = [
    ("万科 三万五 签了", "万科", "35000", "CNY", ()),
    ("万科 一百二十万", "万科", "1200000", "CNY", ()),
    ("小米 两千块", "小米", "2000", "CNY", ()),
    ("小米 三千五百元", "小米", "3500", "CNY", ()),
    ("万科 十万八千", "万科", "108000", "CNY", ()),
    ("小米这边 十二萬元", "小米", "120000", "CNY", ()),
    ("華為 兩萬五", "華為", "25000", "CNY", ()),
    ("小米 五千块钱搞定", "小米", "5000", "CNY", ()),
    ("鴻海 壹拾萬元整", "鴻海", "100000", "CNY", ()),
    ("万科 一亿二千万", "万科", "120000000", "CNY", ()),
    ("万科 五十万左右", "万科", "500000", "CNY", ()),
    ("万科 十万火急!!", "万科", None, None, ()),
]
CURRENCIES: list[Case] = [
    ("Acme 5k usd", "Acme", "5000", "USD", ()),
    ("Acme RMB 8k", "Acme", "8000", "CNY", ()),
    ("acme rmb8k", "Acme", "8000", "CNY", ()),
    ("Acme US$ 5000", "Acme", "5000", "USD", ()),
    ("Acme USD$12,000", "Acme", "12000", "USD", ()),
    ("Globex HK$12k", "Globex", "12000", "HKD", ()),
    ("Globex HKD 80,000", "Globex", "80000", "HKD", ()),
    ("Acme NT$30,000", "Acme", "30000", "TWD", ()),
    ("Acme NTD 45k", "Acme", "45000", "TWD", ()),
    ("万科 港币5万", "万科", "50000", "HKD", ()),
    ("万科 5万港幣", "万科", "50000", "HKD", ()),
    (
        "萬科 報價台幣30萬",
        "万科",  # the known 万科: one customer in both scripts
        "300000",
        "TWD",
        (),
    ),
    ("華為 10萬美金 下禮拜簽", "華為", "100000", "USD", ()),
    ("小米 美金5万", "小米", "50000", "USD", ()),
    ("小米 人民币 8万", "小米", "80000", "CNY", ()),
    ("小米 5k刀", "小米", "5000", "USD", ()),
    ("Acme 五千蚊", "Acme", "5000", "HKD", ()),
    ("Acme 5千蚊", "Acme", "5000", "HKD", ()),
    ("Acme 3万日元", "Acme", "30000", "JPY", ()),
    ("Acme JP¥500k", "Acme", "500000", "JPY", ()),
    ("Acme S$20k", "Acme", "20000", "SGD", ()),
    ("Acme 2万新币", "Acme", "20000", "SGD", ()),
    ("Acme €2,5k", "Acme", None, None, ()),
    ("Acme 2500 euros", "Acme", "2500", "EUR", ()),
    ("Acme 500€ per seat", "Acme", None, None, ()),  # a unit price is no deal's amount
    ("Globex 5000$", "Globex", "5000", "USD", ()),
    ("Acme £750 quid", "Acme", "750", "GBP", ()),
    ("Acme 3000 bucks", "Acme", "3000", "USD", ()),
    ("Acme 5万澳元", "Acme", "50000", "AUD", ()),
    ("Acme 10万马币", "Acme", "100000", "MYR", ()),
    ("Acme ₩5,000,000", "Acme", "5000000", "KRW", ()),
]
NOT_MONEY: list[Case] = [
    ("Acme 50台", "Acme", None, None, ()),
    ("Acme 50台 每台8千", "Acme", None, None, ()),
    ("Acme 500 units at $20 each, $10k in all", "Acme", "10000", "USD", ()),
    ("永辉超市要500箱，单价20块", "永辉超市", None, None, ()),
    ("永辉 每箱20元，总共1万", "永辉", "10000", "CNY", ()),
    ("永辉 五十元一箱", "永辉", None, None, ()),
    ("Acme $99/user", "Acme", None, None, ()),
    ("Acme 200 pcs", "Acme", None, None, ()),
    ("Acme 3000 units, $45k", "Acme", "45000", "USD", ()),
    ("Acme wants iPhone 16", "Acme", None, None, ()),
    ("Acme iPhone 1500 x 20", "Acme", None, None, ()),
    ("Acme RTX 4090 x 20", "Acme", None, None, ()),
    ("Acme 256GB 3000 units", "Acme", None, None, ()),
    ("Acme 5000W generator", "Acme", None, None, ()),
    ("Acme discount 15%", "Acme", None, None, ()),
    ("Acme 15 percent off", "Acme", None, None, ()),
    ("Acme 8折", "Acme", None, None, ()),
    ("Acme 8.5折 5万", "Acme", "50000", "CNY", ()),
    ("万科 5成把握", "万科", None, None, ()),
    ("万科 百分之五十", "万科", None, None, ()),
    ("Acme 2026 renewal", "Acme", None, None, ()),
    ("Acme contract 2025-2026", "Acme", None, None, ()),
    ("Acme PO 4500012345", "Acme", None, None, ()),
    ("Acme PO#4500123", "Acme", None, None, ()),
    ("Acme po no. 88123", "Acme", None, None, ()),
    ("万科 订单号 20261124001", "万科", None, None, ()),
    ("Acme call 13800138000", "Acme", None, None, ()),
    ("Acme 3000平米的仓库", "Acme", None, None, ()),
    ("小米 500箱 下单了", "小米", None, None, ()),
    ("Acme 3-5 people in the team", "Acme", None, None, ()),
    ("Acme 1080p screens", "Acme", None, None, ()),
    ("Acme 5万成交", "Acme", "50000", "CNY", ()),
    ("Acme 5万项目", "Acme", "50000", "CNY", ()),
]
DOUBTS: list[Case] = [
    ("Acme -50k", "Acme", None, None, ((NEG, "-50k", ""),)),
    ("NewCo -50k", "NewCo", None, None, ((NEG, "-50k", ""),)),
    ("Acme refund -¥5000", "Acme", None, None, ((NEG, "-¥5000", ""),)),
    ("万科 负5万", "万科", None, None, ((NEG, "负5万", ""),)),
    ("Acme 99999999999999", "Acme", None, None, ((NEG, "99999999999999", ""),)),
    ("NewCo 1234567890123", "NewCo", None, None, ((NEG, "1234567890123", ""),)),
    ("万科 5000000亿", "万科", None, None, ((NEG, "5000000亿", ""),)),
    (
        "Acme $5 trillion lol $5000000m",
        "Acme",
        None,
        None,
        ((NEG, "$5 trillion", ""), (NEG, "$5000000m", "")),
    ),
    ("万科 3万亿", "万科", None, None, ((NEG, "3万亿", ""),)),
    ("Acme 50-80万", "Acme", "500000", "CNY", ((RANGE, "50-80万", "500,000 CNY"),)),
    ("Acme $5-8k", "Acme", "5000", "USD", ((RANGE, "$5-8k", "5,000 USD"),)),
    ("Acme 5k~8k", "Acme", "5000", "CNY", ((RANGE, "5k~8k", "5,000 CNY"),)),
    ("Acme 3到5万", "Acme", "30000", "CNY", ((RANGE, "3到5万", "30,000 CNY"),)),
    ("Acme 20 to 30k usd", "Acme", "20000", "USD", ((RANGE, "20 to 30k usd", "20,000 USD"),)),
]
CASES = MULTIPLIERS + CHINESE_NUMERALS + CURRENCIES + NOT_MONEY + DOUBTS


@pytest.mark.parametrize(("text", "customer", "amount", "currency", "doubts"), CASES)
def test_money_as_typed(
    text: str, customer: str | None, amount: str | None, currency: str | None, doubts: Doubts
) -> None:
    parsed = parse_entry(text, now=NOW, tz=TZ, known_customers=KNOWN)
    money_doubts = tuple(
        (d.kind, d.text, d.assumed) for d in parsed.doubts if d.kind in (NEG, RANGE)
    )
    assert (parsed.customer, parsed.amount, parsed.currency, money_doubts) == (
        customer,
        Decimal(amount) if amount is not None else None,
        currency,
        doubts,
    )


def test_at_least_80_cases() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(
    ("text", "default", "currency"),
    [
        ("Acme $5000", "HKD", "HKD"),  # "$" is the team's own dollar
        ("Acme $5000", "CNY", "USD"),
        ("Acme 5000元", "TWD", "TWD"),  # 元 is the team's own yuan
        ("Acme 5000元", "USD", "CNY"),
        ("Acme ¥5000", "JPY", "JPY"),
        ("Acme ¥5000", "CNY", "CNY"),
        ("Acme 5万", "HKD", "HKD"),
        ("Acme 3000 dollars", "SGD", "SGD"),
    ],
)
def test_shared_symbols_follow_the_team_currency(text: str, default: str, currency: str) -> None:
    parsed = parse_entry(text, now=NOW, tz=TZ, known_customers=KNOWN, default_currency=default)
    assert (parsed.customer, parsed.currency) == ("Acme", currency)


def test_unreadable_amount_is_not_in_the_note() -> None:
    parsed = parse_entry("Acme -50k refund", now=NOW, tz=TZ, known_customers=KNOWN)
    assert (parsed.customer, parsed.amount, parsed.note) == ("Acme", None, "refund")


def test_quantity_stays_in_the_note() -> None:
    parsed = parse_entry("Acme 50台 下周交货", now=NOW, tz=TZ, known_customers=KNOWN)
    assert (parsed.customer, parsed.amount, parsed.note) == ("Acme", None, "50台 交货")
