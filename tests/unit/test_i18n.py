"""The catalogs: same keys and placeholders in both languages; parameters are escaped."""

from __future__ import annotations

import string
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import CATALOGS, LANGUAGES, Html, Message, channel_name, normalize_lang, plain, t
from bot.i18n.format import format_amount, format_when, member_label


def _fields(message: Message) -> set[str]:
    forms = [message] if isinstance(message, str) else list(message.values())
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def test_every_key_exists_in_every_language() -> None:
    en, zh = CATALOGS["en"], CATALOGS["zh"]
    assert set(en) == set(zh), set(en) ^ set(zh)


@pytest.mark.parametrize("key", sorted(CATALOGS["en"]))
def test_placeholders_match(key: str) -> None:
    assert _fields(CATALOGS["en"][key]) == _fields(CATALOGS["zh"][key])


def test_parameters_are_escaped_unless_marked_html() -> None:
    assert t("en", "card.lead", customer="<b>Acme & Co</b>") == (
        "🆕 <b>Lead</b> · &lt;b&gt;Acme &amp; Co&lt;/b&gt;"
    )
    assert t("en", "card.new_customer", base=Html("<b>x</b>")) == "<b>x</b> (new customer)"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", sorted(k for k, m in CATALOGS["en"].items() if isinstance(m, dict)))
def test_plural_forms_are_the_languages_own_and_take_the_count(lang: str, key: str) -> None:
    """English has one and other; Chinese only other, so its entry is a plain template."""
    message = CATALOGS[lang][key]
    if lang == "zh":
        assert isinstance(message, str)
    else:
        assert isinstance(message, dict) and set(message) == {"one", "other"}
    assert "count" in _fields(message)


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("en", 1, "1 customer"),
        ("en", 0, "0 customers"),
        ("en", 2, "2 customers"),
        ("en", Decimal("1.5"), "1.5 customers"),
        ("zh", 1, "1"),
        ("zh", 2, "2"),
    ],
)
def test_a_count_picks_its_plural_form(lang: str, count: int | Decimal, expected: str) -> None:
    assert t(lang, "count.customers", count=count) == expected


def test_one_working_hour_and_one_day() -> None:
    assert t("en", "settings.escalate.hours", hours=t("en", "count.working_hours", count=1)) == (
        "1 working hour"
    )
    assert plain("en", "count.days", count=1) == "1 day"
    assert plain("en", "count.days", count=30) == "30 days"


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        (None, "en", "Distributor"),
        (None, "zh", "经销商"),
        ("华东直营", "en", "华东直营"),
        ("Online", "zh", "Online"),
    ],
)
def test_a_default_channel_reads_in_the_team_language(
    name: str | None, lang: str, expected: str
) -> None:
    kind = "direct" if name == "华东直营" else "distributor"
    assert channel_name(name, kind, lang) == expected


def test_unknown_language_falls_back_to_english() -> None:
    assert t("fr", "tasks.none") == CATALOGS["en"]["tasks.none"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("zh-hans", "zh"), ("zh-CN", "zh"), ("en-US", "en"), (None, "en"), ("de", "en")],
)
def test_normalize_lang(code: str | None, expected: str) -> None:
    assert normalize_lang(code) == expected


SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Tue 1 Dec 09:00"), ("zh", "12月1日(周二) 09:00")],
)
def test_format_when_in_team_zone(lang: str, expected: str) -> None:
    when = datetime(2026, 12, 1, 1, 0, tzinfo=ZoneInfo("UTC"))
    now = datetime(2026, 11, 24, tzinfo=SH)
    assert format_when(when, lang=lang, tz=SH, now=now) == expected


def test_format_when_shows_the_year_when_it_differs() -> None:
    when = datetime(2027, 1, 5, 9, 0, tzinfo=SH)
    now = datetime(2026, 11, 24, tzinfo=SH)
    assert format_when(when, lang="en", tz=SH, now=now) == "Tue 5 Jan 2027 09:00"
    assert format_when(when, lang="zh", tz=SH, now=now) == "2027年1月5日(周二) 09:00"


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        (Decimal("120000"), "CNY", "en", "¥120,000"),
        (Decimal("120000"), "CNY", "zh", "¥12万"),
        (Decimal("125000"), "CNY", "zh", "¥12.5万"),
        (Decimal("3500000"), "USD", "zh", "$3,500,000"),
        (Decimal("2500.5"), "EUR", "en", "€2,500.50"),
        (Decimal("800"), "CNY", "zh", "¥800"),
        (Decimal("10"), "SGD", "en", "S$10"),
        (Decimal("10"), "CHF", "en", "CHF 10"),
        (Decimal("50000"), "HKD", "zh", "HK$5万"),
        (Decimal("50000"), "HKD", "en", "HK$50,000"),
        (Decimal("300000"), "TWD", "zh", "NT$30万"),
        (Decimal("300000"), "TWD", "en", "NT$300,000"),
        (Decimal("250000000"), "CNY", "zh", "¥2.5亿"),
        (Decimal("3000000"), "USD", "zh", "$3,000,000"),
    ],
)
def test_format_amount(amount: Decimal, currency: str, lang: str, expected: str) -> None:
    assert format_amount(amount, currency, lang=lang) == expected


def test_member_label() -> None:
    assert member_label("alice", "Alice Wong") == "@alice"
    assert member_label(None, "王小明") == "王小明"
