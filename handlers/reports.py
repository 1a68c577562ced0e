"""/stats /funnel /pipeline /leaderboard /partners /churn /digest, and the 📊 Chart button.

A report is one compact message. Its chart is sent only when asked for, so the group stays
quiet: `/stats chart` is one photo with the numbers as its caption; the button sends the chart
as a reply and goes away, and only the press that takes it away draws one.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session
from telegram import Message, Update
from telegram.constants import ChatAction
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Html
from bot.reports.requests import (
    ArgsError,
    DigestRequest,
    StatsRequest,
    is_company_request,
    parse_digest_args,
    parse_stats_args,
)
from bot.sending import take_buttons
from bot.services import digest, rollup, stats
from bot.services.errors import UsageError
from bot.services.teams import Actor
from bot.views import charts, reports
from bot.views import digest as digest_views
from bot.views.callbacks import ChartKind, ChartPress, ConsoleCommand
from bot.views.files import Files, chart_photo, with_caption
from handlers import console
from handlers.common import (
    Outcome,
    answer,
    button,
    chat_language,
    command,
    command_args,
    is_chat_admin,
    is_group,
    respond,
    run_unit,
    status,
)


def _request(args: list[str], usage: str = "usage.stats") -> StatsRequest:
    try:
        request = parse_stats_args(args)
    except ArgsError as exc:
        raise UsageError(exc.key) from None
    if usage != "usage.stats" and (request.channel or request.partner or request.rep):
        raise UsageError(usage)
    return request


def _digest_request(args: list[str]) -> DigestRequest:
    try:
        return parse_digest_args(args)
    except ArgsError as exc:
        raise UsageError(exc.key) from None


async def cmd_stats(update: Update, context: BotContext) -> None:
    """/stats [PERIOD] [channel NAME | partner NAME | @rep] [chart]; /stats org [PERIOD]."""
    args = command_args(update.effective_message)
    company = is_company_request(args)
    if not is_group(update.effective_chat):
        if company:
            await console.ask(update, context, ConsoleCommand.STATS_ORG, args[1:], company_stats)
        else:
            await console.ask(update, context, ConsoleCommand.STATS, args, team_stats)
    elif company:
        await company_stats(update, context, args[1:])
    else:
        await team_stats(update, context, args)


async def team_stats(
    update: Update, context: BotContext, args: list[str], team_id: int | None = None
) -> None:
    """/stats for the update's team, or (from a private chat) for team `team_id`."""
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        request = _request(args)
        report = stats.stats_for(session=session, actor=actor, request=request, now=now)
        lang = actor.lang
        text = reports.render_stats(report, lang=lang)
        if request.chart:
            return _captioned(text, chart_photo(charts.channel_chart, report, lang=lang))
        # 📊 draws in the group only (its press reads the group's team): none in private
        keyboard = reports.stats_keyboard(report, lang=lang) if team_id is None else None
        return Outcome(text, keyboard=keyboard)

    await respond(update, context, work, team_id=team_id)


async def company_stats(
    update: Update, context: BotContext, args: list[str], team_id: int | None = None
) -> None:
    """/stats org [PERIOD] [partner NAME]: the company's numbers, for its managers (head office).

    From a private chat (`team_id`: the head office), a chat admin there not yet known as a
    manager is promoted by run_unit, which asks Telegram about the head office's chat.
    """
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    admin = team_id is None and await is_chat_admin(context, chat.id, user.id)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        try:
            request = parse_stats_args(args)
        except ArgsError:
            raise UsageError("usage.stats.org") from None
        if request.chart or request.channel or request.rep:
            raise UsageError("usage.stats.org")
        report = rollup.company_stats_for(
            session=session, actor=actor, period_text=request.period, head_admin=admin, now=now,
            partner=request.partner,
        )  # fmt: skip
        return Outcome(reports.render_company_stats(report, lang=actor.lang))

    await respond(update, context, work, team_id=team_id)


async def cmd_funnel(update: Update, context: BotContext) -> None:
    """/funnel [PERIOD] [chart]: customers per stage (created in the period, if one is given)."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        request = _request(args, "usage.funnel")
        period = stats.period_for(actor, request.period, now=now) if request.period else None
        lang = actor.lang
        result = stats.funnel(session=session, team=actor.team, lang=lang, period=period)
        text = reports.render_funnel(result, lang=lang)
        if request.chart:
            return _captioned(text, chart_photo(charts.funnel_chart, result, lang=lang))
        return Outcome(text, keyboard=reports.funnel_keyboard(result, lang=lang))

    await respond(update, context, work)


async def cmd_pipeline(update: Update, context: BotContext) -> None:
    """/pipeline: open deals by stage, their value and stage-weighted value."""

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        pipe = stats.open_pipeline(session=session, team=actor.team, lang=actor.lang)
        return Outcome(reports.render_pipeline(pipe, lang=actor.lang))

    await respond(update, context, work)


async def cmd_leaderboard(update: Update, context: BotContext) -> None:
    """/leaderboard [PERIOD]: reps by revenue, wins, visits (managers)."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        request = _request(args, "usage.leaderboard")
        actor.require_manager("error.not_manager.leaderboard")
        period = stats.period_for(actor, request.period, now=now)
        rows = stats.leaderboard_for(session=session, actor=actor, period=period, now=now)
        text = reports.render_leaderboard(
            rows, period=period, currency=actor.team.currency, lang=actor.lang
        )
        return Outcome(text)

    await respond(update, context, work)


async def cmd_partners(update: Update, context: BotContext) -> None:
    """/partners [PERIOD]: a scorecard per partner (managers); /partners org: the company's."""
    args = command_args(update.effective_message)
    now = context.clock()
    if is_company_request(args):
        await company_partners(update, context, args[1:])
        return

    def work(session: Session, actor: Actor) -> Outcome:
        request = _request(args, "usage.partners")
        actor.require_manager("error.not_manager.partners")
        period = stats.period_for(actor, request.period, now=now)
        scores = stats.partner_scores_for(session=session, actor=actor, period=period, now=now)
        text = reports.render_partners(
            scores, period=period, currency=actor.team.currency, lang=actor.lang, tz=actor.tz
        )
        return Outcome(text)

    await respond(update, context, work)


async def company_partners(update: Update, context: BotContext, args: list[str]) -> None:
    """/partners org [PERIOD]: every partner's scorecard over the company's groups."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    admin = await is_chat_admin(context, chat.id, user.id)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        request = _request(args, "usage.partners")
        company, period, scores = rollup.partner_scores_for(
            session=session, actor=actor, period_text=request.period, head_admin=admin, now=now
        )
        text = reports.render_partners(
            scores, period=period, currency=actor.team.currency, lang=actor.lang, tz=actor.tz,
            company=company,
        )  # fmt: skip
        return Outcome(text)

    await respond(update, context, work)


async def cmd_churn(update: Update, context: BotContext) -> None:
    """/churn [PERIOD]: customers gone silent or lost, and the churn rate."""
    args = command_args(update.effective_message)
    now = context.clock()

    def work(session: Session, actor: Actor) -> Outcome:
        request = _request(args, "usage.churn")
        actor.require_active()
        period = stats.period_for(actor, request.period, now=now)
        result = stats.churn_for(session=session, actor=actor, period=period, now=now)
        return Outcome(reports.render_churn(result, lang=actor.lang))

    await respond(update, context, work)


async def cmd_digest(update: Update, context: BotContext) -> None:
    """/digest now | last | /digest [settings [day … time … topic here|off on|off skip-empty …]]."""
    args = command_args(update.effective_message)
    await console.here_or_ask(update, context, ConsoleCommand.DIGEST, args, digest_of)


async def digest_of(
    update: Update, context: BotContext, args: list[str], team_id: int | None = None
) -> None:
    """/digest for the update's team, or (from a private chat: now and last) for `team_id`."""
    message = update.effective_message
    now = context.clock()
    thread_id = message.message_thread_id if message and message.is_topic_message else None

    def work(session: Session, actor: Actor) -> Outcome:
        actor.require_active()
        request = _digest_request(args)
        lang = actor.lang
        if team_id is not None and not (request.now or request.last):
            raise UsageError("console.digest")  # settings (a topic "here") are the group's
        if request.now or request.last:
            weekly = digest.digest_now(session=session, actor=actor, now=now, so_far=request.now)
            files = None if weekly.is_empty() else chart_photo(charts.trend_chart, weekly)
            return Outcome(digest_views.render_digest_now(weekly), files=files)
        if request.change is None:
            settings = digest.settings_of(actor.team, session=session, now=now)
            return Outcome(digest_views.render_digest_settings(settings, lang=lang))
        digest.change_settings(
            session=session, actor=actor, change=request.change, thread_id=thread_id, now=now
        )
        settings = digest.settings_of(actor.team, session=session, now=now)
        return Outcome(digest_views.render_settings_changed(settings, lang=lang))

    working = digest_views.digest_working(chat_language(update, context))
    async with status(update, context, working, action=ChatAction.UPLOAD_PHOTO) as shown:
        await respond(update, context, work, status=shown, team_id=team_id)


def _captioned(text: Html, chart: Files) -> Outcome:
    """A report and its chart as one photo; if the chart cannot be sent, the numbers alone."""
    return Outcome(files=with_caption(chart, text), files_failed=text)


async def on_chart_button(update: Update, context: BotContext, pressed: ChartPress) -> None:
    """📊 Chart under a report: send its chart once, as a reply, and remove the button.

    Two quick presses arrive before the button is gone, one after the other (bot.processor):
    the one whose edit takes the button away sends the chart, the other nothing.
    """
    query = update.callback_query
    assert query is not None
    message = query.message
    if not is_group(update.effective_chat) or not isinstance(message, Message):
        await answer(update, context, _nothing)  # a report's button, but not in a group now
        return
    now = context.clock()

    def work(session: Session, actor: Actor) -> Files:
        return _chart_for(session, actor, pressed, now=now)

    async def unit() -> Outcome | None:
        chart = await run_unit(update, context, work)
        if not await take_buttons(context.bot, message.chat_id, message.message_id):
            return None  # an earlier press took them, and sent the chart
        return Outcome(files=chart)

    await answer(update, context, unit)


async def _nothing() -> None:
    return None


def _chart_for(session: Session, actor: Actor, pressed: ChartPress, *, now: datetime) -> Files:
    """What a 📊 button draws, computed now, as the presser may see it."""
    actor.require_active()
    lang = actor.lang
    if pressed.kind is ChartKind.FUNNEL:
        period = None
        if pressed.period != ChartPress.ALL:
            period = stats.period_from_code(actor, pressed.period)
        result = stats.funnel(session=session, team=actor.team, lang=lang, period=period)
        return chart_photo(charts.funnel_chart, result, lang=lang)
    if pressed.scope is None:
        raise UsageError("usage.stats")
    period = stats.period_from_code(actor, pressed.period)
    scope = stats.scope_from_code(session=session, actor=actor, code=pressed.scope)
    report = stats.stats_in_scope(session=session, actor=actor, period=period, scope=scope, now=now)
    return chart_photo(charts.channel_chart, report, lang=lang)


def register(app: Application) -> None:
    """Add the report handlers."""
    app.add_handler(command("stats", cmd_stats))
    app.add_handler(command("funnel", cmd_funnel))
    app.add_handler(command("pipeline", cmd_pipeline))
    app.add_handler(command("leaderboard", cmd_leaderboard))
    app.add_handler(command("partners", cmd_partners))
    app.add_handler(command("churn", cmd_churn))
    app.add_handler(command("digest", cmd_digest))
    app.add_handler(button(ChartPress, on_chart_button))
