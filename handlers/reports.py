"""/stats /funnel /pipeline /leaderboard /partners /churn /digest, and the 📊 Chart button.

A report is one compact message. Its chart is a separate photo, sent only when asked for
(`/stats chart`, or the button, which then disappears) so the group stays quiet.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import Html, t
from bot.reports import charts, render
from bot.reports.periods import Period, PeriodError
from bot.reports.requests import ArgsError, StatsRequest, parse_digest_settings, parse_stats_args
from bot.services import digest, stats
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
from handlers.common import Reply, command_args, is_group, load_actor, respond, team_language

log = logging.getLogger(__name__)

ChartJob = Callable[[], bytes]
CHART_PREFIX = "s:"


def _request(args: list[str], usage: str = "usage.stats") -> StatsRequest:
    try:
        request = parse_stats_args(args)
    except ArgsError as exc:
        raise UsageError(exc.key) from None
    if usage != "usage.stats" and (request.channel or request.partner or request.rep):
        raise UsageError(usage)
    return request


def chart_button(lang: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t(lang, "stats.btn.chart"), callback_data=CHART_PREFIX + data)]]
    )


async def _reply_with_chart(
    update: Update,
    context: BotContext,
    work: Callable[[Session, Actor], Reply],
    job: list[ChartJob],
) -> None:
    """Send the report; then, if the work queued a chart, draw it off the loop and send it."""
    sent = await respond(update, context, work)
    if sent is not None and job:
        await send_chart(context, sent, job[0])


async def send_chart(
    context: BotContext, message: Message, draw: ChartJob, *, thread_id: int | None = None
) -> Message | None:
    """Draw a chart in a worker thread and send it as a reply to `message`."""
    png = await asyncio.to_thread(draw)
    try:
        return await context.bot.send_photo(
            message.chat_id,
            photo=png,
            reply_to_message_id=message.message_id,
            allow_sending_without_reply=True,
            message_thread_id=thread_id,
        )
    except TelegramError:
        log.exception("could not send a chart to chat %s", message.chat_id)
        return None


async def cmd_stats(update: Update, context: BotContext) -> None:
    """/stats [PERIOD] [channel NAME | partner NAME | @rep] [chart]."""
    args = command_args(update.effective_message)
    now = context.clock()
    job: list[ChartJob] = []

    def work(session: Session, actor: Actor) -> Reply:
        request = _request(args)
        report = stats.stats_for(session=session, actor=actor, request=request, now=now)
        lang = actor.lang
        markup = None
        if request.chart:
            job.append(lambda: charts.channel_chart(report, lang=lang))
        elif not report.total.is_empty():
            markup = chart_button(lang, f"c:{report.period.code()}:{report.scope.code()}")
        return Reply(render.render_stats(report, lang=lang), markup=markup)

    await _reply_with_chart(update, context, work, job)


async def cmd_funnel(update: Update, context: BotContext) -> None:
    """/funnel [PERIOD] [chart]: customers per stage (created in the period, if one is given)."""
    args = command_args(update.effective_message)
    now = context.clock()
    job: list[ChartJob] = []

    def work(session: Session, actor: Actor) -> Reply:
        actor.require_active()
        request = _request(args, "usage.funnel")
        period = stats.period_for(actor, request.period, now=now) if request.period else None
        result = stats.funnel(session=session, team=actor.team, lang=actor.lang, period=period)
        lang = actor.lang
        markup = None
        if request.chart:
            job.append(lambda: charts.funnel_chart(result, lang=lang))
        elif result.total:
            markup = chart_button(lang, f"f:{period.code() if period else 'all'}")
        return Reply(render.render_funnel(result, lang=lang), markup=markup)

    await _reply_with_chart(update, context, work, job)


async def cmd_pipeline(update: Update, context: BotContext) -> None:
    """/pipeline: open deals by stage, their value and stage-weighted value."""

    def work(session: Session, actor: Actor) -> Reply:
        actor.require_active()
        pipe = stats.open_pipeline(session=session, team=actor.team, lang=actor.lang)
        return Reply(render.render_pipeline(pipe, lang=actor.lang))

    await respond(update, context, work)


async def cmd_leaderboard(update: Update, context: BotContext) -> None:
    """/leaderboard [PERIOD]: reps by revenue, wins, visits (managers)."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Reply:
        request = _request(args, "usage.leaderboard")
        actor.require_manager()
        period = stats.period_for(actor, request.period, now=now)
        rows = stats.leaderboard_for(session=session, actor=actor, period=period, now=now)
        text = render.render_leaderboard(
            rows, period=period, currency=actor.team.currency, lang=actor.lang
        )
        return Reply(text)

    await respond(update, context, work)


async def cmd_partners(update: Update, context: BotContext) -> None:
    """/partners [PERIOD]: a scorecard per partner (managers)."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Reply:
        request = _request(args, "usage.partners")
        actor.require_manager()
        period = stats.period_for(actor, request.period, now=now)
        scores = stats.partner_scores_for(session=session, actor=actor, period=period, now=now)
        text = render.render_partners(
            scores, period=period, currency=actor.team.currency, lang=actor.lang, tz=actor.tz
        )
        return Reply(text)

    await respond(update, context, work)


async def cmd_churn(update: Update, context: BotContext) -> None:
    """/churn [PERIOD]: customers gone silent or lost, and the churn rate."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Reply:
        request = _request(args, "usage.churn")
        actor.require_active()
        period = stats.period_for(actor, request.period, now=now)
        result = stats.churn_for(session=session, actor=actor, period=period, now=now)
        return Reply(render.render_churn(result, lang=actor.lang))

    await respond(update, context, work)


NOW_WORDS = frozenset({"now", "现在", "立即", "预览"})
SETTINGS_WORDS = frozenset({"settings", "setting", "设置"})


async def cmd_digest(update: Update, context: BotContext) -> None:
    """/digest now | /digest [settings [day … time … topic here|off on|off skip-empty on|off]]."""
    message = update.effective_message
    args = command_args(message)
    now = context.clock()
    job: list[ChartJob] = []
    thread_id = message.message_thread_id if message and message.is_topic_message else None

    def work(session: Session, actor: Actor) -> Reply:
        actor.require_active()
        words = list(args)
        if words and words[0].casefold() in NOW_WORDS:
            if len(words) > 1:
                raise UsageError("usage.digest")
            weekly = digest.digest_now(session=session, actor=actor, now=now)
            text = render.render_digest(weekly) or t(
                actor.lang, "digest.empty", period=render.period_label(weekly.week, actor.lang)
            )
            if not weekly.is_empty():
                job.append(lambda: charts.trend_chart(weekly))
            return Reply(text)
        if words and words[0].casefold() in SETTINGS_WORDS:
            words = words[1:]
        if not words:
            return Reply(_settings_text(actor, now=now))
        try:
            change = parse_digest_settings(words)
        except ArgsError as exc:
            raise UsageError(exc.key) from None
        digest.change_settings(
            session=session, actor=actor, change=change, thread_id=thread_id, now=now
        )
        return Reply(t(actor.lang, "digest.changed", settings=_settings_text(actor, now=now)))

    await _reply_with_chart(update, context, work, job)


def _settings_text(actor: Actor, *, now: datetime) -> Html:
    team = actor.team
    settings = render.DigestSettings(
        enabled=team.digest_enabled,
        weekday=team.digest_weekday,
        time=team.digest_time,
        tz=actor.tz,
        thread_id=team.digest_thread_id,
        skip_empty=team.digest_skip_empty,
        warn_drop_pct=team.warn_drop_pct,
        partner_silent_days=team.partner_silent_days,
        churn_silent_days=team.churn_silent_days,
        next_send=digest.next_send(team, now=now),
    )
    return render.render_digest_settings(settings, lang=actor.lang)


async def on_chart_button(update: Update, context: BotContext) -> None:
    """📊 Chart under a report: send its chart once, as a reply, and remove the button."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    if not is_group(update.effective_chat) or not isinstance(query.message, Message):
        await query.answer()
        return
    message = query.message
    parts = query.data.removeprefix(CHART_PREFIX).split(":")
    now = context.clock()
    try:
        with context.db.session() as session:
            draw = _chart_for(session, load_actor(session, update, context), parts, now=now)
    except CrmError as exc:
        lang = team_language(context, message.chat_id)
        await query.answer(t(lang, exc.key, **exc.params), show_alert=True)
        return
    await query.answer()
    try:
        await context.bot.edit_message_reply_markup(
            message.chat_id, message.message_id, reply_markup=None
        )
    except BadRequest:
        pass  # already removed by an earlier press
    await send_chart(context, message, draw)


def _chart_for(session: Session, actor: Actor, parts: list[str], *, now: datetime) -> ChartJob:
    actor.require_active()
    lang = actor.lang
    try:
        kind, code, *rest = parts
        period = None if code == "all" else Period.from_code(code, actor.tz)
    except (ValueError, PeriodError):
        raise UsageError("usage.stats") from None
    if kind == "c" and period is not None and rest:
        scope = stats.scope_from_code(session=session, actor=actor, code=rest[0])
        report = stats.stats_in_scope(
            session=session, actor=actor, period=period, scope=scope, now=now
        )
        return lambda: charts.channel_chart(report, lang=lang)
    if kind == "f":
        result = stats.funnel(session=session, team=actor.team, lang=lang, period=period)
        return lambda: charts.funnel_chart(result, lang=lang)
    raise UsageError("usage.stats")


def register(app: Application) -> None:
    """Add the report handlers."""
    app.add_handler(CommandHandler("stats", cmd_stats))
    app.add_handler(CommandHandler("funnel", cmd_funnel))
    app.add_handler(CommandHandler("pipeline", cmd_pipeline))
    app.add_handler(CommandHandler("leaderboard", cmd_leaderboard))
    app.add_handler(CommandHandler("partners", cmd_partners))
    app.add_handler(CommandHandler("churn", cmd_churn))
    app.add_handler(CommandHandler("digest", cmd_digest))
    app.add_handler(CallbackQueryHandler(on_chart_button, pattern=r"^s:"))
