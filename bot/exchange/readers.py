"""Read an uploaded CSV or XLSX file into rows of cell values, with limits and clear errors."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

CellValue = str | int | float | Decimal | datetime | date | time | bool | None

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_CELL = 2000
# One header row plus a few title rows above it may precede the data.
_SLACK_ROWS = 20
_DELIMITERS = (",", "\t", ";", "|")
_CSV_EXTENSIONS = (".csv", ".tsv", ".txt")
_XLSX_EXTENSIONS = (".xlsx", ".xlsm")


class ReadError(Exception):
    """The file cannot be read; `reason` names why, `params` fill in the message."""

    def __init__(self, reason: str, /, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class RawTable:
    """The non-empty rows of a file, each with the row number a person sees in it."""

    kind: str  # "csv" or "xlsx"
    rows: list[list[CellValue]]
    numbers: list[int]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def read_table(
    filename: str,
    content: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    sheet: int | None = None,
) -> RawTable:
    """Read a CSV or XLSX file; raise ReadError for what cannot be imported.

    `sheet` picks a workbook's sheet by its place among the visible ones (see data_sheets);
    without it, the active sheet, else the first with data.
    """
    if len(content) > max_bytes:
        raise ReadError("too_big", limit_mb=max_bytes // (1024 * 1024))
    kind = file_kind(filename, content)
    if not content.strip():
        raise ReadError("empty")
    if kind == "xlsx":
        table = _read_xlsx(content, max_rows=max_rows, sheet=sheet)
    else:
        table = _read_csv(content, max_rows=max_rows)
    if not table.rows:
        raise ReadError("empty")
    return table


def file_kind(filename: str, content: bytes) -> str:
    """Return "csv" or "xlsx" by the file's bytes and name, or raise ReadError."""
    name = filename.casefold()
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise ReadError("xls")  # the binary Excel 97 format: openpyxl cannot read it
    if name.endswith(_XLSX_EXTENSIONS):
        raise ReadError("corrupt")
    if name.endswith(_CSV_EXTENSIONS):
        return "csv"
    raise ReadError("unsupported", name=filename)


def decode(content: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (GBK)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            try:
                return content.decode(encoding), encoding
            except UnicodeDecodeError:
                raise ReadError("encoding") from None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # a binary file renamed to .csv
        return text, encoding
    raise ReadError("encoding")


def sniff_delimiter(text: str) -> str:
    """Return the delimiter that splits the first lines into the most consistent columns.

    csv.Sniffer is not used: it guesses wrong on single-column files and on quoted CJK data.
    """
    sample = "\n".join(text[:65536].splitlines()[:30])
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        try:
            counts = [
                len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(row)
            ]
        except csv.Error:
            continue
        if not counts:
            continue
        mode, hits = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (hits / len(counts), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(content: bytes, *, max_rows: int) -> RawTable:
    text, encoding = decode(content)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[CellValue]] = []
    numbers: list[int] = []
    line = 0
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            cells: list[CellValue] = [_clean(cell) for cell in record[:MAX_COLUMNS]]
            if any(cell not in (None, "") for cell in cells):
                _append(rows, numbers, cells, start, max_rows=max_rows)
    except csv.Error:
        raise ReadError("corrupt") from None
    return RawTable("csv", rows, numbers, encoding=encoding, delimiter=delimiter)


def data_sheets(content: bytes) -> list[tuple[int, str]]:
    """Return a workbook's visible sheets that hold data, by place and name; [] for a CSV file.

    The place is what read_table's `sheet` takes.
    """
    if not content.startswith(b"PK\x03\x04"):
        return []
    workbook = _open_workbook(content)
    try:
        return [
            (index, worksheet.title)
            for index, worksheet in enumerate(_visible(workbook))
            if any(
                value not in (None, "")
                for row in worksheet.iter_rows(max_row=_SLACK_ROWS, values_only=True)
                for value in row
            )
        ]
    except Exception:
        raise ReadError("corrupt") from None
    finally:
        workbook.close()


def _open_workbook(content: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ReadError("corrupt") from None
    except Exception:  # openpyxl raises its own InvalidFileException and parser errors
        raise ReadError("corrupt") from None


def _read_xlsx(content: bytes, *, max_rows: int, sheet: int | None = None) -> RawTable:
    workbook = _open_workbook(content)
    try:
        visible = _visible(workbook)
        if sheet is not None and not 0 <= sheet < len(visible):
            raise ReadError("corrupt")
        chosen = [visible[sheet]] if sheet is not None else _sheets_first_active(workbook)
        for worksheet in chosen:
            rows: list[list[CellValue]] = []
            numbers: list[int] = []
            for number, values in enumerate(
                worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
            ):
                cells = [_clean(value) for value in values]
                if any(cell not in (None, "") for cell in cells):
                    _append(rows, numbers, cells, number, max_rows=max_rows)
            if rows:
                return RawTable("xlsx", rows, numbers, sheet=worksheet.title)
        return RawTable("xlsx", [], [])
    except ReadError:
        raise
    except Exception:
        raise ReadError("corrupt") from None
    finally:
        workbook.close()


def _visible(workbook: Any) -> list[Any]:
    return [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]


def _sheets_first_active(workbook: Any) -> list[Any]:
    sheets = _visible(workbook)
    active = workbook.active
    if active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    return sheets


def _append(
    rows: list[list[CellValue]],
    numbers: list[int],
    cells: list[CellValue],
    number: int,
    *,
    max_rows: int,
) -> None:
    while cells and cells[-1] in (None, ""):
        cells.pop()
    if len(rows) >= max_rows + _SLACK_ROWS:
        raise ReadError("too_many_rows", limit=max_rows)
    rows.append(cells)
    numbers.append(number)


def _clean(value: Any) -> CellValue:
    if value is None or isinstance(value, (int, float, Decimal, datetime, date, time, bool)):
        return value
    text = str(value).replace("\x00", "").strip()
    return text[:MAX_CELL] if text else None
