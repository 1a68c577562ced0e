"""The weekly digest and /digest settings as Telegram HTML, in English and Chinese."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.reports.numbers import DropWarning, Numbers, Row, SilentPartner, TeamDigest
from bot.reports.periods import last_full_week
from bot.reports.settings import DigestSettings
from bot.views.digest import (
    render_digest,
    render_digest_now,
    render_digest_settings,
    render_settings_changed,
)

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SH)


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


def test_digest_now_says_an_empty_week_even_when_empty_weeks_are_skipped() -> None:
    assert render_digest_now(weekly(empty=True, skip_empty=True)) == (
        "📭 Weekly digest · 16–22 Nov 2026: no activity was logged."
    )
    assert render_digest_now(weekly()) == render_digest(weekly())


SETTINGS = DigestSettings(
    enabled=True,
    weekday=1,
    time="09:00",
    tz=SH,
    thread_id=None,
    skip_empty=False,
    warn_drop_pct=30,
    partner_silent_days=14,
    churn_silent_days=30,
    next_send=datetime(2026, 11, 30, 9, 0, tzinfo=SH),
)


def test_settings() -> None:
    lines = render_digest_settings(SETTINGS, lang="en").splitlines()
    assert (
        lines[0] == "🗓 <b>Weekly digest</b>: on · Mon 09:00 (Asia/Shanghai) · posted in this chat"
    )
    assert lines[-1] == "Next: 30 Nov 2026 09:00"
    topic = render_digest_settings(replace(SETTINGS, thread_id=7, enabled=False), lang="en")
    assert topic.splitlines()[0] == (
        "🗓 <b>Weekly digest</b>: off · Mon 09:00 (Asia/Shanghai) · posted in topic #7"
    )
    changed = render_settings_changed(SETTINGS, lang="en")
    assert changed == "✅ " + render_digest_settings(SETTINGS, lang="en")
