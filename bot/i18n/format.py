"""Dates, amounts and names formatted for each language."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

CURRENCY_SYMBOLS = {
    "CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "JP¥", "TWD": "NT$",
    "SGD": "S$", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "MOP": "MOP$", "KRW": "₩", "INR": "₹",
    "THB": "฿", "MYR": "RM",
}  # fmt: skip
# Currencies Chinese readers count in 万 (¥12万, HK$5万, NT$30万).
WAN_CURRENCIES = frozenset({"CNY", "HKD", "TWD", "MOP"})
WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def format_when(when: datetime, *, lang: str, tz: ZoneInfo, now: datetime | None = None) -> str:
    """Format a due time in the team's zone: 'Tue 1 Dec 09:00' / '12月1日(周二) 09:00'."""
    local = when.astimezone(tz)
    weekday = WEEKDAYS.get(lang, WEEKDAYS["en"])[local.weekday()]
    same_year = now is None or now.astimezone(tz).year == local.year
    if lang == "zh":
        year = "" if same_year else f"{local.year}年"
        return f"{year}{local.month}月{local.day}日({weekday}) {local:%H:%M}"
    year = "" if same_year else f" {local.year}"
    return f"{weekday} {local.day} {local:%b}{year} {local:%H:%M}"


def format_date(when: datetime, *, lang: str, tz: ZoneInfo) -> str:
    """Format a date only: '1 Dec 2026' / '2026年12月1日'."""
    local = when.astimezone(tz)
    if lang == "zh":
        return f"{local.year}年{local.month}月{local.day}日"
    return f"{local.day} {local:%b} {local.year}"


def format_amount(amount: Decimal | float | int, currency: str, *, lang: str) -> str:
    """Format money: '¥120,000' / 'NT$30,000' in English, '¥12万' / 'NT$3万' in Chinese."""
    value = Decimal(str(amount))
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    if lang == "zh" and currency in WAN_CURRENCIES and abs(value) >= 10000:
        unit, scale = ("亿", Decimal(10) ** 8) if abs(value) >= 10**8 else ("万", Decimal(10000))
        count = value / scale
        text = (
            f"{count:,.0f}" if count == count.to_integral_value() else f"{count:,.2f}".rstrip("0")
        )
        return f"{symbol}{text}{unit}"
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{symbol}{text}"


def member_label(username: str | None, full_name: str) -> str:
    """Name a member as people in the chat know them: @username, else the full name."""
    return f"@{username}" if username else (full_name or "?")
