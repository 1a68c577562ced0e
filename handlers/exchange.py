"""/export sends the team's data as CSV and XLSX; /import reads a spreadsheet of customers."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from datetime import datetime
from functools import partial

from sqlmodel import Session
from telegram import Document, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import Application, MessageHandler, filters

from bot import exchange
from bot.context import BotContext
from bot.exchange.importing import remember_message
from bot.exchange.readers import MAX_BYTES
from bot.exchange.validate import Rules
from bot.i18n import t
from bot.sending import Status
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
from bot.views import exchange as views
from bot.views.callbacks import ConsoleCommand, ImportAction, ImportPress
from handlers import console
from handlers.common import (
    Outcome,
    answer,
    button,
    chat_language,
    command,
    command_args,
    in_transaction,
    is_group,
    press,
    reply_error,
    respond,
    run_unit,
    status,
)

log = logging.getLogger(__name__)

IMPORT_CAPTION = re.compile(r"^/import(?:@(?P<bot>\w+))?(?:\s|$)", re.IGNORECASE)
# The files an import reads; others sent to the group are not the bot's business.
SPREADSHEETS = (
    filters.Document.FileExtension("csv")
    | filters.Document.FileExtension("tsv")
    | filters.Document.FileExtension("xlsx")
    | filters.Document.FileExtension("xlsm")
)


# -- /export ---------------------------------------------------------------------------------


async def cmd_export(update: Update, context: BotContext) -> None:
    """Send the team's data as a zip of CSV files and as an Excel workbook (managers only)."""
    args = command_args(update.effective_message)
    await console.here_or_ask(update, context, ConsoleCommand.EXPORT, args, export_of)


async def export_of(
    update: Update, context: BotContext, args: list[str], team_id: int | None = None
) -> None:
    """/export for the update's team, or (from a private chat, the files sent there) `team_id`."""
    period = " ".join(args)
    now = context.clock()

    def check(session: Session, actor: Actor) -> exchange.ExportRequest:
        return exchange.export_request(actor=actor, period_text=period, now=now)

    try:
        # Noting the member (a renamed one is a write) is done first, in a short unit of its
        # own; the update is claimed once the files are written.
        request = await run_unit(update, context, check, claim=False, team_id=team_id)
        job = await _export_job(update, context, request, team_id)
    except CrmError as exc:
        await in_transaction(update, context, lambda session: None)  # a refusal is an answer
        await reply_error(update, context, exc)
        return
    writing = views.export_writing(request.lang)
    async with status(update, context, writing, action=ChatAction.UPLOAD_DOCUMENT) as shown:
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

        await respond(update, context, work, status=shown, team_id=team_id)


async def _export_job(
    update: Update, context: BotContext, request: exchange.ExportRequest, team_id: int | None
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

    data = await run_unit(update, context, read, claim=False, read_only=True, team_id=team_id)
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


async def on_spreadsheet(update: Update, context: BotContext) -> None:
    """A CSV or XLSX file without the /import caption: a manager is asked whether to import it.

    A rep's file is shared with the team, not meant for the bot: the group stays quiet. So is
    an anonymous admin's (an import needs a person: /import as its caption says so).
    """
    message = update.effective_message
    if message is None or message.document is None or not is_group(message.chat):
        return
    document, now = message.document, context.clock()

    def work(session: Session, actor: Actor) -> Outcome | None:
        if not actor.team.active or not actor.is_manager or actor.anonymous is not None:
            return None
        kept = exchange.keep_file(
            session=session,
            actor=actor,
            file_id=document.file_id,
            filename=document.file_name or "file",
            size=document.file_size or 0,
            chat_id=message.chat_id,
            now=now,
        )
        return Outcome(
            views.import_question(actor.lang, kept.filename),
            views.import_question_buttons(actor.lang, kept.pending_id),
        )

    await respond(update, context, work)


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
    filename = document.file_name or "file"

    def check(session: Session, actor: Actor) -> tuple[Rules, str]:
        actor.require_active()
        actor.require_manager("error.not_manager.import")
        actor.require_person()  # rows without an owner, and the follow-ups, are the importer's
        return exchange.import_rules(actor, now), actor.lang

    try:
        rules, lang = await run_unit(update, context, check, claim=False)  # the preview claims
    except CrmError as exc:
        await reply_error(update, context, exc)
        return
    async with status(
        update, context, views.import_reading(lang, filename), action=ChatAction.UPLOAD_DOCUMENT
    ) as shown:
        try:
            read = await _read(
                context, shown, document.file_id, filename, document.file_size, rules, lang
            )
        except CrmError as exc:
            await shown.remove()
            await reply_error(update, context, exc)
            return

        def work(session: Session, actor: Actor) -> Outcome:
            if isinstance(read, exchange.SheetChoice):
                kept = exchange.keep_file(
                    session=session,
                    actor=actor,
                    file_id=document.file_id,
                    filename=filename,
                    size=document.file_size or 0,
                    chat_id=chat.id,
                    now=now,
                )
                return _sheet_question(actor, read, kept.pending_id)
            return _preview(session, actor, read, chat_id=chat.id, now=now)

        await respond(update, context, work, status=shown)


async def _read(
    context: BotContext,
    shown: Status,
    file_id: str,
    filename: str,
    size: int | None,
    rules: Rules,
    lang: str,
    sheet: int | None = None,
) -> exchange.ParsedImport | exchange.SheetChoice:
    """Download and read a file in a worker, saying how far it got; raise CrmError."""
    if size and size > MAX_BYTES:
        raise CrmError("import.error.too_big", limit_mb=MAX_BYTES // (1024 * 1024))
    content = await _download(context, file_id)
    # Reading a 5 MB workbook takes seconds of pure Python: a worker process does it.
    read = await context.workers.run(
        partial(exchange.read_import, filename, content, rules, sheet), long=True
    )
    if isinstance(read, exchange.ParsedImport):
        shown.report(views.import_checking(lang, read))
    return read


def _preview(
    session: Session,
    actor: Actor,
    parsed: exchange.ParsedImport,
    *,
    chat_id: int,
    now: datetime,
    message_id: int | None = None,
) -> Outcome:
    """The preview of a read file, with Import / Cancel when it adds customers.

    `message_id`: the message that will show it (a pressed question); else the reply sent.
    """
    preview = exchange.prepare_import(
        session=session, actor=actor, parsed=parsed, chat_id=chat_id, now=now, message_id=message_id
    )
    text = views.import_preview(actor, preview)
    pending_id = preview.pending_id
    if pending_id is None:
        return Outcome(text, [])
    return Outcome(
        text,
        views.import_buttons(actor.lang, pending_id, len(preview.plan.new)),
        remember=lambda s, sent_id: remember_message(s, pending_id, sent_id),
    )


def _sheet_question(actor: Actor, choice: exchange.SheetChoice, pending_id: int) -> Outcome:
    return Outcome(
        views.sheet_question(actor.lang, choice),
        views.sheet_buttons(pending_id, choice),
    )


async def _download(context: BotContext, file_id: str) -> bytes:
    try:
        file = await context.bot.get_file(file_id)
        buffer = io.BytesIO()
        await file.download_to_memory(buffer)
    except TelegramError:
        log.warning("could not download document %s", file_id, exc_info=True)
        raise CrmError("import.error.download") from None
    return buffer.getvalue()


async def on_import_button(update: Update, context: BotContext, pressed: ImportPress) -> None:
    """The buttons of an import, pressed by any manager of the team.

    Import this file (or one of its sheets) / Not now under a question; Import / Cancel
    under a preview.
    """
    if pressed.action is ImportAction.READ:
        await _read_kept(update, context, pressed)
        return
    now = context.clock()
    query = update.callback_query
    # The preview turns into the result: a long import shows its progress there meanwhile.
    message_id = query.message.message_id if query and query.message else None

    async def unit() -> Outcome:
        async with status(
            update,
            context,
            views.import_writing(chat_language(update, context)),
            action=ChatAction.TYPING,
            message_id=message_id,
        ):
            return await run_unit(update, context, work)

    def work(session: Session, actor: Actor) -> Outcome:
        lang = actor.lang
        if pressed.action is ImportAction.CONFIRM:
            result = exchange.confirm_import(
                session=session, actor=actor, pending_id=pressed.pending_id, now=now
            )
            return Outcome(views.import_result(actor, result), toast=t(lang, "import.toast.done"))
        if pressed.action is ImportAction.SKIP:
            filename = exchange.drop_file(
                session=session, actor=actor, pending_id=pressed.pending_id, now=now
            )
            return Outcome(views.import_skipped(lang, filename), [])
        filename = exchange.cancel_import(
            session=session, actor=actor, pending_id=pressed.pending_id, now=now
        )
        return Outcome(
            views.import_cancelled(lang, filename), toast=t(lang, "import.toast.cancelled")
        )

    if pressed.action is ImportAction.CONFIRM:
        await answer(update, context, unit)
    else:
        await press(update, context, work)


async def _read_kept(update: Update, context: BotContext, pressed: ImportPress) -> None:
    """Import this file / a sheet: read the kept file and turn the question into the preview."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    chat_id, message_id = query.message.chat.id, query.message.message_id
    now = context.clock()

    async def unit() -> Outcome:
        def load(session: Session, actor: Actor) -> tuple[exchange.KeptFile, Rules, str]:
            kept = exchange.kept_file(
                session=session, actor=actor, pending_id=pressed.pending_id, now=now
            )
            return kept, exchange.import_rules(actor, now), actor.lang

        kept, rules, lang = await run_unit(update, context, load, claim=False)
        read: exchange.ParsedImport | exchange.SheetChoice | CrmError
        async with status(
            update,
            context,
            views.import_reading(lang, kept.filename),
            action=ChatAction.UPLOAD_DOCUMENT,
            message_id=message_id,
        ) as shown:
            try:
                read = await _read(
                    context,
                    shown,
                    kept.file_id,
                    kept.filename,
                    kept.size,
                    rules,
                    lang,
                    pressed.sheet,
                )
            except CrmError as exc:
                read = exc

        def work(session: Session, actor: Actor) -> Outcome:
            if isinstance(read, exchange.SheetChoice):
                return _sheet_question(actor, read, kept.pending_id)
            exchange.drop_file(session=session, actor=actor, pending_id=kept.pending_id, now=now)
            if isinstance(read, CrmError):  # the question becomes the answer: why not
                return Outcome(t(actor.lang, read.key, **read.params), [])
            return _preview(session, actor, read, chat_id=chat_id, now=now, message_id=message_id)

        return await run_unit(update, context, work)

    await answer(update, context, unit)


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
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & SPREADSHEETS, on_spreadsheet))
    app.add_handler(button(ImportPress, on_import_button))
