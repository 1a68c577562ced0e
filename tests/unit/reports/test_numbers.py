"""The arithmetic on report numbers: rates, the funnel, stage weights, early warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.reports.numbers import (
    DropWarning,
    Numbers,
    build_funnel,
    drop_warnings,
    stage_weight,
    total,
)


def test_rates_and_empty_rates() -> None:
    n = Numbers(
        leads=8, won_leads=2, wins=3, losses=1, tasks_due=5, tasks_on_time=2, close_days=31.5
    )
    assert (n.conversion, n.win_rate, n.on_time_rate, n.avg_days_to_close) == (
        0.25,
        0.75,
        0.4,
        10.5,
    )
    empty = Numbers()
    assert (empty.conversion, empty.win_rate, empty.on_time_rate, empty.avg_days_to_close) == (
        None,
        None,
        None,
        None,
    )
    assert empty.is_empty() and not Numbers(tasks_due=1).is_empty()


def test_numbers_add_up() -> None:
    a = Numbers(leads=1, revenue=Decimal("10.50"), close_days=2.0, wins=1)
    b = Numbers(leads=2, revenue=Decimal("0.50"), close_days=4.0, wins=1)
    assert total([a, b]) == Numbers(leads=3, revenue=Decimal("11.00"), close_days=6.0, wins=2)


STAGES = [(k, k.title()) for k in ("lead", "contacted", "visited", "quoted", "won", "lost")]


def test_funnel_counts_a_customer_in_every_stage_it_passed() -> None:
    funnel = build_funnel(STAGES, {"lead": 4, "contacted": 2, "quoted": 1, "won": 1, "lost": 3})
    assert [(s.key, s.count, s.reached) for s in funnel.stages] == [
        ("lead", 4, 8),
        ("contacted", 2, 4),
        ("visited", 0, 2),
        ("quoted", 1, 2),
        ("won", 1, 1),
    ]
    assert [s.conversion for s in funnel.stages] == [0.5, 0.5, 1.0, 0.5, None]
    assert (funnel.lost, funnel.total) == (3, 11)


def test_an_empty_funnel_has_no_rates() -> None:
    funnel = build_funnel(STAGES, {})
    assert all(s.conversion is None for s in funnel.stages)
    assert funnel.total == 0


@pytest.mark.parametrize(
    ("key", "weight"),
    [
        ("lead", "0.10"),
        ("quoted", "0.50"),
        ("contract", "0.80"),
        ("shipped", "0.90"),
        ("demo", "0.30"),
        ("nowhere", "0.10"),
    ],
)
def test_stage_weights_and_a_teams_own_stage(key: str, weight: str) -> None:
    order = ["lead", "contacted", "visited", "demo", "quoted", "contract", "shipped", "won", "lost"]
    assert stage_weight(order, key) == Decimal(weight)


def weeks(*values: int, metric: str = "visits") -> list[Numbers]:
    if metric == "revenue":
        return [Numbers(revenue=Decimal(v)) for v in values]
    result = [Numbers() for _ in values]
    for numbers, value in zip(result, values, strict=True):
        numbers.add(**{metric: value})
    return result


def test_a_drop_over_the_threshold_warns() -> None:
    channels = [
        ("Distributor", weeks(9, 9, 4, 4, 4, 4, 2)),  # average 4 → 2: −50%
        ("E-commerce", weeks(0, 0, 10, 10, 10, 10, 7)),  # −30%: not more than 30%
        ("Direct store", weeks(0, 0, 0, 0, 0, 0, 5)),  # no average: nothing to compare
    ]
    assert drop_warnings(channels, threshold_pct=30) == [("Distributor", "visits", -50)]
    assert drop_warnings(channels, threshold_pct=29) == [
        DropWarning("Distributor", "visits", -50),
        DropWarning("E-commerce", "visits", -30),
    ]


def test_warnings_cover_leads_and_revenue_and_need_enough_weeks() -> None:
    leads = ("Agent", weeks(4, 4, 4, 4, 1, metric="leads"))
    revenue = ("Direct store", weeks(1000, 1000, 1000, 1000, 0, metric="revenue"))
    short = ("New", weeks(5, 1))
    assert drop_warnings([leads, revenue, short], threshold_pct=30) == [
        ("Agent", "leads", -75),
        ("Direct store", "revenue", -100),
    ]
