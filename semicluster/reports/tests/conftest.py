"""A small city with known figures: the report's numbers are checked against these.

The city (plan, enterprises, figures, indicators, personas) is built once per test module inside a
transaction that is rolled back at the end of the module; each test runs in its own savepoint on top
(pytest-django's ``db``), so tests stay isolated while the set-up, which dominates, is paid once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from semicluster.accounts.models import Role, User
from semicluster.core.testing import KUNSHAN_PLAN, add_value, make_enterprise, make_user, rolled_back
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import Area, PlanVersion, Unit
from semicluster.plans.services import plan_load

YEAR = 2025
# (area, chain node, revenue last year, revenue this year) in yuan; names are unique markers.
FIRMS: list[tuple[str, str, int, int]] = [
    ("kfq", "display-driver-ic", 300_000_000, 330_000_000),
    ("kfq", "display-driver-ic", 280_000_000, 290_000_000),
    ("kfq", "communication-ic", 250_000_000, 260_000_000),
    ("kfq", "memory-ic", 900_000_000, 1_200_000_000),  # crosses 10亿 this year
    ("kfq", "wafer-fab", 400_000_000, 450_000_000),  # alone in kfq × manufacturing: primary suppression
    ("gxq", "display-driver-ic", 200_000_000, 210_000_000),
    ("gxq", "communication-ic", 220_000_000, 230_000_000),
    ("gxq", "iot-asic", 240_000_000, 250_000_000),
    ("gxq", "advanced-packaging", 500_000_000, 520_000_000),  # gxq × packaging: two firms
    ("gxq", "conventional-packaging", 480_000_000, 500_000_000),
    ("hq", "mems-sensor", 150_000_000, 160_000_000),
    ("hq", "image-sensor", 170_000_000, 180_000_000),
    ("hq", "power-semiconductor", 160_000_000, 175_000_000),
]


@dataclass
class City:
    version: PlanVersion
    firms: list[Enterprise]
    users: dict[str, User]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.firms]

    @property
    def credit_codes(self) -> list[str]:
        return [f.credit_code for f in self.firms]


def refresh_indicators(version: PlanVersion) -> None:
    from semicluster.monitoring.services import indicators_refresh

    indicators_refresh(plan_version=version)


def build_city() -> City:
    version = plan_load(KUNSHAN_PLAN).version
    firms = []
    for index, (area, node, last, this) in enumerate(FIRMS):
        firm = make_enterprise(area=area, node=node, name=f"保密样本企业{index + 1:02d}有限公司")
        add_value(firm, "revenue", YEAR - 1, last)
        add_value(firm, "revenue", YEAR, this)
        firms.append(firm)
    refresh_indicators(version)
    users = {
        "admin": make_user(Role.CITY_ADMIN, "admin"),
        "leader": make_user(Role.LEADER, "leader"),
        "kfq_officer": make_user(Role.DISTRICT_OFFICER, "kfq-officer", area=Area.objects.get(code="kfq")),
        "gxq_officer": make_user(Role.DISTRICT_OFFICER, "gxq-officer", area=Area.objects.get(code="gxq")),
        "unit_officer": make_user(Role.UNIT_OFFICER, "unit-officer", unit=Unit.objects.get(code="fgw")),
        "enterprise_user": make_user(Role.ENTERPRISE_USER, "firm-user", enterprise=firms[0]),
    }
    return City(version, firms, users)


@pytest.fixture(scope="module")
def module_city(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with rolled_back(django_db_blocker):
        yield build_city()


@pytest.fixture
def city(module_city: City, db: Any) -> City:
    return module_city


@pytest.fixture
def personas(module_city: City, db: Any) -> dict[str, User]:
    return module_city.users


def total(values: Any) -> Decimal:
    return sum((Decimal(v) for v in values), Decimal(0))
