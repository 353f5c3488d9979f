from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from semicluster.core.testing import add_value, make_enterprise
from semicluster.cultivation import services

BN = Decimal(1_000_000_000)
TODAY = dt.date(2025, 11, 20)


def strong_firm(area: str = "kfq", revenue: Decimal = Decimal(2_000_000_000), **fields):
    """A firm that passes every bar on its 2024 figures (with the declared facts below)."""
    firm = make_enterprise(area=area, **fields)
    add_value(firm, "revenue", 2023, revenue * Decimal("0.8"))
    add_value(firm, "revenue", 2024, revenue)
    add_value(firm, "rd", 2024, revenue * Decimal("0.08"))
    add_value(firm, "profit", 2024, revenue * Decimal("0.12"))
    add_value(firm, "employees", 2024, 1000)
    return firm


STRONG_DECLARED = {
    "invention_patents": 40,
    "rd_staff": 250,
    "own_brand_revenue": "1500000000",
    "local_customers": 8,
    "local_suppliers": 15,
}


@pytest.fixture
def open_round(personas):
    return services.round_open(actor=personas["admin"], name="2025年第一批（测试）", data_year=2024)
