"""Import customers from a spreadsheet: read, validate, preview, then create all in one go."""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot.exchange.columns import ColumnMapping, first_headers, locate_header
from bot.exchange.export import table_of
from bot.exchange.pickling import reduce_in_chunks
from bot.exchange.readers import ReadError, data_sheets, file_kind, read_table
from bot.exchange.validate import FileDuplicate, ImportRow, RowProblem, Rules, validate
from bot.exchange.vocab import channel_kind, stage_word
from bot.parsing import normalize_name
from bot.services import audit, partners, pipeline
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models import counters
from models.numbering import reserve_task_numbers
from models.tables import (
    Activity,
    ActivityKind,
    AuditLog,
    Channel,
    Contact,
    Customer,
    Deal,
    DealStatus,
    Member,
    Partner,
    PendingChoice,
    Task,
    TaskStatus,
    Team,
)

PENDING_KIND = "import"
FILE_KIND = "import_file"  # a file waiting for a manager's "import it" or choice of sheet
_TAGGED_USERNAME = re.compile(r"[(（]\s*@(\w+)\s*[)）]\s*$")
EXPIRES_AFTER = timedelta(hours=24)
PREVIEW_ROWS = 3  # new rows shown as they will be recorded


@dataclass(frozen=True)
class ParsedImport:
    """A file read and validated, before the database is consulted."""

    filename: str
    kind: str
    sheet: str | None
    mapping: ColumnMapping
    rows: list[ImportRow]
    invalid: list[RowProblem]
    file_duplicates: list[FileDuplicate]
    # The partner column's header names a channel kind ("经销商"): partners without a channel
    # of their own are in that kind's channel.
    partner_kind: str | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Comes back from the worker that read the file: its rows pickled in chunks.
        return reduce_in_chunks(self)


@dataclass(frozen=True)
class Duplicate:
    """A row whose customer exists: in the team already, or in an earlier row of the file."""

    row: int
    name: str
    existing: str | None = None
    first_row: int | None = None


@dataclass
class ImportPlan:
    """What Confirm would do, given the team's data now."""

    new: list[ImportRow] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    unknown_owners: Counter[str] = field(default_factory=Counter)
    unknown_channels: Counter[str] = field(default_factory=Counter)
    new_partners: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecordedRow:
    """A new row as Confirm would record it, for the preview."""

    row: ImportRow
    owner: Member | None  # None: the importer takes it
    channel: Channel | None
    partner: Partner | None
    stage: str  # a stage key of the team


@dataclass(frozen=True)
class ImportPreview:
    """What the manager is asked to confirm."""

    parsed: ParsedImport
    plan: ImportPlan
    pending_id: int | None
    importer: Member
    has_owner_column: bool
    first: list[RecordedRow] = field(default_factory=list)  # the first new rows
    now: datetime | None = None
    room: str | None = None  # a partner room's partner: every row is recorded as theirs

    @property
    def followups(self) -> int:
        """How many follow-up tasks Confirm would make."""
        return sum(1 for row in self.plan.new if follows_up(row))

    @property
    def duplicates(self) -> list[Duplicate]:
        in_file = [
            Duplicate(d.row, d.name, first_row=d.first_row) for d in self.parsed.file_duplicates
        ]
        return sorted(self.plan.duplicates + in_file, key=lambda d: d.row)

    @property
    def total(self) -> int:
        return len(self.plan.new) + len(self.duplicates) + len(self.parsed.invalid)


def follows_up(row: ImportRow) -> bool:
    """Whether a row's next follow-up becomes a task (a closed deal's does not)."""
    return row.next_followup is not None and (row.stage or "lead") not in pipeline.CLOSED


@dataclass(frozen=True)
class ImportResult:
    """What Confirm did."""

    filename: str
    created: int
    duplicates: int
    invalid: int
    to_pool: int  # new customers without a known owner, in the shared pool
    partners_created: int
    tasks_created: int = 0


@dataclass(frozen=True)
class StageOf:
    """Which of a team's stages a cell names: by key, name or stage word, else None.

    A class rather than a closure so that Rules pickle: a worker process reads the file.
    """

    team: Team  # a copy holding only the stages, detached from any session
    lang: str

    def __call__(self, value: str) -> str | None:
        key = pipeline.find_stage(self.team, value, self.lang)
        if key is not None:
            return key
        word = stage_word(value)
        return word if word in pipeline.stage_keys(self.team) else None


def import_rules(actor: Actor, now: datetime) -> Rules:
    """Return the validation rules of the actor's team; safe to use in another thread or process."""
    snapshot = Team(chat_id=0, stages=copy.deepcopy(actor.team.stages))
    stage_of = StageOf(snapshot, actor.lang)
    return Rules(
        tz=actor.tz,
        now=now,
        currency=actor.team.currency,
        stage_of=stage_of,
        habits=actor.date_habits,
        due_time=actor.due_time,
    )


@dataclass(frozen=True)
class SheetChoice:
    """A workbook with several sheets of data: which one to import is asked."""

    filename: str
    sheets: list[tuple[int, str]]  # place (read_table's `sheet`) and name


@dataclass(frozen=True)
class KeptFile:
    """A spreadsheet sent to the chat, kept (by Telegram's file id) until a manager decides."""

    pending_id: int
    file_id: str
    filename: str
    size: int


def read_import(
    filename: str, content: bytes, rules: Rules, sheet: int | None = None
) -> ParsedImport | SheetChoice:
    """Read, map and validate a file (CPU only: run it off the event loop); raise CrmError.

    A workbook with several sheets of data and no `sheet` chosen asks which one.
    """
    try:
        if sheet is None and file_kind(filename, content) == "xlsx":
            sheets = data_sheets(content)
            if len(sheets) > 1:
                return SheetChoice(filename, sheets)
        table = read_table(filename, content, sheet=sheet)
        mapping = locate_header(table.rows)
        if mapping is None:
            shown = ", ".join(first_headers(table.rows)[:12])
            raise CrmError("import.error.no_name_column", headers=shown[:300] or "—")
        validation = validate(table, mapping, rules)
    except ReadError as exc:
        raise CrmError(f"import.error.{exc.reason}", **exc.params) from None
    if validation.total == 0:
        raise CrmError("import.error.no_rows")
    partner_column = mapping.columns.get("partner")
    partner_kind = None
    if partner_column is not None:
        partner_kind = channel_kind(mapping.headers[partner_column])
    return ParsedImport(
        filename=filename,
        kind=table.kind,
        sheet=table.sheet,
        mapping=mapping,
        rows=validation.rows,
        invalid=validation.invalid,
        file_duplicates=validation.duplicates,
        partner_kind=partner_kind,
    )


class _Team:
    """The team's members, channels, partners and customer names, loaded once.

    In a partner room (`room`: its partner) every row is that partner's, whatever its partner
    column says, as every entry logged there is.
    """

    def __init__(self, session: Session, team: Team, room: Partner | None = None) -> None:
        self.room = room
        self.members = list(session.exec(select(Member).where(Member.team_id == team.id)))
        self.by_username = {m.username.casefold(): m for m in self.members if m.username}
        self.by_name: dict[str, Member] = {}
        for m in self.members:
            if m.full_name:
                self.by_name.setdefault(m.full_name.casefold(), m)
        self.channels = list(
            session.exec(
                select(Channel).where(Channel.team_id == team.id).order_by(col(Channel.id))
            )
        )
        self.partners = {
            p.normalized_name: p
            for p in session.exec(select(Partner).where(Partner.team_id == team.id))
        }
        self.customers = {
            key: name
            for key, name in session.exec(
                select(Customer.normalized_name, Customer.name).where(Customer.team_id == team.id)
            )
        }

    def owner(self, text: str | None) -> Member | None:
        if not text:
            return None
        wanted = text.strip().casefold()
        if wanted.startswith("@"):
            return self.by_username.get(wanted[1:])
        if tagged := _TAGGED_USERNAME.search(wanted):  # "Alice Wong (@alice)", as exported
            return self.by_username.get(tagged[1])
        return self.by_name.get(wanted) or self.by_username.get(wanted)

    def channel(self, text: str | None) -> Channel | None:
        if not text:
            return None
        wanted = text.strip().casefold()
        for channel in self.channels:
            if channel.name and channel.name.casefold() == wanted:
                return channel
        return self.channel_of_kind(channel_kind(text))

    def channel_of_kind(self, kind: str | None) -> Channel | None:
        return next((c for c in self.channels if c.kind == kind), None) if kind else None

    def recorded(
        self, row: ImportRow, partner_kind: str | None
    ) -> tuple[Member | None, Channel | None, Partner | None]:
        """The owner (None: nobody the team knows), channel and partner a row is recorded with.

        A partner the team does not have yet comes back unsaved (Confirm creates it).
        """
        if self.room is not None:
            channel = next((c for c in self.channels if c.id == self.room.channel_id), None)
            return self.owner(row.owner), channel, self.room
        partner = None
        if row.partner:
            key = normalize_name(row.partner)
            partner = self.partners.get(key)
            if partner is None and key:
                kind = self.channel(row.channel) or self.channel_of_kind(partner_kind)
                partner = Partner(
                    team_id=0,
                    name=row.partner,
                    normalized_name=key,
                    channel_id=kind.id if kind else None,
                )
        channel = self.channel(row.channel)
        if channel is None and not row.channel:
            if partner is not None and partner.channel_id:
                channel = next((c for c in self.channels if c.id == partner.channel_id), None)
            else:
                channel = self.channel_of_kind(partner_kind)
        return self.owner(row.owner), channel, partner

    def plan(self, rows: list[ImportRow]) -> ImportPlan:
        plan = ImportPlan()
        partners: set[str] = set()
        for row in rows:
            existing = self.customers.get(row.key)
            if existing is not None:
                plan.duplicates.append(Duplicate(row.row, row.name, existing=existing))
                continue
            plan.new.append(row)
            if row.owner and self.owner(row.owner) is None:
                plan.unknown_owners[row.owner] += 1
            if row.channel and self.room is None and self.channel(row.channel) is None:
                plan.unknown_channels[row.channel] += 1
            if row.partner and self.room is None:
                key = normalize_name(row.partner)
                if key and key not in self.partners and key not in partners:
                    partners.add(key)
                    plan.new_partners.append(row.partner)
        return plan


def prepare_import(
    *,
    session: Session,
    actor: Actor,
    parsed: ParsedImport,
    chat_id: int,
    now: datetime,
    message_id: int | None = None,
) -> ImportPreview:
    """Compare the file with the team's customers; keep it for Confirm when it adds any.

    `message_id`: the bot message that will carry Import / Cancel, when it is known already.
    """
    actor.require_active()
    actor.require_manager("error.not_manager.import")
    team_data = _Team(
        session, actor.team, partners.room_partner(session=session, actor=actor, now=now)
    )
    plan = team_data.plan(parsed.rows)
    first = [
        RecordedRow(row, *team_data.recorded(row, parsed.partner_kind), row.stage or "lead")
        for row in plan.new[:PREVIEW_ROWS]
    ]
    pending_id = None
    if plan.new:
        pending = PendingChoice(
            team_id=actor.team.id,
            member_id=actor.member.id,
            kind=PENDING_KIND,
            chat_id=chat_id,
            message_id=message_id,
            payload={
                "filename": parsed.filename,
                "rows": [row.to_json() for row in parsed.rows],
                "invalid": len(parsed.invalid),
                "file_duplicates": len(parsed.file_duplicates),
                "partner_kind": parsed.partner_kind,
            },
            created_at=now,
        )
        session.add(pending)
        session.flush()
        pending_id = pending.id
    return ImportPreview(
        parsed=parsed,
        plan=plan,
        pending_id=pending_id,
        importer=actor.member,
        has_owner_column="owner" in parsed.mapping.columns,
        first=first,
        now=now,
        room=team_data.room.name if team_data.room else None,
    )


def keep_file(
    *,
    session: Session,
    actor: Actor,
    file_id: str,
    filename: str,
    size: int,
    chat_id: int,
    now: datetime,
) -> KeptFile:
    """Keep a file sent to the chat until a manager says whether (and which sheet) to import."""
    pending = PendingChoice(
        team_id=actor.team.id,
        member_id=actor.member.id,
        kind=FILE_KIND,
        chat_id=chat_id,
        payload={"file_id": file_id, "filename": filename, "size": size},
        created_at=now,
    )
    session.add(pending)
    session.flush()
    return KeptFile(pending.id, file_id, filename, size)


def kept_file(*, session: Session, actor: Actor, pending_id: int, now: datetime) -> KeptFile:
    """Return a kept file for a manager to read; CrmError once it was decided or expired."""
    actor.require_active()
    pending = _pending(session=session, actor=actor, pending_id=pending_id, kind=FILE_KIND, now=now)
    payload = pending.payload
    return KeptFile(
        pending.id, str(payload["file_id"]), str(payload["filename"]), int(payload["size"])
    )


def drop_file(*, session: Session, actor: Actor, pending_id: int, now: datetime) -> str:
    """Decide a kept file (previewed, or not to be imported); return its name."""
    pending = _pending(session=session, actor=actor, pending_id=pending_id, kind=FILE_KIND, now=now)
    pending.resolved_at = now
    return str(pending.payload.get("filename", ""))


def remember_message(session: Session, pending_id: int, message_id: int) -> None:
    """Note which bot message carries the Confirm / Cancel buttons."""
    pending = session.get(PendingChoice, pending_id)
    if pending is not None:
        pending.message_id = message_id


def _take(*, session: Session, actor: Actor, pending_id: int, now: datetime) -> PendingChoice:
    pending = _pending(
        session=session, actor=actor, pending_id=pending_id, kind=PENDING_KIND, now=now
    )
    pending.resolved_at = now
    return pending


def _pending(
    *, session: Session, actor: Actor, pending_id: int, kind: str, now: datetime
) -> PendingChoice:
    actor.require_manager("error.not_manager.import")
    pending = session.get(PendingChoice, pending_id)
    if (
        pending is None
        or pending.kind != kind
        or pending.team_id != actor.team.id
        or pending.resolved_at is not None
        or pending.created_at + EXPIRES_AFTER < now
    ):
        raise CrmError("import.gone")
    return pending


def cancel_import(*, session: Session, actor: Actor, pending_id: int, now: datetime) -> str:
    """Drop a waiting import (any manager may); return its file name."""
    pending = _take(session=session, actor=actor, pending_id=pending_id, now=now)
    return str(pending.payload.get("filename", ""))


def confirm_import(
    *, session: Session, actor: Actor, pending_id: int, now: datetime
) -> ImportResult:
    """Create the waiting import's new customers, all in the caller's one transaction.

    Duplicates are skipped, never updated: the CRM is usually newer than an old sheet, and
    overwriting owners would break 报备 protection. Rows are planned again against the team's
    data now, so customers added since the preview are not created twice.
    """
    actor.require_active()
    pending = _take(session=session, actor=actor, pending_id=pending_id, now=now)
    payload: dict[str, Any] = pending.payload
    rows = [ImportRow.from_json(data) for data in payload["rows"]]
    team_data = _Team(
        session, actor.team, partners.room_partner(session=session, actor=actor, now=now)
    )
    plan = team_data.plan(rows)
    filename = str(payload.get("filename", ""))
    partners_made = _create_partners(
        session=session,
        actor=actor,
        team_data=team_data,
        plan=plan,
        partner_kind=payload.get("partner_kind"),
        now=now,
    )
    to_pool, tasks_created = _create_customers(
        session=session,
        actor=actor,
        team_data=team_data,
        plan=plan,
        partner_kind=payload.get("partner_kind"),
        filename=filename,
        now=now,
    )
    result = ImportResult(
        filename=filename,
        created=len(plan.new),
        duplicates=len(plan.duplicates) + int(payload.get("file_duplicates", 0)),
        invalid=int(payload.get("invalid", 0)),
        to_pool=to_pool,
        partners_created=partners_made,
        tasks_created=tasks_created,
    )
    audit.by_actor(
        actor,
        session=session,
        action="import",
        entity="team",
        entity_id=actor.team.id,
        now=now,
        file=filename,
        created=result.created,
        duplicates=result.duplicates,
        invalid=result.invalid,
        partners=result.partners_created,
        tasks=result.tasks_created,
        prepared_by=pending.member_id,
    )
    return result


def _create_partners(
    *,
    session: Session,
    actor: Actor,
    team_data: _Team,
    plan: ImportPlan,
    partner_kind: str | None,
    now: datetime,
) -> int:
    team_id = actor.team.id
    created: list[Partner] = []
    for row in plan.new:
        if not row.partner or team_data.room is not None:
            continue
        key = normalize_name(row.partner)
        if not key or key in team_data.partners:
            continue
        channel = team_data.channel(row.channel) or team_data.channel_of_kind(partner_kind)
        partner = Partner(
            team_id=team_id,
            channel_id=channel.id if channel else None,
            name=row.partner,
            normalized_name=key,
            created_at=now,
        )
        team_data.partners[key] = partner
        created.append(partner)
    session.add_all(created)
    session.flush()
    for partner in created:
        audit.by_actor(
            actor,
            session=session,
            action="import",
            entity="partner",
            entity_id=partner.id,
            now=now,
            name=partner.name,
        )
    return len(created)


def _create_customers(
    *,
    session: Session,
    actor: Actor,
    team_data: _Team,
    plan: ImportPlan,
    partner_kind: str | None,
    filename: str,
    now: datetime,
) -> tuple[int, int]:
    """Insert the new customers and their contacts, deals, notes, follow-ups and audit rows in bulk.

    Return how many customers went to the shared pool for want of an owner, and the tasks made.

    Bulk INSERT statements in the caller's transaction: building
    100k ORM objects one by one would take half a minute for a 20,000-row sheet.
    """
    team = actor.team
    team_id = team.id
    importer = actor.member
    to_pool = 0
    values: list[dict[str, Any]] = []
    for row in plan.new:
        # A row without an owner the team knows goes to the shared pool (公海), unregistered,
        # for any rep to /claim: not to the manager who happened to import the sheet.
        owner, channel, partner = team_data.recorded(row, partner_kind)
        to_pool += owner is None
        channel_id = channel.id if channel else None
        values.append(
            {
                "team_id": team_id,
                "name": row.name,
                "normalized_name": row.key,
                "owner_id": owner.id if owner else None,
                "channel_id": channel_id,
                "partner_id": partner.id if partner else None,
                "stage": row.stage or "lead",
                "registered_at": now if owner else None,
                "protected_until": now + timedelta(days=team.protection_days) if owner else None,
                # The import is the registration (报备): the silence clock that sends customers
                # to the pool starts now, or an old sheet would empty into the pool at once.
                "last_activity_at": now,
                "created_at": now,
                "created_by": importer.id,
            }
        )
    if not values:
        return 0, 0
    session.execute(insert(table_of(Customer)), values)
    # Names are unique per team, so the new ids are found by name: one query, any database,
    # where RETURNING in a stable order would make SQLite insert row by row.
    id_of = dict(
        session.exec(
            select(Customer.normalized_name, Customer.id).where(
                Customer.team_id == team_id, Customer.created_at == now
            )
        ).all()
    )
    ids = [id_of[row.key] for row in plan.new]
    contacts: list[dict[str, Any]] = []
    deals: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    followups: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    for row, customer_id, customer in zip(plan.new, ids, values, strict=True):
        owner_id, stage = customer["owner_id"], customer["stage"]
        if row.contact or row.phone:
            contacts.append(
                {
                    "team_id": team_id,
                    "customer_id": customer_id,
                    "name": row.contact,
                    "phone": row.phone,
                    "created_at": now,
                }
            )
        closed = stage in pipeline.CLOSED
        if row.amount is not None or closed:
            deals.append(
                {
                    "team_id": team_id,
                    "customer_id": customer_id,
                    "owner_id": owner_id,
                    "entry_id": None,
                    "stage": stage,
                    "status": _DEAL_STATUS.get(stage, DealStatus.OPEN).value,
                    "amount": row.amount,
                    "currency": row.currency or team.currency,
                    "lost_reason": None,
                    "created_at": now,
                    "closed_at": (row.last_activity or now) if closed else None,
                }
            )
        if row.note or row.last_activity:
            notes.append(
                {
                    "team_id": team_id,
                    "customer_id": customer_id,
                    "member_id": owner_id,
                    "entry_id": None,
                    "kind": ActivityKind.NOTE.value,
                    "text": row.note or "",
                    "amount": None,
                    "occurred_at": row.last_activity or now,
                }
            )
        if row.next_followup is not None and follows_up(row):
            followups.append(
                {
                    "team_id": team_id,
                    "customer_id": customer_id,
                    "owner_id": owner_id or importer.id,
                    "created_by": importer.id,
                    "entry_id": None,
                    "title": (row.followup_title or row.name)[:500],
                    "due_at": row.next_followup,
                    "status": TaskStatus.OPEN.value,
                    "created_at": now,
                }
            )
        audits.append(
            {
                "team_id": team_id,
                "actor_user_id": importer.user_id,
                "action": "import",
                "entity": "customer",
                "entity_id": customer_id,
                "detail": {"name": row.name, "file": filename, "row": row.row},
                "at": now,
            }
        )
    if followups:  # bulk inserts bypass the flush that numbers new tasks
        first = reserve_task_numbers(session, team_id, len(followups))
        for offset, task in enumerate(followups):
            task["number"] = first + offset
    for table, rows in (
        (Contact, contacts),
        (Deal, deals),
        (Activity, notes),
        (Task, followups),
        (AuditLog, audits),
    ):
        if rows:
            session.execute(insert(table_of(table)), rows)
    counters.count_customers(session, ids)  # the inserts bypass the flushes counters follow
    return to_pool, len(followups)


_DEAL_STATUS = {"won": DealStatus.WON, "lost": DealStatus.LOST}
