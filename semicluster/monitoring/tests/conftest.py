from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from semicluster.monitoring import integrations
from semicluster.monitoring.compute import Engine
from semicluster.monitoring.definitions import IndicatorDef, Scope
from semicluster.plans.models import Goal, PlanVersion


@pytest.fixture
def goal(kunshan_plan: PlanVersion) -> Goal:
    return kunshan_plan.goals.get(code="industry-scale")


@pytest.fixture
def make_def(goal: Goal) -> Callable[..., IndicatorDef]:
    def build(kind: str, **fields: Any) -> IndicatorDef:
        scope = fields.pop("scope", None)
        return IndicatorDef(
            goal_id=goal.pk,
            code=goal.code,
            kind=kind,
            scope=Scope.from_json(scope),
            target=Decimal(fields.pop("target", 1000)),
            year=2025,
            **fields,
        )

    return build


@pytest.fixture
def rows_of(kunshan_plan: PlanVersion) -> Callable[..., dict[tuple[int, int, str, str], Any]]:
    """Compute one indicator definition and index its rows by (year, month, scope kind, key)."""

    def compute(definition: IndicatorDef) -> dict[tuple[int, int, str, str], Any]:
        engine = Engine(kunshan_plan)
        return {(r.period.year, r.period.month, *r.scope): r for r in engine.goal_rows(definition)}

    return compute


@pytest.fixture
def no_cultivation(monkeypatch: pytest.MonkeyPatch) -> None:
    real = integrations._function

    def fake(module: str, name: str) -> Any:
        return None if module == integrations.CULTIVATION else real(module, name)

    monkeypatch.setattr(integrations, "_function", fake)


@pytest.fixture
def fake_apps(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Stand-ins for the cultivation and projects selectors (their contracts, fixed answers)."""
    state: dict[str, Any] = {"members": set(), "investment": {}, "milestones": {}}

    def leader_member_ids(as_of: dt.date) -> set[int]:
        return {pk for pk, since in state["members"] if since <= as_of}

    def indicator_project_investment(
        *, year: int, month: int, area_codes: list[str] | None, node_codes: list[str] | None
    ) -> dict[int, Decimal]:
        out = {}
        for pk, (area, node, by_month) in state["investment"].items():
            inside = (area_codes is None or area in area_codes) and (node_codes is None or node in node_codes)
            if inside and (year, month) in by_month:
                out[pk] = by_month[(year, month)]
        return out

    def indicator_project_milestones(
        *,
        milestone: str,
        year: int,
        through_month: int,
        area_codes: list[str] | None,
        node_codes: list[str] | None,
    ) -> list[int]:
        return [
            pk
            for pk, (area, node, reached) in state["milestones"].items()
            if (area_codes is None or area in area_codes)
            and (node_codes is None or node in node_codes)
            and reached.get(milestone) is not None
            and reached[milestone].year == year
            and reached[milestone].month <= through_month
        ]

    def indicator_project_places(ids: list[int]) -> dict[int, tuple[str, str]]:
        known = {
            pk: (area, node) for pk, (area, node, _) in (state["investment"] | state["milestones"]).items()
        }
        return {pk: known[pk] for pk in ids if pk in known}

    functions: dict[tuple[str, str], Callable[..., Any]] = {
        (integrations.CULTIVATION, "leader_member_ids"): leader_member_ids,
        (integrations.PROJECTS, "indicator_project_investment"): indicator_project_investment,
        (integrations.PROJECTS, "indicator_project_milestones"): indicator_project_milestones,
        (integrations.PROJECTS, "indicator_project_places"): indicator_project_places,
    }
    monkeypatch.setattr(integrations, "_function", lambda module, name: functions.get((module, name)))
    return state
