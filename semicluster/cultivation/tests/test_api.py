"""The cultivation API: same scoping and role rules as the pages."""

from __future__ import annotations

import json

import pytest

from semicluster.accounts.services import api_token_create
from semicluster.core.testing import add_value, make_enterprise
from semicluster.cultivation import services

from .conftest import STRONG_DECLARED, strong_firm

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_an_enterprise_user_applies_through_the_api_for_their_own_firm_only(client, personas, open_round):
    user = personas["enterprise_user"]
    headers = bearer(user)
    url = f"/api/cultivation/rounds/{open_round.pk}/candidates"
    other = make_enterprise(area="kfq")
    assert post(client, url, {"enterprise": other.pk}, headers).status_code == 404
    response = post(client, url, {"enterprise": user.enterprise_id, "declared": {"rd_staff": 7}}, headers)
    assert response.status_code == 201, response.content
    assert response.json()["origin"] == "application" and response.json()["declared"] == {"rd_staff": "7"}


def test_another_areas_candidate_is_a_404_in_the_api(client, personas, open_round):
    gxq = services.candidate_add(
        actor=personas["admin"], round=open_round, enterprise=make_enterprise(area="gxq")
    )
    headers = bearer(personas["kfq_officer"])
    assert client.get(f"/api/cultivation/candidates/{gxq.pk}", **headers).status_code == 404
    listed = client.get(f"/api/cultivation/rounds/{open_round.pk}/candidates", **headers).json()["items"]
    assert listed == []


def test_the_round_workflow_through_the_api(client, personas, open_round):
    firm = strong_firm()
    headers = bearer(personas["admin"])
    candidate = post(
        client,
        f"/api/cultivation/rounds/{open_round.pk}/candidates",
        {"enterprise": firm.pk, "declared": STRONG_DECLARED},
        headers,
    ).json()
    assert post(client, f"/api/cultivation/rounds/{open_round.pk}/score", {}, headers).status_code == 200
    detail = client.get(f"/api/cultivation/candidates/{candidate['id']}", **headers).json()
    assert detail["passes_bars"] and detail["evidence"]["criteria"][0]["proxies"][0]["source"]
    refused = post(
        client, f"/api/cultivation/candidates/{candidate['id']}/decision", {"decision": "reject"}, headers
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "decision_reason"]
    assert (
        post(
            client, f"/api/cultivation/candidates/{candidate['id']}/decision", {"decision": "admit"}, headers
        ).status_code
        == 200
    )
    members = post(client, f"/api/cultivation/rounds/{open_round.pk}/publish", {}, headers).json()
    assert [m["enterprise"] for m in members] == [firm.pk]
    progress = client.get("/api/cultivation/library/progress", **headers).json()
    assert progress["members"] == 1 and progress["target"] == 80


def test_a_leader_cannot_open_a_round_through_the_api(client, personas):
    response = post(
        client, "/api/cultivation/rounds", {"name": "x", "data_year": 2024}, bearer(personas["leader"])
    )
    assert response.status_code == 403


def test_crossings_through_the_api_are_scoped(client, personas):
    for area in ("kfq", "gxq"):
        firm = make_enterprise(area=area)
        add_value(firm, "revenue", 2023, 900_000_000)
        add_value(firm, "revenue", 2024, 1_100_000_000)
    rows = client.get("/api/cultivation/crossings?year=2024", **bearer(personas["kfq_officer"])).json()
    assert len(rows) == 1 and rows[0]["level"] == "backbone"
