"""Reading uploads: encodings, delimiters, XLSX sheets, row numbers, limits and bad files."""

from __future__ import annotations

import codecs
import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from bot.exchange.readers import ReadError, decode, file_kind, read_table, sniff_delimiter

ROWS = "客户名称,联系人,电话\n万科,王总,13800138000\n华为,李工,13900139000\n"


def xlsx(rows: list[list[object]], *, title: str = "客户", extra_first: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if extra_first:
        sheet.title = "说明"
        sheet = workbook.create_sheet(title)
        workbook.active = 1
    else:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ROWS.encode("utf-8"), "utf-8-sig"),
        (ROWS.encode("gbk"), "gb18030"),
        (ROWS.encode("gb18030"), "gb18030"),
        (ROWS.encode("utf-16"), "utf-16"),
    ],
)
def test_csv_encodings(content: bytes, encoding: str) -> None:
    table = read_table("customers.csv", content)
    assert table.encoding == encoding
    assert table.rows == [
        ["客户名称", "联系人", "电话"],
        ["万科", "王总", "13800138000"],
        ["华为", "李工", "13900139000"],
    ]


def test_decode_rejects_binary_renamed_to_csv() -> None:
    with pytest.raises(ReadError) as info:
        decode(b"\x00\x01\x02\xff\xfe\x00garbage\x00")
    assert info.value.reason == "encoding"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    text = ROWS.replace(",", delimiter)
    assert sniff_delimiter(text) == delimiter
    table = read_table("x.csv", text.encode())
    assert table.delimiter == delimiter
    assert table.rows[1] == ["万科", "王总", "13800138000"]


def test_quoted_commas_do_not_fool_the_sniffer() -> None:
    text = 'Customer;Note\n"Acme, Inc.";"big, important, urgent"\nGlobex;"a, b"\n'
    assert sniff_delimiter(text) == ";"


def test_single_column_csv() -> None:
    table = read_table("x.csv", b"Customer\nAcme\nGlobex\n")
    assert table.rows == [["Customer"], ["Acme"], ["Globex"]]


def test_blank_rows_are_dropped_but_row_numbers_kept() -> None:
    table = read_table("x.csv", b"Customer,Phone\n\nAcme,1\n,\nGlobex,2\n")
    assert table.rows == [["Customer", "Phone"], ["Acme", "1"], ["Globex", "2"]]
    assert table.numbers == [1, 3, 5]


def test_multiline_cells_number_rows_by_their_first_line() -> None:
    table = read_table("x.csv", b'Customer,Note\nAcme,"line one\nline two"\nGlobex,x\n')
    assert table.numbers == [1, 2, 4]
    assert table.rows[1] == ["Acme", "line one\nline two"]


def test_xlsx_keeps_types_and_uses_the_active_sheet() -> None:
    when = datetime(2026, 11, 3, 15, 30)
    content = xlsx(
        [
            ["客户名称", "金额", "最近跟进"],
            ["万科", 120000, when],
            [None, None, None],
            ["华为", 5.5],
        ],
        extra_first=True,
    )
    table = read_table("old.xlsx", content)
    assert table.kind == "xlsx" and table.sheet == "客户"
    assert table.rows == [["客户名称", "金额", "最近跟进"], ["万科", 120000, when], ["华为", 5.5]]
    assert table.numbers == [1, 2, 4]


def test_xlsx_by_content_even_when_misnamed() -> None:
    assert file_kind("export.bin", xlsx([["Customer"], ["Acme"]])) == "xlsx"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", b"%PDF-1.4 ...", "unsupported"),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "unsupported"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        ("broken.xlsx", b"not a zip at all", "corrupt"),
        ("broken.xlsx", b"PK\x03\x04 truncated zip", "corrupt"),
        ("empty.csv", b"   \n\n  ", "empty"),
        ("empty.csv", b"\xef\xbb\xbf\r\n,,,\r\n", "empty"),
    ],
)
def test_bad_files(name: str, content: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as info:
        read_table(name, content)
    assert info.value.reason == reason


def test_empty_workbook() -> None:
    with pytest.raises(ReadError) as info:
        read_table("empty.xlsx", xlsx([]))
    assert info.value.reason == "empty"


def test_size_limit() -> None:
    with pytest.raises(ReadError) as info:
        read_table("big.csv", b"Customer\n" + b"x" * 200, max_bytes=100)
    assert info.value.reason == "too_big"
    assert info.value.params == {"limit_mb": 0}


def test_row_limit_stops_reading_early() -> None:
    content = ("Customer\n" + "".join(f"C{i}\n" for i in range(200))).encode()
    with pytest.raises(ReadError) as info:
        read_table("many.csv", content, max_rows=100)
    assert info.value.reason == "too_many_rows"
    assert info.value.params == {"limit": 100}
