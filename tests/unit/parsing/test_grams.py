"""The name index's lookups: known-name prefixes by key, and the gram shortlist of fuzzy matches."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing import match_customers, parse_entry
from bot.parsing.names import NameIndex, _fuzzy_key
from bot.parsing.text import has_cjk
from tests.support.names import reference_matches

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TZ = ZoneInfo("Asia/Shanghai")
PARTS = ["万科", "华为", "集团", "地产", "华泰", "Acme", "Apex", "Trading", "Co", "Ltd",
         "Globex", "Corp", "acme", "Tradng", "技术", "有限公司", "美的", "x", "&", "ab", "abc",
         "万"]  # fmt: skip
NAMES = st.lists(st.sampled_from(PARTS), min_size=1, max_size=4).map(" ".join)
TEXT = st.text(alphabet="abcde 万科华 -", max_size=14)


def customer(text: str, known: NameIndex) -> str | None:
    return parse_entry(text, now=NOW, tz=TZ, known_customers=known, addressed=True).customer


def test_the_longest_known_name_is_found_by_key() -> None:
    index = NameIndex(["Acme", "Acme Trading", "万科"])
    assert customer("/visit acme trading co ltd today", index) == "Acme Trading"
    assert customer("/visit ACME, showed samples", index) == "Acme"
    assert customer("拜访了万科集团", index) == "万科"


def test_a_known_name_ends_at_a_word_boundary() -> None:
    index = NameIndex(["Acme"])
    assert customer("/visit Acmeville", index) == "Acmeville"


def test_the_oldest_name_of_a_key_wins() -> None:
    index = NameIndex(["Acme Inc", "ACME"])
    assert index.first_with_key("acme") == "Acme Inc"
    assert index.first_with_key("nobody") is None


def test_names_added_later_are_found() -> None:
    index = NameIndex(["Acme"])
    assert match_customers("Globex Trading", index) == []
    index.add("Globex Trading Co., Ltd.")
    index.add("万科地产")
    assert customer("/visit globex trading, demo", index) == "Globex Trading Co., Ltd."
    assert [m.name for m in match_customers("Globex Tradng", index)] == ["Globex Trading Co., Ltd."]
    assert [m.name for m in match_customers("万科", index)] == ["万科地产"]


def test_the_shortlist_skips_names_that_share_nothing() -> None:
    index = NameIndex(f"Customer 1-{i}" for i in range(2000))
    query = _fuzzy_key("Prospect big 5 Trading")
    shortlist = index.grams.candidates(query, 80, query_cjk=has_cjk(query))
    assert shortlist is not None and len(shortlist) < 20


def test_short_queries_are_compared_with_every_name() -> None:
    index = NameIndex(["abd", "xyz"])
    assert index.grams.candidates("abc", 80, query_cjk=False) is None


@settings(max_examples=400, deadline=None)
@given(name=NAMES, candidates=st.lists(NAMES, max_size=30), cutoff=st.floats(40, 100))
def test_indexed_matches_equal_brute_force(name: str, candidates: list[str], cutoff: float) -> None:
    index = NameIndex()
    for candidate in candidates:  # one at a time, as a team's book grows
        index.add(candidate)
    assert match_customers(name, index, limit=100, cutoff=cutoff) == reference_matches(
        name, candidates, limit=100, cutoff=cutoff
    )


@settings(max_examples=400, deadline=None)
@given(name=TEXT, candidates=st.lists(TEXT, max_size=30), cutoff=st.floats(0, 100))
def test_indexed_matches_equal_brute_force_on_any_text(
    name: str, candidates: list[str], cutoff: float
) -> None:
    index = NameIndex(candidates)
    assert match_customers(name, index, limit=100, cutoff=cutoff) == reference_matches(
        name, candidates, limit=100, cutoff=cutoff
    )
