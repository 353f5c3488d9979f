"""The records behind a figure (SPEC §3.11: every figure drills down to what makes it up).

Computed live from the same definitions as the engine, so the records' values add up to the stored
figure exactly (tests check it): for a sum, the firms' year-to-date values (plus the firms that have
not reported, value none); for a count or a threshold crossing, the firms counted (1 each); for the
project indicators, the projects with their amounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q

from semicluster.enterprises.models import Basis, Enterprise, PeriodType, PeriodValue
from semicluster.monitoring.compute import CrossingRule, Engine, count_queryset, crossing_candidates
from semicluster.monitoring.definitions import (
    COUNT,
    PROJECT_KINDS,
    SUM,
    THRESHOLD,
    IndicatorDef,
    Period,
    Topology,
)
from semicluster.monitoring.models import ScopeKind


@dataclass(frozen=True)
class Record:
    kind: str  # "enterprise" or "project"
    id: int
    value: Decimal | None  # None: expected but not reported
    area_id: int | None = None
    node_id: int | None = None
    previous: Decimal | None = None  # threshold crossing: the previous full year
    expected_only: bool = False  # threshold crossing: expected to cross, not yet counted


@dataclass
class DrillDown:
    definition: IndicatorDef
    period: Period
    scope_kind: str
    scope_key: str
    records: list[Record] = field(default_factory=list)

    @property
    def counted(self) -> list[Record]:
        return [r for r in self.records if r.value is not None and not r.expected_only]

    @property
    def total(self) -> Decimal:
        return sum((r.value for r in self.counted if r.value is not None), Decimal(0))

    @property
    def missing(self) -> list[Record]:
        return [r for r in self.records if r.value is None]


def breakdown_q(scope_kind: str, scope_key: str) -> Q:
    if scope_kind == ScopeKind.AREA:
        return Q(area__code=scope_key)
    if scope_kind == ScopeKind.SEGMENT:
        return Q(primary_node__segment__code=scope_key)
    if scope_kind == ScopeKind.NODE:
        return Q(primary_node__code=scope_key)
    return Q()


def drill_down(
    d: IndicatorDef, period: Period, scope_kind: str, scope_key: str, *, engine: Engine | None = None
) -> DrillDown:
    result = DrillDown(d, period, scope_kind, scope_key)
    inside = Enterprise.objects.filter(breakdown_q(scope_kind, scope_key))
    if d.kind == SUM:
        firms = inside.filter(d.scope.enterprise_q(period.end))
        reported = PeriodValue.objects.filter(
            enterprise__in=firms.values("id"),
            measure=d.measure,
            year=period.year,
            period_type=PeriodType.YEAR if period.is_annual else PeriodType.MONTH,
            period=period.month,
        )
        if not period.is_annual:
            reported = reported.filter(basis=Basis.YTD)
        values = dict(reported.values_list("enterprise_id", "value"))
        expected = firms.filter(
            Exists(
                PeriodValue.objects.filter(
                    enterprise=OuterRef("pk"), measure=d.measure, year__in=[period.year - 1, period.year]
                )
            )
        ).values_list("id", "area_id", "primary_node_id")
        for pk, area_id, node_id in expected:
            result.records.append(Record("enterprise", pk, values.get(pk), area_id, node_id))
    elif d.kind == COUNT:
        qs, _note = count_queryset(d, period)
        for pk, area_id, node_id in qs.filter(breakdown_q(scope_kind, scope_key)).values_list(
            "id", "area_id", "primary_node_id"
        ):
            result.records.append(Record("enterprise", pk, Decimal(1), area_id, node_id))
    elif d.kind == THRESHOLD:
        engine = engine or Engine_for(d)
        stats = None
        if not period.is_annual and period.month != 12:
            stats = engine.share_stats_by_scope(d.measure, d.scope, period)[("city", "")]
        rule = CrossingRule(d.threshold or Decimal(0), period, stats)
        allowed = set(inside.values_list("id", flat=True)) if scope_kind != ScopeKind.CITY else None
        for firm, area_id, node_id, value, prev in crossing_candidates(d, period, rule.bound):
            if allowed is not None and firm not in allowed:
                continue
            crossed, expect, _low, _high = rule.flags(value)
            if crossed:
                result.records.append(Record("enterprise", firm, Decimal(1), area_id, node_id, previous=prev))
            elif expect:
                result.records.append(
                    Record(
                        "enterprise", firm, Decimal(1), area_id, node_id, previous=prev, expected_only=True
                    )
                )
        result.records.sort(key=lambda r: r.expected_only)
    elif d.kind in PROJECT_KINDS:
        from semicluster.monitoring.compute import project_records_by_scope

        topology = engine.topology if engine else Topology.load()
        found = project_records_by_scope(d, period, topology).get((scope_kind, scope_key)) or {}
        for pk, amount in sorted(found.items()):
            result.records.append(Record("project", pk, amount))
    return result


def Engine_for(d: IndicatorDef) -> Engine:
    from semicluster.plans.models import Goal

    goal = Goal.objects.select_related("plan_version__plan").get(pk=d.goal_id)
    return Engine(goal.plan_version)


def enterprise_rows(records: list[Record]) -> dict[int, Any]:
    """The enterprises of the records, by id, with area and node for display (one query)."""
    ids = [r.id for r in records if r.kind == "enterprise"]
    return Enterprise.objects.select_related("area", "primary_node__segment").in_bulk(ids)
