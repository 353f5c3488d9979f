from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from semicluster.chain.services import target_advance, target_save
from semicluster.plans.models import Area, ChainNode


@pytest.fixture
def make_target(personas):
    """A target created by the city admin and, when ``stage`` is given, moved there step by step."""

    def _make(
        name: str = "目标公司",
        *,
        nodes: tuple[str, ...] = ("wafer-fab",),
        area: str | None = "kfq",
        category: str = "multinational",
        stage: str = "lead",
        items: list[list[str]] | None = None,
        investment: str = "2000000000",
        start: dt.date = dt.date(2025, 1, 6),
        **fields: Any,
    ):
        admin = personas["admin"]
        target = target_save(
            actor=admin,
            data={
                "name": name,
                "category": category,
                "country": "US",
                "estimated_investment": Decimal(investment),
                "intended_area": Area.objects.get(code=area) if area else None,
                "supply_items": items or [],
                **fields,
            },
            nodes=ChainNode.objects.filter(code__in=nodes),
            on=start,
        )
        day = start
        for step in ("contacted", "visited", "negotiating", "signed"):
            if stage == "lead" or stage == "dropped":
                break
            day += dt.timedelta(days=7)
            target = target_advance(actor=admin, target=target, stage=step, on=day)
            if step == stage:
                break
        if stage == "dropped":
            target = target_advance(
                actor=admin, target=target, stage="dropped", on=start, reason="投资意向转移"
            )
        return target

    return _make
