"""Tiers, crossings and warnings computed from period data with the plan's thresholds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from semicluster.core.testing import add_value, make_enterprise
from semicluster.cultivation import selectors, services
from semicluster.enterprises.models import Enterprise

from .conftest import BN

pytestmark = pytest.mark.django_db


def test_tiers_refresh_uses_the_plan_thresholds_at_their_boundaries(personas):
    exactly_1bn = make_enterprise()
    just_below = make_enterprise()
    exactly_5bn = make_enterprise()
    add_value(exactly_1bn, "revenue", 2024, BN)
    add_value(just_below, "revenue", 2024, BN - Decimal("0.01"))
    add_value(exactly_5bn, "revenue", 2024, 5 * BN)
    services.tiers_refresh()
    tiers = dict(Enterprise.objects.values_list("pk", "tier"))
    assert tiers[exactly_1bn.pk] == "backbone"
    assert tiers[just_below.pk] == "growth"
    assert tiers[exactly_5bn.pk] == "leader"


def test_a_changed_plan_threshold_changes_the_tier(personas, kunshan_plan):
    firm = make_enterprise()
    add_value(firm, "revenue", 2024, Decimal(1_200_000_000))
    document = dict(kunshan_plan.document)
    document["tiers"] = {
        **document["tiers"],
        "levels": [
            {**level, "min_revenue": 1_500_000_000} if level["code"] == "backbone" else level
            for level in document["tiers"]["levels"]
        ],
    }
    kunshan_plan.document = document
    kunshan_plan.save()
    services.tiers_refresh()
    assert Enterprise.objects.get(pk=firm.pk).tier == "growth"


def test_tier_year_is_the_year_the_current_tier_was_reached(personas):
    firm = make_enterprise()
    for year, revenue in {2020: 800, 2021: 1100, 2022: 1300, 2023: 1500, 2024: 1700}.items():
        add_value(firm, "revenue", year, Decimal(revenue) * 1_000_000)
    services.tiers_refresh()
    firm.refresh_from_db()
    assert (firm.tier, firm.tier_year) == ("backbone", 2021)


def test_a_december_cumulative_figure_stands_in_for_a_missing_annual_report(personas):
    firm = make_enterprise()
    add_value(firm, "revenue", 2023, Decimal(900_000_000))
    add_value(firm, "revenue", 2024, Decimal(600_000_000), month=11)
    add_value(firm, "revenue", 2024, Decimal(1_050_000_000), month=12)
    assert selectors.annual_revenues([firm.pk])[firm.pk] == {
        2023: Decimal(900_000_000),
        2024: Decimal(1_050_000_000),
    }


def test_crossing_events_are_counted_in_the_year_they_happen(personas):
    climber = make_enterprise(name="攀升企业（测试）")
    steady = make_enterprise(name="稳定企业（测试）")
    for year, revenue in {2022: 700, 2023: 990, 2024: 1010}.items():
        add_value(climber, "revenue", year, Decimal(revenue) * 1_000_000)
    for year in (2022, 2023, 2024):
        add_value(steady, "revenue", year, Decimal(1_500_000_000))
    admin = personas["admin"]
    assert [c.enterprise.pk for c in selectors.crossings(user=admin, year=2024)] == [climber.pk]
    assert selectors.crossings(user=admin, year=2023) == []
    assert selectors.crossing_enterprise_ids(2024, "backbone") == {climber.pk}
    assert selectors.crossing_enterprise_ids(2024, "leader") == set()


def test_a_year_to_date_figure_already_past_the_threshold_is_a_provisional_crossing(personas):
    firm = make_enterprise()
    add_value(firm, "revenue", 2024, Decimal(4_600_000_000))
    add_value(firm, "revenue", 2025, Decimal(5_010_000_000), month=10)
    [crossing] = selectors.crossings(user=personas["admin"], year=2025)
    assert crossing.event.level.code == "leader" and crossing.provisional_month == 10


def test_crossings_are_scoped_to_the_officers_area(personas):
    kfq = make_enterprise(area="kfq")
    gxq = make_enterprise(area="gxq")
    for firm in (kfq, gxq):
        add_value(firm, "revenue", 2023, Decimal(900_000_000))
        add_value(firm, "revenue", 2024, Decimal(1_100_000_000))
    ids = {c.enterprise.pk for c in selectors.crossings(user=personas["kfq_officer"], year=2024)}
    assert ids == {kfq.pk}


def test_the_watch_list_names_close_below_and_declining_firms(personas):
    close = make_enterprise(name="临近企业（测试）")
    add_value(close, "revenue", 2024, Decimal(850_000_000))  # 15 % under 1 bn: within 20 %
    far = make_enterprise(name="较远企业（测试）")
    add_value(far, "revenue", 2024, Decimal(700_000_000))  # 30 % under 1 bn; above growth floor
    falling = make_enterprise(name="下滑企业（测试）")
    add_value(falling, "revenue", 2023, Decimal(1_100_000_000))
    add_value(falling, "revenue", 2024, Decimal(950_000_000))
    watch = selectors.watch_list(user=personas["admin"], year=2024)
    assert close.pk in {firm.pk for firm, _ in watch.close}
    assert far.pk not in {firm.pk for firm, _ in watch.close}
    kinds = {(firm.pk, w.kind.value) for firm, w in watch.declining}
    assert kinds == {(falling.pk, "revenue_decline"), (falling.pk, "tier_lost")}
