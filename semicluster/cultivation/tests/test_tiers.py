from __future__ import annotations

from decimal import Decimal

import pytest

from semicluster.cultivation import examples
from semicluster.cultivation.tiers import (
    TierCode,
    TierModel,
    WarningKind,
    close_below,
    crossing_events,
    crossings_in_year,
    current_tier,
    decline_warnings,
    tier_counts,
    tier_for,
    tier_history,
    watch_list,
)

D = Decimal
BN = D(1_000_000_000)
MODEL = TierModel.from_plan(examples.TIERS)


def code(tier) -> str | None:
    return None if tier is None else tier.code


def test_exactly_at_a_threshold_is_in_the_tier():
    assert code(tier_for(BN, MODEL)) == TierCode.BACKBONE
    assert code(tier_for(BN - D("0.01"), MODEL)) == TierCode.GROWTH
    assert code(tier_for(5 * BN, MODEL)) == TierCode.LEADER
    assert code(tier_for(5 * BN - D("0.01"), MODEL)) == TierCode.BACKBONE
    assert code(tier_for(D(100_000_000), MODEL)) == TierCode.GROWTH
    assert tier_for(D(99_999_999), MODEL) is None


def test_levels_are_ordered_by_threshold_whatever_the_plan_order():
    reordered = TierModel.from_plan({**examples.TIERS, "levels": list(reversed(examples.TIERS["levels"]))})
    assert [level.code for level in reordered.levels] == ["leader", "backbone", "growth"]
    with pytest.raises(ValueError):
        TierModel.from_plan({**examples.TIERS, "levels": [examples.TIERS["levels"][0]] * 2})


def test_reaching_exactly_1_bn_from_below_is_a_crossing():
    events = crossing_events({2024: D("999999999.99"), 2025: BN}, MODEL)
    assert [(e.year, e.level.code) for e in events] == [(2025, TierCode.BACKBONE)]
    assert "首次达到10亿元级骨干企业门槛10.00亿元" in events[0].message.zh


def test_staying_at_exactly_the_threshold_is_not_a_new_crossing():
    assert crossing_events({2024: BN, 2025: BN}, MODEL) == []


def test_jumping_past_both_thresholds_crosses_both():
    events = crossing_events({2024: D(900_000_000), 2025: D(5_200_000_000)}, MODEL, year=2025)
    assert {e.level.code for e in events} == {TierCode.LEADER, TierCode.BACKBONE}


def test_a_firm_that_drops_below_and_climbs_back_crosses_again():
    revenues = {2021: D(800_000_000), 2022: D(1_200_000_000), 2023: D(900_000_000), 2024: D(1_100_000_000)}
    events = crossing_events(revenues, MODEL)
    assert [(e.year, e.level.code) for e in events] == [(2022, "backbone"), (2024, "backbone")]
    assert crossing_events(revenues, MODEL, year=2023) == []


def test_no_crossing_without_last_years_figure_unless_new_entrants_count():
    assert crossing_events({2025: D(2) * BN}, MODEL) == []
    events = crossing_events({2025: D(2) * BN}, MODEL, new_entrants_count=True)
    assert [e.level.code for e in events] == ["backbone"]
    assert events[0].previous_revenue is None and "无上年数据" in events[0].message.zh


def test_crossings_in_year_feed_the_goal_counts():
    firms = {
        "b": {2024: D(900_000_000), 2025: D(1_500_000_000)},
        "a": {2024: D(4_000_000_000), 2025: D(5_000_000_000)},
        "c": {2024: D(1_500_000_000), 2025: D(1_600_000_000)},
    }
    result = crossings_in_year(firms, MODEL, 2025)
    assert [firm for firm, _ in result[TierCode.BACKBONE]] == ["b"]
    assert [firm for firm, _ in result[TierCode.LEADER]] == ["a"]


def test_current_tier_and_the_year_it_was_reached():
    revenues = {
        2020: D(1_100_000_000),
        2021: D(900_000_000),
        2022: D(1_200_000_000),
        2023: D(6_000_000_000),  # a leader year still counts as "at backbone or above"
        2024: D(1_300_000_000),
    }
    now = current_tier(revenues, MODEL)
    assert (code(now.tier), now.since, now.year) == (TierCode.BACKBONE, 2022, 2024)
    then = current_tier(revenues, MODEL, as_of=2023)
    assert (code(then.tier), then.since) == (TierCode.LEADER, 2023)


def test_a_missing_year_breaks_the_run():
    now = current_tier({2021: D(2) * BN, 2023: D(2) * BN}, MODEL)
    assert now.since == 2023


def test_no_tier_below_the_growth_floor():
    now = current_tier({2025: D(50_000_000)}, MODEL)
    assert now.tier is None and now.since is None and now.year == 2025
    assert current_tier({}, MODEL).year is None


def test_tier_history_lists_every_year():
    history = tier_history({2025: BN, 2024: D(500_000_000)}, MODEL)
    assert [(row.year, code(row.tier)) for row in history] == [(2024, "growth"), (2025, "backbone")]


def test_decline_of_exactly_the_warning_share_warns():
    warnings = decline_warnings({2024: D(2) * BN, 2025: D(1_800_000_000)}, MODEL, 2025)
    assert [(w.kind, w.change_pct) for w in warnings] == [(WarningKind.REVENUE_DECLINE, D("-10.00"))]
    assert "同比下降10.00%" in warnings[0].message.zh


def test_decline_just_under_the_warning_share_does_not_warn():
    assert decline_warnings({2024: D(2) * BN, 2025: D("1800000000.01")}, MODEL, 2025) == []


def test_dropping_below_a_tier_held_last_year_warns_even_on_a_small_decline():
    warnings = decline_warnings({2024: D(1_020_000_000), 2025: D(990_000_000)}, MODEL, 2025)
    assert [w.kind for w in warnings] == [WarningKind.TIER_LOST]
    assert warnings[0].lost_tier is not None and warnings[0].lost_tier.code == "backbone"
    assert "降至成长型企业" in warnings[0].message.zh


def test_a_large_fall_out_of_a_tier_gives_both_warnings():
    warnings = decline_warnings({2024: D(5_500_000_000), 2025: D(4_000_000_000)}, MODEL, 2025)
    assert {w.kind for w in warnings} == {WarningKind.REVENUE_DECLINE, WarningKind.TIER_LOST}


def test_no_warning_without_both_years():
    assert decline_warnings({2025: BN}, MODEL, 2025) == []


def test_close_below_the_next_threshold_up():
    candidate = close_below(D(800_000_000), MODEL)  # exactly 20 % under 1 bn: inside
    assert candidate is not None and candidate.level.code == "backbone"
    assert (candidate.gap, candidate.gap_pct) == (D(200_000_000), D("20.00"))
    assert close_below(D("799999999.99"), MODEL) is None
    assert close_below(BN, MODEL) is None  # at the threshold is not below it
    assert close_below(D(4_500_000_000), MODEL).level.code == "leader"  # type: ignore[union-attr]
    assert close_below(D(90_000_000), MODEL).level.code == "growth"  # type: ignore[union-attr]
    assert close_below(D(6) * BN, MODEL) is None


def test_watch_list_and_counts():
    firms = {
        "near": {2025: D(900_000_000)},
        "falling": {2024: D(3) * BN, 2025: D(2) * BN},
        "steady": {2024: D(3) * BN, 2025: D(3) * BN},
    }
    close, declining = watch_list(firms, MODEL, 2025)
    assert [firm for firm, _ in close] == ["near"]
    assert [firm for firm, _ in declining] == ["falling"]
    assert tier_counts(firms.values(), MODEL, 2025) == {"leader": 0, "backbone": 2, "growth": 1}
