"""Export captions, the import preview and the import result."""

from __future__ import annotations

from datetime import timedelta

from bot.exchange.columns import FIELDS
from bot.exchange.export import ExportSummary, MadeExport
from bot.exchange.importing import (
    ImportPreview,
    ImportResult,
    ParsedImport,
    RecordedRow,
    SheetChoice,
)
from bot.i18n import Html, escape, t
from bot.i18n.format import format_amount, format_date, format_when, member_label
from bot.services.pipeline import stage_name
from bot.services.teams import Actor
from bot.views.callbacks import ImportAction, ImportPress
from bot.views.entries import attribution_label
from bot.views.files import OutFile
from bot.views.keyboards import Button, Keyboard

SHOWN = 10  # invalid rows, duplicates and names listed before "… and N more"
CLIP = 60


def export_files(made: MadeExport) -> list[OutFile]:
    """Caption the files a worker wrote for an export."""
    return [
        OutFile(file.content, file.filename, export_caption(made.summary, file.kind))
        for file in made.files
    ]


def export_writing(lang: str) -> Html:
    """The status of an export being written."""
    return t(lang, "export.status.writing")


def export_caption(data: ExportSummary, kind: str) -> Html:
    lang = data.lang
    if data.period is None:
        period = t(lang, "export.period.all")
    else:
        period = t(
            lang,
            "export.period.range",
            first=format_date(data.period.start, lang=lang, tz=data.tz),
            last=format_date(data.period.end - timedelta(days=1), lang=lang, tz=data.tz),
        )
    team = data.team_title or "crmbot"
    if kind == "csv":
        counts = {name: t(lang, f"count.{name}", count=n) for name, n in data.counts.items()}
        return t(lang, "export.caption.csv", team=team, period=period, **counts)
    return t(lang, "export.caption.xlsx", team=team, period=period, tz=str(data.tz))


def import_buttons(lang: str, pending_id: int, count: int) -> Keyboard:
    """The Import / Cancel buttons of a preview."""
    confirm = ImportPress(ImportAction.CONFIRM, pending_id).encode()
    cancel = ImportPress(ImportAction.CANCEL, pending_id).encode()
    return [
        [
            Button(t(lang, "import.btn.confirm", count=count), confirm),
            Button(t(lang, "import.btn.cancel"), cancel),
        ]
    ]


def import_question(lang: str, filename: str) -> Html:
    """Asked when a manager sends a spreadsheet without /import."""
    return t(lang, "import.ask", file=_clip(filename))


def import_question_buttons(lang: str, pending_id: int) -> Keyboard:
    read = ImportPress(ImportAction.READ, pending_id).encode()
    skip = ImportPress(ImportAction.SKIP, pending_id).encode()
    return [[Button(t(lang, "import.btn.read"), read), Button(t(lang, "import.btn.skip"), skip)]]


def import_skipped(lang: str, filename: str) -> Html:
    return t(lang, "import.skipped", file=_clip(filename))


def sheet_question(lang: str, choice: SheetChoice) -> Html:
    """Which sheet of a workbook holds the customers."""
    return t(lang, "import.sheets", file=_clip(choice.filename), count=len(choice.sheets))


def sheet_buttons(pending_id: int, choice: SheetChoice) -> Keyboard:
    """One button per sheet with data, named as in the workbook (labels are plain text)."""
    return [
        [Button(_clip(name, 40), ImportPress(ImportAction.READ, pending_id, place).encode())]
        for place, name in choice.sheets[:SHOWN]
    ]


def import_reading(lang: str, filename: str) -> Html:
    """The status of a file being downloaded and read."""
    return t(lang, "import.status.reading", file=_clip(filename))


def import_checking(lang: str, parsed: ParsedImport) -> Html:
    """The status once the rows are read: they are compared with the team's customers."""
    total = len(parsed.rows) + len(parsed.invalid) + len(parsed.file_duplicates)
    rows = t(lang, "count.rows", count=total)
    return t(lang, "import.status.checking", file=_clip(parsed.filename), rows=rows)


def import_writing(lang: str) -> Html:
    """The status of a confirmed import being written."""
    return t(lang, "import.status.writing")


def _clip(text: str, limit: int = CLIP) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(lang: str, counts: dict[str, int] | list[str]) -> str:
    items = list(counts.items()) if isinstance(counts, dict) else [(n, 0) for n in counts]
    shown = [f"{_clip(name, 30)} ({n})" if n > 1 else _clip(name, 30) for name, n in items[:SHOWN]]
    more = len(items) - SHOWN
    text = ", ".join(shown)
    return text + (" " + t(lang, "import.more", count=more) if more > 0 else "")


def import_preview(actor: Actor, preview: ImportPreview) -> Html:
    """Render the column mapping, the counts, the first rows as recorded, and what is skipped."""
    lang = actor.lang
    parsed, plan = preview.parsed, preview.plan
    mapping = parsed.mapping
    lines: list[str] = [t(lang, "import.preview.title", file=_clip(parsed.filename))]
    if parsed.sheet:
        lines.append(t(lang, "import.preview.sheet", sheet=_clip(parsed.sheet)))
    lines += ["", t(lang, "import.preview.columns")]
    for name in FIELDS:
        if name in mapping.columns:
            header = mapping.headers[mapping.columns[name]]
            field = t(lang, f"import.field.{name}")
            lines.append(t(lang, "import.preview.column", header=_clip(header, 40), field=field))
    if mapping.ignored:
        ignored = ", ".join(_clip(h, 30) for h in mapping.ignored[:SHOWN])
        lines.append(t(lang, "import.preview.ignored", headers=ignored))
    duplicates = preview.duplicates
    lines += [
        "",
        t(
            lang,
            "import.preview.counts",
            total=t(lang, "count.rows", count=preview.total),
            new=len(plan.new),
            duplicates=t(lang, "count.duplicates", count=len(duplicates)),
            invalid=len(parsed.invalid),
        ),
    ]
    if preview.first:
        lines += ["", t(lang, "import.preview.first")]
        lines += [_recorded(actor, preview, recorded) for recorded in preview.first]
    if parsed.invalid:
        lines += ["", t(lang, "import.preview.invalid")]
        for problem in parsed.invalid[:SHOWN]:
            reason = t(lang, f"import.invalid.{problem.reason}", **problem.params)
            lines.append(t(lang, "import.invalid.line", row=problem.row, reason=reason))
        if len(parsed.invalid) > SHOWN:
            lines.append(t(lang, "import.more", count=len(parsed.invalid) - SHOWN))
    if duplicates:
        lines += ["", t(lang, "import.preview.duplicates")]
        for dup in duplicates[:SHOWN]:
            if dup.existing is not None:
                line = t(
                    lang,
                    "import.dup.existing",
                    row=dup.row,
                    name=_clip(dup.name),
                    existing=_clip(dup.existing),
                )
            else:
                line = t(
                    lang, "import.dup.file", row=dup.row, name=_clip(dup.name), first=dup.first_row
                )
            lines.append(line)
        if len(duplicates) > SHOWN:
            lines.append(t(lang, "import.more", count=len(duplicates) - SHOWN))
    notes = _notes(lang, preview)
    if notes:
        lines += ["", *notes]
    lines.append("")
    lines.append(t(lang, "import.preview.confirm" if plan.new else "import.preview.nothing"))
    return Html("\n".join(lines))


def _recorded(actor: Actor, preview: ImportPreview, recorded: RecordedRow) -> str:
    """One new row as Confirm records it: '• Row 2: Acme · Distributor / Huatai · @alice · …'."""
    lang, row = actor.lang, recorded.row
    owner = recorded.owner
    if owner is not None:
        who = member_label(owner.username, owner.full_name)
    else:
        who = t(lang, "import.preview.row.pool")
    details = [attribution_label(recorded.channel, recorded.partner, lang), who]
    details.append(stage_name(actor.team, recorded.stage, lang))
    if row.amount is not None:
        details.append(format_amount(row.amount, row.currency or actor.team.currency, lang=lang))
    if row.next_followup is not None:
        when = format_when(row.next_followup, lang=lang, tz=actor.tz, now=preview.now)
        title = _clip(row.followup_title, 40) if row.followup_title else ""
        details.append(t(lang, "import.preview.row.followup", when=when, title=title).strip())
    shown = " · ".join(part if isinstance(part, Html) else escape(part) for part in details if part)
    return t(lang, "import.preview.row", row=row.row, name=_clip(row.name), details=Html(shown))


def _notes(lang: str, preview: ImportPreview) -> list[str]:
    plan = preview.plan
    notes: list[str] = []
    if not plan.new:
        return notes
    if not preview.has_owner_column:
        notes.append(t(lang, "import.preview.no_owner_column"))
    else:
        if plan.unknown_owners:
            names = _names(lang, dict(plan.unknown_owners.most_common()))
            notes.append(t(lang, "import.preview.owners_unknown", names=names))
        missing = sum(1 for row in plan.new if not row.owner)
        if missing:
            notes.append(t(lang, "import.preview.owners_missing", count=missing))
    if preview.followups:
        notes.append(t(lang, "import.preview.followups", count=preview.followups))
    if preview.room is not None:
        notes.append(t(lang, "import.preview.room", partner=preview.room))
    if plan.unknown_channels:
        names = _names(lang, dict(plan.unknown_channels.most_common()))
        notes.append(t(lang, "import.preview.channels_unknown", names=names))
    if plan.new_partners:
        notes.append(
            t(
                lang,
                "import.preview.partners_new",
                count=len(plan.new_partners),
                names=_names(lang, plan.new_partners),
            )
        )
    return notes


def import_result(actor: Actor, result: ImportResult) -> Html:
    """Render what an import did."""
    lang = actor.lang
    lines = [
        t(
            lang,
            "import.done",
            created=t(lang, "count.customers", count=result.created),
            file=_clip(result.filename),
            duplicates=t(lang, "count.duplicates", count=result.duplicates),
            invalid=t(lang, "count.invalid_rows", count=result.invalid),
        )
    ]
    if result.to_pool:
        lines.append(t(lang, "import.done.owners", count=result.to_pool))
    if result.partners_created:
        lines.append(t(lang, "import.done.partners", count=result.partners_created))
    if result.tasks_created:
        lines.append(t(lang, "import.done.tasks", count=result.tasks_created))
    return Html("\n".join(lines))


def import_cancelled(lang: str, filename: str) -> Html:
    return t(lang, "import.cancelled", file=_clip(filename))
