"""/export sends the team's data as CSV and XLSX; /import reads a spreadsheet of customers."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from functools import partial

from sqlmodel import Session
from telegram import Document, Update
from telegram.error import TelegramError
from telegram.ext import Application, MessageHandler, filters

from bot import exchange
from bot.context import BotContext
from bot.exchange.importing import remember_message
from bot.exchange.readers import MAX_BYTES
from bot.exchange.validate import Rules
from bot.i18n import t
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
from bot.views import exchange as views
from bot.views.callbacks import ImportAction, ImportPress
from handlers.common import (
    Outcome,
    button,
    command,
    command_args,
    in_transaction,
    press,
    reply_error,
    respond,
    run_unit,
)

log = logging.getLogger(__name__)

IMPORT_CAPTION = re.compile(r"^/import(?:@(?P<bot>\w+))?(?:\s|$)", re.IGNORECASE)


# -- /export ---------------------------------------------------------------------------------


async def cmd_export(update: Update, context: BotContext) -> None:
    """Send the team's data as a zip of CSV files and as an Excel workbook (managers only)."""
    period = " ".join(command_args(update.effective_message))
    now = context.clock()

    def check(session: Session, actor: Actor) -> exchange.ExportRequest:
        return exchange.export_request(actor=actor, period_text=period, now=now)

    try:
        # Noting the member (a renamed one is a write) is done first, in a short unit of its
        # own; the update is claimed once the files are written.
        request = await run_unit(update, context, check, claim=False)
        job = await _export_job(update, context, request)
    except CrmError as exc:
        await in_transaction(update, context, lambda session: None)  # a refusal is an answer
        await reply_error(update, context, exc)
        return
    try:
        made: exchange.MadeExport | None = await context.workers.run(job, long=True)
    except Exception:
        log.exception("could not write the export for team %s", request.team_id)
        made = None

    def work(session: Session, actor: Actor) -> Outcome:
        if made is None:
            return Outcome(t(request.lang, "export.failed"))
        exchange.record_export(session=session, actor=actor, summary=made.summary, now=now)
        return Outcome(
            files=views.export_files(made), files_failed=t(request.lang, "export.failed")
        )

    await respond(update, context, work)


async def _export_job(
    update: Update, context: BotContext, request: exchange.ExportRequest
) -> Callable[[], exchange.MadeExport]:
    """Return the job that writes an export: in a worker, it reads the rows itself.

    A 5,000-customer team's rows take over a second of pure Python to build: in the bot that
    held the GIL, in turns, while other chats waited. The worker opens the same database.
    An in-memory database (as in unit tests) exists only in the bot's process: its rows are
    read here, in a read-only unit (SQLite's one writer lock stays free), and sent along.
    """
    if not context.db.in_memory:
        return partial(exchange.export_from_database, context.db.url, request)

    def read(session: Session, actor: Actor) -> exchange.ExportData:
        return exchange.read_export(session=session, request=request)

    data = await run_unit(update, context, read, claim=False, read_only=True)
    return partial(exchange.make_export, data)


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

        def usage(session: Session, actor: Actor) -> None:
            actor.require_manager("error.not_manager.import")
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

    def check(session: Session, actor: Actor) -> Rules:
        actor.require_active()
        actor.require_manager("error.not_manager.import")
        return exchange.import_rules(actor, now)

    try:
        rules = await run_unit(update, context, check, claim=False)  # the preview claims
        if document.file_size and document.file_size > MAX_BYTES:
            raise CrmError("import.error.too_big", limit_mb=MAX_BYTES // (1024 * 1024))
        content = await _download(context, document)
        # Reading a 5 MB workbook takes seconds of pure Python: a worker process does it.
        read = partial(exchange.read_import, document.file_name or "file", content, rules)
        parsed = await context.workers.run(read, long=True)
    except CrmError as exc:
        await reply_error(update, context, exc)
        return

    def work(session: Session, actor: Actor) -> Outcome:
        preview = exchange.prepare_import(
            session=session, actor=actor, parsed=parsed, chat_id=chat.id, now=now
        )
        text = views.import_preview(actor.lang, preview)
        pending_id = preview.pending_id
        if pending_id is None:
            return Outcome(text)
        return Outcome(
            text,
            views.import_buttons(actor.lang, pending_id, len(preview.plan.new)),
            remember=lambda s, message_id: remember_message(s, pending_id, message_id),
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


async def on_import_button(update: Update, context: BotContext, pressed: ImportPress) -> None:
    """Import or Cancel, pressed under a preview by any manager of the team."""
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        lang = actor.lang
        if pressed.action is ImportAction.CONFIRM:
            result = exchange.confirm_import(
                session=session, actor=actor, pending_id=pressed.pending_id, now=now
            )
            return Outcome(views.import_result(actor, result), toast=t(lang, "import.toast.done"))
        filename = exchange.cancel_import(
            session=session, actor=actor, pending_id=pressed.pending_id, now=now
        )
        return Outcome(
            views.import_cancelled(lang, filename), toast=t(lang, "import.toast.cancelled")
        )

    await press(update, context, work)


def register(app: Application) -> None:
    """Add /export, /import (as a caption or a reply to a file) and the import buttons."""
    app.add_handler(command("export", cmd_export))
    app.add_handler(command("import", cmd_import))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.Document.ALL
            & filters.CaptionRegex(IMPORT_CAPTION),
            on_import_document,
        )
    )
    app.add_handler(button(ImportPress, on_import_button))
