"""`crmbot chat`: typing as the cast, pressing buttons, other groups and the private chat."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from tgemu.demo import run_chat


def typed(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    """Answer the chat's prompts with `lines`, then end its input."""
    feed: Iterator[str] = iter(lines)

    def answer(_prompt: str = "") -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", answer)


async def test_press_another_group_and_the_private_chat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(
        monkeypatch,
        [
            "/lead Acme Trading 50k",
            ":press Undo",
            ":press Nothing like it",
            ":group North",
            "/lead Globex 10k",
            ":group",
            ":anon /stats",
            ":as maria",
            ":dm",
            "/stats month",
            ":press North",
        ],
    )
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    assert await run_chat(Settings(), as_user="alice", database_url=url) == 0
    out = capsys.readouterr().out
    assert "🆕 Lead · Acme Trading (new customer)" in out
    assert "✏️ ↩️" in out  # the card, edited in place by Undo
    assert "No button “Nothing like it” on the bot's last answer here." in out
    assert "— in the group “North” —" in out
    assert "🆕 Lead · Globex (new customer)" in out
    assert "Groups: crmbot chat, North." in out
    assert "Only a group admin writes anonymously, in a group" in out  # Alice is no admin
    assert "👋 Hi! You are in North, crmbot chat." in out
    assert "Which team is /stats for?" in out
    picked = out[out.index("Which team is /stats for?") :]
    assert "✏️ 📈" in picked and "Globex" not in picked  # North's numbers, in the picker's place
