"""Typed settings, read once from the environment (and `.env`) in main() and passed down."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///data/crmbot.db"

# How each setting is explained when it is missing or wrong: one line, no traceback.
FIX_HINTS: dict[str, str] = {
    "TELEGRAM_BOT_TOKEN": "get one from @BotFather and set TELEGRAM_BOT_TOKEN=123456:ABC…",
    "TELEGRAM_API_BASE_URL": "use a URL like http://127.0.0.1:9100/bot (the token is appended)",
    "DATABASE_URL": "use sqlite:///data/crmbot.db or postgresql+psycopg://user@host/db",
    "CRMBOT_DEFAULT_TZ": "use an IANA zone name such as Asia/Shanghai or Europe/Berlin",
    "CRMBOT_DEFAULT_LANG": "use en or zh",
    "CRMBOT_WEBHOOK_URL": "use the public https URL Telegram should post to",
    "CRMBOT_WEBHOOK_LISTEN": "use host:port, e.g. 0.0.0.0:8443",
    "CRMBOT_WEBHOOK_SECRET": "use 1-256 characters of A-Z, a-z, 0-9, _ and -",
    "CRMBOT_WORKERS": "use 1 or 2 worker processes (0 draws in a thread of the bot)",
    "CRMBOT_PROCESSES": "use the number of crmbot processes serving this bot token (1-64)",
    "CRMBOT_WEB_LISTEN": "use host:port for the Mini App's server, e.g. 127.0.0.1:8080",
    "CRMBOT_WEBAPP_URL": "use the public https URL of /app/, e.g. https://crm.example.com/app/",
    "CRMBOT_WEBAPP_NAME": "use the short name given to @BotFather's /newapp (A-Z, a-z, 0-9, _)",
}


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line naming it and the fix."""


class Settings(BaseSettings):
    """Everything crmbot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    telegram_bot_token: str = Field(default="", alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    default_tz: str = Field(default="Asia/Shanghai", alias="CRMBOT_DEFAULT_TZ")
    default_lang: str = Field(default="en", alias="CRMBOT_DEFAULT_LANG")
    default_currency: str = Field(default="CNY", alias="CRMBOT_DEFAULT_CURRENCY")
    webhook_url: str | None = Field(default=None, alias="CRMBOT_WEBHOOK_URL")
    webhook_listen: str = Field(default="0.0.0.0:8443", alias="CRMBOT_WEBHOOK_LISTEN")
    webhook_secret: str | None = Field(default=None, alias="CRMBOT_WEBHOOK_SECRET")
    reminder_interval_seconds: int = Field(default=60, alias="CRMBOT_REMINDER_INTERVAL", ge=5)
    # Updates in flight at once across all chats (each chat's are still handled one by one).
    concurrent_updates: int = Field(default=256, alias="CRMBOT_CONCURRENT_UPDATES", ge=1)
    # How long an update waits for an unreachable database before it is given up (and logged).
    database_retry_seconds: float = Field(default=600, alias="CRMBOT_DATABASE_RETRY", ge=0)
    # How many crmbot processes serve this bot token (webhook processes behind one URL): each
    # paces its sends to its share of Telegram's limits, so together they stay under them.
    processes: int = Field(default=1, alias="CRMBOT_PROCESSES", ge=1, le=64)
    # Worker processes for charts, export files and import parsing (0: a thread of the bot).
    workers: int = Field(default=2, alias="CRMBOT_WORKERS", ge=0, le=32)
    # Seconds an import, export or digest may take before a status message says it is working.
    progress_after_seconds: float = Field(default=2.0, alias="CRMBOT_PROGRESS_AFTER", ge=0)
    # The Mini App: where its server listens (none: not served), the public URL of its page
    # that buttons open, and its short name at @BotFather (the t.me/<bot>/<name> link).
    web_listen: str | None = Field(default=None, alias="CRMBOT_WEB_LISTEN")
    webapp_url: str | None = Field(default=None, alias="CRMBOT_WEBAPP_URL")
    webapp_name: str = Field(default="app", alias="CRMBOT_WEBAPP_NAME")

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite and postgresql are supported")
        return value

    @field_validator("default_tz")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("default_lang")
    @classmethod
    def _lang(cls, value: str) -> str:
        value = value.lower()
        if value not in ("en", "zh"):
            raise ValueError(f"unsupported language {value!r}")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"{value!r} is not host:port")
        return value

    @field_validator("web_listen")
    @classmethod
    def _web_listen(cls, value: str | None) -> str | None:
        return cls._listen(value) if value else None

    @field_validator("webapp_url")
    @classmethod
    def _webapp_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        local = parts.hostname in ("localhost", "127.0.0.1")
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise ValueError("Telegram opens Mini Apps over https only")
        if not parts.hostname:
            raise ValueError(f"{value!r} has no host")
        return value

    @field_validator("webapp_name")
    @classmethod
    def _webapp_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_]{3,30}", value):
            raise ValueError(f"{value!r} is not a Mini App short name")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: str | None) -> str | None:
        if value and not all(c.isalnum() or c in "_-" for c in value):
            raise ValueError("has characters Telegram does not allow")
        return value or None

    @property
    def web_host(self) -> str | None:
        return self.web_listen.rpartition(":")[0] if self.web_listen else None

    @property
    def web_port(self) -> int | None:
        return int(self.web_listen.rpartition(":")[2]) if self.web_listen else None

    @property
    def listen_host(self) -> str:
        return self.webhook_listen.rpartition(":")[0]

    @property
    def listen_port(self) -> int:
        return int(self.webhook_listen.rpartition(":")[2])

    def require_token(self) -> str:
        """Return the bot token, or raise ConfigError explaining how to set it."""
        if not self.telegram_bot_token or ":" not in self.telegram_bot_token:
            raise ConfigError(_explain("TELEGRAM_BOT_TOKEN", "is missing or malformed"))
        return self.telegram_bot_token

    def sqlite_path(self) -> Path | None:
        """Return the SQLite file this configuration uses, if any."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :])
        return None


def _explain(name: str, problem: str) -> str:
    return f"{name} {problem}: {FIX_HINTS.get(name, 'see README.md, Configuration')}"


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; raise ConfigError with one clear line when one is invalid."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "configuration"
        alias = Settings.model_fields[field].alias if field in Settings.model_fields else field
        name = alias or field.upper()
        raise ConfigError(_explain(name, f"is invalid ({error['msg']})")) from None
