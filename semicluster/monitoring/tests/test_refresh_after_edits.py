"""Goals follow the records: an edit through a service refreshes the indicators when it commits."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from semicluster.accounts.services import api_token_create
from semicluster.core.refresh import indicators_stale
from semicluster.core.testing import add_value, make_enterprise
from semicluster.enterprises.models import Enterprise
from semicluster.enterprises.services import period_value_record
from semicluster.monitoring.models import IndicatorValue

pytestmark = pytest.mark.django_db


def city_scale(year: int, month: int) -> Decimal | None:
    row = IndicatorValue.objects.filter(
        goal__code="industry-scale", year=year, month=month, scope_kind="city"
    ).first()
    return None if row is None else row.value


def test_a_value_put_through_the_api_reaches_the_cockpit_when_it_commits(
    client: Any, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    firm = make_enterprise()
    _token, secret = api_token_create(user=personas["admin"], name="test")
    body = {"measure": "revenue", "year": 2025, "period_type": "M", "period": 6, "value": "250000000"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.put(
            f"/api/enterprises/{firm.pk}/values",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
    assert response.status_code == 200, response.content
    assert len(callbacks) == 1
    assert city_scale(2025, 6) == Decimal("250000000")


def test_many_edits_in_one_transaction_refresh_once(
    personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    firms = [make_enterprise() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        for firm in firms:
            period_value_record(
                actor=personas["admin"],
                enterprise=firm,
                measure="revenue",
                year=2025,
                period_type="M",
                period=3,
                value=Decimal(100),
            )
    assert len(callbacks) == 1  # one refresh for the whole transaction


def test_a_rolled_back_write_queues_nothing_and_the_next_write_queues_afresh(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                indicators_stale()
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
        indicators_stale()  # the next write queues afresh
    assert len(callbacks) == 1


def test_an_enterprise_moved_to_another_area_moves_its_figures_in_the_goals(
    personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from semicluster.enterprises.services import enterprise_save
    from semicluster.plans.models import Area, Town

    firm = make_enterprise(area="kfq")
    add_value(firm, "revenue", 2025, 700, month=3)  # stored directly: nothing queued yet
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_save(
            actor=personas["admin"],
            data={
                "area": Area.objects.get(code="gxq"),
                "town": Town.objects.filter(area__code="gxq").first(),
            },
            instance=Enterprise.objects.get(pk=firm.pk),
        )
    gxq = IndicatorValue.objects.get(
        goal__code="industry-scale", year=2025, month=3, scope_kind="area", scope_key="gxq"
    )
    assert gxq.value == Decimal(700)
