"""The demo data: applications in every state, refused duplicates, a 一事一议 case, a budget partly used."""

from __future__ import annotations

import io

import pytest

from semicluster.core.demo import DemoContext
from semicluster.enterprises import demo as enterprises_demo
from semicluster.support import demo, selectors
from semicluster.support.models import Action, Application, LedgerEntry, Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_duplicates_refused_an_override_and_a_budget_partly_used(kunshan_plan):
    ctx = DemoContext(seed=7, scale="sample", plan_version=kunshan_plan, out=io.StringIO())
    enterprises_demo.generate(ctx)
    demo.generate(ctx)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    refusals = Application.objects.filter(steps__action=Action.REFUSED_DUPLICATE)
    assert refusals.count() == 2 and all(a.status == Status.DRAFT for a in refusals)
    assert Application.objects.filter(override_amount__isnull=False, status=Status.APPROVED).count() == 1
    assert Application.objects.filter(steps__action=Action.RESUBMITTED).exists()
    rows = [r for r in selectors.ledger() if r.year == 2025]
    assert all(0 < r.committed < r.budget for r in rows)
    assert any(r.disbursed > 0 for r in rows)
    demo.reset()
    assert not Application.objects.exists() and not LedgerEntry.objects.exists()
