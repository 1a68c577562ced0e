"""/export sends the team's data as CSV and XLSX; /import reads a spreadsheet of customers."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from datetime import timedelta

from sqlmodel import Session
from telegram import Document, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import exchange
from bot.context import BotContext
from bot.exchange.columns import FIELDS
from bot.exchange.export import ExportData
from bot.exchange.importing import ImportPreview, ImportResult, remember_message
from bot.exchange.readers import MAX_BYTES
from bot.exchange.validate import Rules
from bot.i18n import Html, t
from bot.i18n.format import format_date, member_label
from bot.services import teams
from bot.services.errors import CrmError, NotManager, UsageError
from bot.services.teams import Actor
from handlers.common import (
    Reply,
    Work,
    command_args,
    is_chat_admin,
    load_actor,
    respond,
    send,
    team_language,
)

log = logging.getLogger(__name__)

SHOWN = 10  # invalid rows, duplicates and names listed before "… and N more"
CLIP = 60
IMPORT_CAPTION = re.compile(r"^/import(?:@(?P<bot>\w+))?(?:\s|$)", re.IGNORECASE)


# -- /export ---------------------------------------------------------------------------------


async def cmd_export(update: Update, context: BotContext) -> None:
    """Send the team's data as a zip of CSV files and as an Excel workbook (managers only)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    period = " ".join(command_args(message))
    now = context.clock()
    collected: list[ExportData] = []

    def work(session: Session, actor: Actor) -> Reply | None:
        collected.append(
            exchange.collect_export(session=session, actor=actor, period_text=period, now=now)
        )
        return None

    await respond(update, context, work)
    if not collected:
        return
    data = collected[0]
    # Writing a big workbook takes a while: keep the event loop free for other chats.
    files = await asyncio.to_thread(exchange.render_export, data)
    for file in files:
        try:
            await context.bot.send_document(
                chat.id,
                document=file.content,
                filename=file.filename,
                caption=_caption(data, file.kind),
                reply_to_message_id=message.message_id,
                allow_sending_without_reply=True,
            )
        except TelegramError:
            log.exception("could not send %s to chat %s", file.filename, chat.id)
            await send(context, chat.id, t(data.lang, "export.failed"), reply_to=message)
            return


def _caption(data: ExportData, kind: str) -> Html:
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
        return t(lang, "export.caption.csv", team=team, period=period, **data.counts)
    return t(lang, "export.caption.xlsx", team=team, period=period, tz=str(data.tz))


# -- /import ---------------------------------------------------------------------------------


async def on_import_document(update: Update, context: BotContext) -> None:
    """A file sent with /import as its caption."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    match = IMPORT_CAPTION.match(message.caption or "")
    if match is None:
        return
    addressed_to = match["bot"]
    if addressed_to and addressed_to.lower() != (context.bot.username or "").lower():
        return  # /import@SomeOtherBot
    await import_document(update, context, message.document)


async def cmd_import(update: Update, context: BotContext) -> None:
    """/import as a reply to a file; alone, it explains how to import."""
    message = update.effective_message
    if message is None:
        return
    target = message.reply_to_message
    if target is None or target.document is None:

        def usage(session: Session, actor: Actor) -> Reply | None:
            actor.require_manager()
            raise UsageError("usage.import")

        await respond(update, context, usage)
        return
    await import_document(update, context, target.document)


async def import_document(update: Update, context: BotContext, document: Document) -> None:
    """Check the sender, download and read the file, and show what an import would do."""
    chat = update.effective_chat
    if chat is None:
        return
    now = context.clock()
    rules: list[Rules] = []

    def check(session: Session, actor: Actor) -> Reply | None:
        actor.require_active()
        actor.require_manager()
        rules.append(exchange.import_rules(actor, now))
        return None

    await respond(update, context, check)
    if not rules:
        return  # refused, and told why
    filename = document.file_name or "file"
    try:
        if document.file_size and document.file_size > MAX_BYTES:
            raise CrmError("import.error.too_big", limit_mb=MAX_BYTES // (1024 * 1024))
        content = await _download(context, document)
        # Reading a 5 MB workbook takes seconds: keep the event loop free for other chats.
        parsed = await asyncio.to_thread(exchange.read_import, filename, content, rules[0])
    except CrmError as exc:
        await respond(update, context, _failing(exc))
        return

    def work(session: Session, actor: Actor) -> Reply | None:
        preview = exchange.prepare_import(
            session=session, actor=actor, parsed=parsed, chat_id=chat.id, now=now
        )
        pending_id = preview.pending_id
        if pending_id is None:
            return Reply(render_preview(actor.lang, preview))
        return Reply(
            render_preview(actor.lang, preview),
            markup=import_buttons(actor.lang, pending_id, len(preview.plan.new)),
            after_send=lambda s, sent: remember_message(s, pending_id, sent.message_id),
        )

    await respond(update, context, work)


async def _download(context: BotContext, document: Document) -> bytes:
    try:
        file = await context.bot.get_file(document.file_id)
        buffer = io.BytesIO()
        await file.download_to_memory(buffer)
    except TelegramError:
        log.warning("could not download document %s", document.file_id, exc_info=True)
        raise CrmError("import.error.download") from None
    return buffer.getvalue()


def _failing(exc: CrmError) -> Work:
    def work(session: Session, actor: Actor) -> Reply | None:
        raise exc

    return work


def import_buttons(lang: str, pending_id: int, count: int) -> InlineKeyboardMarkup:
    """Return the Import / Cancel buttons of a preview."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "import.btn.confirm", count=count), callback_data=f"x:ok:{pending_id}"
                ),
                InlineKeyboardButton(
                    t(lang, "import.btn.cancel"), callback_data=f"x:no:{pending_id}"
                ),
            ]
        ]
    )


def _clip(text: str, limit: int = CLIP) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(lang: str, counts: dict[str, int] | list[str]) -> str:
    items = list(counts.items()) if isinstance(counts, dict) else [(n, 0) for n in counts]
    shown = [f"{_clip(name, 30)} ({n})" if n > 1 else _clip(name, 30) for name, n in items[:SHOWN]]
    more = len(items) - SHOWN
    text = ", ".join(shown)
    return text + (" " + t(lang, "import.more", count=more) if more > 0 else "")


def render_preview(lang: str, preview: ImportPreview) -> Html:
    """Render the column mapping, the counts and the rows that will be skipped."""
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
            total=preview.total,
            new=len(plan.new),
            duplicates=len(duplicates),
            invalid=len(parsed.invalid),
        ),
    ]
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


def _notes(lang: str, preview: ImportPreview) -> list[str]:
    plan = preview.plan
    me = member_label(preview.importer.username, preview.importer.full_name)
    notes: list[str] = []
    if not plan.new:
        return notes
    if not preview.has_owner_column:
        notes.append(t(lang, "import.preview.no_owner_column", me=me))
    else:
        if plan.unknown_owners:
            names = _names(lang, dict(plan.unknown_owners.most_common()))
            notes.append(t(lang, "import.preview.owners_unknown", me=me, names=names))
        missing = sum(1 for row in plan.new if not row.owner)
        if missing:
            notes.append(t(lang, "import.preview.owners_missing", me=me, count=missing))
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


def render_result(actor: Actor, result: ImportResult) -> Html:
    """Render what an import did."""
    lang = actor.lang
    lines = [
        t(
            lang,
            "import.done",
            created=result.created,
            file=_clip(result.filename),
            duplicates=result.duplicates,
            invalid=result.invalid,
        )
    ]
    if result.to_importer:
        me = member_label(actor.member.username, actor.member.full_name)
        lines.append(t(lang, "import.done.owners", count=result.to_importer, me=me))
    if result.partners_created:
        lines.append(t(lang, "import.done.partners", count=result.partners_created))
    return Html("\n".join(lines))


async def on_import_button(update: Update, context: BotContext) -> None:
    """Import or Cancel, pressed under a preview by any manager of the team."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    parts = query.data.split(":")
    if len(parts) != 3 or parts[1] not in ("ok", "no") or not parts[2].isdigit():
        await query.answer()
        return
    action, pending_id = parts[1], int(parts[2])
    now = context.clock()
    toast: list[str] = []

    def work(session: Session, actor: Actor) -> Reply | None:
        if action == "ok":
            result = exchange.confirm_import(
                session=session, actor=actor, pending_id=pending_id, now=now
            )
            toast.append(t(actor.lang, "import.toast.done"))
            return Reply(render_result(actor, result))
        filename = exchange.cancel_import(
            session=session, actor=actor, pending_id=pending_id, now=now
        )
        toast.append(t(actor.lang, "import.toast.cancelled"))
        return Reply(t(actor.lang, "import.cancelled", file=_clip(filename)))

    try:
        reply = await _run_as_manager(update, context, work)
    except CrmError as exc:
        chat = update.effective_chat
        lang = team_language(context, chat.id if chat else 0)
        await query.answer(t(lang, exc.key, **exc.params), show_alert=True)
        return
    await query.answer(toast[0] if toast else None)
    if reply is not None and query.message is not None:
        try:
            await context.bot.edit_message_text(
                reply.text,
                chat_id=query.message.chat.id,
                message_id=query.message.message_id,
                reply_markup=None,
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise


async def _run_as_manager(update: Update, context: BotContext, work: Work) -> Reply | None:
    """Run a button's work in one transaction; a chat admin becomes a manager on first need."""

    def run() -> Reply | None:
        with context.db.session() as session:
            return work(session, load_actor(session, update, context))

    # Confirming a 20,000-row import takes seconds: keep the event loop free for other chats.
    try:
        return await asyncio.to_thread(run)
    except NotManager:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or not await is_chat_admin(context, chat.id, user.id):
            raise
        with context.db.session() as session:
            teams.promote_chat_admin(
                actor=load_actor(session, update, context), session=session, now=context.clock()
            )
        return await asyncio.to_thread(run)


def register(app: Application) -> None:
    """Add /export, /import (as a caption or a reply to a file) and the import buttons."""
    app.add_handler(CommandHandler("export", cmd_export))
    app.add_handler(CommandHandler("import", cmd_import))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.Document.ALL
            & filters.CaptionRegex(IMPORT_CAPTION),
            on_import_document,
        )
    )
    app.add_handler(CallbackQueryHandler(on_import_button, pattern=r"^x:"))
