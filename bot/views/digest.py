"""The weekly digest and its settings as Telegram HTML."""

from __future__ import annotations

from bot.i18n import Html, t
from bot.i18n.format import WEEKDAYS, format_amount, format_date
from bot.reports.numbers import Numbers, TeamDigest
from bot.reports.settings import DigestSettings
from bot.views.reports import channel_name, delta, label, period_label, short_amount
from bot.views.text import name_list


def _numbers_line(lang: str, name: str, now: Numbers, before: Numbers, currency: str) -> Html:
    change = now.revenue - before.revenue
    return t(
        lang,
        "digest.channel",
        name=name,
        leads=now.leads,
        leads_delta=delta(now.leads, before.leads),
        visits=now.visits,
        visits_delta=delta(now.visits, before.visits),
        wins=now.wins,
        amount=format_amount(now.revenue, currency, lang=lang),
        amount_delta=delta(
            now.revenue, before.revenue, money=short_amount(abs(change), currency, lang=lang)
        ),
    )


def render_digest(digest: TeamDigest) -> Html | None:
    """The week per channel vs the week before, top reps and partners, tasks, silence, 预警.

    An empty week is one line, or nothing when the team skips empty weeks.
    """
    lang, money = digest.lang, digest.currency
    period = period_label(digest.week, lang)
    kind = "so_far" if digest.so_far else "week"
    if digest.is_empty():
        return None if digest.skip_empty else t(lang, f"digest.empty.{kind}", period=period)
    lines = [t(lang, f"digest.title.{kind}", period=period)]
    shown = 0
    for name, weeks in digest.channels:
        last, prev = weeks[-1], weeks[-2] if len(weeks) > 1 else Numbers()
        if last.is_empty() and prev.is_empty():
            continue
        shown += 1
        lines.append(_numbers_line(lang, channel_name(name, lang), last, prev, money))
    if shown > 1:
        total_name = label(lang, "stats.total")
        lines.append(_numbers_line(lang, total_name, digest.last, digest.previous, money))
    lines.append(t(lang, f"digest.vs.{kind}"))
    if digest.top_reps:
        items = [
            label(
                lang,
                "digest.rep_item",
                name=r.name,
                amount=short_amount(r.numbers.revenue, money, lang=lang),
                wins=r.numbers.wins,
                visits=r.numbers.visits,
            )
            for r in digest.top_reps
        ]
        lines.append(t(lang, "digest.top_reps", list=" · ".join(items)))
    if digest.top_partners:
        items = [
            label(
                lang,
                "digest.partner_item",
                name=r.name,
                amount=short_amount(r.numbers.revenue, money, lang=lang),
                leads=r.numbers.leads,
            )
            for r in digest.top_partners
        ]
        lines.append(t(lang, "digest.top_partners", list=" · ".join(items)))
    if digest.overdue:
        owners = ", ".join(f"{name} {n}" for name, n in digest.overdue_by_owner)
        lines.append(t(lang, "digest.overdue", count=digest.overdue, owners=owners))
    if digest.silent_customers:
        newly = (
            label(lang, "digest.newly", names=", ".join(digest.newly_silent))
            if digest.newly_silent
            else ""
        )
        lines.append(
            t(
                lang,
                "digest.silent",
                days=digest.churn_silent_days,
                count=digest.silent_customers,
                names=newly,
            )
        )
    if digest.pooled:
        lines.append(
            t(lang, "digest.pooled", count=len(digest.pooled), names=name_list(lang, digest.pooled))
        )
    warnings = [
        t(
            lang,
            "digest.warn.drop",
            channel=w.channel,
            metric=label(lang, f"metric.{w.metric}"),
            change=w.change_pct,
        )
        for w in digest.warnings
    ]
    warnings += [
        t(lang, "digest.warn.partner", name=p.name, days=t(lang, "count.days", count=p.days))
        if p.days is not None
        else t(lang, "digest.warn.partner_never", name=p.name)
        for p in digest.silent_partners[:5]
    ]
    if len(digest.silent_partners) > 5:
        warnings.append(t(lang, "digest.warn.more_partners", count=len(digest.silent_partners) - 5))
    if warnings:
        lines.append(t(lang, "digest.warnings"))
        lines += warnings
    return Html("\n".join(lines))


def render_digest_settings(settings: DigestSettings, *, lang: str) -> Html:
    where = (
        label(lang, "digest.where.topic", id=settings.thread_id)
        if settings.thread_id
        else label(lang, "digest.where.chat")
    )
    return t(
        lang,
        "digest.settings",
        state=label(lang, "digest.on" if settings.enabled else "digest.off"),
        weekday=WEEKDAYS.get(lang, WEEKDAYS["en"])[settings.weekday - 1],
        time=settings.time,
        tz=str(settings.tz),
        where=where,
        empty=label(lang, "digest.empty_skip" if settings.skip_empty else "digest.empty_note"),
        drop=settings.warn_drop_pct,
        partner_days=t(lang, "count.days", count=settings.partner_silent_days),
        churn_days=t(lang, "count.days", count=settings.churn_silent_days),
        next=_next_send(settings, lang),
    )


def digest_working(lang: str) -> Html:
    """The status of a digest being computed on demand."""
    return t(lang, "digest.status.working")


def _next_send(settings: DigestSettings, lang: str) -> str:
    if settings.next_send is None:
        return label(lang, "digest.next_off")
    when = settings.next_send.astimezone(settings.tz)
    return f"{format_date(when, lang=lang, tz=settings.tz)} {when:%H:%M}"


def render_digest_now(digest: TeamDigest) -> Html:
    """The digest asked for with /digest now or last: an empty week says so even if skipped."""
    kind = "so_far" if digest.so_far else "week"
    return render_digest(digest) or t(
        digest.lang, f"digest.empty.{kind}", period=period_label(digest.week, digest.lang)
    )


def render_settings_changed(settings: DigestSettings, *, lang: str) -> Html:
    """Confirm a change to the digest settings, showing them all."""
    return t(lang, "digest.changed", settings=render_digest_settings(settings, lang=lang))
