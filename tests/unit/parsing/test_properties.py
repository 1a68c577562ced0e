"""Properties: the parser never raises, always returns well-formed fields, and never reads
phone numbers or dates as money."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing import (
    Intent,
    ParsedEntry,
    match_customers,
    normalize_name,
    parse_amount,
    parse_due,
    parse_entry,
)
from bot.parsing.numerals import parse_cn_int

ZONE_NAMES = (
    "Asia/Shanghai", "America/New_York", "UTC", "Europe/London", "Asia/Kolkata", "Pacific/Chatham",
)  # fmt: skip
ZONES = st.sampled_from([ZoneInfo(name) for name in ZONE_NAMES])
NOWS = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
)
TOKENS = [
    "/lead", "/visit", "/fu", "/won@crmbot", "#跟进", "#lead", "@crmbot", "@alice_w", "Acme",
    "Acme Trading Co., Ltd.", "万科", "华为", "萬科", "明天", "下午3点", "半", "周五", "下周二",
    "12月5日", "tomorrow", "3pm", "next Tuesday", "in 2 hours", "两周后", "50k", "12万", "3.5w",
    "¥", "$", "HK$", "1,250,000", "十二万", "元", "13800138000", "+1 415 555 0100", "渠道",
    "华泰", "经销", "via distributor", "Huatai", "联系人", "张总", "contact Li Lei", ",", "，",
    ":", "：", "、", "。", "-", "—", "/", "#", "@", "\x00", "\u202e", "🙂", "'", '"', "<b>",
    "1=1;--", "年", "月", "日", "号", "点", "一", "两", "十", "百", "千", "万", "亿", "0", "9",
    "2026-12-10", "12/5", "the 5th", "\n", " ", "visited", "拜访了", "signed", "丢单",
]  # fmt: skip
SALES_TEXT = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=24).flatmap(
    lambda parts: st.sampled_from([" ", "", " , "]).map(lambda sep: sep.join(parts))
)

PHONE_RE = re.compile(r"\+?\d{7,15}")
USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,31}")
CHANNELS = {None, "distributor", "agent", "ecommerce", "direct", "referral", "other"}


@contextmanager
def no_parser_errors() -> Iterator[None]:
    """Fail when parse_entry had to swallow an exception (its safety net logs it)."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("bot.parsing.entry")
    handler = Collect(level=logging.ERROR)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not records, records[0].getMessage()


def assert_well_formed(entry: ParsedEntry, tz: ZoneInfo) -> None:
    assert entry.intent is None or isinstance(entry.intent, Intent)
    for text in (entry.customer, entry.contact, entry.partner, entry.note):
        assert text is None or (isinstance(text, str) and text.strip() == text and text)
    assert entry.customer is None or len(entry.customer) <= 120
    assert entry.phone is None or PHONE_RE.fullmatch(entry.phone)
    assert entry.channel in CHANNELS
    if entry.amount is None:
        assert entry.currency is None
    else:
        assert isinstance(entry.amount, Decimal) and entry.amount.is_finite()
        assert entry.amount > 0
        assert entry.currency is not None and re.fullmatch(r"[A-Z]{3}", entry.currency)
    if entry.due is not None:
        assert entry.due.tzinfo is not None and entry.due.utcoffset() is not None
        assert entry.due.tzinfo == tz
    assert entry.assignee is None or USERNAME_RE.fullmatch(entry.assignee)
    data = entry.to_json()
    assert set(data) == {"intent", "customer", "contact", "phone", "channel", "partner",
                         "amount", "currency", "due", "assignee", "note"}  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400), now=NOWS, tz=ZONES, addressed=st.booleans())
def test_any_text_parses_to_a_well_formed_entry(
    text: str, now: datetime, tz: ZoneInfo, addressed: bool
) -> None:
    with no_parser_errors():
        entry = parse_entry(
            text, now=now, tz=tz, bot_username="crmbot", addressed=addressed,
            known_customers=["万科集团", "Acme Trading Co., Ltd."],
        )  # fmt: skip
    assert_well_formed(entry, tz)


@settings(max_examples=400, deadline=None)
@given(text=SALES_TEXT, now=NOWS, tz=ZONES, addressed=st.booleans())
def test_sales_like_text_parses_to_a_well_formed_entry(
    text: str, now: datetime, tz: ZoneInfo, addressed: bool
) -> None:
    with no_parser_errors():
        entry = parse_entry(
            text, now=now, tz=tz, bot_username="crmbot", addressed=addressed,
            known_customers=["万科集团", "Acme Trading Co., Ltd.", "Huatai"],
        )  # fmt: skip
    assert_well_formed(entry, tz)


@settings(max_examples=25, deadline=None)
@given(text=st.text(min_size=3000, max_size=4096), tz=ZONES)
def test_long_messages(text: str, tz: ZoneInfo) -> None:
    with no_parser_errors():
        entry = parse_entry(text, now=datetime(2026, 11, 24, tzinfo=UTC), tz=tz)
    assert_well_formed(entry, tz)


@settings(max_examples=200, deadline=None)
@given(text=SALES_TEXT, now=NOWS, tz=ZONES)
def test_parse_due_is_aware_and_inside_the_text(text: str, now: datetime, tz: ZoneInfo) -> None:
    found = parse_due(text, now=now, tz=tz)
    if found is not None:
        assert found.when.tzinfo == tz
        assert 0 <= found.start < found.end <= len(text)


def _groups(digits: str, sizes: list[int], sep: str) -> str:
    out, pos = [], 0
    for size in sizes:
        out.append(digits[pos : pos + size])
        pos += size
    return sep.join(out)


@st.composite
def phone_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """Return (as written, normalized) for a Chinese mobile or a +country number."""
    if draw(st.booleans()):
        digits = draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
        sep = draw(st.sampled_from(["", " ", "-"]))
        written = _groups(digits, [3, 4, 4], sep)
        if draw(st.booleans()):
            return "+86 " + written, "+86" + digits
        return written, digits
    country = draw(st.sampled_from(["1", "44", "852", "65", "61", "49"]))
    rest = draw(st.from_regex(r"[1-9][0-9]{9}", fullmatch=True))
    written = "+" + country + " " + _groups(rest, [3, 3, 4], draw(st.sampled_from([" ", "-"])))
    return written, "+" + country + rest


@settings(max_examples=300, deadline=None)
@given(
    phone=phone_numbers(),
    before=st.sampled_from(["", "客户电话 ", "call ", "手机：", "tel ", "联系人张三 "]),
    after=st.sampled_from(["", " 明天联系", " please call", "，谢谢", " asap"]),
)
def test_phone_numbers_are_never_money(phone: tuple[str, str], before: str, after: str) -> None:
    written, normalized = phone
    text = before + written + after
    assert parse_amount(text) is None
    entry = parse_entry("/lead 万科 " + text, now=datetime(2026, 11, 24, tzinfo=UTC),
                        tz=ZoneInfo("Asia/Shanghai"))  # fmt: skip
    assert entry.amount is None
    assert entry.phone == normalized


MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@st.composite
def date_phrases(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)))
    if day.month == 2 and day.day == 29:
        day = day.replace(day=28)
    hour = draw(st.integers(1, 12))
    minute = draw(st.integers(0, 59))
    period = draw(st.sampled_from(["上午", "下午", "晚上", "中午", ""]))
    count = draw(st.integers(1, 99))
    forms = [
        f"{day.month}月{day.day}日",
        f"{day.month}月{day.day}号{period}{hour}点",
        f"{day.year}年{day.month}月{day.day}日",
        f"{MONTH_NAMES[day.month - 1]} {day.day}",
        f"{day.day} {MONTH_NAMES[day.month - 1]}",
        f"{day.isoformat()}",
        f"{MONTH_NAMES[day.month - 1]} {day.day} at {hour}:{minute:02d}pm",
        f"{hour}点{minute}分",
        f"{hour}:{minute:02d}",
        f"{hour}pm",
        f"下午{hour}点半",
        f"{count}天后",
        f"in {count} days",
        f"{count}小时后",
        f"明天{period}{hour}点",
        f"下个月{min(day.day, 28)}号",  # the 29th-31st may not exist next month
    ]
    return draw(st.sampled_from(forms))


@settings(max_examples=400, deadline=None)
@given(phrase=date_phrases(), now=NOWS)
def test_dates_are_never_money(phrase: str, now: datetime) -> None:
    assert parse_amount(phrase) is None
    assert parse_due(phrase, now=now, tz=ZoneInfo("Asia/Shanghai")) is not None


_CN_DIGITS = "零一二三四五六七八九"


def _cn_section(n: int) -> str:
    out, pending_zero = "", False
    for unit, power in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = n // power % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += _CN_DIGITS[digit] + unit
    return out


def to_chinese(n: int) -> str:
    high, low = divmod(n, 10000)
    if not high:
        return _cn_section(low)
    return _cn_section(high) + "万" + ("零" if 0 < low < 1000 else "") + _cn_section(low)


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_cn_int(to_chinese(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ,.-&", max_size=40))
def test_normalize_ignores_case_width_and_punctuation(name: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
    key = normalize_name(name)
    assert normalize_name(name.upper()) == key
    assert normalize_name(full_width) == key
    assert normalize_name(name.replace(" ", " , ")) == key


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(max_size=30),
    candidates=st.lists(st.text(max_size=30), max_size=20),
    limit=st.integers(0, 6),
    cutoff=st.floats(0, 100),
)
def test_match_customers_is_sorted_and_bounded(
    name: str, candidates: list[str], limit: int, cutoff: float
) -> None:
    found = match_customers(name, candidates, limit=limit, cutoff=cutoff)
    assert len(found) <= limit
    assert all(m.name in candidates for m in found)
    assert all(m.exact == (normalize_name(m.name) == normalize_name(name)) for m in found)
    assert all(m.exact or cutoff <= m.score <= 100 for m in found)
    exact_flags = [m.exact for m in found]
    assert exact_flags == sorted(exact_flags, reverse=True)
    if normalize_name(name) and limit:
        assert match_customers(name, [name], limit=limit)[0].exact


NAME_PARTS = ["万科", "华为", "集团", "地产", "华泰", "Acme", "Apex", "Trading", "Co", "Ltd",
              "Globex", "Corp", "acme", "Tradng", "技术", "有限公司", "美的", "x", "&"]  # fmt: skip
NAMES = st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(name=NAMES, candidates=st.lists(NAMES, max_size=25), cutoff=st.floats(50, 100))
def test_shortlist_finds_what_brute_force_finds(
    name: str, candidates: list[str], cutoff: float
) -> None:
    """The C-scorer shortlist must not lose a candidate the reference scorer would accept."""
    from bot.parsing.names import _fuzzy_key, similarity

    key = normalize_name(name)
    found = {m.name for m in match_customers(name, candidates, limit=100, cutoff=cutoff)}
    expected = {c for c in candidates if normalize_name(c) == key}
    if len(key) >= 2:
        query = _fuzzy_key(name)
        expected |= {c for c in candidates if similarity(query, _fuzzy_key(c)) >= cutoff}
    if len(key) < 3 and not any("\u4e00" <= ch <= "\u9fff" for ch in key):
        expected = {c for c in candidates if normalize_name(c) == key}
    if not key:
        expected = set()  # nothing to match on
    assert found == expected
