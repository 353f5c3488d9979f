"""Report pages: who sees which edition, editing and moving a report through the UI."""

from __future__ import annotations

import pytest
from django.test import Client

from semicluster.reports.models import AnnualReport, Status
from semicluster.reports.services import report_create

from .conftest import YEAR


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reports(city, personas):  # type: ignore[no-untyped-def]
    admin = personas["admin"]
    return {
        "internal": report_create(actor=admin, year=YEAR, edition="internal"),
        "public": report_create(actor=admin, year=YEAR, edition="public"),
    }


def test_leaders_read_both_editions(reports, personas):
    client = client_for(personas["leader"])
    for report in reports.values():
        assert client.get(f"/reports/{report.pk}/").status_code == 200


def test_district_officers_see_the_public_edition_and_not_the_internal_one(reports, personas, city):
    client = client_for(personas["gxq_officer"])
    public = client.get(f"/reports/{reports['public'].pk}/")
    assert public.status_code == 200
    assert all(name not in public.content.decode() for name in city.names)
    assert client.get(f"/reports/{reports['internal'].pk}/").status_code == 404
    assert client.get(f"/reports/{reports['internal'].pk}/draft.docx").status_code == 404
    listing = client.get("/reports/").content.decode()
    assert (
        f"/reports/{reports['public'].pk}/" in listing
        and f"/reports/{reports['internal'].pk}/" not in listing
    )


def test_enterprise_users_have_no_report_pages(reports, personas):
    client = client_for(personas["enterprise_user"])
    assert client.get("/reports/").status_code == 404
    assert client.get(f"/reports/{reports['public'].pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(reports):
    response = Client().get("/reports/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_internal_edition_page_names_enterprises_for_city_roles(reports, personas, city):
    page = client_for(personas["admin"]).get(f"/reports/{reports['internal'].pk}/").content.decode()
    assert city.firms[3].name in page


def test_admin_edits_a_paragraph_and_publishes_through_the_ui(reports, personas):
    client = client_for(personas["admin"])
    report = reports["public"]
    client.post(f"/reports/{report.pk}/edit/", {"key": "summary.goals", "text": "界面编辑的段落。"})
    for action in ("submit", "approve", "publish"):
        client.post(f"/reports/{report.pk}/transition/", {"action": action, "note": ""})
    report = AnnualReport.objects.get(pk=report.pk)
    assert report.status == Status.PUBLISHED and report.edits == {"summary.goals": "界面编辑的段落。"}
    download = client.get(f"/reports/{report.pk}/v1.pdf")
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")


def test_a_leader_cannot_move_a_report(reports, personas):
    client = client_for(personas["leader"])
    response = client.post(f"/reports/{reports['public'].pk}/transition/", {"action": "submit"})
    assert response.status_code == 403
    assert AnnualReport.objects.get(pk=reports["public"].pk).status == Status.DRAFT
    assert client.post("/reports/", {"year": YEAR, "edition": "public"}).status_code == 403


def test_report_list_takes_a_fixed_number_of_queries(reports, personas, django_assert_max_num_queries):
    client = client_for(personas["admin"])
    with django_assert_max_num_queries(12):
        assert client.get("/reports/").status_code == 200


def test_draft_download_in_each_format(reports, personas):
    client = client_for(personas["admin"])
    for fmt, magic in (("docx", b"PK"), ("html", b"<"), ("pdf", b"%PDF-")):
        response = client.get(f"/reports/{reports['internal'].pk}/draft.{fmt}")
        assert response.status_code == 200 and response.content.startswith(magic)
    assert client.get(f"/reports/{reports['internal'].pk}/draft.exe").status_code == 404


def test_a_report_with_no_content_yet_offers_regeneration_instead_of_failing(city, personas):
    empty = AnnualReport.objects.create(year=YEAR - 1, edition="internal", created_by=personas["admin"])
    client = client_for(personas["admin"])
    page = client.get(f"/reports/{empty.pk}/")
    assert page.status_code == 200
    assert b'data-testid="report-not-generated"' in page.content and b'value="regenerate"' in page.content
    assert client.get(f"/reports/{empty.pk}/draft.pdf").status_code == 404
    client.post(f"/reports/{empty.pk}/transition/", {"action": "submit", "note": ""})
    assert AnnualReport.objects.get(pk=empty.pk).status == Status.DRAFT
    client.post(f"/reports/{empty.pk}/transition/", {"action": "regenerate", "note": ""})
    assert AnnualReport.objects.get(pk=empty.pk).snapshot["document"]
    assert client.get(f"/reports/{empty.pk}/draft.pdf").status_code == 200


def test_downloading_the_internal_edition_is_logged_as_an_export_and_the_public_one_is_not(reports, personas):
    from semicluster.core.models import SecurityEvent

    client = client_for(personas["admin"])
    client.get(f"/reports/{reports['internal'].pk}/draft.docx")
    client.get(f"/reports/{reports['public'].pk}/draft.docx")
    exports = SecurityEvent.objects.filter(kind="export")
    assert exports.count() == 1
    assert exports.get().detail["edition"] == "internal"
