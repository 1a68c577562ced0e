"""Writers: CSV zip with BOM, XLSX with bold frozen header, real dates, numbers, no formulas."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.exchange.writers import Table, column_widths, display_width, write_csv_zip, write_xlsx

SH = ZoneInfo("Asia/Shanghai")
WHEN = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
TABLES = [
    Table(
        "customers",
        ["客户名称", "Amount", "When", "Note"],
        [
            ["万科", Decimal("120000.50"), WHEN, '=HYPERLINK("http://evil")'],
            ["@acme", None, None, "-1+2"],
            ["+86 Ltd", Decimal("-5"), WHEN, "plain"],
        ],
    ),
    Table("deals", ["ID"], []),
]


def test_csv_zip_has_bom_local_times_plain_numbers_and_neutralized_text() -> None:
    archive = zipfile.ZipFile(io.BytesIO(write_csv_zip(TABLES, tz=SH)))
    assert archive.namelist() == ["customers.csv", "deals.csv"]
    raw = archive.read("customers.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [
        ["客户名称", "Amount", "When", "Note"],
        ["万科", "120000.50", "2026-11-24 10:30", '\'=HYPERLINK("http://evil")'],
        ["'@acme", "", "", "'-1+2"],
        ["'+86 Ltd", "-5", "2026-11-24 10:30", "plain"],
    ]
    assert archive.read("deals.csv").decode("utf-8-sig") == "ID\r\n"


def test_xlsx_sheets_header_dates_numbers_and_no_formulas() -> None:
    workbook = load_workbook(io.BytesIO(write_xlsx(TABLES, tz=SH)))
    assert workbook.sheetnames == ["customers", "deals"]
    sheet = workbook["customers"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    _, amount, when, note = sheet[2]
    assert amount.value == 120000.5 and amount.data_type == "n"
    assert amount.number_format == "#,##0.00"
    assert when.value == datetime(2026, 11, 24, 10, 30) and when.value.tzinfo is None
    assert when.is_date
    assert note.value == '\'=HYPERLINK("http://evil")' and note.data_type == "s"
    assert [c.value for c in sheet[3]] == ["'@acme", None, None, "'-1+2"]
    assert sheet[4][1].value == -5  # a negative amount stays a number
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.column_dimensions["A"].width >= display_width("客户名称") + 2


def test_column_widths_count_cjk_twice_and_are_capped() -> None:
    table = Table("t", ["名", "x"], [["客户客户客户", "y" * 500]])
    narrow, wide = column_widths(table)
    assert narrow == display_width("客户客户客户") + 2 == 14
    assert wide == 50


def test_sheet_titles_are_made_valid() -> None:
    workbook = load_workbook(io.BytesIO(write_xlsx([Table("a/b:c" * 10, ["x"], [])], tz=SH)))
    assert workbook.sheetnames == ["a b c" * 6 + "a"]


@pytest.mark.timing
def test_ten_thousand_rows_are_quick() -> None:
    rows = [
        [i, f"Customer {i}", "@alice", "经销商", "华泰", "线索", "王总", "138", WHEN, WHEN, None]
        for i in range(10_000)
    ]
    table = Table("customers", [f"h{i}" for i in range(11)], rows)
    start = time.perf_counter()
    write_xlsx([table], tz=SH)
    write_csv_zip([table], tz=SH)
    assert time.perf_counter() - start < 10
