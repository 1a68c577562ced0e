"""Write tables as a zip of UTF-8 CSV files and as one XLSX workbook, safe to open in Excel."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.exchange.cells import neutralize
from bot.exchange.pickling import reduce_in_chunks

Value = str | int | Decimal | datetime | date | None

_BOM = "\ufeff"
_MIN_WIDTH, _MAX_WIDTH = 6, 50
_WIDTH_SAMPLE = 300  # rows looked at to size a column
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Table:
    """One exported table: a file in the zip, a sheet in the workbook."""

    name: str  # file stem and sheet title
    headers: Sequence[str]
    rows: Sequence[Sequence[Value]]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Sent to a worker process: its rows pickled in chunks (bot.exchange.pickling).
        return reduce_in_chunks(self)


def csv_text(value: Value, tz: ZoneInfo) -> str:
    """Render a value for CSV: local time without zone, plain decimals, neutralized text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, Decimal)):
        return str(value)
    return neutralize(value)


def write_csv_zip(tables: Sequence[Table], *, tz: ZoneInfo) -> bytes:
    """Return a zip with one UTF-8-with-BOM CSV per table (the BOM makes Excel read UTF-8)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            text = io.StringIO()
            text.write(_BOM)
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow([neutralize(h) for h in table.headers])
            writer.writerows([csv_text(v, tz) for v in row] for row in table.rows)
            archive.writestr(f"{table.name}.csv", text.getvalue().encode("utf-8"))
    return buffer.getvalue()


def write_xlsx(tables: Sequence[Table], *, tz: ZoneInfo) -> bytes:
    """Return a workbook with one sheet per table: bold frozen header, sized columns, real dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Write-only mode streams rows, so 10k-row sheets stay fast and small in memory.
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(table.name))
        sheet.freeze_panes = "A2"
        for index, width in enumerate(column_widths(table), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header = []
        for text in table.headers:
            cell = WriteOnlyCell(sheet, value=neutralize(text))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            cells: list[Any] = []
            for value in row:
                fmt = _number_format(value)
                if fmt is None:
                    cells.append(_xlsx_value(value, tz))
                else:
                    cell = WriteOnlyCell(sheet, value=_xlsx_value(value, tz))
                    cell.number_format = fmt
                    cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Value, tz: ZoneInfo) -> str | int | Decimal | datetime | date | None:
    if isinstance(value, datetime):
        # Excel has no time zones: the team's wall-clock time, as a real date cell.
        return value.astimezone(tz).replace(tzinfo=None)
    if isinstance(value, str):
        return neutralize(value)
    return value


def _number_format(value: Value) -> str | None:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, Decimal):
        return AMOUNT_FORMAT
    return None


def display_width(text: str) -> int:
    """Return how many columns text takes in a spreadsheet: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(table: Table) -> list[float]:
    """Return a width per column from its header and a sample of its values."""
    widths = []
    for index, header in enumerate(table.headers):
        longest = display_width(header) + 2  # room for the bold font
        for row in table.rows[:_WIDTH_SAMPLE]:
            value = row[index] if index < len(row) else None
            if isinstance(value, datetime):
                length = 16
            elif isinstance(value, Decimal):
                length = len(f"{value:,.2f}")
            elif value is None:
                length = 0
            else:
                length = display_width(str(value))
            longest = max(longest, length)
        widths.append(float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)))
    return widths


def _sheet_title(name: str) -> str:
    # Excel forbids these in sheet titles and cuts them at 31 characters.
    for char in "[]:*?/\\":
        name = name.replace(char, " ")
    return name[:31] or "Sheet"
