"""The weekly digest and its settings as Telegram HTML."""

from __future__ import annotations

from dataclasses import replace

from bot.i18n import Html, t
from bot.i18n.format import WEEKDAYS, format_amount, format_date
from bot.reports.numbers import CompanyPart, DropWarning, Numbers, TeamDigest, Weekly
from bot.reports.settings import DigestSettings
from bot.views.reports import (
    channel_name,
    delta,
    in_currency,
    label,
    period_label,
    short_amount,
)
from bot.views.text import name_list

MAX_WARNINGS = 5


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

    An empty week is one line, or nothing when the team skips empty weeks. A head office's
    digest is its company's (render_company_digest).
    """
    lang = digest.lang
    period = period_label(digest.week, lang)
    kind = "so_far" if digest.so_far else "week"
    if digest.company is not None:
        return render_company_digest(digest, digest.company)
    if digest.is_empty():
        return None if digest.skip_empty else t(lang, f"digest.empty.{kind}", period=period)
    lines = [t(lang, f"digest.title.{kind}", period=period), *_channel_lines(digest)]
    lines.append(t(lang, f"digest.vs.{kind}"))
    lines += _people_lines(digest)
    lines += _notes(digest)
    warnings = [_drop_line(lang, "digest.warn.drop", w) for w in digest.warnings]
    warnings += _silent_partner_lines(digest)
    if warnings:
        lines.append(t(lang, "digest.warnings"))
        lines += warnings
    return Html("\n".join(lines))


def render_company_digest(digest: TeamDigest, company: CompanyPart) -> Html | None:
    """A head office's digest: the company per channel kind and in total, the groups that
    moved most, the declining groups, kinds and partners, then this group's own notes.

    Short whatever the company's size: at most MOVERS groups and MAX_WARNINGS warnings.
    """
    lang = digest.lang
    kind = "so_far" if digest.so_far else "week"
    title = t(
        lang,
        f"digest.org.title.{kind}",
        company=company.name,
        period=period_label(digest.week, lang),
        tz=str(digest.tz),
    )
    if digest.is_empty():
        return None if digest.skip_empty else t(lang, f"digest.org.empty.{kind}", title=title)
    several = len(company.currencies) > 1
    lines = [title]
    for item in company.kinds:
        name = in_currency(channel_name(item.name, lang), item.currency, several)
        lines.append(_weekly_line(lang, name, item))
    for money, last in company.totals(-1):
        name = (
            label(lang, "digest.org.total.in", currency=money)
            if several
            else label(lang, "digest.org.total")
        )
        _, prev = company.totals(-2)[company.currencies.index(money)]
        lines.append(_numbers_line(lang, name, last, prev, money))
    movers = company.movers()
    if movers:
        lines.append(t(lang, "digest.org.movers", count=len(company.groups)))
        lines += [_weekly_line(lang, g.name, g) for g in movers]
    lines.append(t(lang, f"digest.vs.{kind}"))
    warnings = [
        _drop_line(lang, f"digest.org.warn.{w.of}", w.warning, w.currency if several else "")
        for w in company.warnings
    ]
    warnings += _silent_partner_lines(digest)
    if warnings:
        lines.append(t(lang, "digest.warnings"))
        lines += warnings[:MAX_WARNINGS]
        if len(warnings) > MAX_WARNINGS:
            lines.append(t(lang, "digest.org.warn.more", count=len(warnings) - MAX_WARNINGS))
    notes = _notes(digest)
    if notes:
        lines.append(t(lang, "digest.org.here"))
        lines += notes
    return Html("\n".join(lines))


def _weekly_line(lang: str, name: str, item: Weekly) -> Html:
    prev = item.weeks[-2] if len(item.weeks) > 1 else Numbers()
    return _numbers_line(lang, name, item.weeks[-1], prev, item.currency)


def _channel_lines(digest: TeamDigest) -> list[Html]:
    """Each channel with numbers, and the total when there are several."""
    lang, money = digest.lang, digest.currency
    lines = []
    for name, weeks in digest.channels:
        last, prev = weeks[-1], weeks[-2] if len(weeks) > 1 else Numbers()
        if last.is_empty() and prev.is_empty():
            continue
        lines.append(_numbers_line(lang, channel_name(name, lang), last, prev, money))
    if len(lines) > 1:
        total_name = label(lang, "stats.total")
        lines.append(_numbers_line(lang, total_name, digest.last, digest.previous, money))
    return lines


def _people_lines(digest: TeamDigest) -> list[Html]:
    """The top reps and the top partners of the week."""
    lang, money = digest.lang, digest.currency
    lines = []
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
    return lines


def _notes(digest: TeamDigest) -> list[Html]:
    """The group's overdue tasks, silent customers and customers back in the pool."""
    lang = digest.lang
    lines = []
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
    return lines


def _drop_line(lang: str, key: str, warning: DropWarning, currency: str = "") -> Html:
    """A metric that fell below its average; named with its currency when there are several."""
    name = in_currency(warning.channel, currency, bool(currency))
    return t(
        lang,
        key,
        channel=name,
        metric=label(lang, f"metric.{warning.metric}"),
        change=warning.change_pct,
    )


def _silent_partner_lines(digest: TeamDigest) -> list[Html]:
    """The group's partners with no activity lately, five at most."""
    lang = digest.lang
    lines = [
        t(lang, "digest.warn.partner", name=p.name, days=t(lang, "count.days", count=p.days))
        if p.days is not None
        else t(lang, "digest.warn.partner_never", name=p.name)
        for p in digest.silent_partners[:5]
    ]
    if len(digest.silent_partners) > 5:
        lines.append(t(lang, "digest.warn.more_partners", count=len(digest.silent_partners) - 5))
    return lines


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
    if digest.skip_empty:
        digest = replace(digest, skip_empty=False)
    text = render_digest(digest)
    assert text is not None  # a digest that does not skip empty weeks always says something
    return text


def render_settings_changed(settings: DigestSettings, *, lang: str) -> Html:
    """Confirm a change to the digest settings, showing them all."""
    return t(lang, "digest.changed", settings=render_digest_settings(settings, lang=lang))
