"""Charts are PNGs, drawn off pyplot, with real glyphs for Chinese names (no tofu boxes)."""

from __future__ import annotations

import io
import itertools
import struct
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from matplotlib import font_manager
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.reports.numbers import Numbers, Row, Scope, StatsReport, TeamDigest, build_funnel
from bot.reports.periods import last_full_week, parse_report_period
from bot.views import charts

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SH)
CHINESE = "华泰经销"
PNG = b"\x89PNG\r\n\x1a\n"


def no_missing_glyphs(draw: Callable[[], bytes]) -> bytes:
    """Draw with matplotlib's 'Glyph … missing from font' warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.filterwarnings("error", message=r"(?s).*Glyph .* missing from font")
        return draw()


def covered(text: str, family: list[str]) -> set[str]:
    """Return the characters of `text` that no font of `family` has a glyph for."""
    fonts = [
        font_manager.get_font(
            font_manager.findfont(
                font_manager.FontProperties(family=name), fallback_to_default=False
            )
        )
        for name in family
    ]
    return {c for c in text if c.strip() and all(f.get_char_index(ord(c)) == 0 for f in fonts)}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def report(lang: str = "zh") -> StatsReport:
    rows = [
        Row(1, CHINESE, Numbers(leads=4, revenue=Decimal("123400.00"), wins=2)),
        Row(2, "电商 E-commerce", Numbers(leads=2, visits=3)),
        Row(3, "直营门店", Numbers(leads=1, revenue=Decimal("8000"))),
        Row(None, "", Numbers(visits=1)),
    ]
    period = parse_report_period("本月", now=NOW, tz=SH)
    return StatsReport(period, Scope("partner", 9, "华东代理"), "CNY", rows, Numbers())


def test_the_fallback_family_covers_chinese_names() -> None:
    family = charts.font_family()
    assert family[0] == "DejaVu Sans" and "CJK" in family[1]
    assert covered(CHINESE + "渠道业绩线索拜访¥万", family) == set()


def test_the_check_fails_without_the_cjk_font() -> None:
    # Proves the two checks above and below can fail: DejaVu alone has no 华.
    assert covered(CHINESE, ["DejaVu Sans"]) == set(CHINESE)
    figure = Figure()
    FigureCanvasAgg(figure)
    figure.suptitle(CHINESE, fontfamily="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        no_missing_glyphs(lambda: _save(figure))


def _save(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_channel_chart(lang: str) -> None:
    data = no_missing_glyphs(lambda: charts.channel_chart(report(lang), lang=lang))
    width, height = png_size(data)
    assert width >= 600 and height >= 300 and len(data) > 10_000


def money_report(lang: str, amounts: list[int]) -> StatsReport:
    rows = [
        Row(i, f"Channel {i}", Numbers(leads=1, wins=1, revenue=Decimal(amount)))
        for i, amount in enumerate(amounts)
    ]
    period = parse_report_period("month", now=NOW, tz=SH)
    return StatsReport(period, Scope(), "CNY", rows, Numbers())


def spans(figure: Figure, axis: Axis) -> list[tuple[float, float]]:
    """The horizontal pixel extents of the tick labels as matplotlib's renderer draws them."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [text.get_window_extent(renderer) for text in charts.tick_labels(figure, axis)]
    return sorted((box.x0, box.x1) for box in boxes)


def apart(extents: list[tuple[float, float]], gap: float) -> bool:
    return all(end + gap <= start for (_, end), (start, _) in itertools.pairwise(extents))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "amounts", [[50_000, 120_000], [8_000, 123_400, 50_000], [999_999, 12_345_678], [90, 120]]
)
def test_money_tick_labels_never_run_into_each_other(lang: str, amounts: list[int]) -> None:
    figure = charts.channel_figure(money_report(lang, amounts), lang=lang)
    axis = figure.axes[0].xaxis
    extents = spans(figure, axis)
    assert len(extents) >= 2  # still an axis with a scale
    assert apart(extents, gap=8), [t.get_text() for t in charts.tick_labels(figure, axis)]


def test_the_tick_check_sees_labels_that_run_into_each_other() -> None:
    # matplotlib's own tick choice for 50k and 120k: "¥100k¥120k", as teams saw it.
    from matplotlib.ticker import AutoLocator

    figure = charts.channel_figure(money_report("en", [50_000, 120_000]), lang="en")
    axis = figure.axes[0].xaxis
    axis.set_major_locator(AutoLocator())
    assert not apart(spans(figure, axis), gap=8)
    assert charts.labels_touch(figure, axis)


def test_funnel_chart_with_chinese_stage_names() -> None:
    stages = [("lead", "线索"), ("visited", "已拜访"), ("quoted", "已报价"), ("won", "已回款")]
    funnel = build_funnel(stages, {"lead": 5, "visited": 3, "quoted": 2, "won": 1})
    png_size(no_missing_glyphs(lambda: charts.funnel_chart(funnel, lang="zh")))


def digest(lang: str) -> TeamDigest:
    week = last_full_week(now=NOW, tz=SH)
    channel_weeks = [
        Numbers(leads=i, visits=2 * i, revenue=Decimal(1000 * i), activities=3 * i)
        for i in range(8)
    ]
    return TeamDigest(
        team_id=1,
        chat_id=-1,
        thread_id=None,
        lang=lang,
        tz=SH,
        currency="CNY",
        week=week,
        now=NOW,
        channels=[(CHINESE, channel_weeks), ("Direct", channel_weeks)],
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trend_chart(lang: str) -> None:
    width, _ = png_size(no_missing_glyphs(lambda: charts.trend_chart(digest(lang))))
    assert width >= 800


def test_charts_draw_in_parallel_threads() -> None:
    results: list[bytes] = []
    errors: list[BaseException] = []

    def draw() -> None:
        try:
            results.append(charts.channel_chart(report(), lang="zh"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 4 and all(r[:8] == PNG for r in results)


def test_building_the_application_does_not_import_matplotlib() -> None:
    # matplotlib costs about half a second to import; `crmbot` should not pay it at start-up.
    code = (
        "import sys, bot.app, handlers.reports, reminders\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported at start-up'\n"
    )
    root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
