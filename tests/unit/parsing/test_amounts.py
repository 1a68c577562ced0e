"""Money amounts, and the numbers that must not be read as money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.parsing import parse_amount


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("50k", "50000", "CNY"),
        ("2.5k", "2500", "CNY"),
        ("$3.5m", "3500000", "USD"),
        ("1,250,000", "1250000", "CNY"),
        ("¥860,000", "860000", "CNY"),
        ("5万", "50000", "CNY"),
        ("12万元", "120000", "CNY"),
        ("3.5w", "35000", "CNY"),
        ("1.2亿", "120000000", "CNY"),
        ("十二万", "120000", "CNY"),
        ("250萬", "2500000", "CNY"),
        ("8千", "8000", "CNY"),
        ("￥3000", "3000", "CNY"),
        ("€2k", "2000", "EUR"),
        ("HK$5000", "5000", "HKD"),
        ("RMB 20000", "20000", "CNY"),
        ("20000元", "20000", "CNY"),
        ("USD 1200", "1200", "USD"),
        ("1200 USD", "1200", "USD"),
        ("1200美元", "1200", "USD"),
        ("£750", "750", "GBP"),
        ("GBP 3k", "3000", "GBP"),
        ("2,500.50 EUR", "2500.5", "EUR"),
        ("3.5万元", "35000", "CNY"),
        ("100块", "100", "CNY"),
        ("两千块", "2000", "CNY"),
        ("三千五", "3500", "CNY"),
        ("一万二", "12000", "CNY"),
        ("5 万", "50000", "CNY"),
        ("5万/月", "50000", "CNY"),
        ("预算 5000", "5000", "CNY"),
        ("budget 8000", "8000", "CNY"),
        ("$5 million", "5000000", "USD"),
        ("2 million dollars", "2000000", "USD"),
        ("１２万", "120000", "CNY"),  # full-width digits
        ("5万港币", "50000", "HKD"),
        ("/lead 万科 12万 渠道华泰经销", "120000", "CNY"),
        ("Acme 50k tomorrow 3pm", "50000", "CNY"),
        ("12月5日签约 20万", "200000", "CNY"),
        ("明天下午3点 Acme 1,500,000", "1500000", "CNY"),
        ("13800138000 预算8万", "80000", "CNY"),
        ("3 stores, 20万", "200000", "CNY"),
        ("order 1500 units, deal $2k", "2000", "USD"),
        ("JPY 500000", "500000", "JPY"),
        ("十二萬元", "120000", "CNY"),
    ],
)
def test_amount(text: str, value: str, currency: str) -> None:
    found = parse_amount(text)
    assert found is not None
    assert (found.value, found.currency) == (Decimal(value), currency)


def test_default_currency_applies_without_symbol() -> None:
    found = parse_amount("50k", default_currency="usd")
    assert found is not None and found.currency == "USD"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12月5日",
        "3点",
        "下午3点半",
        "13800138000",
        "+86 138 0013 8000",
        "+1 415 555 0100",
        "万科",
        "万达广场",
        "in 3 days",
        "3 days",
        "order 123456",
        "订单号20261124",
        "2026-12-10",
        "Dec 5 2026",
        "in 2027",
        "3.5",
        "5m",
        "100 units",
        "50%",
        "一百",
        "十万火急",
        "10:30",
        "12/5",
        "第3000",
        "15th",
        "0123",
        "3号楼",
        "两周后",
        "20261124001",
        "1,5",
        "50 users",
        "3 pcs",
    ],
)
def test_not_an_amount(text: str) -> None:
    assert parse_amount(text) is None


def test_span_points_at_the_amount() -> None:
    text = "Acme 预算 12万元 下周二"
    found = parse_amount(text)
    assert found is not None and text[found.start : found.end] == "12万元"


def test_evidence_beats_order() -> None:
    # A bare 4-digit number is weaker evidence than one with a unit or currency.
    found = parse_amount("room 2000 people, budget ¥30,000")
    assert found is not None and found.value == Decimal(30000)
