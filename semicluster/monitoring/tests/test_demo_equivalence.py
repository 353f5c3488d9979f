"""Stored indicator values equal a fresh, naive computation for every indicator, period, area and
chain node of the (sample-scale) demo data, and every figure's drill-down adds up to it."""

from __future__ import annotations

import io
from typing import Any

import pytest

from semicluster.core.demo import DemoContext, generate_demo
from semicluster.monitoring.compute import Engine
from semicluster.monitoring.definitions import COUNT, PROJECT_INVESTMENT, SUM, THRESHOLD, IndicatorDef, Period
from semicluster.monitoring.drilldown import drill_down
from semicluster.monitoring.models import IndicatorValue
from semicluster.monitoring.services import indicators_refresh
from semicluster.monitoring.tests.oracle import Oracle
from semicluster.plans.models import ChainNode, PlanVersion


@pytest.fixture
def demo(kunshan_plan: PlanVersion) -> PlanVersion:
    generate_demo(DemoContext(seed=11, scale="sample", plan_version=kunshan_plan, out=io.StringIO()))
    return kunshan_plan


@pytest.mark.django_db
def test_demo_indicators_equal_a_fresh_computation_drill_down_exactly_and_refresh_idempotently(
    demo: PlanVersion,
) -> None:
    # One test, because generating the demo is the slow part: three properties of the same data.
    stored_values_equal_a_fresh_computation_for_every_period_and_scope(demo)
    every_figure_drills_down_to_records_that_add_up(demo)
    refresh_is_idempotent(demo)


def stored_values_equal_a_fresh_computation_for_every_period_and_scope(demo: PlanVersion) -> None:
    engine = Engine(demo)
    oracle = Oracle(engine.settings.history_years)
    nodes_of: dict[str, list[str]] = {}
    for code, segment in ChainNode.objects.values_list("code", "segment__code"):
        nodes_of.setdefault(segment, []).append(code)
    stored = {
        (v.goal_id, v.year, v.month, v.scope_kind, v.scope_key): v
        for v in IndicatorValue.objects.filter(plan_version=demo)
    }
    defs = {d.goal_id: d for d in engine.defs}
    expected_keys = {
        (d.goal_id, p.year, p.month, kind, key)
        for d in engine.defs
        for p in engine.calendar.periods
        for kind, key in engine.topology.scope_keys()
    }
    assert set(stored) == expected_keys
    assert {p.year for p in engine.calendar.periods} == {2023, 2024, 2025}
    checked = 0
    for (goal_id, year, month, kind, key), row in stored.items():
        d = defs[goal_id]
        period = Period(year, month)
        if d.kind == SUM:
            want = oracle.sum(d, period, kind, key)
        elif d.kind == THRESHOLD:
            want = oracle.threshold(d, period, kind, key)
        elif d.kind == COUNT:
            want = oracle.leaders(d, period, kind, key)
        elif d.kind == PROJECT_INVESTMENT:
            want = oracle.investment(d, period, kind, key, nodes_of)
        else:  # pragma: no cover - the Kunshan plan has no other kinds
            raise AssertionError(d.kind)
        where = f"{d.code} {period.code} {kind}:{key}"
        assert row.value == want["value"], where
        assert row.reporting == want["reporting"], where
        assert row.missing == want["missing"], where
        assert row.forecast == want["forecast"].value, where
        assert row.forecast_low == want["forecast"].low, where
        assert row.forecast_high == want["forecast"].high, where
        checked += 1
    assert checked == len(expected_keys) > 1000
    # The demo is calibrated so October misses some reports, and the city figure says so.
    latest = stored[(engine.defs[0].goal_id, 2025, 10, "city", "")]
    assert latest.missing and latest.missing > 0


def every_figure_drills_down_to_records_that_add_up(demo: PlanVersion) -> None:
    engine = Engine(demo)
    checked = 0
    for row in IndicatorValue.objects.filter(plan_version=demo, year=2025, month__in=[6, 10]).select_related(
        "goal"
    ):
        d = IndicatorDef.from_goal(row.goal)
        drill = drill_down(d, Period(row.year, row.month), row.scope_kind, row.scope_key, engine=engine)
        assert drill.total == row.value, f"{d.code} {row.month} {row.scope_kind}:{row.scope_key}"
        if d.kind == SUM and row.missing is not None:
            assert len(drill.missing) == row.missing
        checked += 1
    assert checked > 300


def _values(demo: PlanVersion) -> list[Any]:
    return list(
        IndicatorValue.objects.filter(plan_version=demo)
        .order_by("goal_id", "year", "month", "scope_kind", "scope_key")
        .values_list("goal_id", "year", "month", "scope_kind", "scope_key", "value", "forecast", "status")
    )


def refresh_is_idempotent(demo: PlanVersion) -> None:
    first = _values(demo)
    result = indicators_refresh(plan_version=demo)
    assert _values(demo) == first
    assert result.rows == len(first)
    assert (result.data_year, result.data_month) == (2025, 10)
