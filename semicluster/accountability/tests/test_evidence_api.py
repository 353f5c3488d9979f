"""Progress reports with an evidence file through the API (multipart), and downloading the evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from semicluster.accountability import services
from semicluster.accountability.models import ProgressUpdate

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(client, item_id: int, evidence: SimpleUploadedFile, **fields: object):
    data: dict[str, object] = {"text": "图谱已发布", "percent": "60", "milestones_reached": ["m1"], **fields}
    return client.post(f"/api/tasks/items/{item_id}/updates/with-evidence", {**data, "evidence": evidence})


def pdf(name: str = "会议纪要.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def message(response) -> str:
    return " ".join(d["msg"] for d in response.json()["detail"])


def test_a_unit_officer_posts_a_report_with_evidence_and_downloads_it(client, items, swj_officer):
    item = items["investment-map"]
    client.force_login(swj_officer)
    response = upload(client, item.pk, pdf(), period_key="2025-06", problems="需要数据支持")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == "swj" and body["milestones_reached"] == ["m1"] and Decimal(body["percent"]) == 60
    assert (
        body["evidence_name"].endswith(".pdf")
        and body["evidence_url"] == f"/api/tasks/updates/{body['id']}/evidence"
    )
    update = ProgressUpdate.objects.get(pk=body["id"])
    assert (
        update.author == swj_officer and update.period_key == "2025-06" and update.problems == "需要数据支持"
    )
    assert update.history.first().history_user == swj_officer

    download = client.get(body["evidence_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    listed = client.get(f"/api/tasks/items/{item.pk}/updates").json()
    assert listed[0]["evidence_url"] == body["evidence_url"]


def test_another_units_item_is_a_404_for_upload_and_download(client, items, personas, swj_officer):
    other = items["finance-support"]  # led by jrj; swj neither leads nor supports it
    client.force_login(swj_officer)
    assert upload(client, other.pk, pdf()).status_code == 404
    filed = services.progress_report(
        actor=personas["admin"],
        item=other,
        text="融资对接会已召开",
        percent=Decimal(30),
        evidence=pdf(),
        reported_on=date(2025, 7, 3),
    )
    assert client.get(f"/api/tasks/updates/{filed.pk}/evidence").status_code == 404
    assert client.get(reverse("accountability:evidence", args=[filed.pk])).status_code == 404
    assert ProgressUpdate.objects.count() == 1
    client.force_login(personas["leader"])  # readers of every item may download
    assert client.get(f"/api/tasks/updates/{filed.pk}/evidence").status_code == 200
    client.force_login(personas["enterprise_user"])
    assert client.get(f"/api/tasks/updates/{filed.pk}/evidence").status_code == 403


def test_a_co_unit_downloads_the_evidence_but_cannot_post_a_report(client, items, personas, swj_officer):
    item = items["leading-enterprises"]  # gxj leads, swj supports
    filed = services.progress_report(
        actor=personas["admin"], item=item, text="名单已梳理", percent=Decimal(20), evidence=pdf()
    )
    client.force_login(swj_officer)
    assert client.get(f"/api/tasks/updates/{filed.pk}/evidence").status_code == 200
    response = upload(client, item.pk, pdf(), milestones_reached=[])
    assert response.status_code == 403 and ProgressUpdate.objects.count() == 1


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (SimpleUploadedFile("big.pdf", PDF + b"\x00" * services.EVIDENCE_MAX_BYTES), "10 MB"),
        (SimpleUploadedFile("script.exe", b"MZ\x90\x00"), "PDF or an image"),
        (SimpleUploadedFile("photo.png", PDF, content_type="image/png"), "not a .png file"),
        (SimpleUploadedFile("empty.pdf", b""), "not a .pdf file"),
    ],
    ids=["oversize", "wrong type", "disguised", "empty"],
)
def test_an_oversize_or_wrong_type_file_is_refused_with_a_clear_message(
    client, items, swj_officer, evidence, expected
):
    client.force_login(swj_officer)
    response = upload(client, items["investment-map"].pk, evidence)
    assert response.status_code == 422
    assert expected in message(response) and response.json()["detail"][0]["loc"] == ["body", "evidence"]
    assert not ProgressUpdate.objects.exists()


def test_a_report_needs_its_evidence_file_and_valid_fields(client, items, swj_officer):
    client.force_login(swj_officer)
    url = f"/api/tasks/items/{items['investment-map'].pk}/updates/with-evidence"
    assert client.post(url, {"text": "x", "percent": "10"}).status_code == 422  # no file
    assert upload(client, items["investment-map"].pk, pdf(), milestones_reached=["m9"]).status_code == 422
    assert upload(client, items["investment-map"].pk, pdf(), percent="120").status_code == 422
    assert not ProgressUpdate.objects.exists()


def test_a_report_without_evidence_has_nothing_to_download(client, items, swj_officer):
    client.force_login(swj_officer)
    filed = services.progress_report(
        actor=swj_officer, item=items["investment-map"], text="推进中", percent=Decimal(10)
    )
    assert client.get(f"/api/tasks/updates/{filed.pk}/evidence").status_code == 404
    assert (
        client.get(f"/api/tasks/items/{items['investment-map'].pk}/updates").json()[0]["evidence_url"] is None
    )


def test_the_item_page_links_the_evidence_to_the_scoped_download(client, items, swj_officer):
    item = items["investment-map"]
    filed = services.progress_report(
        actor=swj_officer, item=item, text="见附件", percent=Decimal(50), evidence=pdf("scan.pdf")
    )
    client.force_login(swj_officer)
    page = client.get(reverse("accountability:item", args=[item.pk])).content.decode()
    link = reverse("accountability:evidence", args=[filed.pk])
    assert f'href="{link}"' in page and "/media/" not in page
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_an_anonymous_request_gets_401(client, items):
    assert client.get("/api/tasks/updates/1/evidence").status_code == 401
    assert (
        client.post(f"/api/tasks/items/{items['investment-map'].pk}/updates/with-evidence").status_code == 401
    )
