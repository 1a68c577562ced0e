"""Dates, amounts and names formatted for each language."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "JP¥"}
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
    """Format money: '¥120,000' in English, '¥12万' in Chinese for round ten-thousands."""
    value = Decimal(str(amount))
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    if lang == "zh" and currency == "CNY" and abs(value) >= 10000:
        wan = value / 10000
        text = f"{wan:,.0f}" if wan == wan.to_integral_value() else f"{wan:,.2f}".rstrip("0")
        return f"{symbol}{text}万"
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{symbol}{text}"


def member_label(username: str | None, full_name: str) -> str:
    """Name a member as people in the chat know them: @username, else the full name."""
    return f"@{username}" if username else (full_name or "?")
