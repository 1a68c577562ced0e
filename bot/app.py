"""The composition root: build_application(settings) wires everything, in one place."""

from __future__ import annotations

import gc
import logging
from functools import partial

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.context import AppState, BotContext, CrmApplication
from bot.delivery import RetryingRateLimiter
from bot.processor import PerChatUpdateProcessor
from bot.sending import edit_message
from bot.transport import READ_TIMEOUT, AiohttpRequest
from bot.views.callbacks import ConsoleCommand
from bot.views.keyboards import Keyboard
from bot.web.api import Backend
from bot.web.server import WebServer
from bot.workers import Workers
from models.db import Database

log = logging.getLogger(__name__)

# Every update type crmbot handles; getUpdates and setWebhook ask for exactly these.
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
    Update.CHAT_MEMBER,
]


# Python collects its youngest objects after every 700 allocations it has not freed; a /visit
# makes thousands of short-lived ORM objects, so at its default it collected several times per
# message (6% of the CPU under load). 20,000 makes that a few times per hundred messages: most
# of them are freed by reference counting anyway, and a cycle waits a little longer.
GC_THRESHOLDS = (20_000, 20, 20)


def tune_gc() -> None:
    """Collect less often, and never look again at what start-up built (docs/performance.md).

    For the bot's own process (`crmbot run`), once its modules are loaded; not for a process
    that builds many Applications, such as the tests.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


OVERALL_PER_SECOND = 25  # Telegram allows about 30 messages a second in all
GROUP_PER_MINUTE = 15  # and about 20 a minute in one group


def production_rate_limiter(processes: int = 1) -> RetryingRateLimiter:
    """The send limits and retries crmbot keeps in production, for one of `processes`."""
    # Keep well under Telegram's limits (a burst waits, nothing is dropped) and wait out any
    # 429 that still comes. Several processes share a token's limits: each keeps to its share
    # (a group's updates reach them round robin, so its messages are shared out as well).
    # A 5xx, timeout or lost connection is tried 5 times, 0.5 s, 1 s, 2 s and 4 s apart.
    return RetryingRateLimiter(
        overall_max_rate=OVERALL_PER_SECOND / processes,
        overall_time_period=1,
        group_max_rate=GROUP_PER_MINUTE / processes,
        group_time_period=60,
        max_retries=5,
        attempts=5,
        base_delay=0.5,
        max_delay=30,
    )


def build_application(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    db: Database | None = None,
    rate_limiter: RetryingRateLimiter | None = None,
    read_timeout: float | None = None,
) -> CrmApplication:
    """Build the Application: handlers in order, jobs, rate limits, database lifecycle.

    `read_timeout` is how long a Bot API call waits for Telegram's answer (None: PTB's 5 s).
    """
    import handlers.console
    import handlers.customers
    import handlers.entries
    import handlers.exchange
    import handlers.fallback
    import handlers.guards
    import handlers.onboarding
    import handlers.org
    import handlers.partners
    import handlers.reminders
    import handlers.reports
    import handlers.tasks
    import handlers.webapp

    token = settings.require_token()
    limiter = rate_limiter or production_rate_limiter(settings.processes)
    read = READ_TIMEOUT if read_timeout is None else read_timeout
    builder = (
        ApplicationBuilder()
        .token(token)
        # PTB's pool size (256): handlers, jobs and the Mini App's edits all send through it.
        .request(AiohttpRequest(read_timeout=read))
        .get_updates_request(AiohttpRequest(connections=1, read_timeout=read))
        .context_types(ContextTypes(context=BotContext, bot_data=AppState))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        # Every call but getUpdates goes through it: rate limits, 429s, retries of stumbles.
        .rate_limiter(limiter)
        # Groups do not wait for each other; each group's updates keep their order.
        .concurrent_updates(PerChatUpdateProcessor(settings.concurrent_updates))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot", 1))
    app: CrmApplication = builder.build()  # type: ignore[assignment]
    app.bot_data.settings = settings
    app.bot_data.db = db
    app.bot_data.clock = clock
    limiter.on_migrated = partial(handlers.onboarding.follow_refused_send, app.bot_data)

    # Order matters: the guard (group -1) runs first; within group 0 the first match wins,
    # so specific commands come before free text, and the unknown-command catch-all is last.
    handlers.guards.register(app)
    handlers.onboarding.register(app)
    handlers.entries.register(app)
    handlers.customers.register(app)
    handlers.partners.register(app)
    handlers.org.register(app)
    handlers.tasks.register(app)
    handlers.reminders.register(app)
    handlers.reports.register(app)
    handlers.exchange.register(app)
    handlers.webapp.register(app)
    # The private console's team picker runs the command it asked for, for the team picked.
    handlers.console.register(
        app,
        {
            ConsoleCommand.STATS: handlers.reports.team_stats,
            ConsoleCommand.STATS_ORG: handlers.reports.company_stats,
            ConsoleCommand.TASKS_ALL: handlers.tasks.tasks_of,
            ConsoleCommand.DIGEST: handlers.reports.digest_of,
            ConsoleCommand.EXPORT: handlers.exchange.export_of,
        },
    )
    handlers.fallback.register(app)
    return app


async def _post_init(app: CrmApplication) -> None:
    import handlers.onboarding
    import reminders

    state = app.bot_data
    if state.db is None:
        state.db = Database(state.settings.database_url)
    state.db.upgrade()
    if state.workers is None:
        state.workers = Workers(state.settings.workers)
    await handlers.onboarding.set_menus(app)
    reminders.schedule(app)
    settings = state.settings
    if settings.web_host is not None and settings.web_port is not None and not state.web_shared:
        backend = web_backend(app)
        state.web = WebServer(backend, host=settings.web_host, port=settings.web_port)
        await state.web.start()
    log.info("crmbot is up as @%s", app.bot.username)


IN_CHAT = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER)


def web_backend(app: CrmApplication) -> Backend:
    """What the Mini App's API uses of the bot: its token, clock, database, Telegram's word on
    who is in a chat, and the edit of a reminder's buttons."""
    state = app.bot_data

    async def in_chat(chat_id: int, user_id: int) -> bool:
        try:
            member = await app.bot.get_chat_member(chat_id, user_id)
        except TelegramError:
            return False
        restricted_in = member.status == ChatMemberStatus.RESTRICTED and getattr(
            member, "is_member", False
        )
        return member.status in IN_CHAT or bool(restricted_in)

    async def edit_buttons(chat_id: int, message_id: int, keyboard: Keyboard) -> None:
        await edit_message(app.bot, chat_id, message_id, keyboard=keyboard)

    return Backend(
        token=state.settings.telegram_bot_token,
        clock=state.clock,
        database=lambda: state.db,
        in_chat=in_chat,
        edit_buttons=edit_buttons,
    )


async def _post_shutdown(app: CrmApplication) -> None:
    if app.bot_data.web is not None:
        await app.bot_data.web.stop()
        app.bot_data.web = None
    if app.bot_data.workers is not None:
        await app.bot_data.workers.close()
    if app.bot_data.db is not None:
        app.bot_data.db.dispose()
