"""Before anything is published (and with a draft only) the portal and the open data are empty."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from semicluster.reports.tests.conftest import YEAR


@pytest.mark.django_db
def test_nothing_published_means_nothing_shown(city):
    client = Client()
    home = client.get("/public/").content.decode()
    assert 'data-testid="nothing-published"' in home
    assert client.get(f"/public/reports/{YEAR}/").status_code == 404
    assert client.get("/public/opendata/data/goals-2025.csv").status_code == 404
    package = client.get("/public/opendata/datapackage.json").json()
    assert package["resources"] == []


@pytest.mark.django_db
def test_a_draft_public_report_is_not_on_the_portal(city, personas):
    from semicluster.reports.services import report_create

    report_create(actor=personas["admin"], year=YEAR, edition="public")
    assert Client().get(f"/public/reports/{YEAR}/").status_code == 404


@pytest.mark.django_db
def test_export_with_nothing_published_writes_an_empty_package(city, tmp_path):
    out = io.StringIO()
    call_command("opendata", "export", "-o", str(tmp_path), stdout=out)
    assert json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))["resources"] == []
    assert "no public report" in out.getvalue()
