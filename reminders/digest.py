"""The weekly channel digest: every few minutes, send the digests whose time has come.

The database says what is due (a team's weekday and time passed this week, no DigestRun for
the week yet) and who sends it (whoever inserts the DigestRun first), so restarts and a
second process never send a week twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from telegram import Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Html
from bot.reports.numbers import TeamDigest
from bot.sending import send_files
from bot.services import digest
from bot.views import charts
from bot.views.digest import render_digest
from bot.views.files import chart_photo
from bot.views.text import fit
from models.db import Database
from reminders.jobs import run_every

log = logging.getLogger(__name__)
JOB = "digest"
INTERVAL = timedelta(minutes=5)
CHUNK = 50  # teams claimed, computed and sent together


async def digest_job(context: BotContext) -> None:
    """Claim, compute and send every digest that is due, a chunk of teams at a time.

    Claiming per chunk keeps what a crash can strand small (a claimed week is never sent
    twice, so it is not retried) and lets a second process take the chunks this one has not.
    """
    db, now = context.db, context.clock()
    due = await db.in_session(lambda session: digest.due_digests(session=session, now=now))
    for first in range(0, len(due), CHUNK):
        claimed = await db.run(partial(_claim, db, due[first : first + CHUNK], now=now))
        if claimed:
            await _send_chunk(context, claimed, now=now)


async def _send_chunk(context: BotContext, claimed: dict[int, datetime], *, now: datetime) -> None:
    db = context.db
    try:
        digests = await _compute(context, list(claimed), now=now)
    except Exception:
        log.exception("could not compute weekly digests; releasing them for the next run")
        await db.run(lambda: _release(db, claimed))
        return
    for weekly in digests:
        await _deliver(context, weekly, claimed[weekly.team_id], now=now)


async def _deliver(
    context: BotContext, weekly: TeamDigest, period_start: datetime, *, now: datetime
) -> None:
    db = context.db
    text = render_digest(weekly)
    message: Message | None = None
    if text is not None:
        try:
            message = await _send_text(context, weekly, text)
        except (NetworkError, RetryAfter):
            log.warning(
                "digest for chat %s failed; retrying next run", weekly.chat_id, exc_info=True
            )
            await db.run(lambda: _release(db, {weekly.team_id: period_start}))
            return
        except (Forbidden, TelegramError):
            # The bot left the group or the chat is gone: the week stays claimed.
            log.warning("digest for chat %s cannot be posted", weekly.chat_id, exc_info=True)
            return
    message_id = message.message_id if message else None
    await db.in_session(
        lambda session: digest.mark_sent(
            session=session,
            team_id=weekly.team_id,
            period_start=period_start,
            message_id=message_id,
            now=now,
        )
    )
    if message is not None and not weekly.is_empty():
        await send_files(
            context.bot,
            weekly.chat_id,
            chart_photo(charts.trend_chart, weekly),
            workers=context.workers,
            reply_to=message.message_id,
            thread_id=message.message_thread_id if message.is_topic_message else None,
        )


async def _compute(context: BotContext, team_ids: list[int], *, now: datetime) -> list[TeamDigest]:
    """The digests' numbers, in a worker; an in-memory database exists only in this process."""
    db = context.db
    if db.in_memory:
        return await db.in_session(
            lambda session: digest.digests_for(session=session, team_ids=team_ids, now=now)
        )
    job = partial(digest.digests_from_database, db.url, team_ids, now)
    return await context.workers.run(job, long=True)


def _claim(db: Database, due: list[digest.DueDigest], *, now: datetime) -> dict[int, datetime]:
    """Claim what this process can of `due`, each team in its own transaction."""
    return {
        d.team_id: d.period_start
        for d in due
        if digest.try_claim(db=db, team_id=d.team_id, period_start=d.period_start, now=now)
    }


def _release(db: Database, claims: dict[int, datetime]) -> None:
    for team_id, period_start in claims.items():
        digest.release(db=db, team_id=team_id, period_start=period_start)


async def _send_text(context: BotContext, weekly: TeamDigest, text: Html) -> Message:
    """Post the digest, in its topic if the topic is still there.

    Not bot.sending.send_text, which logs every refusal the same way: here a network error
    gives the week back for the next run, and any other refusal keeps it claimed.
    """
    text = fit(text)
    try:
        return await context.bot.send_message(
            weekly.chat_id, text, message_thread_id=weekly.thread_id
        )
    except BadRequest:
        if weekly.thread_id is None:
            raise
        # The topic may have been closed or deleted: the main chat is better than nothing.
        log.warning("digest topic %s of chat %s is gone", weekly.thread_id, weekly.chat_id)
        return await context.bot.send_message(weekly.chat_id, text)


def schedule(app: Application) -> None:
    """Check for due digests every five minutes under one fixed job name."""
    run_every(app, digest_job, name=JOB, interval=INTERVAL, first=30)
