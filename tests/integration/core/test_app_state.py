"""The composition root uses the settings it is given and reads nothing else."""

from __future__ import annotations

import pytest

from bot.app import build_application
from bot.config import Settings


def test_build_application_does_not_read_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRMBOT_DEFAULT_TZ", "Nowhere/Invalid")
    settings = Settings(TELEGRAM_BOT_TOKEN="123456:TEST", CRMBOT_DEFAULT_TZ="Europe/Berlin")
    app = build_application(settings)
    assert app.bot_data.settings is settings
