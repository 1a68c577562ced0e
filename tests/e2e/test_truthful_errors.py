"""A failure after an update's unit of work committed is not reported as "nothing was saved"."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.i18n import Html
from bot.services.teams import Actor
from handlers.common import Outcome, respond
from tests.e2e.conftest import Team
from tgemu.sandbox import Sandbox


def _lose_the_reply(session: Session, message_id: int) -> None:
    raise RuntimeError("a bug after the commit")


async def _saved_then_failed(update: Update, context: BotContext) -> None:
    def work(session: Session, actor: Actor) -> Outcome:
        return Outcome(Html("saved"), remember=_lose_the_reply)

    await respond(update, context, work)


async def _failed_before_saving(update: Update, context: BotContext) -> None:
    def work(session: Session, actor: Actor) -> Outcome:
        raise RuntimeError("a bug inside the unit of work")

    await respond(update, context, work)


@pytest.fixture
def failing(sandbox: Sandbox) -> Sandbox:
    """The real Application with two commands of this test that fail after and before saving."""
    assert sandbox.app is not None
    # Ahead of the catch-all for unknown commands, which ends the same group.
    sandbox.app.handlers[0][:0] = [
        CommandHandler("saved_then_failed", _saved_then_failed),
        CommandHandler("failed_first", _failed_before_saving),
    ]
    return sandbox


@pytest.mark.parametrize(
    ("lang", "after", "before"),
    [
        (
            "en",
            "That was saved, but I could not show the result. "
            "/tasks or /customer NAME shows where things stand.",
            "Sorry, something went wrong on my side. Nothing was saved — please try again.",
        ),
        (
            "zh",
            "已保存，但结果没能显示出来。用 /tasks 或 /customer 客户名 查看最新情况。",
            "抱歉，我这边出了点问题，未保存任何内容，请重试。",
        ),
    ],
)
async def test_the_error_reply_says_whether_it_was_saved(
    failing: Sandbox, active_team: Team, lang: str, after: str, before: str
) -> None:
    chat = active_team.chat_id
    await failing.say(chat, active_team.manager, f"/lang {lang}")
    replies = await failing.say(chat, active_team.alice, "/saved_then_failed")
    assert [r.text for r in replies] == ["saved", after]
    (reply,) = await failing.say(chat, active_team.alice, "/failed_first")
    assert reply.text == before
