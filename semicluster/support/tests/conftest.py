"""Fixtures for the Django side of support programs: design firms, their users, and a helper that
walks an application through the workflow on dates inside the example programs' windows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.core.testing import make_enterprise, make_user
from semicluster.support import services
from semicluster.support.models import Application

MPW = "kunshan-2025-mpw"
FULL_MASK = "kunshan-2025-full-mask"
SENSOR = "kunshan-2025-sensor-first-tapeout"


def at(day: int = 10, month: int = 5) -> dt.datetime:
    """A moment inside the example application window (2025-03-01 … 2025-11-30)."""
    return timezone.make_aware(dt.datetime(2025, month, day, 10, 0))


def facts(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "foundry": "示例晶圆代工厂",
        "foundry_location": "domestic",
        "local_fab": False,
        "process_node_nm": Decimal("28"),
        "wafer_size_mm": 300,
        "wafer_count": 25,
        "tapeout_date": dt.date(2025, 1, 15),
        "product": "DDIC-A1",
        "mask": "full_mask",
        "is_sensor": False,
        "first_tapeout": True,
    }
    values.update(overrides)
    return values


_invoice = iter(range(10_000_000, 99_999_999))


def cost(amount: str | Decimal, item: str = "mask", **extra: Any) -> dict[str, Any]:
    line = {
        "item": item,
        "amount": Decimal(str(amount)),
        "invoice_code": "3200251130",
        "invoice_number": str(next(_invoice)),
        "contract_ref": "HT-2025-001",
    }
    line.update(extra)
    return line


@pytest.fixture
def window_open(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Today is a day inside the example application window: for the web and API submissions, which are
    dated "now" (after the example 2025 window closed, a submission is refused)."""
    moment = at(20)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.fixture
def firm(personas):
    return make_enterprise(area="kfq", node="display-driver-ic", name="昆山测试芯片设计有限公司（测试）")


@pytest.fixture
def firm_user(firm):
    return make_user(Role.ENTERPRISE_USER, "design-firm-user", enterprise=firm)


@pytest.fixture
def other_firm(personas):
    return make_enterprise(area="gxq", node="mems-sensor", name="昆山测试传感器有限公司（测试）")


@pytest.fixture
def other_firm_user(other_firm):
    return make_user(Role.ENTERPRISE_USER, "sensor-firm-user", enterprise=other_firm)


class Flow:
    """Walks applications through the workflow with the right actor for each step."""

    def __init__(self, personas: dict[str, Any]) -> None:
        self.personas = personas

    def officer_for(self, application: Application) -> Any:
        code = application.enterprise.area.code
        officer = self.personas.get(f"{code}_officer")
        if officer is None:
            officer = make_user(Role.DISTRICT_OFFICER, f"{code}-officer-x", area=application.enterprise.area)
            self.personas[f"{code}_officer"] = officer
        return officer

    def create(
        self, user: Any, *, program: str = FULL_MASK, costs: list | None = None, **fact_overrides: Any
    ):
        return services.application_create(
            actor=user,
            enterprise=user.enterprise,
            program_code=program,
            data=facts(**fact_overrides),
            costs=costs if costs is not None else [cost("1000000")],
            at=at(1),
        )

    def submit(self, user: Any, application: Application, day: int = 10) -> Application:
        return services.application_submit(actor=user, application=application, at=at(day))

    def to_reviewed(self, application: Application) -> Application:
        application = services.application_pre_review(
            actor=self.officer_for(application), application=application, passed=True, at=at(12)
        )
        return services.application_review(
            actor=self.personas["admin"], application=application, passed=True, at=at(14)
        )

    def approve(self, application: Application, **kwargs: Any) -> Application:
        return services.application_decide(
            actor=self.personas["admin"],
            application=application,
            outcome="approve",
            reason="材料齐全，符合条件",
            at=at(16),
            **kwargs,
        )

    def submitted_and_approved(self, user: Any, **kwargs: Any) -> Application:
        application = self.submit(user, self.create(user, **kwargs))
        return self.approve(self.to_reviewed(application))


@pytest.fixture
def flow(personas):
    return Flow(personas)
