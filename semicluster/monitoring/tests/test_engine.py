"""Each indicator kind on hand-built data with known answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from semicluster.core.testing import add_value, make_enterprise
from semicluster.enterprises.models import Designation, Tier
from semicluster.monitoring.definitions import COUNT, PROJECT_INVESTMENT, PROJECT_MILESTONES, SUM, THRESHOLD
from semicluster.plans.models import DesignationType

pytestmark = pytest.mark.django_db

CITY = ("city", "")


def firm(area: str = "kfq", node: str = "advanced-packaging", **fields: Any) -> Any:
    return make_enterprise(area=area, node=node, **fields)


def test_sum_adds_year_to_date_reports_of_the_month_and_counts_missing_firms(
    make_def: Any, rows_of: Any
) -> None:
    a, b, c = firm("kfq"), firm("gxq", node="display-driver-ic"), firm("gxq")
    for f, (m1, m2) in ((a, (100, 250)), (b, (40, 90)), (c, (7, None))):
        add_value(f, "revenue", 2024, 1000, month=None)  # expected to report in 2025
        add_value(f, "revenue", 2025, m1, month=1)
        if m2 is not None:
            add_value(f, "revenue", 2025, m2, month=2)
    rows = rows_of(make_def(SUM, measure="revenue"))
    feb = rows[(2025, 2, *CITY)].figure
    # February is the sum of February's YTD values only; c did not report and counts as missing.
    assert feb.value == Decimal("340")
    assert (feb.reporting, feb.expected) == (2, 3)
    assert rows[(2025, 1, *CITY)].figure.value == Decimal("147")
    assert rows[(2025, 2, "area", "gxq")].figure.value == Decimal("90")
    assert rows[(2025, 2, "area", "gxq")].as_model(None).missing == 1
    assert rows[(2025, 2, "segment", "design")].figure.value == Decimal("90")
    assert rows[(2025, 2, "node", "advanced-packaging")].figure.value == Decimal("250")
    assert rows[(2024, 0, *CITY)].figure.value == Decimal("3000")


def test_sum_is_exact_to_the_fen_on_large_amounts(make_def: Any, rows_of: Any) -> None:
    for _ in range(7):
        f = firm()
        add_value(f, "revenue", 2025, Decimal("123456789012.37"), month=3)
    rows = rows_of(make_def(SUM, measure="revenue"))
    assert rows[(2025, 3, *CITY)].figure.value == Decimal("864197523086.59")


def test_sum_respects_the_goal_scope(make_def: Any, rows_of: Any) -> None:
    a, b = firm("kfq"), firm("gxq")
    add_value(a, "revenue", 2025, 10, month=1)
    add_value(b, "revenue", 2025, 20, month=1)
    rows = rows_of(make_def(SUM, measure="revenue", scope={"areas": ["gxq"]}))
    assert rows[(2025, 1, *CITY)].figure.value == Decimal("20")
    assert rows[(2025, 1, "area", "kfq")].figure.value == Decimal("0")


def test_count_of_designations_held_at_the_end_of_the_period(make_def: Any, rows_of: Any) -> None:
    zjtx = DesignationType.objects.get(code="zjtx")
    held, later, expired = firm(), firm(), firm("gxq")
    for f in (held, later, expired):
        add_value(f, "revenue", 2025, 1, month=3)
    Designation.objects.create(enterprise=held, designation_type=zjtx, granted=dt.date(2024, 5, 1))
    Designation.objects.create(enterprise=later, designation_type=zjtx, granted=dt.date(2025, 4, 1))
    Designation.objects.create(
        enterprise=expired, designation_type=zjtx, granted=dt.date(2021, 1, 1), expires=dt.date(2025, 2, 28)
    )
    rows = rows_of(make_def(COUNT, condition="has_designation", scope={"designations": ["zjtx"]}))
    assert rows[(2025, 2, *CITY)].figure.value == 2  # expired holds through its expiry day
    assert rows[(2025, 3, *CITY)].figure.value == 1
    assert rows[(2025, 3, "area", "gxq")].figure.value == 0


def test_count_of_enterprises_in_a_tier(make_def: Any, rows_of: Any) -> None:
    firm(tier=Tier.LEADER)
    firm(tier=Tier.BACKBONE)
    add_value(firm(tier=Tier.GROWTH), "revenue", 2025, 1, month=1)
    rows = rows_of(make_def(COUNT, condition="in_tier", scope={"tiers": ["leader", "backbone"]}))
    assert rows[(2025, 1, *CITY)].figure.value == 2


def test_leader_count_is_zero_and_says_so_when_the_library_app_is_absent(
    make_def: Any, rows_of: Any, no_cultivation: None
) -> None:
    add_value(firm(), "revenue", 2025, 1, month=1)
    figure = rows_of(make_def(COUNT, condition="innovation_leader_member"))[(2025, 1, *CITY)].figure
    assert figure.value == 0
    assert "not installed" in figure.note


def test_leader_count_reads_library_members_as_of_the_period_end(
    make_def: Any, rows_of: Any, fake_apps: dict[str, Any]
) -> None:
    a, b = firm(), firm("gxq")
    add_value(a, "revenue", 2025, 1, month=2)
    fake_apps["members"] = {(a.pk, dt.date(2024, 12, 1)), (b.pk, dt.date(2025, 2, 10))}
    rows = rows_of(make_def(COUNT, condition="innovation_leader_member"))
    assert rows[(2025, 1, *CITY)].figure.value == 1
    assert rows[(2025, 2, *CITY)].figure.value == 2
    assert rows[(2025, 2, "area", "gxq")].figure.value == 1


def test_threshold_crossing_counts_firms_at_exactly_the_threshold(make_def: Any, rows_of: Any) -> None:
    exactly, below, was_above, no_history = firm(), firm(), firm("gxq"), firm()
    add_value(exactly, "revenue", 2024, Decimal("999999999.99"))
    add_value(exactly, "revenue", 2025, Decimal("1000000000.00"), month=12)
    add_value(below, "revenue", 2024, Decimal("500000000"))
    add_value(below, "revenue", 2025, Decimal("999999999.99"), month=12)
    add_value(was_above, "revenue", 2024, Decimal("1000000000.00"))  # not below last year
    add_value(was_above, "revenue", 2025, Decimal("1200000000"), month=12)
    add_value(no_history, "revenue", 2025, Decimal("3000000000"), month=12)
    rows = rows_of(make_def(THRESHOLD, measure="revenue", threshold=Decimal("1000000000"), target=3))
    dec = rows[(2025, 12, *CITY)]
    assert dec.figure.value == 1
    assert dec.status == "off_track"  # December is the final figure: 1 of 3


def test_threshold_crossing_shows_crossed_to_date_and_forecasts_expected_crossers(
    make_def: Any, rows_of: Any
) -> None:
    early, expected, unlikely = firm(), firm(), firm("gxq")
    for f in (early, expected, unlikely):
        add_value(f, "revenue", 2024, Decimal("900000000"))
    add_value(early, "revenue", 2025, Decimal("1100000000"), month=6)
    add_value(expected, "revenue", 2025, Decimal("600000000"), month=6)  # × 12 ÷ 6 = 1.2 bn
    add_value(unlikely, "revenue", 2025, Decimal("400000000"), month=6)  # × 2 = 0.8 bn
    rows = rows_of(make_def(THRESHOLD, measure="revenue", threshold=Decimal("1000000000"), target=2))
    june = rows[(2025, 6, *CITY)]
    assert june.figure.value == 1
    assert june.figure.forecast.value == 2  # no history: straight line, which the note says
    assert june.figure.forecast.method == "straight_line"
    assert june.status == "on_track"


def test_seasonal_forecast_divides_by_the_average_share_of_the_same_firms(
    make_def: Any, rows_of: Any
) -> None:
    a = firm()
    add_value(a, "revenue", 2023, 1000)
    add_value(a, "revenue", 2023, 700, month=10)
    add_value(a, "revenue", 2024, 1000)
    add_value(a, "revenue", 2024, 800, month=10)
    add_value(a, "revenue", 2025, 600, month=10)
    # A firm without history reports too: it adds to the value but not to the shares.
    b = firm("gxq")
    add_value(b, "revenue", 2025, 150, month=10)
    add_value(b, "revenue", 2024, 5, month=10)  # YTD without an annual figure: not matched
    rows = rows_of(make_def(SUM, measure="revenue", target=1000))
    forecast = rows[(2025, 10, *CITY)].figure.forecast
    # shares 0.7 and 0.8, average 0.75: 750 / 0.75 = 1000; range 750 / 0.8 … 750 / 0.7
    assert forecast.value == Decimal("1000.00")
    assert (forecast.low, forecast.high) == (Decimal("937.50"), Decimal("1071.43"))
    assert forecast.method == "seasonal_share"
    assert "2023–2024" in forecast.note
    assert rows[(2025, 10, *CITY)].status == "on_track"
    assert rows[(2025, 10, "area", "gxq")].figure.forecast.method == "straight_line"


def test_a_firm_yet_to_report_counts_in_the_forecast_at_last_years_same_month_not_as_zero(
    make_def: Any, rows_of: Any
) -> None:
    on_time, late = firm(), firm("gxq")
    for f in (on_time, late):
        add_value(f, "revenue", 2024, 300, month=6)
        add_value(f, "revenue", 2025, 320, month=5)
    add_value(on_time, "revenue", 2025, 330, month=6)  # the late firm has not sent June yet
    rows = rows_of(make_def(SUM, measure="revenue", target=1250))
    june = rows[(2025, 6, *CITY)]
    assert june.figure.value == Decimal("330") and june.as_model(None).missing == 1  # shown as reported
    # Straight line (no full-year history): (330 + 300 estimated for the late firm) × 12 ÷ 6 = 1,260,
    # on track against 1,250; counting the late firm as zero would have read 660, off track.
    assert june.figure.forecast.value == Decimal("1260.00")
    assert "1 家企业本月尚未报送" in june.figure.forecast.note
    assert june.status == "on_track"
    # A scope where everyone reported says nothing about late firms.
    assert "尚未报送" not in rows[(2025, 6, "area", "kfq")].figure.forecast.note


def test_year_on_year_change_compares_the_same_month_last_year(make_def: Any, rows_of: Any) -> None:
    a = firm()
    add_value(a, "revenue", 2024, 200, month=3)
    add_value(a, "revenue", 2025, 250, month=3)
    row = rows_of(make_def(SUM, measure="revenue", target=1000))[(2025, 3, *CITY)]
    assert (row.previous, row.yoy) == (Decimal("200"), Decimal("25.00"))
    assert row.progress == Decimal("25.00")


def test_project_investment_sums_projects_and_breaks_down_by_area_and_node(
    make_def: Any, rows_of: Any, fake_apps: dict[str, Any]
) -> None:
    add_value(firm(), "revenue", 2025, 1, month=4)
    fake_apps["investment"] = {
        1: ("kfq", "advanced-packaging", {(2025, 4): Decimal("300000000.50")}),
        2: ("gxq", "display-driver-ic", {(2025, 4): Decimal("200000000")}),
        3: ("gxq", "advanced-packaging", {(2025, 3): Decimal("9")}),  # did not report April
    }
    rows = rows_of(make_def(PROJECT_INVESTMENT, target=5000000000))
    assert rows[(2025, 4, *CITY)].figure.value == Decimal("500000000.50")
    assert rows[(2025, 4, "area", "gxq")].figure.value == Decimal("200000000")
    assert rows[(2025, 4, "segment", "packaging-testing")].figure.value == Decimal("300000000.50")
    assert rows[(2025, 4, *CITY)].figure.forecast.value == Decimal("1500000001.50")


def test_project_milestones_count_projects_reaching_the_milestone_by_the_month(
    make_def: Any, rows_of: Any, fake_apps: dict[str, Any]
) -> None:
    add_value(firm(), "revenue", 2025, 1, month=5)
    fake_apps["milestones"] = {
        1: ("kfq", "advanced-packaging", {"started": dt.date(2025, 2, 1)}),
        2: ("gxq", "advanced-packaging", {"started": dt.date(2025, 5, 30)}),
        3: ("gxq", "advanced-packaging", {"completed": dt.date(2025, 1, 3)}),
    }
    rows = rows_of(make_def(PROJECT_MILESTONES, milestone="started", target=4))
    assert rows[(2025, 4, *CITY)].figure.value == 1
    assert rows[(2025, 5, *CITY)].figure.value == 2
    assert rows[(2025, 5, "area", "kfq")].figure.value == 1


def test_project_indicators_count_zero_when_the_projects_app_is_absent(
    make_def: Any, rows_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from semicluster.monitoring import integrations

    monkeypatch.setattr(integrations, "_function", lambda module, name: None)
    add_value(firm(), "revenue", 2025, 1, month=1)
    figure = rows_of(make_def(PROJECT_INVESTMENT))[(2025, 1, *CITY)].figure
    assert figure.value == 0
    assert "project library not installed" in figure.note
