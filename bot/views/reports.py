"""Reports as compact Telegram HTML: short lines, and aligned tables inside <pre>."""

from __future__ import annotations

import html
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Html, plain, t
from bot.i18n.format import CURRENCY_SYMBOLS, WEEKDAYS, format_amount
from bot.reports.numbers import (
    STAGE_WEIGHTS,
    Churn,
    Funnel,
    Numbers,
    PartnerScore,
    Pipeline,
    Row,
    Scope,
    StatsReport,
)
from bot.reports.periods import Period
from bot.services.rollup import CompanyStats
from bot.views.callbacks import ChartKind, ChartPress
from bot.views.keyboards import Button, Keyboard

NAME_WIDTH = 12
GROUP_WIDTH = 20  # group titles are longer than channel names, and tell groups apart
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def label(lang: str, key: str, /, **params: Any) -> str:
    """Render a catalog message as plain text, unescaped (chart labels, table cells)."""
    return plain(lang, key, **params)


# -- small formatters ------------------------------------------------------------------------


def percent(value: float | None) -> str:
    """0.25 → '25%'; one decimal below 10%; None → '—'."""
    if value is None:
        return "—"
    pct = value * 100
    return f"{pct:.1f}%" if 0 < abs(pct) < 10 and pct != int(pct) else f"{pct:.0f}%"


def short_amount(amount: Decimal, currency: str, *, lang: str) -> str:
    """Money for narrow columns: ¥123.4k / ¥1.2M, or ¥12.3万 / ¥1.2亿 in Chinese."""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    value = Decimal(amount)
    steps = (
        [(Decimal(10**8), "亿"), (Decimal(10**4), "万")]
        if lang == "zh"
        else [(Decimal(10**9), "B"), (Decimal(10**6), "M"), (Decimal(10**3), "k")]
    )
    for size, suffix in steps:
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.1"))
            text = f"{scaled:f}".removesuffix(".0")
            return f"{symbol}{text}{suffix}"
    # Grouped as format_amount groups it, so one message never shows ¥5000 beside ¥5,000.
    return f"{symbol}{value.quantize(Decimal('1')):,f}"


def days_count(value: float | None, lang: str) -> Html:
    """'1 day', '2.5 days', '— days' (Chinese: the bare number, its template says 天)."""
    if value is None:
        return t(lang, "count.days.none")
    return t(lang, "count.days", count=Decimal(days_text(value)))


def days_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0")


def delta(now: int | Decimal, before: int | Decimal, *, money: str | None = None) -> str:
    """' (▲2)' / ' (▼¥3k)' against the previous value; '' when unchanged."""
    change = now - before
    if not change:
        return ""
    arrow = "▲" if change > 0 else "▼"
    return f" ({arrow}{money if money is not None else abs(change)})"


def period_label(period: Period, lang: str) -> str:
    """Name a period: 'Nov 2026', 'Q4 2026', '16–22 Nov 2026' / '2026年11月', '2026年第4季度' …"""
    first, last = period.first, period.last
    zh = lang == "zh"
    if period.kind == "month" and first.day == 1 and period.days >= 28:
        return f"{first.year}年{first.month}月" if zh else f"{_month(first)} {first.year}"
    if period.kind == "quarter":
        quarter = (first.month - 1) // 3 + 1
        return f"{first.year}年第{quarter}季度" if zh else f"Q{quarter} {first.year}"
    if period.kind == "year":
        return f"{first.year}年" if zh else str(first.year)
    same_month = (first.year, first.month) == (last.year, last.month)
    if zh:
        start = f"{first.year}年{first.month}月{first.day}日"
        if first == last:
            return f"{start}({WEEKDAYS['zh'][first.weekday()]})"
        if same_month:
            return f"{start}–{last.day}日"
        year = f"{last.year}年" if last.year != first.year else ""
        return f"{start}–{year}{last.month}月{last.day}日"
    if first == last:
        return f"{WEEKDAYS['en'][first.weekday()]} {first.day} {_month(first)} {first.year}"
    if same_month:
        return f"{first.day}–{last.day} {_month(last)} {last.year}"
    year = f" {first.year}" if first.year != last.year else ""
    return f"{first.day} {_month(first)}{year} – {last.day} {_month(last)} {last.year}"


def _month(day: date) -> str:
    return EN_MONTHS[day.month - 1]


def width(text: str) -> int:
    """Return how many monospace cells a string takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, cells: int) -> str:
    """Cut a string to at most `cells` monospace cells, marking the cut with '…'."""
    if width(text) <= cells:
        return text
    out, used = "", 0
    for char in text:
        w = width(char)
        if used + w > cells - 1:
            break
        out, used = out + char, used + w
    return out + "…"


def table(header: list[str], rows: list[list[str]], *, name_width: int = NAME_WIDTH) -> Html:
    """Render rows as an aligned <pre> table: first column left, the others right."""
    cells = [[clip(r[0], name_width), *r[1:]] for r in [header, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        parts = [row[0] + " " * (widths[0] - width(row[0]))]
        parts += [" " * (widths[i] - width(cell)) + cell for i, cell in enumerate(row) if i]
        lines.append(" ".join(parts).rstrip())
    return Html("<pre>" + html.escape("\n".join(lines), quote=False) + "</pre>")


def scope_label(scope: Scope, lang: str) -> str:
    if scope.kind == "team":
        return label(lang, "stats.scope.team")
    return label(lang, f"stats.scope.{scope.kind}", name=scope.name)


def channel_name(name: str, lang: str) -> str:
    return name or label(lang, "stats.no_channel")


# -- /stats ----------------------------------------------------------------------------------


def numbers_row(name: str, numbers: Numbers, currency: str, lang: str) -> list[str]:
    """A table row of /stats: name, leads, visits, won, revenue."""
    amount = short_amount(numbers.revenue, currency, lang=lang)
    return [name, str(numbers.leads), str(numbers.visits), str(numbers.wins), amount]


def numbers_line(lang: str, key: str, numbers: Numbers, currency: str, **params: Any) -> Html:
    """A one-line summary (`key` takes leads, visits, wins and the full amount)."""
    amount = format_amount(numbers.revenue, currency, lang=lang)
    counts = {"leads": numbers.leads, "visits": numbers.visits, "wins": numbers.wins}
    return t(lang, key, amount=amount, **counts, **params)


def render_company_stats(report: CompanyStats, *, lang: str) -> Html:
    """A company's numbers: a table per group, a table per channel kind, and the totals.

    The title names the zone the period is cut in; with several currencies, each channel
    kind has a row per currency and each currency its own total.
    """
    title = t(
        lang,
        "stats.org.title" if report.partner is None else "stats.org.partner.title",
        company=report.company,
        partner=report.partner,
        period=period_label(report.period, lang),
        tz=str(report.tz),
    )
    if report.is_empty():
        return Html(f"{title}\n{t(lang, 'stats.empty')}")
    columns = ("leads", "visits", "won", "revenue")
    several = len(report.currencies) > 1
    groups = [numbers_row(row.name or "—", row.numbers, row.extra, lang) for row in report.groups]
    channels = [
        numbers_row(
            in_currency(channel_name(row.name, lang), row.extra, several),
            row.numbers,
            row.extra,
            lang,
        )
        for row in report.channels
    ]
    by_group = [
        label(lang, "stats.org.col.group"),
        *(label(lang, f"stats.col.{c}") for c in columns),
    ]
    by_channel = [label(lang, "stats.col.channel"), *by_group[1:]]
    totals = [company_total(lang, row, several, report.partner) for row in report.totals]
    tables = [table(by_group, groups, name_width=GROUP_WIDTH)]
    if channels:
        tables.append(table(by_channel, channels))
    return Html("\n".join([title, *tables, *totals]))


def in_currency(name: str, currency: str, several: bool) -> str:
    """A row's name, with its currency when the company counts in several."""
    return f"{name} {currency}" if several else name


def company_total(lang: str, row: Row, several: bool, partner: str | None = None) -> Html:
    """The company's (or one partner's) total line in one currency, named when there are several."""
    key = "stats.org.total" if partner is None else "stats.org.partner.total"
    if several:
        return numbers_line(lang, f"{key}.in", row.numbers, row.extra, name=row.extra,
                            partner=partner)  # fmt: skip
    return numbers_line(lang, key, row.numbers, row.extra, partner=partner)


def stats_keyboard(report: StatsReport, *, lang: str) -> Keyboard | None:
    """The 📊 Chart button under a report with numbers to draw."""
    if report.total.is_empty():
        return None
    press = ChartPress(ChartKind.CHANNELS, report.period.code(), report.scope.code())
    return chart_keyboard(press, lang=lang)


def chart_keyboard(press: ChartPress, *, lang: str) -> Keyboard:
    return [[Button(label(lang, "stats.btn.chart"), press.encode())]]


def render_stats(report: StatsReport, *, lang: str) -> Html:
    """Leads, visits, wins and revenue by channel, then conversion, close time, follow-ups."""
    title = t(
        lang,
        "stats.title",
        scope=scope_label(report.scope, lang),
        period=period_label(report.period, lang),
    )
    total = report.total
    if total.is_empty() and (report.mine is None or report.mine.is_empty()):
        return Html(f"{title}\n{t(lang, 'stats.empty')}")
    money = report.currency
    header = [
        label(lang, f"stats.col.{c}") for c in ("channel", "leads", "visits", "won", "revenue")
    ]
    rows = [
        numbers_row(channel_name(row.name, lang), row.numbers, money, lang)
        for row in report.rows
        if not row.numbers.is_empty()
    ]
    if len(rows) > 1 or not rows:
        rows.append(numbers_row(label(lang, "stats.total"), total, money, lang))
    lines = [title, table(header, rows)]
    lines.append(
        t(
            lang,
            "stats.revenue",
            amount=format_amount(total.revenue, money, lang=lang),
            wins=total.wins,
        )
    )
    lines += [
        t(lang, "stats.won_elsewhere", amount=format_amount(value, code, lang=lang), count=count)
        for code, count, value in report.won_elsewhere
    ]
    lines.append(
        t(
            lang,
            "stats.conversion"
            if total.avg_days_to_close is not None
            else "stats.conversion.none_closed",
            rate=percent(total.conversion),
            won=total.won_leads,
            leads=t(lang, "count.leads", count=total.leads),
            days=days_count(total.avg_days_to_close, lang),
        )
    )
    if total.tasks_due:
        lines.append(
            t(
                lang,
                "stats.followups",
                on_time=total.tasks_on_time,
                due=total.tasks_due,
                rate=percent(total.on_time_rate),
            )
        )
    if report.mine is not None:
        lines.append(numbers_line(lang, "stats.mine", report.mine, money))
    return Html("\n".join(lines))


# -- /funnel and /pipeline -------------------------------------------------------------------


def render_funnel(funnel: Funnel, *, lang: str) -> Html:
    """Customers per stage, how many reached it, and the conversion to the next stage."""
    scope = (
        label(lang, "funnel.all")
        if funnel.period is None
        else label(lang, "funnel.created", period=period_label(funnel.period, lang))
    )
    title = t(lang, "funnel.title", scope=scope)
    if not funnel.total:
        return Html(f"{title}\n{t(lang, 'funnel.empty')}")
    header = [label(lang, f"funnel.col.{c}") for c in ("stage", "count", "reached", "next")]
    rows = [
        [
            s.name,
            str(s.count),
            str(s.reached),
            "" if s.conversion is None else percent(s.conversion),
        ]
        for s in funnel.stages
    ]
    # Stage names are few and the team's own: shown whole, never cut like customer names.
    names = max([NAME_WIDTH, *(width(s.name) for s in funnel.stages)])
    return Html(
        "\n".join(
            [
                title,
                table(header, rows, name_width=names),
                t(lang, "funnel.lost", count=funnel.lost, total=funnel.total),
            ]
        )
    )


def funnel_keyboard(funnel: Funnel, *, lang: str) -> Keyboard | None:
    """The 📊 Chart button under a funnel with customers in it."""
    if not funnel.total:
        return None
    period = funnel.period.code() if funnel.period is not None else ChartPress.ALL
    return chart_keyboard(ChartPress(ChartKind.FUNNEL, period), lang=lang)


def render_pipeline(pipe: Pipeline, *, lang: str) -> Html:
    """Open deals per stage with their value and stage-weighted value."""
    title = t(lang, "pipeline.title", deals=t(lang, "count.open_deals", count=pipe.deals))
    if not pipe.deals:
        return Html(f"{title}\n{t(lang, 'pipeline.empty')}")
    money = pipe.currency
    header = [label(lang, f"pipeline.col.{c}") for c in ("stage", "deals", "value", "weighted")]
    rows = [
        [
            f"{s.name} {percent(float(s.weight))}",
            str(s.deals),
            short_amount(s.value, money, lang=lang),
            short_amount(s.weighted, money, lang=lang),
        ]
        for s in pipe.stages
        if s.deals
    ]
    lines = [
        title,
        table(header, rows, name_width=16),
        t(
            lang,
            "pipeline.total",
            value=format_amount(pipe.value, money, lang=lang),
            weighted=format_amount(pipe.weighted, money, lang=lang),
        ),
    ]
    if pipe.without_amount:
        lines.append(t(lang, "pipeline.no_amount", count=pipe.without_amount))
    lines += [
        t(lang, "pipeline.elsewhere", amount=format_amount(value, code, lang=lang), count=count)
        for code, count, value in pipe.elsewhere
    ]
    return Html("\n".join(lines))


def weights_text(lang: str) -> str:
    """List the stage weights (for /pipeline's help)."""
    return ", ".join(
        f"{label(lang, f'stage.{key}')} {percent(float(w))}"
        for key, w in STAGE_WEIGHTS.items()
        if key not in ("won", "lost")
    )


# -- /leaderboard, /partners, /churn ---------------------------------------------------------


def render_leaderboard(rows: list[Row], *, period: Period, currency: str, lang: str) -> Html:
    title = t(lang, "leaderboard.title", period=period_label(period, lang))
    if not rows:
        return Html(f"{title}\n{t(lang, 'leaderboard.empty')}")
    header = [
        label(lang, f"leaderboard.col.{c}") for c in ("rep", "revenue", "won", "visits", "leads")
    ]
    body = [
        [
            f"{i}. {row.name}",
            short_amount(row.numbers.revenue, currency, lang=lang),
            str(row.numbers.wins),
            str(row.numbers.visits),
            str(row.numbers.leads),
        ]
        for i, row in enumerate(rows, start=1)
    ]
    return Html(f"{title}\n{table(header, body, name_width=14)}")


def render_partners(
    scores: list[PartnerScore],
    *,
    period: Period,
    currency: str,
    lang: str,
    tz: ZoneInfo,
    company: str | None = None,
) -> Html:
    """A scorecard per partner: a group's, or (`company`) summed over the company's groups."""
    when = period_label(period, lang)
    title = (
        t(lang, "partners.title", period=when)
        if company is None
        else t(lang, "partners.org.title", company=company, period=when)
    )
    if not scores:
        return Html(f"{title}\n{t(lang, 'partners.empty')}")
    header = [
        label(lang, f"partners.col.{c}")
        for c in ("partner", "tier", "leads", "win", "revenue", "last")
    ]
    body = [
        [
            s.name,
            s.tier,
            str(s.numbers.leads),
            percent(s.numbers.win_rate),
            short_amount(s.numbers.revenue, currency, lang=lang),
            _short_date(s.last_activity, tz) if s.last_activity else "—",
        ]
        for s in scores
    ]
    return Html(f"{title}\n{table(header, body, name_width=10)}")


def _short_date(when: datetime, tz: ZoneInfo) -> str:
    local = when.astimezone(tz)
    return f"{local.month}/{local.day}"


def render_churn(churn: Churn, *, lang: str) -> Html:
    lines = [t(lang, "churn.title", period=period_label(churn.period, lang))]
    lines.append(t(lang, "churn.silent", days=churn.silent_days, count=churn.silent))
    lines += [
        t(lang, "churn.silent_line", name=name, days=t(lang, "count.days", count=days))
        for name, days in churn.silent_names
    ]
    if churn.silent > len(churn.silent_names):
        lines.append(t(lang, "churn.more", count=churn.silent - len(churn.silent_names)))
    names = label(lang, "churn.names", names=", ".join(churn.lost_names))
    lines.append(t(lang, "churn.lost", count=churn.lost, names=names if churn.lost_names else ""))
    base = churn.open_customers + churn.lost
    lines.append(
        t(
            lang,
            "churn.rate",
            rate=percent(churn.rate),
            churned=churn.silent + churn.lost,
            base=t(lang, "count.customers", count=base),
        )
    )
    return Html("\n".join(lines))
