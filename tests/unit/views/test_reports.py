"""Reports as compact Telegram HTML, in English and Chinese, and their 📊 buttons."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.reports.numbers import Numbers, Row, Scope, StatsReport, build_funnel
from bot.reports.periods import Period, parse_report_period
from bot.views.callbacks import ChartKind, ChartPress
from bot.views.reports import (
    clip,
    funnel_keyboard,
    percent,
    period_label,
    render_stats,
    short_amount,
    stats_keyboard,
    table,
    width,
)

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SH)


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        ("0", "en", "¥0"),
        ("999", "en", "¥999"),
        ("123400", "en", "¥123.4k"),
        ("100000", "en", "¥100k"),
        ("2500000", "en", "¥2.5M"),
        ("9999", "zh", "¥9,999"),  # as format_amount writes it
        ("123400", "zh", "¥12.3万"),
        ("100000", "zh", "¥10万"),
        ("350000000", "zh", "¥3.5亿"),
    ],
)
def test_short_amounts(amount: str, lang: str, expected: str) -> None:
    assert short_amount(Decimal(amount), "CNY", lang=lang) == expected


def test_percent() -> None:
    assert [percent(x) for x in (0.25, 1.0, 0.0, 0.055, None)] == ["25%", "100%", "0%", "5.5%", "—"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("month", "en", "Nov 2026"),
        ("month", "zh", "2026年11月"),
        ("quarter", "en", "Q4 2026"),
        ("本季度", "zh", "2026年第4季度"),
        ("last week", "en", "16–22 Nov 2026"),
        ("last week", "zh", "2026年11月16日–22日"),
        ("today", "en", "Tue 24 Nov 2026"),
        ("today", "zh", "2026年11月24日(周二)"),
        ("last 30d", "en", "26 Oct – 24 Nov 2026"),
        ("last 30d", "zh", "2026年10月26日–11月24日"),
        ("year", "zh", "2026年"),
    ],
)
def test_period_labels(text: str, lang: str, expected: str) -> None:
    assert period_label(parse_report_period(text, now=NOW, tz=SH), lang) == expected


def test_period_label_across_years() -> None:
    period = Period(date(2026, 12, 28), date(2027, 1, 4), SH, "week")
    assert period_label(period, "en") == "28 Dec 2026 – 3 Jan 2027"
    assert period_label(period, "zh") == "2026年12月28日–2027年1月3日"


def test_tables_align_chinese_by_display_width_and_escape() -> None:
    assert width("华泰经销") == 8 and width("Acme") == 4
    assert clip("华泰经销有限公司", 9) == "华泰经销…"
    html = table(["Name", "N"], [["华泰经销", "12"], ["<A&B>", "3"]])
    assert html == "<pre>Name      N\n华泰经销 12\n&lt;A&amp;B&gt;     3</pre>"


def stats_report() -> StatsReport:
    rows = [
        Row(
            1,
            "Distributor",
            Numbers(
                leads=4,
                won_leads=2,
                visits=4,
                wins=4,
                tasks_due=4,
                tasks_on_time=2,
                revenue=Decimal("123400.00"),
                close_days=43.0,
            ),
        ),
        Row(2, "华泰经销", Numbers(leads=2, visits=1, losses=1)),
        Row(3, "Agent", Numbers()),
    ]
    total = Numbers(
        leads=6,
        won_leads=2,
        visits=5,
        wins=4,
        losses=1,
        tasks_due=4,
        tasks_on_time=2,
        revenue=Decimal("123400.00"),
        close_days=43.0,
    )
    period = parse_report_period("month", now=NOW, tz=SH)
    return StatsReport(period, Scope(), "CNY", rows, total, mine=Numbers(leads=1, visits=2))


def test_stats_in_english() -> None:
    assert render_stats(stats_report(), lang="en").splitlines() == [
        "📈 <b>Team</b> · Nov 2026",
        "<pre>Channel     Leads Visits Won Revenue",
        "Distributor     4      4   4 ¥123.4k",
        "华泰经销        2      1   0      ¥0",
        "Total           6      5   4 ¥123.4k</pre>",
        "💰 Revenue <b>¥123,400</b> · won deals: 4",
        "🎯 Lead→won 33% (2 of 6 leads) · 10.8 days to close on average",
        "⏰ Follow-ups done on time: 2 of 4 (50%)",
        "👤 You: leads 1 · visits 2 · won 0 · ¥0",
    ]


def test_stats_in_chinese() -> None:
    lines = render_stats(stats_report(), lang="zh").splitlines()
    assert lines[0] == "📈 <b>团队</b> · 2026年11月"
    assert lines[1] == "<pre>渠道        线索 拜访 成交    业绩"
    assert lines[4] == "合计           6    5    4 ¥12.3万</pre>"
    assert lines[5:] == [
        "💰 业绩 <b>¥12.34万</b>，成交 4 单",
        "🎯 线索转化率 33%（6 条线索中成交 2 条）· 平均成交周期 10.8 天",
        "⏰ 按时完成跟进：2/4（50%）",
        "👤 你：线索 1 · 拜访 2 · 成交 0 · ¥0",
    ]


def test_an_empty_period_is_one_line() -> None:
    period = parse_report_period("today", now=NOW, tz=SH)
    report = StatsReport(period, Scope("channel", 1, "电商"), "CNY", [], Numbers())
    assert render_stats(report, lang="zh") == (
        "📈 <b>渠道 电商</b> · 2026年11月24日(周二)\n这段时间还没有记录。"
    )


def test_the_chart_button_carries_the_report() -> None:
    report = stats_report()
    ((button,),) = stats_keyboard(report, lang="zh") or []
    assert button.label == "📊 图表"
    assert button.data == "s:c:20261101-20261201:t"
    assert ChartPress.decode(button.data) == ChartPress(
        ChartKind.CHANNELS, "20261101-20261201", "t"
    )
    empty = StatsReport(report.period, Scope("member", 7), "CNY", [], Numbers())
    assert stats_keyboard(empty, lang="en") is None


def test_the_funnel_button_names_its_period_or_all() -> None:
    stages = [("lead", "Lead"), ("won", "Won")]
    november = parse_report_period("month", now=NOW, tz=SH)
    ((button,),) = funnel_keyboard(build_funnel(stages, {"lead": 2}, period=None), lang="en") or []
    assert (button.label, button.data) == ("📊 Chart", "s:f:all")
    cohort = build_funnel(stages, {"lead": 1}, period=november)
    ((button,),) = funnel_keyboard(cohort, lang="en") or []
    assert button.data == "s:f:20261101-20261201"
    assert funnel_keyboard(build_funnel(stages, {}, period=november), lang="en") is None


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "🎯 Lead→won 0% (0 of 1 lead) · nothing closed yet"),
        ("zh", "🎯 线索转化率 0%（1 条线索中成交 0 条）· 尚无成交"),
    ],
)
def test_no_days_to_close_before_anything_closed(lang: str, line: str) -> None:
    report = stats_report()
    quiet = StatsReport(report.period, Scope(), "CNY", [], Numbers(leads=1), mine=None)
    assert line in render_stats(quiet, lang=lang).splitlines()
