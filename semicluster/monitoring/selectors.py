"""Reads of the monitoring app: the stored indicator rows, the cockpit's data, and drill-downs.

Who sees what (SPEC §1, ADR 0007): city admins and leaders see everything. District officers read
city aggregates — every goal's figures for the city, each area, segment and node are aggregates, not
records — but drilling into records shows only their own area's enterprises individually; other
areas' records behind a figure appear as one subtotal line, so the figure still adds up without
revealing another area's firms. Another area's breakdown drill-down is a 404. Unit officers and
enterprise users have no cockpit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from semicluster.accounts.models import Role
from semicluster.monitoring.definitions import IndicatorDef, Period
from semicluster.monitoring.drilldown import DrillDown, Record, drill_down
from semicluster.monitoring.models import FillState, IndicatorValue, ScopeKind, Status
from semicluster.plans.models import Area, Goal, PlanVersion
from semicluster.plans.selectors import current_plan_version

COCKPIT_ROLES = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER)
# "The goals at risk first": the worst light leads.
STATUS_ORDER: dict[str, int] = {
    Status.OFF_TRACK: 0,
    Status.AT_RISK: 1,
    Status.NO_DATA: 2,
    Status.ON_TRACK: 3,
    Status.ACHIEVED: 4,
    Status.NONE: 5,
}


def may_see_cockpit(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or getattr(user, "role", None) in COCKPIT_ROLES)
    )


def require_cockpit(user: Any) -> None:
    if not may_see_cockpit(user):
        raise Http404("No cockpit for this role.")


def own_area_id(user: Any) -> int | None:
    """The area a district officer is limited to for record drill-downs; None for city-wide users."""
    if getattr(user, "is_superuser", False):
        return None
    return user.area_id if getattr(user, "role", None) == Role.DISTRICT_OFFICER else None


def own_area_code(user: Any) -> str | None:
    """The code of the area a district officer is limited to; None for city-wide users."""
    area_id = own_area_id(user)
    return None if area_id is None else Area.objects.filter(pk=area_id).values_list("code", flat=True).first()


def fill_state(version: PlanVersion) -> FillState | None:
    return FillState.objects.filter(plan_version=version).first()


def indicator_values(
    *,
    user: Any,
    version: PlanVersion | None = None,
    goal: str | None = None,
    period: Period | None = None,
    scope_kind: str | None = None,
    scope_key: str | None = None,
) -> QuerySet[IndicatorValue]:
    require_cockpit(user)
    version = version or current_plan_version()
    qs = IndicatorValue.objects.filter(plan_version=version).select_related("goal")
    if goal:
        qs = qs.filter(goal__code=goal)
    if period is not None:
        qs = qs.filter(year=period.year, month=period.month)
    if scope_kind:
        qs = qs.filter(scope_kind=scope_kind)
    if scope_key is not None:
        qs = qs.filter(scope_key=scope_key)
    return qs.order_by("goal__sort", "year", "month", "scope_kind", "scope_key")


@dataclass
class GoalPanel:
    goal: Goal
    current: IndicatorValue | None
    this_year: dict[int, IndicatorValue] = field(default_factory=dict)  # month → city row
    last_year: dict[int, IndicatorValue] = field(default_factory=dict)
    by_area: list[IndicatorValue] = field(default_factory=list)
    by_segment: list[IndicatorValue] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.current.status if self.current else Status.NO_DATA


@dataclass
class Cockpit:
    version: PlanVersion | None
    fill: FillState | None
    period: Period | None
    panels: list[GoalPanel]


def cockpit(*, user: Any, version: PlanVersion | None = None) -> Cockpit:
    """Everything the cockpit shows, in a fixed handful of queries whatever the data size."""
    require_cockpit(user)
    version = version or current_plan_version()
    if version is None:
        return Cockpit(None, None, None, [])
    fill = fill_state(version)
    goals = list(version.goals.order_by("sort"))
    if fill is None or fill.data_year is None:
        return Cockpit(version, fill, None, [GoalPanel(g, None) for g in goals])
    period = Period(fill.data_year, fill.data_month or 0)
    panels = {g.pk: GoalPanel(g, None) for g in goals}
    city = IndicatorValue.objects.filter(
        plan_version=version, scope_kind=ScopeKind.CITY, year__in=[period.year - 1, period.year]
    )
    for row in city:
        panel = panels[row.goal_id]
        if row.month == 0:
            if row.year == period.year and period.is_annual:
                panel.current = row
            continue
        (panel.this_year if row.year == period.year else panel.last_year)[row.month] = row
        if row.year == period.year and row.month == period.month:
            panel.current = row
    breakdown = IndicatorValue.objects.filter(
        plan_version=version,
        scope_kind__in=[ScopeKind.AREA, ScopeKind.SEGMENT],
        year=period.year,
        month=period.month,
    ).order_by("scope_kind", "id")
    for row in breakdown:
        panel = panels[row.goal_id]
        (panel.by_area if row.scope_kind == ScopeKind.AREA else panel.by_segment).append(row)
    ordered = sorted(panels.values(), key=lambda p: (STATUS_ORDER.get(p.status, 9), p.goal.sort))
    return Cockpit(version, fill, period, ordered)


@dataclass
class ScopedDrillDown:
    drill: DrillDown
    goal: Goal
    stored: IndicatorValue | None
    shown: list[Record]
    hidden_count: int = 0
    hidden_total: Decimal = Decimal(0)


def drilldown(
    *,
    user: Any,
    goal_code: str,
    period: Period,
    scope_kind: str,
    scope_key: str,
    version: PlanVersion | None = None,
) -> ScopedDrillDown:
    require_cockpit(user)
    version = version or current_plan_version()
    goal = Goal.objects.filter(plan_version=version, code=goal_code).first()
    if goal is None or scope_kind not in ScopeKind.values:
        raise Http404("No such goal or scope.")
    stored = IndicatorValue.objects.filter(
        goal=goal, year=period.year, month=period.month, scope_kind=scope_kind, scope_key=scope_key
    ).first()
    if stored is None:
        raise Http404("No such figure.")
    area = own_area_id(user)
    if area is not None and scope_kind == ScopeKind.AREA:
        from semicluster.plans.models import Area

        if not Area.objects.filter(pk=area, code=scope_key).exists():
            raise Http404("Another area's records.")
    drill = drill_down(IndicatorDef.from_goal(goal), period, scope_kind, scope_key)
    if area is None:
        return ScopedDrillDown(drill, goal, stored, drill.records)
    own_projects: set[int] = set()
    if any(r.kind == "project" for r in drill.records):
        from semicluster.monitoring.compute import project_records
        from semicluster.plans.models import Area

        code = Area.objects.filter(pk=area).values_list("code", flat=True).first()
        own_projects = set(project_records(drill.definition, period, [code] if code else [], None) or {})

    def own(r: Record) -> bool:
        return r.area_id == area if r.kind == "enterprise" else r.id in own_projects

    shown = [r for r in drill.records if own(r)]
    hidden = [r for r in drill.counted if not own(r)]
    return ScopedDrillDown(
        drill, goal, stored, shown, len(hidden), sum((r.value or Decimal(0) for r in hidden), Decimal(0))
    )
