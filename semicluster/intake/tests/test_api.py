"""The import API: preview, commit and revert for machine clients, scoped like the UI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from semicluster.accounts.services import api_token_create
from semicluster.enterprises.models import PeriodValue

from .conftest import messy_period_workbook

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_file(client, headers, data, dataset="period_values", name="月报.xlsx"):
    return client.post(f"/api/imports/preview/{dataset}", {"file": SimpleUploadedFile(name, data)}, **headers)


def test_a_machine_client_previews_commits_and_reverts(client, personas, firms):
    auth = bearer(personas["admin"])
    response = post_file(client, auth, messy_period_workbook(firms))
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["status"] == "previewed" and batch["summary"]["counts"]["create"] == 4
    response = client.post(f"/api/imports/batches/{batch['id']}/commit", **auth)
    assert response.status_code == 200 and response.json()["status"] == "committed"
    assert PeriodValue.objects.count() == 4
    assert client.post(f"/api/imports/batches/{batch['id']}/commit", **auth).status_code == 409
    response = client.post(f"/api/imports/batches/{batch['id']}/revert", **auth)
    assert response.status_code == 200 and not PeriodValue.objects.exists()


def test_a_refused_file_is_a_400_with_the_reason(client, personas):
    response = post_file(client, bearer(personas["admin"]), b"", name="x.xlsx")
    assert response.status_code == 400 and "文件为空" in response.json()["detail"][0]["msg"]


def test_a_dataset_the_role_may_not_import_is_a_404(client, personas, firms):
    response = post_file(
        client, bearer(personas["enterprise_user"]), b"a,b", dataset="enterprises", name="a.csv"
    )
    assert response.status_code == 404


def test_batches_are_scoped_to_the_uploader(client, personas, firms):
    officer = bearer(personas["kfq_officer"])
    batch_id = post_file(client, officer, messy_period_workbook(firms)).json()["id"]
    other = bearer(personas["gxq_officer"])
    assert client.get(f"/api/imports/batches/{batch_id}", **other).status_code == 404
    assert client.post(f"/api/imports/batches/{batch_id}/commit", **other).status_code == 404
    assert client.get("/api/imports/batches", **other).json()["count"] == 0
    assert client.get("/api/imports/batches", **officer).json()["count"] == 1
    assert client.get(f"/api/imports/batches/{batch_id}", **bearer(personas["admin"])).status_code == 200


def test_a_commit_with_row_errors_is_a_400_and_the_batch_fails(client, personas, firms):
    officer = bearer(personas["kfq_officer"])
    batch_id = post_file(client, officer, messy_period_workbook(firms)).json()["id"]
    response = client.post(f"/api/imports/batches/{batch_id}/commit", **officer)
    assert response.status_code == 400
    assert client.get(f"/api/imports/batches/{batch_id}", **officer).json()["status"] == "failed"
    assert not PeriodValue.objects.exists()


def test_the_dataset_list_shows_columns_and_aliases(client, personas):
    keys = {d["key"]: d for d in client.get("/api/imports/datasets", **bearer(personas["admin"])).json()}
    assert set(keys) >= {"enterprises", "period_values", "designations"}
    value = next(c for c in keys["period_values"]["columns"] if c["key"] == "value")
    assert value["kind"] == "money" and "金额" in value["aliases"]
