"""Reports as compact Telegram HTML, in English and Chinese."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.reports.numbers import (
    DropWarning,
    Numbers,
    Row,
    Scope,
    SilentPartner,
    StatsReport,
    TeamDigest,
)
from bot.reports.periods import Period, last_full_week, parse_report_period
from bot.reports.render import (
    clip,
    percent,
    period_label,
    render_digest,
    render_stats,
    short_amount,
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
        ("9999", "zh", "¥9999"),
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


def weekly(*, empty: bool = False, skip_empty: bool = False, lang: str = "en") -> TeamDigest:
    def weeks(last: Numbers, prev: Numbers) -> list[Numbers]:
        return [Numbers() for _ in range(6)] + [prev, last]

    channels = (
        []
        if empty
        else [
            (
                "Distributor",
                weeks(
                    Numbers(leads=3, visits=2, wins=1, revenue=Decimal("50000"), activities=5),
                    Numbers(leads=1, visits=4, revenue=Decimal("20000"), activities=5),
                ),
            ),
            ("", weeks(Numbers(visits=1, activities=1), Numbers())),
        ]
    )
    return TeamDigest(
        team_id=1,
        chat_id=-1,
        thread_id=None,
        lang=lang,
        tz=SH,
        currency="CNY",
        week=last_full_week(now=NOW, tz=SH),
        now=NOW,
        channels=channels,
        top_reps=[Row(1, "@bob", Numbers(wins=1, revenue=Decimal("50000"), visits=1))],
        overdue=3,
        overdue_by_owner=[("@carol", 2), ("@dave", 1)],
        silent_customers=4,
        newly_silent=["Acme", "万科"],
        silent_partners=[SilentPartner("Silent Co", 20), SilentPartner("New Co", None)],
        warnings=[DropWarning("Distributor", "visits", -50)],
        skip_empty=skip_empty,
    )


def test_digest_in_english() -> None:
    assert render_digest(weekly()) == "\n".join(
        [
            "📊 <b>Weekly digest</b> · 16–22 Nov 2026",
            "<b>Distributor</b> · leads 3 (▲2) · visits 2 (▼2) · won 1 · ¥50,000 (▲¥30k)",
            "<b>No channel</b> · leads 0 · visits 1 (▲1) · won 0 · ¥0",
            "<b>Total</b> · leads 3 (▲2) · visits 3 (▼1) · won 1 · ¥50,000 (▲¥30k)",
            "<i>(▲▼ against the week before)</i>",
            "🏆 Top reps: @bob ¥50k (won 1, visits 1)",
            "⏰ Overdue tasks: 3 (@carol 2, @dave 1)",
            "💤 Customers silent 30+ days: 4 — new this week: Acme, 万科",
            "⚠️ <b>Early warnings</b>",
            "• Distributor: visits -50% against the 4-week average",
            "• Partner Silent Co: no activity for 20 days",
            "• Partner New Co: no activity yet",
        ]
    )


def test_digest_in_chinese() -> None:
    text = render_digest(weekly(lang="zh"))
    assert text is not None
    lines = text.splitlines()
    assert lines[0] == "📊 <b>渠道周报</b> · 2026年11月16日–22日"
    assert lines[1] == "<b>Distributor</b> · 线索 3 (▲2) · 拜访 2 (▼2) · 成交 1 · ¥5万 (▲¥3万)"
    assert "⚠️ <b>预警</b>" in lines
    assert "• Distributor：拜访较前 4 周均值 -50%" in lines


def test_an_empty_week_is_one_line_or_nothing() -> None:
    assert render_digest(weekly(empty=True)) == (
        "📭 Weekly digest · 16–22 Nov 2026: no activity was logged."
    )
    assert render_digest(weekly(empty=True, skip_empty=True)) is None
