"""Turn mapped spreadsheet rows into import rows, or say per row why one cannot be imported."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from bot.exchange.cells import unneutralize
from bot.exchange.columns import ColumnMapping
from bot.exchange.readers import MAX_ROWS, CellValue, RawTable, ReadError
from bot.parsing import DateHabits, normalize_name, parse_amount, parse_due
from bot.parsing.dates import DEFAULT_HABITS

MAX_NAME = 120
MAX_SHORT = 120
MAX_PHONE = 40
MAX_NOTE = 2000
_MAX_AMOUNT = Decimal(10) ** 15
# Excel's day numbers for 1955–2119: a plain number in a date column is one of these.
_EXCEL_SERIALS = (20000, 80000)

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT]+(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_PLAIN_NUMBER_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_AMOUNT_LEFTOVER_RE = re.compile(r"^[\s,，.。:：;；()（）元整]*$")


@dataclass(frozen=True)
class Rules:
    """What validation needs to know about the team."""

    tz: ZoneInfo
    now: datetime
    currency: str
    stage_of: Callable[[str], str | None]
    max_rows: int = MAX_ROWS
    habits: DateHabits = DEFAULT_HABITS  # how the team writes "3/4", and its working day
    due_time: time = time(9, 0)  # when a follow-up without a time of day is due


@dataclass(frozen=True)
class ImportRow:
    """One row that can become a customer."""

    row: int
    name: str
    key: str
    contact: str | None = None
    phone: str | None = None
    channel: str | None = None
    partner: str | None = None
    owner: str | None = None
    stage: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    note: str | None = None
    last_activity: datetime | None = None
    next_followup: datetime | None = None  # becomes a task of the customer's owner
    followup_title: str | None = None  # the words beside the date in its cell

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-safe dict (kept in a PendingChoice until Confirm)."""
        return {
            "row": self.row,
            "name": self.name,
            "key": self.key,
            "contact": self.contact,
            "phone": self.phone,
            "channel": self.channel,
            "partner": self.partner,
            "owner": self.owner,
            "stage": self.stage,
            "amount": None if self.amount is None else str(self.amount),
            "currency": self.currency,
            "note": self.note,
            "last_activity": None if self.last_activity is None else self.last_activity.isoformat(),
            "next_followup": None if self.next_followup is None else self.next_followup.isoformat(),
            "followup_title": self.followup_title,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportRow:
        amount, when, due = data.get("amount"), data.get("last_activity"), data.get("next_followup")
        return cls(
            row=int(data["row"]),
            name=str(data["name"]),
            key=str(data["key"]),
            contact=data.get("contact"),
            phone=data.get("phone"),
            channel=data.get("channel"),
            partner=data.get("partner"),
            owner=data.get("owner"),
            stage=data.get("stage"),
            amount=None if amount is None else Decimal(amount),
            currency=data.get("currency"),
            note=data.get("note"),
            last_activity=None if when is None else datetime.fromisoformat(when),
            next_followup=None if due is None else datetime.fromisoformat(due),
            followup_title=data.get("followup_title"),
        )


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be imported: `reason` names a message, `params` fill it in."""

    row: int
    reason: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FileDuplicate:
    """A row whose customer an earlier row of the same file already has."""

    row: int
    name: str
    first_row: int


@dataclass
class Validation:
    """Every data row of the file, sorted into importable, duplicate and invalid."""

    rows: list[ImportRow] = field(default_factory=list)
    invalid: list[RowProblem] = field(default_factory=list)
    duplicates: list[FileDuplicate] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.invalid) + len(self.duplicates)


class _Invalid(Exception):
    def __init__(self, reason: str, **params: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def validate(table: RawTable, mapping: ColumnMapping, rules: Rules) -> Validation:
    """Check every data row below the header; the first row with a name wins over later ones."""
    data = table.rows[mapping.header_index + 1 :]
    numbers = table.numbers[mapping.header_index + 1 :]
    if len(data) > rules.max_rows:
        raise ReadError("too_many_rows", limit=rules.max_rows)
    result = Validation()
    first_row: dict[str, int] = {}
    for number, cells in zip(numbers, data, strict=True):
        values = {name: _cell(cells, index) for name, index in mapping.columns.items()}
        try:
            row = _row(number, values, rules)
        except _Invalid as problem:
            result.invalid.append(RowProblem(number, problem.reason, problem.params))
            continue
        if row.key in first_row:
            result.duplicates.append(FileDuplicate(number, row.name, first_row[row.key]))
            continue
        first_row[row.key] = number
        result.rows.append(row)
    return result


def _cell(cells: list[CellValue], index: int) -> CellValue:
    value = cells[index] if index < len(cells) else None
    if isinstance(value, str):
        value = unneutralize(value).strip() or None
    return value


def _row(number: int, values: dict[str, CellValue], rules: Rules) -> ImportRow:
    name = _text(values.get("name"))
    if not name:
        raise _Invalid("no_name")
    if len(name) > MAX_NAME:
        raise _Invalid("name_too_long", limit=str(MAX_NAME))
    key = normalize_name(name)
    if not key:
        raise _Invalid("bad_name", value=name)
    stage_text = _text(values.get("stage"))
    stage = None
    if stage_text:
        stage = rules.stage_of(stage_text)
        if stage is None:
            raise _Invalid("unknown_stage", value=stage_text[:40])
    amount, currency = _amount(values.get("amount"), rules.currency)
    followup, followup_title = _followup(values.get("next_followup"), rules)
    return ImportRow(
        row=number,
        name=name,
        key=key,
        contact=_short(values.get("contact"), MAX_SHORT),
        phone=_short(values.get("phone"), MAX_PHONE),
        channel=_short(values.get("channel"), MAX_SHORT),
        partner=_short(values.get("partner"), MAX_SHORT),
        owner=_short(values.get("owner"), MAX_SHORT),
        stage=stage,
        amount=amount,
        currency=currency,
        note=_short(values.get("note"), MAX_NOTE),
        last_activity=_when(values.get("last_activity"), rules),
        next_followup=followup,
        followup_title=followup_title,
    )


def _text(value: CellValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers and codes typed into number cells
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, time)):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text or None


def _short(value: CellValue, limit: int) -> str | None:
    text = _text(value)
    return text[:limit] if text else None


def parse_cell_amount(value: CellValue, currency: str) -> tuple[Decimal, str] | None:
    """Return a cell's money amount and currency: 120000, '120,000', '¥12万', '50k USD'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        try:
            return Decimal(str(value)), currency
        except InvalidOperation:
            return None
    text = _text(value)
    if not text:
        return None
    if _PLAIN_NUMBER_RE.match(text):
        return Decimal(text.replace(",", "")), currency
    match = parse_amount(text, default_currency=currency)
    if match is None or not _AMOUNT_LEFTOVER_RE.match(text[: match.start] + text[match.end :]):
        return None
    return match.value, match.currency


def _amount(value: CellValue, currency: str) -> tuple[Decimal | None, str | None]:
    if value is None or value == "":
        return None, None
    parsed = parse_cell_amount(value, currency)
    if parsed is None:
        raise _Invalid("bad_amount", value=str(_text(value))[:40])
    amount, found_currency = parsed
    if not amount.is_finite() or amount < 0 or amount >= _MAX_AMOUNT:
        raise _Invalid("bad_amount", value=str(_text(value))[:40])
    return amount.quantize(Decimal("0.01")), found_currency


def parse_cell_date(value: CellValue, tz: ZoneInfo) -> datetime | None:
    """Return a cell's date as an aware datetime in `tz`: Excel dates, 2026-11-03, 2026年11月3日."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value
    if isinstance(value, date):
        return datetime.combine(value, time(12, 0), tzinfo=tz)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _EXCEL_SERIALS[0] <= value <= _EXCEL_SERIALS[1]:
            return datetime(1899, 12, 30, tzinfo=tz) + timedelta(days=float(value))
        return None
    text = _text(value)
    if not text:
        return None
    with contextlib.suppress(ValueError):
        stamped = datetime.fromisoformat(str(text))
        if stamped.tzinfo is not None:  # "2026-11-03T10:00Z" keeps its own offset
            return stamped.astimezone(tz)
    match = _DATE_RE.match(text)
    if match is None:
        return None
    try:
        calendar_day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        at = time(int(match["H"] or 12), int(match["M"] or 0), int(match["S"] or 0))
    except ValueError:
        return None
    return datetime.combine(calendar_day, at, tzinfo=tz)


def _when(value: CellValue, rules: Rules) -> datetime | None:
    if value is None or value == "":
        return None
    when = parse_cell_date(value, rules.tz)
    shown = str(_text(value))[:40]
    if when is None:
        raise _Invalid("bad_date", value=shown)
    if when > rules.now + timedelta(days=1):
        raise _Invalid("future_date", value=shown)
    return when


def _followup(value: CellValue, rules: Rules) -> tuple[datetime | None, str | None]:
    """Read a next follow-up cell: a spreadsheet date, or words the date parser reads.

    A day without a time of day is due at the team's default time; words beside the date
    ("下周二 报价", "Fri send samples") are the task's title.
    """
    if value is None or value == "":
        return None, None
    shown = str(_text(value))[:40]
    if isinstance(value, datetime) and value.time() != time(0, 0):
        return parse_cell_date(value, rules.tz), None
    if isinstance(value, (date, int, float)) and not isinstance(value, bool):
        day = parse_cell_date(value, rules.tz)
        if day is None:
            raise _Invalid("bad_followup", value=shown)
        return datetime.combine(day.date(), rules.due_time, tzinfo=rules.tz), None
    text = _text(value) or ""
    stamped = parse_cell_date(text, rules.tz)
    if stamped is not None:
        at = stamped.timetz() if _DATE_RE.match(text) and ":" in text else rules.due_time
        return datetime.combine(stamped.date(), at.replace(tzinfo=None), tzinfo=rules.tz), None
    due = parse_due(
        text, now=rules.now, tz=rules.tz, default_time=rules.due_time, habits=rules.habits
    )
    if due is None:
        raise _Invalid("bad_followup", value=shown)
    words = " ".join((text[: due.start] + " " + text[due.end :]).split()).strip(" ,;:-，；：")
    return due.when, words[:MAX_SHORT] or None
