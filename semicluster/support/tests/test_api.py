"""The API: programs, scoped applications, the workflow steps, a duplicate as 409 with a pointer, and
the ledger for government users only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from semicluster.accounts.services import api_token_create
from semicluster.support.models import Application
from semicluster.support.tests.conftest import cost

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def payload(**overrides):
    body = {
        "program_code": "kunshan-2025-full-mask",
        "foundry": "示例代工厂",
        "foundry_location": "domestic",
        "process_node_nm": "55",
        "wafer_size_mm": 200,
        "wafer_count": 10,
        "tapeout_date": "2025-03-03",
        "product": "API-PMIC-1",
        "mask": "full_mask",
        "first_tapeout": True,
        "costs": [
            {
                "item": "mask",
                "amount": "800000.00",
                "invoice_number": "24322000000012345678",
                "contract_ref": "HT-1",
            }
        ],
    }
    body.update(overrides)
    return body


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_programs_are_listed_with_their_rules_and_example_label(client, personas):
    rows = client.get("/api/support/programs", **bearer(personas["leader"])).json()
    assert [r["code"] for r in rows] == [
        "kunshan-2025-mpw",
        "kunshan-2025-full-mask",
        "kunshan-2025-sensor-first-tapeout",
    ]
    full_mask = rows[1]
    assert full_mask["example_values"] and full_mask["annual_budget"] == "30000000.00"
    assert [r["rate_percent"] for r in full_mask["rules"]] == ["50", "30"]


def test_an_enterprise_user_applies_and_submits_through_the_api(client, firm_user, window_open):
    headers = bearer(firm_user)
    created = post(client, "/api/support/applications", payload(), headers)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["enterprise"] == firm_user.enterprise_id
    assert body["costs"][0]["amount"] == "800000.00"
    submitted = post(client, f"/api/support/applications/{body['id']}/submit", {}, headers)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    award = client.get(f"/api/support/applications/{body['id']}/award", **headers).json()
    window = next(c for c in award["eligibility"] if c["code"] == "window")
    assert award["preview"] and window["ok"] and "2025-05-20" in window["en"]


def test_a_submission_after_the_window_closed_is_refused_through_the_api_naming_the_window(
    client, firm_user, monkeypatch
):
    headers = bearer(firm_user)
    body = post(client, "/api/support/applications", payload(), headers).json()
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(dt.datetime(2025, 12, 1, 9, 0)))
    refused = post(client, f"/api/support/applications/{body['id']}/submit", {}, headers)
    assert refused.status_code == 422
    message = refused.json()["detail"][0]["msg"]
    assert "2025-03-01 至 2025-11-30" in message and "window is 2025-03-01 to 2025-11-30" in message
    assert Application.objects.get(pk=body["id"]).status == "draft"


def test_a_duplicate_submission_is_a_409_pointing_to_the_earlier_application(
    client, flow, firm_user, window_open
):
    first = flow.submit(
        firm_user, flow.create(firm_user, costs=[cost("100", invoice_code="", invoice_number="2432")])
    )
    headers = bearer(firm_user)
    body = post(
        client,
        "/api/support/applications",
        payload(costs=[{"item": "mask", "amount": "5.00", "invoice_number": "2432"}]),
        headers,
    ).json()
    refused = post(client, f"/api/support/applications/{body['id']}/submit", {}, headers)
    assert refused.status_code == 409
    detail = refused.json()["detail"][0]
    assert detail["loc"] == ["earlier_application", first.pk] and first.number in detail["msg"]


def test_another_scopes_application_is_a_404_in_the_api(client, flow, firm_user, other_firm_user, personas):
    application = flow.submit(firm_user, flow.create(firm_user))
    for user in (other_firm_user, personas["gxq_officer"]):
        headers = bearer(user)
        assert client.get(f"/api/support/applications/{application.pk}", **headers).status_code == 404
        assert (
            post(
                client, f"/api/support/applications/{application.pk}/pre-review", {"passed": True}, headers
            ).status_code
            == 404
        )
        ids = [r["id"] for r in client.get("/api/support/applications", **headers).json()["items"]]
        assert application.pk not in ids
    headers = bearer(personas["kfq_officer"])
    assert client.get(f"/api/support/applications/{application.pk}", **headers).status_code == 200


def test_the_workflow_runs_through_the_api_with_role_checks(client, flow, firm_user, personas):
    application = flow.submit(firm_user, flow.create(firm_user))
    url = f"/api/support/applications/{application.pk}"
    assert (
        post(client, f"{url}/review", {"passed": True}, bearer(personas["admin"])).status_code == 422
    )  # out of order
    assert post(client, f"{url}/pre-review", {"passed": True}, bearer(firm_user)).status_code == 403
    assert (
        post(client, f"{url}/pre-review", {"passed": True}, bearer(personas["kfq_officer"])).json()["status"]
        == "pre_reviewed"
    )
    admin = bearer(personas["admin"])
    assert (
        post(client, f"{url}/review", {"passed": True, "reason": "ok"}, admin).json()["status"] == "reviewed"
    )
    overridden = post(client, f"{url}/override", {"amount": "350000.00", "reason": "一事一议"}, admin).json()
    assert overridden["override_amount"] == "350000.00" and overridden["computed_amount"] == "300000.00"
    decided = post(client, f"{url}/decide", {"outcome": "approve", "reason": "同意"}, admin).json()
    assert decided["status"] == "approved" and decided["award_amount"] == "350000.00"
    paid = post(client, f"{url}/disburse", {"paid_on": "2025-07-01", "reference": "V-9"}, admin).json()
    assert paid["status"] == "disbursed"
    assert [s["action"] for s in paid["steps"]][-3:] == ["overridden", "approved", "disbursed"]
    ledger = client.get("/api/support/ledger", **admin).json()
    row = next(r for r in ledger if r["program_code"] == "kunshan-2025-full-mask")
    assert row["committed"] == row["disbursed"] == "350000.00" and row["remaining"] == "29650000.00"
    assert client.get("/api/support/ledger", **bearer(firm_user)).status_code == 403
    assert Application.objects.get().history.count() >= 7
