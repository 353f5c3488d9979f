from __future__ import annotations

from typing import Any

import pytest

from semicluster.accountability import services
from semicluster.accountability.models import WorkItem
from semicluster.accounts.models import Role, User
from semicluster.core.testing import make_user
from semicluster.plans.models import PlanVersion, Unit


@pytest.fixture
def items(kunshan_plan: PlanVersion, personas: dict[str, User]) -> dict[str, WorkItem]:
    """One work item per plan task, keyed by code."""
    services.work_items_sync(actor=personas["admin"], version=kunshan_plan)
    return {i.code: i for i in WorkItem.objects.filter(plan_version=kunshan_plan)}


@pytest.fixture
def gxj_officer(kunshan_plan: PlanVersion) -> User:
    return make_user(Role.UNIT_OFFICER, "gxj-officer", unit=Unit.objects.get(code="gxj"))


@pytest.fixture
def swj_officer(kunshan_plan: PlanVersion) -> User:
    return make_user(Role.UNIT_OFFICER, "swj-officer", unit=Unit.objects.get(code="swj"))


def only_lead(version: PlanVersion, keep: set[str]) -> Any:
    """Drop every work item except ``keep`` so duty and silence are easy to reason about."""
    from semicluster.accountability.models import Milestone, ProgressUpdate

    gone = WorkItem.objects.filter(plan_version=version).exclude(code__in=keep)
    ProgressUpdate.objects.filter(work_item__in=gone).delete()
    Milestone.objects.filter(work_item__in=gone).delete()
    gone.delete()
