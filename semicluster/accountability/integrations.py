"""Figures the bulletin and the assessment borrow from other apps (monitoring, projects).

Those apps may be absent from an installation (or not yet built): every function here returns None
when its source is unavailable, and the caller prints "data not available" instead of a section built
on nothing. The shapes returned are this app's own (plain values), so a change inside another app
breaks one adapter here, not the bulletin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps


def _module(app_label: str, name: str) -> ModuleType | None:
    if not apps.is_installed(f"semicluster.{app_label}"):
        return None
    try:
        return import_module(f"semicluster.{app_label}.{name}")
    except ImportError:
        return None


class CityWideReader:
    """A stand-in reader with city-wide sight, for selectors that filter by user when the bulletin is
    built by a command (no signed-in user); it can write nothing."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_city_wide = True
    role = "leader"
    pk = None
    area_id = unit_id = enterprise_id = None


# --------------------------------------------------------------------------- goals (monitoring)


@dataclass(frozen=True)
class GoalRow:
    code: str
    name: str
    target: Decimal
    actual: Decimal | None
    unit: str
    percent: Decimal | None  # actual as a share of the target
    status: str  # the monitoring app's status label


def goal_progress(as_of: date) -> list[GoalRow] | None:
    """City-wide goal progress from the monitoring app for the latest month up to ``as_of`` that it
    has figures for (year-to-date values, as monitoring stores them), or None without monitoring."""
    selectors = _module("monitoring", "selectors")
    definitions = _module("monitoring", "definitions")
    if selectors is None or definitions is None or not hasattr(selectors, "indicator_values"):
        return None
    from semicluster.plans.selectors import current_plan_version

    version = current_plan_version()
    if version is None:
        return None
    rows = selectors.indicator_values(user=CityWideReader(), version=version, scope_kind="city").filter(
        year=as_of.year, month__gte=1, month__lte=as_of.month
    )
    latest: dict[int, Any] = {}
    for row in rows:  # ordered by goal, year, month: the last row per goal is the latest month
        latest[row.goal_id] = row
    goals = list(version.goals.order_by("sort"))
    out = []
    for goal in goals:
        row = latest.get(goal.pk)
        progress = None if row is None or row.progress is None else Decimal(row.progress)
        out.append(
            GoalRow(
                code=goal.code,
                name=goal.name,
                target=Decimal(goal.target),
                actual=None if row is None else Decimal(row.value),
                unit=goal.unit,
                percent=progress,
                status=GOAL_STATUS_ZH.get(row.status if row is not None else "no_data", "无数据"),
            )
        )
    return out


GOAL_STATUS_ZH = {
    "achieved": "已达成",
    "on_track": "正常",
    "at_risk": "存在风险",
    "off_track": "滞后",
    "no_data": "无数据",
    "": "未评估",
}


# --------------------------------------------------------------------------- projects


@dataclass(frozen=True)
class ProjectSummary:
    lights: dict[str, int]  # green / yellow / red across the library
    by_area: list[dict[str, Any]]  # code, name, count, green, yellow, red, completion % of annual plan
    cohorts: dict[str, int]  # started / completed / in_production in the year to date
    cohort_targets: dict[str, int]


def project_summary(as_of: date) -> ProjectSummary | None:
    """Major-project lights by area and the rolling cohorts (开工/竣工/投产一批) from the projects app,
    as of ``as_of``: the lights are those the light history shows for that day (not today's lights),
    the figures and cohorts those reported up to ``as_of``'s month."""
    selectors = _module("projects", "selectors")
    if selectors is None or not hasattr(selectors, "board_by_area") or not hasattr(selectors, "cohorts"):
        return None
    reader = CityWideReader()
    month = date(as_of.year, as_of.month, 1)
    board = selectors.board_by_area(user=reader, month=month)
    colours = ("green", "yellow", "red")
    by_area_lights = _lights_by_area(selectors, reader, as_of)
    lights = {colour: 0 for colour in colours}
    by_area = []
    for entry in board:
        code = entry["area"].code
        if by_area_lights is None:  # a projects app without light history: its current lights
            area_lights = {colour: int(entry["lights"].get(colour, 0)) for colour in colours}
        else:
            area_lights = by_area_lights.get(code, dict.fromkeys(colours, 0))
        for colour in colours:
            lights[colour] += area_lights[colour]
        by_area.append(
            {
                "code": code,
                "name": entry["area"].name,
                "count": int(entry["count"]),
                **area_lights,
                "pct": entry.get("pct"),
            }
        )
    groups = selectors.cohorts(user=reader, year=as_of.year, through_month=as_of.month)
    return ProjectSummary(
        lights=lights,
        by_area=by_area,
        cohorts={k: int(v) for k, v in groups.totals.items()},
        cohort_targets={k: int(v) for k, v in (groups.targets or {}).items()},
    )


def _lights_by_area(selectors: ModuleType, reader: Any, day: date) -> dict[str, dict[str, int]] | None:
    """Area code → green / yellow / red library projects on ``day`` (from the light history)."""
    if not hasattr(selectors, "lights_as_of") or not hasattr(selectors, "indicator_project_places"):
        return None
    lights = selectors.lights_as_of(user=reader, day=day)
    places = selectors.indicator_project_places(lights)
    out: dict[str, dict[str, int]] = {}
    for project_id, colour in lights.items():
        area = places.get(project_id, ("", ""))[0]
        counts = out.setdefault(area, {"green": 0, "yellow": 0, "red": 0})
        if colour in counts:
            counts[colour] += 1
    return out


def project_lights(group_by: str) -> dict[str, tuple[int, int, int]] | None:
    """(green, yellow, red) library projects per unit or area code, or None without the projects app."""
    if not apps.is_installed("semicluster.projects"):
        return None
    try:
        project = apps.get_model("projects", "Project")
    except LookupError:
        return None
    field = {"unit": "responsible_unit__code", "area": "area__code"}[group_by]
    counts: dict[str, list[int]] = {}
    rows = project.objects.filter(in_library=True).exclude(light="").values_list(field, "light")
    for code, light in rows:
        if code is None:
            continue
        row = counts.setdefault(code, [0, 0, 0])
        row[{"green": 0, "yellow": 1, "red": 2}[light]] += 1
    return {code: (g, y, r) for code, (g, y, r) in counts.items()}
