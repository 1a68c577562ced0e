"""Callback data of every button: one small typed codec per prefix, in one place.

`encode()` writes `prefix:field:field…`; `decode()` reads it back and never raises. Data that
is malformed, too long or left over from an older keyboard decodes to None, and the press is
answered "this button has expired".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self, get_type_hints

from bot.parsing.ids import parse_digits

MAX_BYTES = 64  # Telegram's limit for callback data


class CallbackData:
    """A button's payload; subclasses are frozen dataclasses with a PREFIX."""

    PREFIX: ClassVar[str]

    def encode(self) -> str:
        """Return the callback data, at most 64 bytes."""
        values = [getattr(self, f.name) for f in dataclasses.fields(self)]  # type: ignore[arg-type]
        while values and values[-1] is None:
            values.pop()
        data = ":".join([self.PREFIX, *(str(value) for value in values)])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def decode(cls, data: str | None) -> Self | None:
        """Read callback data of this kind; None if it is not well-formed."""
        if not data or len(data.encode()) > MAX_BYTES:
            return None
        prefix, *parts = data.split(":")
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        required = sum(1 for f in fields if f.default is dataclasses.MISSING)
        if prefix != cls.PREFIX or not required <= len(parts) <= len(fields):
            return None
        hints = get_type_hints(cls)
        try:
            values = {
                f.name: _read(hints[f.name], part) for f, part in zip(fields, parts, strict=False)
            }
            return cls(**values)
        except ValueError:
            return None


def _read(kind: Any, text: str) -> Any:
    """Convert one field: ints (digits only), enums by value, non-empty strings."""
    target = next((k for k in getattr(kind, "__args__", (kind,)) if k is not type(None)), kind)
    if target is int:
        number = parse_digits(text)
        if number is None:
            raise ValueError(text)
        return number
    if isinstance(target, type) and issubclass(target, StrEnum):
        return target(text)
    if not text:
        raise ValueError(text)
    return text


# -- entry cards --------------------------------------------------------------------------------


class EntryAction(StrEnum):
    UNDO = "undo"
    DUE = "due"  # show the due-time choices
    SET = "set"  # set the due time: arg is a DueChoice
    BACK = "back"  # close the due-time choices
    NOT_THIS = "nc"  # "not this customer": ask which one was meant


class DueChoice(StrEnum):
    TOMORROW = "1d"
    IN_3_DAYS = "3d"
    NEXT_WEEK = "1w"


@dataclass(frozen=True)
class EntryPress(CallbackData):
    PREFIX: ClassVar[str] = "e"
    action: EntryAction
    entry_id: int
    due: DueChoice | None = None

    def __post_init__(self) -> None:
        if (self.action is EntryAction.SET) != (self.due is not None):
            raise ValueError("a due choice goes with SET only")


@dataclass(frozen=True)
class ChoicePress(CallbackData):
    """Which customer a rep meant: a customer id, 'new' or 'x' (cancel)."""

    PREFIX: ClassVar[str] = "p"
    NEW: ClassVar[str] = "new"
    CANCEL: ClassVar[str] = "x"
    pending_id: int
    pick: str

    def __post_init__(self) -> None:
        if self.pick not in (self.NEW, self.CANCEL) and self.customer_id is None:
            raise ValueError(self.pick)

    @property
    def customer_id(self) -> int | None:
        return parse_digits(self.pick)


@dataclass(frozen=True)
class StagePress(CallbackData):
    """Which of several stages a /stage meant, for one customer."""

    PREFIX: ClassVar[str] = "sg"
    customer_id: int
    key: str


# -- reminders ----------------------------------------------------------------------------------


class ReminderAction(StrEnum):
    DONE = "d"
    SNOOZE = "s"  # arg: a SnoozeFor
    PICK = "a"  # show the Reassign keyboard
    TO = "t"  # hand the task to a member: arg is the member's id
    BACK = "b"  # close the Reassign keyboard


class SnoozeFor(StrEnum):
    HOUR = "1h"
    DAY = "1d"


@dataclass(frozen=True)
class ReminderPress(CallbackData):
    PREFIX: ClassVar[str] = "r"
    action: ReminderAction
    task_id: int
    arg: str | None = None

    def __post_init__(self) -> None:
        if self.action is ReminderAction.SNOOZE:
            SnoozeFor(self.arg or "")
        elif self.action is ReminderAction.TO:
            if self.member_id is None:
                raise ValueError(self.arg)
        elif self.arg is not None:
            raise ValueError(self.arg)

    @property
    def member_id(self) -> int | None:
        return parse_digits(self.arg or "")


# -- import previews ----------------------------------------------------------------------------


class ImportAction(StrEnum):
    CONFIRM = "ok"
    CANCEL = "no"
    READ = "rd"  # a file sent without /import, or one sheet of a workbook: read it
    SKIP = "sk"  # do not import that file


@dataclass(frozen=True)
class ImportPress(CallbackData):
    PREFIX: ClassVar[str] = "x"
    action: ImportAction
    pending_id: int
    sheet: int | None = None  # READ: the sheet's place among the workbook's visible sheets


# -- report charts ------------------------------------------------------------------------------


class ChartKind(StrEnum):
    CHANNELS = "c"  # /stats: period and scope
    FUNNEL = "f"  # /funnel: period or "all"


@dataclass(frozen=True)
class ChartPress(CallbackData):
    PREFIX: ClassVar[str] = "s"
    ALL: ClassVar[str] = "all"
    kind: ChartKind
    period: str  # Period.code(), or ALL
    scope: str | None = None  # Scope.code()


# -- the private console ------------------------------------------------------------------------


class ConsoleCommand(StrEnum):
    """A command asked in a private chat that runs for one team of the asker's."""

    STATS = "st"
    STATS_ORG = "so"
    TASKS_ALL = "ta"
    DIGEST = "dg"
    EXPORT = "ex"


@dataclass(frozen=True)
class ConsolePress(CallbackData):
    """Which team a console command runs for, and what was asked after the command's name."""

    PREFIX: ClassVar[str] = "k"
    command: ConsoleCommand
    team_id: int
    args: str | None = None  # the words after the command, space-separated (no ":")

    def __post_init__(self) -> None:
        if self.args is not None and (":" in self.args or not self.args.strip()):
            raise ValueError(self.args)


@dataclass(frozen=True)
class OwnTaskPress(CallbackData):
    """Done on one's task in the private list of one's tasks in every team (the task's id)."""

    PREFIX: ClassVar[str] = "ot"
    task_id: int


PREFIXES = {
    c.PREFIX: c
    for c in (
        EntryPress, ChoicePress, ReminderPress, ImportPress, ChartPress, ConsolePress,
        OwnTaskPress,
    )
}  # fmt: skip
