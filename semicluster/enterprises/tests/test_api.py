import json
from decimal import Decimal

import pytest

from semicluster.accounts.services import api_token_create, api_token_revoke
from semicluster.core.models import SecurityEvent
from semicluster.core.testing import add_value, make_enterprise, synthetic_credit_code
from semicluster.enterprises.models import Enterprise, PeriodValue

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_reads_exactly_what_its_user_may_see(client, personas):
    kfq = make_enterprise(area="kfq")
    gxq = make_enterprise(area="gxq")
    headers = bearer(personas["kfq_officer"])
    ids = {row["id"] for row in client.get("/api/enterprises/?limit=100", **headers).json()["items"]}
    assert kfq.pk in ids and gxq.pk not in ids
    assert client.get(f"/api/enterprises/{gxq.pk}", **headers).status_code == 404
    assert client.get(f"/api/enterprises/{gxq.pk}/values", **headers).status_code == 404


def test_requests_without_a_valid_token_are_refused(client, personas):
    assert client.get("/api/enterprises/").status_code == 401
    assert client.get("/api/enterprises/", HTTP_AUTHORIZATION="Bearer sc_not-a-token").status_code == 401


def test_a_revoked_token_stops_working_and_tokens_are_stored_hashed(client, personas):
    user = personas["admin"]
    token, secret = api_token_create(user=user, name="ci")
    assert secret not in token.key_hash and token.key_hash != secret
    assert client.get("/api/enterprises/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    api_token_revoke(user=user, token=token)
    assert client.get("/api/enterprises/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    actions = sorted(SecurityEvent.objects.filter(kind="token").values_list("detail__action", flat=True))
    assert actions == ["create", "revoke", "use"]  # the refused use after revocation is no use


def test_creating_an_enterprise_validates_the_credit_code_with_a_field_path(client, personas):
    headers = bearer(personas["admin"])
    body = {
        "credit_code": "91350100M000100Y4Z",
        "name": "甲（测试）",
        "town": "320583400",
        "primary_node": "advanced-packaging",
        "ownership": "private",
    }
    response = client.post("/api/enterprises/", json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "credit_code"] and "18" in detail[0]["msg"]
    body["credit_code"] = synthetic_credit_code()
    response = client.post("/api/enterprises/", json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(pk=response.json()["id"])
    assert created.area.code == "kfq" and created.history.latest().history_user == personas["admin"]


def test_a_district_officer_cannot_register_a_firm_in_another_area(client, personas):
    headers = bearer(personas["kfq_officer"])
    body = {
        "credit_code": synthetic_credit_code(),
        "name": "乙（测试）",
        "town": "320583100",
        "primary_node": "gan-epitaxy",
        "ownership": "private",
    }
    response = client.post("/api/enterprises/", json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "town"]
    assert not Enterprise.objects.filter(name="乙（测试）").exists()


def test_leaders_read_but_may_not_write(client, personas):
    firm = make_enterprise()
    headers = bearer(personas["leader"])
    response = client.patch(
        f"/api/enterprises/{firm.pk}",
        json.dumps({"name": "改名"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    firm.refresh_from_db()
    assert firm.name != "改名"


def test_putting_a_value_is_idempotent_and_exact(client, personas):
    firm = make_enterprise()
    headers = bearer(personas["admin"])
    body = {
        "measure": "revenue",
        "year": 2025,
        "period_type": "M",
        "period": 6,
        "basis": "ytd",
        "value": "123456789.01",
    }
    for _ in range(2):
        response = client.put(
            f"/api/enterprises/{firm.pk}/values", json.dumps(body), content_type="application/json", **headers
        )
        assert response.status_code == 200, response.content
    value = PeriodValue.objects.get(enterprise=firm)
    assert value.value == Decimal("123456789.01") and value.history.count() == 1 and value.source == "api"


def test_an_out_of_range_period_names_the_field(client, personas):
    firm = make_enterprise()
    body = {"measure": "revenue", "year": 2025, "period_type": "Q", "period": 7, "value": "1"}
    response = client.put(
        f"/api/enterprises/{firm.pk}/values",
        json.dumps(body),
        content_type="application/json",
        **bearer(personas["admin"]),
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "period"]


def test_the_list_filters_and_paginates(client, personas):
    for _ in range(3):
        add_value(make_enterprise(area="hq", node="iot-asic"), "revenue", 2024, 1)
    make_enterprise(area="kfq")
    page = client.get("/api/enterprises/?area=hq&limit=2", **bearer(personas["admin"])).json()
    assert page["count"] == 3 and len(page["items"]) == 2


def test_the_openapi_document_and_offline_docs_are_served(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/enterprises/" in schema["paths"]
    docs = client.get("/api/docs").content.decode()
    assert "https://" not in docs.split("<body")[0] or "cdn" not in docs


def test_a_firm_corrects_its_register_entry_but_cannot_move_itself_to_another_town_or_node(client, personas):
    firm = personas["enterprise_user"].enterprise
    headers = bearer(personas["enterprise_user"])
    ok = client.patch(
        f"/api/enterprises/{firm.pk}",
        json.dumps({"key_products": "显示驱动芯片"}),
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200, ok.content
    moved = client.patch(
        f"/api/enterprises/{firm.pk}",
        json.dumps({"town": "320583101"}),
        content_type="application/json",
        **headers,
    )
    assert moved.status_code == 403 and "town" in moved.content.decode()
    assert Enterprise.objects.get(pk=firm.pk).town_id == firm.town_id
