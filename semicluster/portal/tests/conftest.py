"""Portal fixtures: the reports' test city; both editions published once per module (read-only tests)."""

from __future__ import annotations

from typing import Any

import pytest

from semicluster.reports.services import report_create, report_transition
from semicluster.reports.tests.conftest import YEAR, City, city, module_city, personas  # noqa: F401


def publish(admin: Any, edition: str) -> Any:
    report = report_create(actor=admin, year=YEAR, edition=edition)
    for action in ("submit", "approve", "publish"):
        report = report_transition(actor=admin, report=report, action=action)
    return report


@pytest.fixture(scope="module")
def module_published(module_city: City, django_db_blocker: Any) -> dict[str, Any]:  # noqa: F811
    # Runs inside module_city's transaction, so it is rolled back with it at the end of the module.
    with django_db_blocker.unblock():
        admin = module_city.users["admin"]
        return {
            "public": publish(admin, "public"),
            "internal": publish(admin, "internal"),
            "city": module_city,
        }


@pytest.fixture
def published(module_published: dict[str, Any], db: Any) -> dict[str, Any]:
    """Both editions of the year published: the portal must show the public one only."""
    return module_published
