"""What an indicator is: a goal's ``indicator`` block parsed, the periods to compute and the scopes.

Scope filters of the plan (areas, towns, segments, nodes, designations, tiers) become one Django
``Q`` on Enterprise; designations are "held at the period end" (granted on or before it and not
expired), so that part depends on the period.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from semicluster.enterprises.models import Designation, PeriodType, PeriodValue
from semicluster.plans.models import Area, ChainNode, Goal, PlanVersion

SUM = "sum"
COUNT = "count"
THRESHOLD = "threshold_crossing"
PROJECT_INVESTMENT = "project_investment"
PROJECT_MILESTONES = "project_milestones"
ENTERPRISE_KINDS = (SUM, COUNT, THRESHOLD)
PROJECT_KINDS = (PROJECT_INVESTMENT, PROJECT_MILESTONES)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int  # 0: the full year; 1–12: year to date through that month

    @property
    def is_annual(self) -> bool:
        return self.month == 0

    @property
    def end(self) -> dt.date:
        month = 12 if self.month == 0 else self.month
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def through_month(self) -> int:
        return 12 if self.month == 0 else self.month

    def previous_year(self) -> Period:
        return Period(self.year - 1, self.month)

    @property
    def code(self) -> str:
        return f"{self.year}" if self.is_annual else f"{self.year}-{self.month:02d}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2025-10`` (year to date through October) or ``2025`` (the full year)."""
        try:
            if "-" in text:
                year, month = text.split("-", 1)
                period = cls(int(year), int(month))
                if not 1 <= period.month <= 12:
                    raise ValueError
                return period
            return cls(int(text), 0)
        except ValueError as exc:
            raise ValueError(
                f"期间“{text}”无效，应为 YYYY-MM 或 YYYY / invalid period {text!r}: use YYYY-MM or YYYY"
            ) from exc


@dataclass(frozen=True)
class Scope:
    areas: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    designations: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Scope:
        data = data or {}
        return cls(**{name: tuple(data.get(name) or ()) for name in cls.__dataclass_fields__})

    def enterprise_q(self, as_of: dt.date | None, *, with_designations: bool = True) -> Q:
        """Enterprises inside this scope; ``as_of`` is when designations must be held."""
        q = Q()
        if self.areas:
            q &= Q(area__code__in=self.areas)
        if self.towns:
            q &= Q(town__code__in=self.towns) | Q(town__name__in=self.towns)
        if self.segments or self.nodes:
            q &= Q(primary_node__segment__code__in=self.segments) | Q(primary_node__code__in=self.nodes)
        if self.tiers:
            q &= Q(tier__in=self.tiers)
        if self.designations and with_designations:
            q &= Q(Exists(held_designations(self.designations, as_of).filter(enterprise=OuterRef("pk"))))
        return q

    @property
    def period_dependent(self) -> bool:
        return bool(self.designations)

    def project_area_codes(self) -> list[str] | None:
        return list(self.areas) or None

    def project_node_codes(self, topology: Topology) -> list[str] | None:
        if not (self.segments or self.nodes):
            return None
        codes = set(self.nodes)
        for node in topology.nodes.values():
            if node.segment in self.segments:
                codes.add(node.code)
        return sorted(codes)


def held_designations(codes: tuple[str, ...] | list[str], as_of: dt.date | None) -> Any:
    """Designations of the given types (all types when empty) held at ``as_of``."""
    qs = Designation.objects.all()
    if codes:
        qs = qs.filter(designation_type__code__in=codes)
    if as_of is not None:
        qs = qs.filter(granted__lte=as_of).filter(Q(expires__isnull=True) | Q(expires__gte=as_of))
    return qs


@dataclass(frozen=True)
class IndicatorDef:
    goal_id: int
    code: str
    kind: str
    measure: str = ""
    threshold: Decimal | None = None
    condition: str = ""
    milestone: str = ""
    scope: Scope = field(default_factory=Scope)
    target: Decimal = Decimal(0)
    comparison: str = "gte"
    year: int = 0  # the goal's deadline year: status is assessed only for its periods

    @classmethod
    def from_goal(cls, goal: Goal) -> IndicatorDef:
        ind = goal.indicator or {}
        threshold = ind.get("threshold")
        return cls(
            goal_id=goal.pk,
            code=goal.code,
            kind=str(ind.get("kind", "")),
            measure=str(ind.get("measure", "")),
            threshold=None if threshold is None else Decimal(str(threshold)),
            condition=str(ind.get("condition", "")),
            milestone=str(ind.get("milestone", "")),
            scope=Scope.from_json(ind.get("scope")),
            target=goal.target,
            comparison=goal.comparison,
            year=goal.deadline.year,
        )


@dataclass(frozen=True)
class NodeInfo:
    id: int
    code: str
    segment: str


@dataclass
class Topology:
    """Areas, segments and nodes by id and code, in display order."""

    areas: dict[int, str]
    nodes: dict[int, NodeInfo]
    segments: list[str]

    @classmethod
    def load(cls) -> Topology:
        areas = dict(Area.objects.order_by("sort", "code").values_list("id", "code"))
        nodes = {
            pk: NodeInfo(pk, code, segment)
            for pk, code, segment in ChainNode.objects.order_by("segment__sort", "sort", "code").values_list(
                "id", "code", "segment__code"
            )
        }
        segments = list(dict.fromkeys(n.segment for n in nodes.values()))
        return cls(areas, nodes, segments)

    def scope_keys(self) -> list[tuple[str, str]]:
        keys = [("city", "")]
        keys += [("area", code) for code in self.areas.values()]
        keys += [("segment", code) for code in self.segments]
        keys += [("node", n.code) for n in self.nodes.values()]
        return keys

    def keys_of(self, area_id: int, node_id: int) -> tuple[tuple[str, str], ...]:
        """The scope rows an enterprise of this area and primary node counts in."""
        node = self.nodes[node_id]
        return (("city", ""), ("area", self.areas[area_id]), ("segment", node.segment), ("node", node.code))


@dataclass(frozen=True)
class Calendar:
    """The periods computed for a plan year: every reported month of the plan year and the year
    before (for year-on-year and the trend), and the full years around it that have annual data."""

    plan_year: int
    periods: tuple[Period, ...]

    @property
    def latest(self) -> Period | None:
        current = [p for p in self.periods if p.year == self.plan_year]
        annual = [p for p in current if p.is_annual]
        if annual:
            return annual[0]
        return max(current, default=None)


def periods_with_rows(
    measures: list[str], candidates: list[tuple[int, str, int]]
) -> set[tuple[int, str, int]]:
    """Which (year, period type, period) have any row of the measures: one statement, one EXISTS per
    candidate, each an equality probe on the full (measure, year, type, period) index — a DISTINCT over
    the period rows would read every firm's row of every month, and a looser probe lets PostgreSQL pick
    a sequential scan of the whole table when nothing matches."""
    if not candidates:
        return set()
    table = PeriodValue._meta.db_table
    marks = ", ".join(["%s"] * len(measures))
    probe = (
        f"EXISTS (SELECT 1 FROM {table} WHERE measure IN ({marks})"  # noqa: S608 - names from metadata
        " AND year = %s AND period_type = %s AND period = %s)"
    )
    sql = "SELECT " + ", ".join([probe] * len(candidates))
    params: list[Any] = []
    for year, period_type, period in candidates:
        params += [*measures, year, period_type, period]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            found = cursor.fetchone()
        else:
            # PostgreSQL multiplies the columns' selectivities, expects thousands of rows for a period
            # that has none (say, the plan year's annual figures before year end) and scans the whole
            # table hoping for an early hit: 80 ms instead of 0.1. The probes are index lookups by
            # construction, so the planner is told so for this one statement.
            cursor.execute("SET enable_seqscan = off")
            try:
                cursor.execute(sql, params)
                found = cursor.fetchone()
            finally:
                cursor.execute("RESET enable_seqscan")
    return {c for c, hit in zip(candidates, found, strict=True) if hit}


def data_calendar(plan_year: int, measures: list[str]) -> Calendar:
    """The periods with data, found in one round trip (see ``periods_with_rows``)."""
    measures = measures or ["revenue"]
    annual = [(year, PeriodType.YEAR.value, 0) for year in range(plan_year - 2, plan_year + 1)]
    monthly = [(year, PeriodType.MONTH.value, m) for year in (plan_year - 1, plan_year) for m in range(1, 13)]
    found = periods_with_rows(measures, annual + monthly)
    periods: set[Period] = {Period(year, 0) for year, _t, _p in annual if (year, _t, _p) in found}
    for year in (plan_year - 1, plan_year):
        # A plan year with monthly data reports every month up to its latest one (a gap month is a
        # month everyone missed, still worth a row saying so).
        latest = max((m for y, _t, m in monthly if y == year and (y, _t, m) in found), default=0)
        periods |= {Period(year, m) for m in range(1, latest + 1)}
    return Calendar(plan_year, tuple(sorted(periods)))


def indicator_defs(version: PlanVersion) -> list[IndicatorDef]:
    return [IndicatorDef.from_goal(g) for g in version.goals.order_by("sort")]
