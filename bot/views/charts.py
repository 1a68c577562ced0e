"""PNG charts with matplotlib's Agg canvas: channels, the funnel, the weekly trend.

Each chart builds its own `Figure` (never pyplot's global figure manager), so charts can be
drawn in threads as well as in a worker process (bot.workers). Chinese channel and partner
names need a CJK font: Noto Sans CJK SC from mplfonts' package data is registered once and
used as the fallback family after DejaVu Sans, which keeps Latin text and digits in
matplotlib's default look.
"""

from __future__ import annotations

import io
import itertools
import threading
from collections.abc import Sequence
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING

from bot.reports.numbers import Funnel, StatsReport, TeamDigest
from bot.views.reports import channel_name, label, period_label, scope_label, short_amount

# matplotlib takes about half a second to import: it is loaded on the first chart drawn, not
# when the handlers and jobs that may draw one are imported at start-up.
if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.ticker import FuncFormatter

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
LATIN_FAMILY = "DejaVu Sans"
DPI = 120
COLORS = ("#2f6fb0", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948")
TICK_GAP = 12  # pixels between two tick labels, at least (about one character)
MAX_TICKS = 6

_lock = threading.Lock()
_family: list[str] = []


def font_family() -> list[str]:
    """Register the bundled CJK font once; return the family list every text uses."""
    from matplotlib import font_manager

    with _lock:
        if not _family:
            font = resources.files("mplfonts") / "fonts" / CJK_FONT_FILE
            with resources.as_file(font) as path:
                font_manager.fontManager.addfont(str(path))
                cjk = font_manager.FontProperties(fname=str(path)).get_name()
            _family.extend([LATIN_FAMILY, cjk])
        return list(_family)


def _figure(width: float, height: float, *, constrained: bool = True) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Constrained layout fits long (channel, stage) names; a fixed layout is cheaper to draw.
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained" if constrained else None)
    FigureCanvasAgg(figure)
    return figure


def _finish(figure: Figure, *, spread: Sequence[Axis] = ()) -> Figure:
    """Give every text the font family; thin the ticks of `spread` until no labels touch."""
    from matplotlib.text import Text

    family = font_family()
    # Every text the figure made, tick labels included, gets the family with the CJK fallback.
    for text in figure.findobj(Text):
        text.set_fontfamily(family)
    for axes in figure.axes:
        axes.tick_params(labelfontfamily=family)
    for axis in spread:
        _readable_ticks(figure, axis)
    return figure


def _readable_ticks(figure: Figure, axis: Axis) -> None:
    """Use fewer ticks until the drawn labels keep apart (money labels are wide: ¥120k)."""
    from matplotlib.ticker import MaxNLocator

    for bins in range(MAX_TICKS, 0, -1):
        axis.set_major_locator(MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10]))
        if not labels_touch(figure, axis):
            return


def tick_labels(figure: Figure, axis: Axis) -> list[Text]:
    """The tick labels of an axis as they are drawn (after the figure's layout)."""
    figure.draw_without_rendering()
    low, high = sorted(axis.get_view_interval())
    ticks = zip(axis.get_majorticklocs(), axis.get_majorticklabels(), strict=True)
    return [text for at, text in ticks if low <= at <= high and text.get_text()]


def labels_touch(figure: Figure, axis: Axis, gap: float = TICK_GAP) -> bool:
    """Whether two of an axis's drawn tick labels overlap or come closer than `gap` pixels."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [text.get_window_extent(renderer) for text in tick_labels(figure, axis)]
    from matplotlib.axis import XAxis

    horizontal = isinstance(axis, XAxis)
    spans = sorted((b.x0, b.x1) if horizontal else (b.y0, b.y1) for b in boxes)
    return any(end + gap > start for (_, end), (start, _) in itertools.pairwise(spans))


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _money_axis(currency: str, lang: str) -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: short_amount(Decimal(str(value)), currency, lang=lang))


def _barh(
    axes: Axes, names: Sequence[str], values: Sequence[float], labels: Sequence[str], color: str
) -> None:
    positions = list(range(len(names)))
    bars = axes.barh(positions, values, color=color)
    axes.bar_label(bars, labels=list(labels), padding=3, fontsize=8)
    axes.set_yticks(positions, labels=list(names))
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.18)


def channel_chart(report: StatsReport, *, lang: str) -> bytes:
    """Revenue and leads by channel, side by side."""
    return _png(channel_figure(report, lang=lang))


def channel_figure(report: StatsReport, *, lang: str) -> Figure:
    """The figure of channel_chart."""
    rows = [row for row in report.rows if not row.numbers.is_empty()] or report.rows[:1]
    names = [channel_name(row.name, lang) for row in rows]
    figure = _figure(8, 1.6 + 0.4 * max(len(rows), 2))
    revenue_axes, leads_axes = figure.subplots(1, 2, sharey=True)
    money = [short_amount(r.numbers.revenue, report.currency, lang=lang) for r in rows]
    _barh(revenue_axes, names, [float(r.numbers.revenue) for r in rows], money, COLORS[0])
    revenue_axes.set_title(label(lang, "chart.revenue", currency=report.currency))
    revenue_axes.xaxis.set_major_formatter(_money_axis(report.currency, lang))
    leads = [r.numbers.leads for r in rows]
    _barh(leads_axes, names, leads, [str(n) for n in leads], COLORS[1])
    leads_axes.set_title(label(lang, "chart.leads"))
    leads_axes.xaxis.get_major_locator().set_params(integer=True)
    revenue_axes.invert_yaxis()  # once: the two panels share the y axis
    figure.suptitle(
        f"{scope_label(report.scope, lang)} · {period_label(report.period, lang)}", fontsize=11
    )
    return _finish(figure, spread=[revenue_axes.xaxis])


def funnel_chart(funnel: Funnel, *, lang: str) -> bytes:
    """Customers who reached each stage, as centred bars, with stage-to-stage conversion."""
    stages = funnel.stages
    figure = _figure(7, 1.2 + 0.45 * max(len(stages), 2))
    axes = figure.subplots()
    widest = max((s.reached for s in stages), default=0) or 1
    positions = list(range(len(stages)))
    axes.barh(
        positions,
        [s.reached for s in stages],
        left=[(widest - s.reached) / 2 for s in stages],
        color=[COLORS[i % len(COLORS)] for i in positions],
    )
    for i, stage in enumerate(stages):
        text = str(stage.reached)
        if stage.conversion is not None:
            text += f"  → {stage.conversion * 100:.0f}%"
        axes.text(widest / 2, i, text, ha="center", va="center", fontsize=9, color="black")
    axes.set_yticks(positions, labels=[s.name for s in stages])
    axes.invert_yaxis()
    axes.set_xticks([])
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    axes.set_title(label(lang, "chart.funnel"))
    return _png(_finish(figure))


def trend_chart(digest: TeamDigest) -> bytes:
    """Leads and visits per week (bars) and revenue (line), the last eight weeks."""
    lang = digest.lang
    weeks = digest.week_totals()
    first = digest.week.shift_weeks(-(len(weeks) - 1))
    labels = [
        f"{w.first.month}/{w.first.day}" for w in (first.shift_weeks(i) for i in range(len(weeks)))
    ]
    figure = _figure(8, 3.6, constrained=False)  # drawn for every team each week
    figure.subplots_adjust(left=0.06, right=0.9, top=0.88, bottom=0.1)
    axes = figure.subplots()
    positions = list(range(len(weeks)))
    axes.bar(
        [p - 0.2 for p in positions],
        [w.leads for w in weeks],
        0.4,
        color=COLORS[1],
        label=label(lang, "chart.leads"),
    )
    axes.bar(
        [p + 0.2 for p in positions],
        [w.visits for w in weeks],
        0.4,
        color=COLORS[2],
        label=label(lang, "chart.visits"),
    )
    axes.set_xticks(positions, labels=labels)
    axes.spines[["top"]].set_visible(False)
    money = axes.twinx()
    money.plot(
        positions,
        [float(w.revenue) for w in weeks],
        color=COLORS[0],
        marker="o",
        label=label(lang, "chart.revenue", currency=digest.currency),
    )
    money.yaxis.set_major_formatter(_money_axis(digest.currency, lang))
    money.set_ylim(bottom=0)
    money.spines[["top"]].set_visible(False)
    handles = axes.get_legend_handles_labels()
    extra = money.get_legend_handles_labels()
    axes.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left", fontsize=8)
    title = "chart.trend.so_far" if digest.so_far else "chart.trend"
    axes.set_title(label(lang, title, period=period_label(digest.week, lang)))
    return _png(_finish(figure))
