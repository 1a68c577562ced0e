"""Name normalization for dedupe, fuzzy customer matching, and Chinese numerals."""

from __future__ import annotations

import pytest

from bot.parsing import match_customers, normalize_name
from bot.parsing.numerals import parse_cn_int


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Trading Co., Ltd.", "ACME TRADING CO.,LTD"),
        ("Acme Trading Co., Ltd.", "acme trading"),
        ("ＡＣＭＥ　Ｉｎｃ．", "Acme Inc"),
        ("Acme, Inc.", "Acme"),
        ("Acme LLC", "acme"),
        ("Globex Corporation", "Globex"),
        ("Siemens GmbH", "siemens"),
        ("万科集团", "万科"),
        ("万科企业股份有限公司", "万科企业"),
        ("华为技术有限公司", "华为技术"),
        ("华为技术（中国）有限公司", "华为技术"),
        ("華為技術有限公司", "華為技術"),
        ("美的集團", "美的"),
        ("  O'Brien & Sons  ", "obriensons"),
    ],
)
def test_same_key(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Acme", "Apex"), ("万科", "万达"), ("Zinc", "Z"), ("华为", "华联"), ("Acme", "Acme Foods")],
)
def test_different_key(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


def test_suffix_alone_is_kept() -> None:
    assert normalize_name("Limited") == "limited"
    assert normalize_name("公司") == "公司"
    assert normalize_name("!!!") == ""


def names(query: str, candidates: list[str], **kwargs: float) -> list[tuple[str, bool]]:
    return [(m.name, m.exact) for m in match_customers(query, candidates, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "candidates", "expected"),
    [
        ("万科", ["万科集团", "万达", "华为"], [("万科集团", True)]),
        ("万科集团", ["万科"], [("万科", True)]),
        ("万科", ["万科地产"], [("万科地产", False)]),
        ("Acme", ["Acme Trading Co., Ltd.", "Apex"], [("Acme Trading Co., Ltd.", False)]),
        ("Acme", ["Apex"], []),
        ("ACME inc", ["Acme"], [("Acme", True)]),
        ("Acmee Trading", ["Acme Trading Co., Ltd."], [("Acme Trading Co., Ltd.", False)]),
        ("Apple", ["Applied Materials"], []),
        ("华为", ["华联", "华为技术有限公司"], [("华为技术有限公司", False)]),
        ("", ["Acme"], []),
        ("Acme", [], []),
    ],
)
def test_match_customers(
    query: str, candidates: list[str], expected: list[tuple[str, bool]]
) -> None:
    assert names(query, candidates) == expected


def test_exact_first_then_by_score_and_limit() -> None:
    candidates = ["Acme Foods", "ACME", "Acme Trading", "Acme Trdng Co"]
    found = match_customers("Acme Trading", candidates, limit=3)
    assert [m.name for m in found][:1] == ["Acme Trading"]
    assert found[0].exact and found[0].score == 100
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert len(found) <= 3


def test_cutoff_is_respected() -> None:
    assert match_customers("Acme", ["Acme Trading"], cutoff=95) == []


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十", 10),
        ("十五", 15),
        ("二十三", 23),
        ("两百五", 250),
        ("三千五", 3500),
        ("一万二", 12000),
        ("十二万", 120000),
        ("一亿二千万", 120000000),
        ("一百零五", 105),
        ("二零二六", 2026),
        ("兩", 2),
        ("萬", None),
        ("abc", None),
        ("", None),
    ],
)
def test_chinese_numerals(numeral: str, value: int | None) -> None:
    assert parse_cn_int(numeral) == value
