"""Row validation: names, stages, amounts, dates, duplicates inside the file, row numbers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.exchange.columns import locate_header
from bot.exchange.readers import RawTable, ReadError
from bot.exchange.validate import (
    ImportRow,
    Rules,
    Validation,
    parse_cell_amount,
    parse_cell_date,
    validate,
)
from bot.exchange.vocab import channel_kind, stage_word
from bot.parsing import DateHabits

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SH)
STAGES = {"lead", "contacted", "visited", "quoted", "contract", "shipped", "won", "lost"}


def rules(**kwargs: object) -> Rules:
    def stage_of(text: str) -> str | None:
        word = text.casefold() if text.casefold() in STAGES else stage_word(text)
        return word if word in STAGES else None

    return Rules(tz=SH, now=NOW, currency="CNY", stage_of=stage_of, **kwargs)  # type: ignore[arg-type]


def check(rows: list[list[object]], **kwargs: object) -> Validation:
    table = RawTable("csv", rows, list(range(1, len(rows) + 1)))  # type: ignore[arg-type]
    mapping = locate_header(table.rows)
    assert mapping is not None
    return validate(table, mapping, rules(**kwargs))


def test_a_full_chinese_row() -> None:
    result = check(
        [
            ["客户名称", "联系人", "电话", "渠道", "经销商", "负责人", "阶段", "金额", "备注",
             "最近跟进"],
            ["万科集团", "王总", "13800138000", "经销", "华泰", "@alice", "意向客户", "12万",
             "重点客户", "2026/11/3"],
        ]
    )  # fmt: skip
    assert result.invalid == [] and result.duplicates == []
    assert result.rows == [
        ImportRow(
            row=2,
            name="万科集团",
            key=result.rows[0].key,
            contact="王总",
            phone="13800138000",
            channel="经销",
            partner="华泰",
            owner="@alice",
            stage="lead",
            amount=Decimal("120000.00"),
            currency="CNY",
            note="重点客户",
            last_activity=datetime(2026, 11, 3, 12, 0, tzinfo=SH),
        )
    ]


def test_invalid_rows_say_why_by_row_number() -> None:
    result = check(
        [
            ["Customer", "Stage", "Amount", "Last contact", "Phone"],
            ["Acme", "quoted", "50,000", "2026-11-01", "+86 138"],
            ["", "lead", "", "", "123"],
            ["Globex", "maybe someday", "", "", ""],
            ["Initech", "", "lots", "", ""],
            ["Umbrella", "", "-5", "", ""],
            ["Hooli", "", "", "next spring", ""],
            ["Stark", "", "", "2027-01-01", ""],
            ["X" * 121, "", "", "", ""],
            ["!!!", "", "", "", ""],
        ]
    )
    assert [r.name for r in result.rows] == ["Acme"]
    assert result.rows[0].amount == Decimal("50000.00")
    assert result.rows[0].phone == "+86 138"
    assert [(p.row, p.reason, p.params) for p in result.invalid] == [
        (3, "no_name", {}),
        (4, "unknown_stage", {"value": "maybe someday"}),
        (5, "bad_amount", {"value": "lots"}),
        (6, "bad_amount", {"value": "-5"}),
        (7, "bad_date", {"value": "next spring"}),
        (8, "future_date", {"value": "2027-01-01"}),
        (9, "name_too_long", {"limit": "120"}),
        (10, "bad_name", {"value": "!!!"}),
    ]


def test_duplicates_inside_the_file_point_to_the_first_row() -> None:
    result = check(
        [["客户"], ["万科"], ["华为"], ["万科 "], ["万科有限公司"], ["huawei"], ["HUAWEI"]]
    )
    assert [r.name for r in result.rows] == ["万科", "华为", "huawei"]
    assert [(d.row, d.first_row) for d in result.duplicates] == [(4, 2), (5, 2), (7, 6)]


def test_neutralized_cells_from_an_export_come_back_plain() -> None:
    result = check([["Customer", "Phone"], ["'=Acme", "'+86 138"]])
    assert result.rows[0].name == "=Acme" and result.rows[0].phone == "+86 138"


def test_numbers_typed_into_text_columns() -> None:
    result = check([["Customer", "Phone"], ["Acme", 13800138000.0], ["Beta", 13800138001]])
    assert [r.phone for r in result.rows] == ["13800138000", "13800138001"]


def test_too_many_data_rows() -> None:
    rows: list[list[object]] = [["Customer"]]
    rows += [[f"C{i}"] for i in range(11)]
    with pytest.raises(ReadError) as info:
        check(rows, max_rows=10)
    assert info.value.reason == "too_many_rows"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (120000, (Decimal("120000"), "CNY")),
        (5.5, (Decimal("5.5"), "CNY")),
        ("120,000", (Decimal("120000"), "CNY")),
        ("120000.50", (Decimal("120000.50"), "CNY")),
        ("12万", (Decimal("120000"), "CNY")),
        ("¥12万", (Decimal("120000"), "CNY")),
        ("50k", (Decimal("50000"), "CNY")),
        ("$3,000", (Decimal("3000"), "USD")),
        ("12万元", (Decimal("120000"), "CNY")),
        ("abc", None),
        ("call me 5", None),
        (True, None),
    ],
)
def test_cell_amounts(value: object, expected: tuple[Decimal, str] | None) -> None:
    found = parse_cell_amount(value, "CNY")  # type: ignore[arg-type]
    if expected is None:
        assert found is None
    else:
        assert found is not None and found[0] == expected[0] and found[1] == expected[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-03", datetime(2026, 11, 3, 12, 0, tzinfo=SH)),
        ("2026/11/3", datetime(2026, 11, 3, 12, 0, tzinfo=SH)),
        ("2026.11.03", datetime(2026, 11, 3, 12, 0, tzinfo=SH)),
        ("2026年11月3日", datetime(2026, 11, 3, 12, 0, tzinfo=SH)),
        ("2026-11-03 15:30", datetime(2026, 11, 3, 15, 30, tzinfo=SH)),
        ("2026-11-03T15:30:10", datetime(2026, 11, 3, 15, 30, 10, tzinfo=SH)),
        ("2026-11-03T02:00Z", datetime(2026, 11, 3, 10, 0, tzinfo=SH)),  # its own offset counts
        ("2026-11-03T10:00+01:00", datetime(2026, 11, 3, 17, 0, tzinfo=SH)),
        (datetime(2026, 11, 3, 9, 0), datetime(2026, 11, 3, 9, 0, tzinfo=SH)),
        (46329, datetime(2026, 11, 3, 0, 0, tzinfo=SH)),  # an Excel day number
        ("2026-02-30", None),
        ("3 Nov", None),
        (7, None),
    ],
)
def test_cell_dates(value: object, expected: datetime | None) -> None:
    assert parse_cell_date(value, SH) == expected  # type: ignore[arg-type]


def test_import_rows_survive_json() -> None:
    result = check([["Customer", "Amount", "Last contact"], ["Acme", "5k", "2026-11-01 08:00"]])
    row = result.rows[0]
    assert ImportRow.from_json(row.to_json()) == row


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("经销", "distributor"),
        ("经销商", "distributor"),
        ("华东经销商", "distributor"),
        ("Distributor", "distributor"),
        ("代理", "agent"),
        ("电商", "ecommerce"),
        ("天猫旗舰店", "ecommerce"),
        ("直营", "direct"),
        ("转介绍", "referral"),
        ("Referral", "referral"),
        ("展会", None),
        ("agentic", None),
        ("East China dealer network", "distributor"),
        ("JD direct sales", "direct"),  # the longest word inside wins
        ("jdx", None),
    ],
)
def test_channel_kind_words(text: str, kind: str | None) -> None:
    assert channel_kind(text) == kind


@pytest.mark.parametrize(
    ("cell", "day_first", "due", "title"),
    [
        ("2026-12-01", False, datetime(2026, 12, 1, 9, 0), None),
        ("2026-12-01 15:30", False, datetime(2026, 12, 1, 15, 30), None),
        (datetime(2026, 12, 2), False, datetime(2026, 12, 2, 9, 0), None),
        (datetime(2026, 12, 2, 14, 0), False, datetime(2026, 12, 2, 14, 0), None),
        (46357, False, datetime(2026, 12, 1, 9, 0), None),  # an Excel day number
        ("3/12", False, datetime(2027, 3, 12, 9, 0), None),
        ("3/12", True, datetime(2026, 12, 3, 9, 0), None),
        ("下周二 报价", False, datetime(2026, 12, 1, 9, 0), "报价"),
        ("next Fri send samples", False, datetime(2026, 12, 4, 9, 0), "send samples"),
        ("tmrw 3pm", False, datetime(2026, 11, 25, 15, 0), None),
    ],
)
def test_a_next_follow_up_cell_is_read_with_the_teams_date_order(
    cell: object, day_first: bool, due: datetime, title: str | None
) -> None:
    result = check(
        [["Customer", "Next follow-up"], ["Acme", cell]], habits=DateHabits(day_first=day_first)
    )
    (row,) = result.rows
    assert row.next_followup == due.replace(tzinfo=SH)
    assert row.followup_title == title
    assert ImportRow.from_json(row.to_json()) == row


def test_a_next_follow_up_that_is_no_date_makes_the_row_invalid() -> None:
    result = check([["客户名称", "下次联系"], ["万科", "尽快"], ["华为", ""]])
    assert [(p.row, p.reason, p.params) for p in result.invalid] == [
        (2, "bad_followup", {"value": "尽快"})
    ]
    assert [(r.name, r.next_followup) for r in result.rows] == [("华为", None)]
