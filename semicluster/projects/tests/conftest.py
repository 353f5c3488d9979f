"""Fixtures for the project library's Django tests: a project factory on the Kunshan plan."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from semicluster.core.testing import make_enterprise
from semicluster.plans.models import Area, ChainNode, Town, Unit
from semicluster.projects import services
from semicluster.projects.models import Project

_serial = itertools.count(1)
M = Decimal(1_000_000)
TODAY = date(2025, 11, 15)


def make_project(
    *,
    actor: Any = None,
    area: str = "kfq",
    owner: Any = None,
    annual_plans: dict[int, Any] | None = None,
    **fields: Any,
) -> Project:
    area_obj = Area.objects.get(code=area)
    node = (
        fields.pop("node", None) or area_obj.focus_nodes.order_by("sort").first() or ChainNode.objects.first()
    )
    if isinstance(node, str):
        node = ChainNode.objects.get(code=node)
    unit = fields.pop("responsible_unit", "gxj")
    data: dict[str, Any] = {
        "name": f"测试项目{next(_serial)}",
        "owner": owner or make_enterprise(area=area_obj),
        "area": area_obj,
        "town": Town.objects.filter(area=area_obj).first(),
        "node": node,
        "category": "new",
        "total_investment": 200 * M,
        "source": "expansion",
        "responsible_unit": Unit.objects.get(code=unit) if isinstance(unit, str) else unit,
    }
    data.update(fields)
    if annual_plans:
        data["annual_plans"] = annual_plans
    return services.project_save(actor=actor, data=data, today=TODAY).project


@pytest.fixture
def project_factory(kunshan_plan):
    return make_project
