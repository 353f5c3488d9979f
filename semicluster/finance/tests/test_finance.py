"""Financing needs and the listing pipeline: validation, role rules, scoping, counts, imports."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from semicluster.accounts.services import api_token_create
from semicluster.core.testing import make_enterprise
from semicluster.finance import selectors, services
from semicluster.finance.models import FinancingNeed, ListingRecord

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 1)


def need(actor, firm, **extra):
    data = {
        "enterprise": firm,
        "amount": Decimal("30000000"),
        "instrument": "credit",
        "purpose": "扩产",
        "submitted_on": DAY,
        **extra,
    }
    return services.need_save(actor=actor, data=data)


def test_an_enterprise_user_files_a_need_for_their_firm_but_cannot_record_the_outcome(personas):
    user = personas["enterprise_user"]
    filed = need(user, user.enterprise)
    assert filed.status == "submitted"
    with pytest.raises(PermissionError):
        need(user, make_enterprise(area="kfq"))
    with pytest.raises(PermissionError):
        services.need_save(actor=user, data={"status": "funded"}, instance=filed)


def test_matching_and_funding_need_a_provider_and_an_amount(personas):
    officer = personas["kfq_officer"]
    filed = need(officer, make_enterprise(area="kfq"))
    with pytest.raises(ValidationError) as error:
        services.need_save(actor=officer, data={"status": "funded"}, instance=filed)
    assert {"provider", "funded_amount"} <= set(error.value.message_dict)
    funded = services.need_save(
        actor=officer,
        data={"status": "funded", "provider": "示例银行", "funded_amount": Decimal("25000000")},
        instance=filed,
    )
    assert funded.closed_on is not None and funded.history.count() == 2


def test_money_is_never_a_float(personas):
    with pytest.raises(TypeError):
        need(personas["admin"], make_enterprise(), amount=3.5)


def test_a_listing_record_needs_the_date_of_its_stage_and_dates_in_order(personas):
    officer = personas["kfq_officer"]
    firm = make_enterprise(area="kfq")
    base = {"enterprise": firm, "board": "star", "stage": "filing", "tutoring_on": DAY}
    with pytest.raises(ValidationError) as error:
        services.listing_save(actor=officer, data=base)
    assert "filed_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.listing_save(actor=officer, data={**base, "filed_on": DAY - dt.timedelta(days=1)})
    record = services.listing_save(actor=officer, data={**base, "filed_on": DAY + dt.timedelta(days=90)})
    assert record.stage == "filing"
    with pytest.raises(PermissionError):
        services.listing_save(actor=personas["enterprise_user"], data=base)


def test_counts_by_stage_cover_every_stage_and_respect_the_area(personas):
    officer = personas["admin"]
    for area, stage in (("kfq", "tutoring"), ("kfq", "tutoring"), ("gxq", "accepted")):
        record = ListingRecord(
            enterprise=make_enterprise(area=area), board="main", stage=stage, tutoring_on=DAY
        )
        if stage == "accepted":
            record.filed_on = record.accepted_on = DAY
        record.save()
    counts = {stage: n for stage, _label, n in selectors.listing_counts(user=officer)}
    assert counts == {"tutoring": 2, "filing": 0, "accepted": 1, "approved": 0, "listed": 0}
    kfq = {stage: n for stage, _label, n in selectors.listing_counts(user=personas["kfq_officer"])}
    assert kfq["tutoring"] == 2 and kfq["accepted"] == 0


def test_importing_a_need_twice_changes_nothing(personas):
    firm = make_enterprise(area="kfq")
    row = {"amount": Decimal("5000000"), "instrument": "lease", "purpose": "设备租赁", "submitted_on": DAY}
    first, created = services.need_import_row(actor=personas["admin"], credit_code=firm.credit_code, **row)
    again, created_again = services.need_import_row(
        actor=personas["admin"], credit_code=firm.credit_code, **row
    )
    assert created and not created_again and first.pk == again.pk and FinancingNeed.objects.count() == 1
    record, created = services.listing_import_row(
        actor=personas["admin"], credit_code=firm.credit_code, board="bse", stage="tutoring", tutoring_on=DAY
    )
    moved, created = services.listing_import_row(
        actor=personas["admin"],
        credit_code=firm.credit_code,
        board="bse",
        stage="filing",
        tutoring_on=DAY,
        filed_on=DAY + dt.timedelta(days=30),
    )
    assert not created and moved.pk == record.pk and moved.stage == "filing"


def test_another_areas_need_is_a_404_in_the_ui_and_the_api(client, personas):
    other = need(personas["admin"], make_enterprise(area="gxq"))
    client.force_login(personas["kfq_officer"])
    assert client.get(reverse("finance:need_edit", args=[other.pk])).status_code == 404
    _token, secret = api_token_create(user=personas["kfq_officer"], name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/finance/needs/{other.pk}", **headers).status_code == 404
    body = {
        "enterprise": other.enterprise_id,
        "amount": "100",
        "instrument": "credit",
        "purpose": "x",
        "submitted_on": "2025-01-01",
    }
    response = client.post("/api/finance/needs", json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 404


def test_the_enterprise_user_files_through_the_form(client, personas):
    user = personas["enterprise_user"]
    client.force_login(user)
    response = client.post(
        reverse("finance:need_new"),
        {
            "enterprise": user.enterprise_id,
            "amount": "2000000",
            "instrument": "guarantee",
            "purpose": "流动资金",
            "submitted_on": "2025-05-01",
        },
    )
    assert response.status_code == 302
    assert FinancingNeed.objects.get().instrument == "guarantee"


@pytest.mark.parametrize("page", ["finance:needs", "finance:listings"])
def test_list_pages_pin_their_query_count(client, personas, page, django_assert_max_num_queries):
    for _ in range(30):
        firm = make_enterprise(area="kfq")
        need(personas["admin"], firm)
        ListingRecord.objects.create(enterprise=firm, board="star", stage="tutoring", tutoring_on=DAY)
    client.force_login(personas["kfq_officer"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse(page))
    assert response.status_code == 200 and response.content.decode().count("<tr>") >= 30
