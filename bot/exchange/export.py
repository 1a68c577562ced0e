"""Collect a team's customers, deals, activities and tasks for export; render the files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, and_, or_
from sqlalchemy import Table as SqlTable
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from bot.exchange.periods import Period, PeriodError, parse_export_period
from bot.exchange.writers import Table, Value, write_csv_zip, write_xlsx
from bot.i18n import channel_name, plain
from bot.i18n.format import member_label
from bot.services import audit, pipeline
from bot.services.errors import UsageError
from bot.services.teams import Actor
from models.db import snapshot
from models.tables import Activity, Channel, Contact, Customer, Deal, Member, Partner, Task

# File stems in the zip, in order; the workbook's sheets are titled in the team's language.
TABLES = ("customers", "deals", "activities", "tasks")
# Each table's columns, as keys of their headers (export.h.*) in the catalogs. Rows carry no
# database ids (they are global and would show how busy other teams are): customers are
# named, which is unique in a team, and a task has its team's number.
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (
        "customer", "owner", "channel", "partner", "stage", "contact", "phone",
        "last_activity", "registered", "protected_until", "lost_reason", "created",
    ),
    "deals": (
        "customer", "owner", "stage", "status", "amount", "currency", "lost_reason",
        "created", "closed",
    ),
    "activities": ("time", "customer", "member", "kind", "text", "amount"),
    "tasks": ("id", "title", "customer", "owner", "due", "status", "done_at", "created"),
}  # fmt: skip


@dataclass(frozen=True)
class ExportRequest:
    """What to export, decided in the bot; it pickles, so a worker process can read the rows."""

    team_id: int
    team_title: str
    lang: str
    tz: ZoneInfo
    stages: dict[str, str]  # stage key -> its name in the team's language
    period: Period | None
    stamp: str  # for file names: 20261124-1000


@dataclass(frozen=True)
class ExportSummary:
    """What the captions and the audit say about an export: whose, which period, how many rows."""

    team_title: str
    lang: str
    tz: ZoneInfo
    period: Period | None
    counts: dict[str, int]


@dataclass(frozen=True)
class ExportData:
    """Everything the files hold, read in one transaction."""

    team_title: str
    lang: str
    tz: ZoneInfo
    period: Period | None
    tables: list[Table]
    counts: dict[str, int] = field(default_factory=dict)
    stamp: str = ""  # for file names: 20261124-1000

    @property
    def summary(self) -> ExportSummary:
        return ExportSummary(self.team_title, self.lang, self.tz, self.period, self.counts)


@dataclass(frozen=True)
class ExportFile:
    """One file to send."""

    filename: str
    content: bytes
    kind: str  # "csv" or "xlsx"


@dataclass(frozen=True)
class MadeExport:
    """The written files and what they hold: all a worker sends back (not the rows)."""

    summary: ExportSummary
    files: list[ExportFile]


def table_of(model: type[SQLModel]) -> SqlTable:
    """Return a model's Core table (for bulk reads and writes without ORM objects)."""
    table = getattr(model, "__table__", None)
    assert isinstance(table, SqlTable)
    return table


def text(lang: str, key: str, default: str | None = None) -> str:
    """Return a catalog string as plain text (file contents are not HTML)."""
    return plain(lang, key, default=default)


def collect_export(
    *, session: Session, actor: Actor, period_text: str, now: datetime
) -> ExportData:
    """Read what /export sends (managers only); PERIOD limits activities, deals, tasks."""
    request = export_request(actor=actor, period_text=period_text, now=now)
    return read_export(session=session, request=request)


def export_request(*, actor: Actor, period_text: str, now: datetime) -> ExportRequest:
    """Decide what /export sends (managers only); PERIOD limits activities, deals, tasks."""
    actor.require_active()
    actor.require_manager("error.not_manager.export")
    team, lang, tz = actor.team, actor.lang, actor.tz
    try:
        period = parse_export_period(period_text, now=now, tz=tz)
    except PeriodError:
        raise UsageError("usage.export") from None
    assert team.id is not None
    return ExportRequest(
        team_id=team.id,
        team_title=team.title,
        lang=lang,
        tz=tz,
        stages={s["key"]: pipeline.stage_name(team, s["key"], lang) for s in team.stages},
        period=period,
        stamp=now.astimezone(tz).strftime("%Y%m%d-%H%M"),
    )


def read_export(*, session: Session, request: ExportRequest) -> ExportData:
    """Read the rows of an export.

    Only reads: a big team's rows take seconds, and SQLite's one writer lock should not be
    held meanwhile. record_export() audits the export, in the update's own transaction.
    """
    team_id, lang, period, stages = request.team_id, request.lang, request.period, request.stages

    members = {
        m.id: owner_label(m.username, m.full_name)
        for m in session.exec(select(Member).where(Member.team_id == team_id))
    }
    channels = {
        key: channel_name(name, kind, lang)
        for key, name, kind in session.exec(
            select(Channel.id, Channel.name, Channel.kind).where(Channel.team_id == team_id)
        )
    }
    partners = dict(
        session.exec(select(Partner.id, Partner.name).where(Partner.team_id == team_id)).all()
    )
    names = dict(
        session.exec(select(Customer.id, Customer.name).where(Customer.team_id == team_id)).all()
    )

    def stage(key: str | None) -> str:
        return stages.get(key or "", key or "")

    def member(member_id: int | None) -> str:
        return members.get(member_id, "") if member_id else ""

    def within(column: object) -> ColumnElement[bool]:
        assert period is not None
        c = col(column)
        return and_(c >= period.start, c < period.end)

    # Plain rows, not ORM objects: building 60,000 SQLModel instances takes seconds.
    customer_query = sa_select(table_of(Customer)).where(col(Customer.team_id) == team_id)
    deal_query = sa_select(table_of(Deal)).where(col(Deal.team_id) == team_id)
    activity_query = sa_select(table_of(Activity)).where(col(Activity.team_id) == team_id)
    task_query = sa_select(table_of(Task)).where(col(Task.team_id) == team_id)
    if period is not None:
        touched = select(Activity.customer_id).where(
            Activity.team_id == team_id, within(Activity.occurred_at)
        )
        customer_query = customer_query.where(
            or_(within(Customer.created_at), col(Customer.id).in_(touched))
        )
        deal_query = deal_query.where(or_(within(Deal.created_at), within(Deal.closed_at)))
        activity_query = activity_query.where(within(Activity.occurred_at))
        task_query = task_query.where(or_(within(Task.due_at), within(Task.created_at)))

    contacts: dict[int, list[Row[Any]]] = defaultdict(list)
    for contact in session.execute(
        sa_select(table_of(Contact))
        .where(col(Contact.team_id) == team_id)
        .order_by(col(Contact.id))
    ):
        contacts[contact.customer_id].append(contact)

    pool = text(lang, "export.pool")
    customer_rows: list[list[Value]] = []
    for c in session.execute(customer_query.order_by(col(Customer.id))):
        people = contacts.get(c.id, [])
        customer_rows.append(
            [
                c.name,
                member(c.owner_id) if c.owner_id else pool,
                channels.get(c.channel_id, "") if c.channel_id else "",
                partners.get(c.partner_id, "") if c.partner_id else "",
                stage(c.stage),
                "; ".join(p.name for p in people if p.name),
                "; ".join(p.phone for p in people if p.phone),
                c.last_activity_at,
                c.registered_at,
                c.protected_until,
                c.lost_reason,
                c.created_at,
            ]
        )
    deal_rows: list[list[Value]] = [
        [
            names.get(d.customer_id, ""),
            member(d.owner_id),
            stage(d.stage),
            text(lang, f"export.deal.{d.status}"),
            d.amount,
            d.currency,
            d.lost_reason,
            d.created_at,
            d.closed_at,
        ]
        for d in session.execute(deal_query.order_by(col(Deal.id)))
    ]
    activity_rows: list[list[Value]] = [
        [
            a.occurred_at,
            names.get(a.customer_id, "") if a.customer_id else "",
            member(a.member_id),
            text(lang, f"export.activity.{a.kind}", default=a.kind),
            a.text,
            a.amount,
        ]
        for a in session.execute(
            activity_query.order_by(col(Activity.occurred_at), col(Activity.id))
        )
    ]
    task_rows: list[list[Value]] = [
        [
            k.number,
            k.title,
            names.get(k.customer_id, "") if k.customer_id else "",
            member(k.owner_id),
            k.due_at,
            text(lang, f"export.task.{k.status}"),
            k.done_at,
            k.created_at,
        ]
        for k in session.execute(task_query.order_by(col(Task.due_at), col(Task.id)))
    ]

    def headers(*keys: str) -> list[str]:
        return [text(lang, f"export.h.{key}") for key in keys]

    tables = [
        Table(text(lang, f"export.sheet.{name}"), headers(*COLUMNS[name]), rows)
        for name, rows in zip(
            TABLES, (customer_rows, deal_rows, activity_rows, task_rows), strict=True
        )
    ]
    counts = {name: len(table.rows) for name, table in zip(TABLES, tables, strict=True)}
    return ExportData(
        team_title=request.team_title,
        lang=lang,
        tz=request.tz,
        period=period,
        tables=tables,
        counts=counts,
        stamp=request.stamp,
    )


def record_export(*, session: Session, actor: Actor, summary: ExportSummary, now: datetime) -> None:
    """Audit an export: who took what (the period, the rows of each table)."""
    period = summary.period
    detail: dict[str, Any] = {
        "period": None if period is None else f"{period.first}..{period.last}",
        **summary.counts,
    }
    audit.by_actor(
        actor, session=session, action="export", entity="team", entity_id=actor.team.id, now=now,
        **detail,
    )  # fmt: skip


def owner_label(username: str | None, full_name: str) -> str:
    """Name a member in a file: 'Alice Wong (@alice)'.

    A bare '@alice' would start with '@', which spreadsheets treat as a formula, so it would
    be neutralized to "'@alice"; the full name first keeps the cell readable.
    """
    if username and full_name:
        return f"{full_name} (@{username})"
    return member_label(username, full_name)


def render_export(data: ExportData) -> list[ExportFile]:
    """Write the zip of CSV files and the workbook (CPU only: run it off the event loop)."""
    # The zip keeps the file names the documentation promises; the sheets carry local titles.
    csv_tables = [
        Table(stem, table.headers, table.rows)
        for stem, table in zip(TABLES, data.tables, strict=True)
    ]
    stem = f"crmbot-export-{data.stamp}"
    if data.period is not None:
        stem += f"-{data.period.first:%Y%m%d}-{data.period.last:%Y%m%d}"
    return [
        ExportFile(f"{stem}-csv.zip", write_csv_zip(csv_tables, tz=data.tz), "csv"),
        ExportFile(f"{stem}.xlsx", write_xlsx(data.tables, tz=data.tz), "xlsx"),
    ]


def make_export(data: ExportData) -> MadeExport:
    """Write the files of rows read in the bot (a worker process runs this)."""
    return MadeExport(data.summary, render_export(data))


def export_from_database(url: str, request: ExportRequest) -> MadeExport:
    """Read the rows from the database at `url` and write the files (a worker process runs this).

    Reading 5,000 customers' rows builds a hundred thousand Python lists: in the bot, that held
    the GIL, in turns, for over a second while other chats waited.
    """
    with snapshot(url) as session:
        data = read_export(session=session, request=request)
    return make_export(data)
