"""Financing needs and the listing pipeline: validation, role rules, scoping, counts, imports."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from semicluster.accounts.models import Role
from semicluster.accounts.services import api_token_create
from semicluster.core.testing import make_enterprise, make_user
from semicluster.finance import selectors, services
from semicluster.finance.models import FinancingNeed, ListingRecord
from semicluster.plans.models import Task, Unit
from semicluster.plans.selectors import current_plan_version

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


# --- the plan's finance units (三、2: lead unit 地方金融 jrj, co-units czj and gzw) ----------------------


def unit_officer(code: str):
    return make_user(Role.UNIT_OFFICER, f"unit-{code}", unit=Unit.objects.get(code=code))


def a_need_and_a_listing_in_two_areas(personas):
    for area in ("kfq", "gxq"):
        firm = make_enterprise(area=area)
        need(personas["admin"], firm)
        ListingRecord.objects.create(enterprise=firm, board="star", stage="tutoring", tutoring_on=DAY)


@pytest.mark.parametrize("code", ["jrj", "czj", "gzw"])
def test_officers_of_the_units_the_plan_names_for_finance_read_every_need_and_listing(personas, code):
    a_need_and_a_listing_in_two_areas(personas)
    officer = unit_officer(code)
    assert selectors.needs(user=officer).count() == 2
    assert selectors.listings(user=officer).count() == 2
    summary = selectors.need_summary(user=officer)
    assert sum(n for _label, n, _total in summary["by_status"]) == 2
    assert sum(n for _stage, _label, n in selectors.listing_counts(user=officer)) == 2


def test_officers_of_other_units_read_no_finance_records(personas):
    a_need_and_a_listing_in_two_areas(personas)
    assert selectors.needs(user=personas["unit_officer"]).count() == 0  # fgw: not named for 三、2
    assert selectors.listings(user=personas["unit_officer"]).count() == 0


def test_the_finance_units_follow_the_plans_task_for_the_clause(personas):
    a_need_and_a_listing_in_two_areas(personas)
    task = Task.objects.get(plan_version=current_plan_version(), source="三、2")
    task.co_units.set([Unit.objects.get(code="fgw")])
    assert selectors.needs(user=unit_officer("fgw")).count() == 2
    assert selectors.needs(user=unit_officer("czj")).count() == 0


def test_finance_unit_officers_read_but_cannot_write(client, personas):
    a_need_and_a_listing_in_two_areas(personas)
    officer = unit_officer("jrj")
    firm = make_enterprise(area="kfq")
    with pytest.raises(PermissionError):
        need(officer, firm)
    client.force_login(officer)
    page = client.get(reverse("finance:needs")).content.decode()
    shown = FinancingNeed.objects.first()
    assert shown is not None and shown.enterprise.name in page
    assert reverse("finance:need_new") not in page  # no create button
    assert reverse("finance:need_edit", args=[shown.pk]) not in page  # the name is no link to a form
    assert reverse("enterprises:detail", args=[shown.enterprise_id]) not in page  # nor to a 404
    assert client.get(reverse("finance:need_edit", args=[shown.pk])).status_code == 403
    record = ListingRecord.objects.first()
    assert record is not None
    assert client.get(reverse("finance:listing_edit", args=[record.pk])).status_code == 403
    assert record.enterprise.name in client.get(reverse("finance:listings")).content.decode()


def test_the_finance_menu_shows_to_the_plans_finance_units_and_not_to_other_units(client, personas):
    needs_url = f'href="{reverse("finance:needs")}"'
    client.force_login(unit_officer("jrj"))
    assert needs_url in client.get(reverse("core:home")).content.decode()
    client.force_login(personas["unit_officer"])
    assert needs_url not in client.get(reverse("core:home")).content.decode()


def test_a_leaders_need_list_links_each_firm_to_its_enterprise_page_not_to_the_edit_form(client, personas):
    filed = need(personas["admin"], make_enterprise(area="kfq"))
    client.force_login(personas["leader"])
    page = client.get(reverse("finance:needs")).content.decode()
    enterprise_page = reverse("enterprises:detail", args=[filed.enterprise_id])
    assert f'href="{enterprise_page}"' in page
    assert reverse("finance:need_edit", args=[filed.pk]) not in page
    assert reverse("finance:need_new") not in page
    assert client.get(enterprise_page).status_code == 200


def test_an_officers_need_list_still_links_each_firm_to_the_edit_form(client, personas):
    filed = need(personas["admin"], make_enterprise(area="kfq"))
    client.force_login(personas["kfq_officer"])
    page = client.get(reverse("finance:needs")).content.decode()
    assert f'href="{reverse("finance:need_edit", args=[filed.pk])}"' in page
    assert client.get(reverse("finance:need_edit", args=[filed.pk])).status_code == 200


def test_slash_finance_opens_the_financing_needs(client, personas):
    assert reverse("finance:index") == "/finance/"
    client.force_login(personas["leader"])
    response = client.get("/finance/")
    assert response.status_code == 302 and response["Location"] == reverse("finance:needs")
    client.logout()
    assert client.get("/finance/")["Location"].startswith(reverse("accounts:login"))
