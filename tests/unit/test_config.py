"""Settings: defaults, and one clear line for each bad setting."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "DATABASE_URL",
        "CRMBOT_DEFAULT_TZ",
        "CRMBOT_DEFAULT_LANG",
        "TELEGRAM_API_BASE_URL",
        "CRMBOT_WEBHOOK_LISTEN",
        "CRMBOT_WEBHOOK_SECRET",
        "CRMBOT_WORKERS",
        "CRMBOT_WEB_LISTEN",
        "CRMBOT_WEBAPP_URL",
        "CRMBOT_WEBAPP_NAME",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///data/crmbot.db"
    assert settings.default_tz == "Asia/Shanghai"
    assert settings.default_lang == "en"
    assert settings.workers == 2


def test_env_file_is_read(tmp_path) -> None:
    (tmp_path / ".env").write_text("CRMBOT_DEFAULT_LANG=zh\nTELEGRAM_BOT_TOKEN=1:abc\n")
    settings = load_settings()
    assert settings.default_lang == "zh"
    assert settings.require_token() == "1:abc"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CRMBOT_DEFAULT_TZ", "Mars/Olympus"),
        ("CRMBOT_DEFAULT_LANG", "fr"),
        ("DATABASE_URL", "mysql://x"),
        ("TELEGRAM_API_BASE_URL", "ftp://x"),
        ("CRMBOT_WEBHOOK_LISTEN", "8443"),
        ("CRMBOT_WEBHOOK_SECRET", "bad secret!"),
        ("CRMBOT_WORKERS", "-1"),
        ("CRMBOT_WEB_LISTEN", "8080"),
        ("CRMBOT_WEBAPP_URL", "http://crm.example.com/app/"),
        ("CRMBOT_WEBAPP_URL", "crm.example.com/app/"),
        ("CRMBOT_WEBAPP_NAME", "my app"),
        ("CRMBOT_WEBAPP_NAME", "ab"),
    ],
)
def test_bad_setting_names_itself(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert message.startswith(name) and "\n" not in message


def test_missing_token_is_one_line_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmbot: TELEGRAM_BOT_TOKEN is missing")
    assert "Traceback" not in err and err.count("\n") == 1


def test_mini_app_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().web_listen is None and load_settings().webapp_url is None
    monkeypatch.setenv("CRMBOT_WEB_LISTEN", "127.0.0.1:8080")
    monkeypatch.setenv("CRMBOT_WEBAPP_URL", "http://localhost:8080/app/")  # local: http is fine
    settings = load_settings()
    assert (settings.web_host, settings.web_port) == ("127.0.0.1", 8080)
    assert settings.webapp_url == "http://localhost:8080/app/"
    assert settings.webapp_name == "app"
