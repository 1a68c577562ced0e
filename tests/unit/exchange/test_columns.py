"""Header mapping: English and Chinese headers, fuzzy spellings, title rows above the header."""

from __future__ import annotations

import pytest

from bot.exchange.columns import header_key, locate_header, map_headers, score_header
from bot.exchange.export import COLUMNS
from bot.i18n import plain


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("客户名称", "name"),
        ("客户名称（必填）*", "name"),
        ("公司", "name"),
        ("客户", "name"),
        ("Customer Name", "name"),
        ("company_name", "name"),
        ("Client", "name"),
        ("联系人", "contact"),
        ("Contact Person", "contact"),
        ("电话", "phone"),
        ("手机", "phone"),
        ("手机号码", "phone"),
        ("联系电话", "phone"),
        ("Mobile No.", "phone"),
        ("渠道", "channel"),
        ("Channel", "channel"),
        ("经销商", "partner"),
        ("代理商", "partner"),
        ("合作伙伴", "partner"),
        ("Distributor", "partner"),
        ("负责人", "owner"),
        ("销售", "owner"),
        ("Sales Rep", "owner"),
        ("阶段", "stage"),
        ("Stage", "stage"),
        ("金额", "amount"),
        ("金额(元)", "amount"),
        ("Deal Value", "amount"),
        ("备注", "note"),
        ("Remarks", "note"),
        ("最近跟进", "last_activity"),
        ("最近跟进时间", "last_activity"),
        ("Last Contact", "last_activity"),
    ],
)
def test_known_headers_map_to_their_field(header: str, field: str) -> None:
    found = score_header(header)
    assert found is not None and found[0] == field


@pytest.mark.parametrize("header", ["序号", "No.", "客户类型", "产品名称", "Email", "地址", "行业"])
def test_unrelated_headers_map_to_nothing(header: str) -> None:
    assert score_header(header) is None


def test_header_key_drops_brackets_marks_and_case() -> None:
    assert header_key("客户名称（必填）*") == "客户名称"
    assert header_key(" Customer_Name ") == "customername"
    assert header_key("'=Phone") == "=phone"  # only a neutralizing quote is removed


def test_each_field_and_column_used_once_best_first() -> None:
    assigned = map_headers(["客户", "客户名称", "电话", "手机"])
    assert assigned["name"][0] == 0  # both are exact synonyms: the earlier column wins
    assert assigned["phone"][0] == 2
    assert len({index for index, _ in assigned.values()}) == len(assigned)


def test_title_rows_above_the_header_are_skipped() -> None:
    rows: list[list[object]] = [
        ["2025年华东区客户名单"],
        [],
        ["序号", "客户名称", "联系人", "电话", "经销商", "负责人"],
        [1, "万科", "王总", "13800138000", "华泰", "@alice"],
    ]
    mapping = locate_header(rows)  # type: ignore[arg-type]
    assert mapping is not None
    assert mapping.header_index == 2
    assert mapping.columns == {"name": 1, "contact": 2, "phone": 3, "partner": 4, "owner": 5}
    assert mapping.ignored == ["序号"]


def test_no_name_column_gives_none() -> None:
    assert locate_header([["联系人", "电话"], ["王总", "138"]]) is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exported_customer_headers_import_back(lang: str) -> None:
    headers = [plain(lang, f"export.h.{key}") for key in COLUMNS["customers"]]
    assigned = map_headers(headers)
    by_field = {name: headers[index] for name, (index, _) in assigned.items()}
    expected = {
        "name": "customer",
        "owner": "owner",
        "channel": "channel",
        "partner": "partner",
        "stage": "stage",
        "contact": "contact",
        "phone": "phone",
        "last_activity": "last_activity",
    }
    assert by_field == {f: plain(lang, f"export.h.{k}") for f, k in expected.items()}
