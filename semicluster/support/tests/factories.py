"""Small builders shared by the tests."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from semicluster.support.awards import ApplicationFacts, CostLine
from semicluster.support.rules import FoundryLocation, MaskKind

M = Decimal(1_000_000)


def facts(*, cost: object = None, item: str = "tapeout", **overrides: Any) -> ApplicationFacts:
    """An eligible-looking application; ``cost`` gives one cost line of ``item``."""
    values: dict[str, Any] = {
        "firm_id": "91320583MA1XXXXX0Y",
        "chain_nodes": ("display-driver-ic",),
        "registered_in_region": True,
        "area": "kfq",
        "foundry": "中芯国际",
        "foundry_location": FoundryLocation.DOMESTIC,
        "local_fab": False,
        "process_node_nm": Decimal(28),
        "mask": MaskKind.FULL_MASK,
        "tapeout_date": dt.date(2023, 1, 15),
        "product": "DDIC-A1",
        "is_sensor": False,
        "first_tapeout": True,
        "applied_on": dt.date(2023, 4, 10),
    }
    values.update(overrides)
    if cost is not None:
        values["costs"] = (CostLine(item, Decimal(str(cost)), invoice_no="INV-1"),)
    return ApplicationFacts(**values)


def program_dict(**overrides: Any) -> dict[str, Any]:
    """A minimal valid program: 50 % of the eligible cost, no caps, a 100 m budget."""
    base: dict[str, Any] = {
        "code": "test-program",
        "name": "测试项目",
        "name_en": "Test program",
        "source": "二、8",
        "source_text": "给予专项支持",
        "example_values": False,
        "applicants": {},
        "eligible_cost_items": [{"code": "tapeout", "name": "流片费用", "name_en": "Tape-out cost"}],
        "rules": [{"code": "half", "name": "50%", "name_en": "50 %", "rate_percent": 50}],
        "caps": {},
        "annual_budget_yuan": 100_000_000,
        "application_window": {"start": "2023-01-01", "end": "2023-12-31"},
    }
    merged = copy.deepcopy(base)
    merged.update(copy.deepcopy(overrides))
    return merged
