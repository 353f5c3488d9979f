"""Shared fixtures live in semicluster/core/testing.py.

The Kunshan plan is loaded once per test database (per xdist worker) rather than in every test:
most tests need it, and re-validating and materialising the plan per test dominated the suite's
time. Tests roll back to this state; transactional tests (which flush the database) reload it on
demand through the `kunshan_plan` fixture.
"""

from typing import Any

import pytest

pytest_plugins = ["semicluster.core.testing"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from semicluster.core.testing import KUNSHAN_PLAN
    from semicluster.plans.services import plan_load

    with django_db_blocker.unblock():
        plan_load(KUNSHAN_PLAN)
