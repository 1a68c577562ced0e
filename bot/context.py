"""A typed CallbackContext: handlers reach settings, the database and the clock by attribute."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.web.server import WebServer
from bot.workers import Workers
from models.db import Database


@dataclass
class AppState:
    """What every handler and job shares; filled in once by build_application()."""

    # Defaults without reading the environment: build_application() sets the real settings.
    settings: Settings = field(default_factory=Settings.model_construct)
    db: Database | None = None
    clock: Clock = system_clock
    # The process pool for heavy pure work; made in post_init, its processes on the first job.
    workers: Workers | None = None
    # The language each chat was last answered in: what to say while the database is away.
    languages: dict[int, str] = field(default_factory=dict)
    # The Mini App's own server (post_init opens it, post_shutdown closes it); web_shared when
    # its routes joined the webhook's server on the same address instead.
    web: WebServer | None = None
    web_shared: bool = False


class BotContext(CallbackContext[ExtBot[None], dict, dict, AppState]):
    """The context handlers and jobs receive."""

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    @property
    def db(self) -> Database:
        db = self.bot_data.db
        if db is None:
            raise RuntimeError("the database is opened in post_init")
        return db

    @property
    def workers(self) -> Workers:
        workers = self.bot_data.workers
        if workers is None:
            raise RuntimeError("the workers are set up in post_init")
        return workers

    @property
    def clock(self) -> Clock:
        return self.bot_data.clock


CrmApplication = Application[ExtBot[None], BotContext, dict, dict, AppState, JobQueue[BotContext]]
