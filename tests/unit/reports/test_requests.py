"""Arguments of /stats, /digest and /digest settings."""

from __future__ import annotations

import pytest

from bot.reports.requests import (
    ArgsError,
    DigestChange,
    DigestRequest,
    StatsRequest,
    parse_digest_args,
    parse_digest_settings,
    parse_stats_args,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", StatsRequest()),
        ("week", StatsRequest(period="week")),
        ("last month", StatsRequest(period="last month")),
        ("上月", StatsRequest(period="上月")),
        ("chart", StatsRequest(chart=True)),
        ("本月 图表", StatsRequest(period="本月", chart=True)),
        ("last 30d @alice", StatsRequest(period="last 30d", rep="alice")),
        ("@alice", StatsRequest(rep="alice")),
        ("channel Direct store", StatsRequest(channel="Direct store")),
        (
            "channel Direct store last month",
            StatsRequest(period="last month", channel="Direct store"),
        ),
        (
            "quarter channel E-commerce chart",
            StatsRequest(period="quarter", channel="E-commerce", chart=True),
        ),
        ("partner 华泰经销 本季度", StatsRequest(period="本季度", partner="华泰经销")),
        ("渠道 经销 上周", StatsRequest(period="上周", channel="经销")),
        # 经销商 and 代理商 open a partner's name, but right after 渠道 they are the channel's.
        ("渠道 经销商 本月", StatsRequest(period="本月", channel="经销商")),
        ("channel 代理商", StatsRequest(channel="代理商")),
        ("经销商 华泰", StatsRequest(partner="华泰")),
        ("channel=Distributor 2026-10", StatsRequest(period="2026-10", channel="Distributor")),
    ],
)
def test_stats_arguments(text: str, expected: StatsRequest) -> None:
    assert parse_stats_args(text.split()) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("channel", "usage.stats"),
        ("partner", "usage.stats"),
        ("@alice @bob", "usage.stats"),
        ("channel Direct partner Huatai", "usage.stats.one_filter"),
        ("@alice channel Direct", "usage.stats.one_filter"),
        ("week channel Direct month", "usage.stats"),
    ],
)
def test_bad_stats_arguments(text: str, key: str) -> None:
    with pytest.raises(ArgsError) as error:
        parse_stats_args(text.split())
    assert error.value.key == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on", DigestChange(enabled=True)),
        ("off", DigestChange(enabled=False)),
        ("day mon", DigestChange(weekday=1)),
        ("day 5", DigestChange(weekday=5)),
        ("day Friday time 17:30", DigestChange(weekday=5, time="17:30")),
        ("day 周日 time 8:05", DigestChange(weekday=7, time="08:05")),
        ("星期 星期三", DigestChange(weekday=3)),
        ("topic here", DigestChange(topic_here=True)),
        ("topic off", DigestChange(topic_here=False)),
        ("skip-empty on", DigestChange(skip_empty=True)),
        ("skip-empty off on", DigestChange(skip_empty=False, enabled=True)),
        (
            "drop 40% partner-silent 21 churn 45",
            DigestChange(warn_drop_pct=40, partner_silent_days=21, churn_silent_days=45),
        ),
        ("时间 09:00 跳过空周 开", DigestChange(time="09:00", skip_empty=True)),
    ],
)
def test_digest_settings(text: str, expected: DigestChange) -> None:
    assert parse_digest_settings(text.split()) == expected


@pytest.mark.parametrize(
    "text",
    [
        "day",
        "day funday",
        "time 25:00",
        "time 9",
        "topic there",
        "drop 0",
        "drop 101",
        "churn x",
        "skip-empty maybe",
        "day mon day tue",
        "hello",
    ],
)
def test_bad_digest_settings(text: str) -> None:
    with pytest.raises(ArgsError):
        parse_digest_settings(text.split())


def test_empty_change() -> None:
    assert DigestChange().is_empty()
    assert not DigestChange(enabled=False).is_empty()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", DigestRequest(now=True)),
        ("预览", DigestRequest(now=True)),
        ("本周", DigestRequest(now=True)),
        ("last", DigestRequest(last=True)),
        ("上周", DigestRequest(last=True)),
        ("", DigestRequest()),
        ("settings", DigestRequest()),
        ("Settings day fri", DigestRequest(change=DigestChange(weekday=5))),
        ("off", DigestRequest(change=DigestChange(enabled=False))),
        ("设置 时间 17:30", DigestRequest(change=DigestChange(time="17:30"))),
    ],
)
def test_digest_args(text: str, expected: DigestRequest) -> None:
    assert parse_digest_args(text.split()) == expected


@pytest.mark.parametrize(
    "text", ["now please", "settings someday", "now settings", "last now", "last month"]
)
def test_bad_digest_args(text: str) -> None:
    with pytest.raises(ArgsError):
        parse_digest_args(text.split())
