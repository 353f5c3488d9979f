"""`semicluster opendata export` writes a data package that frictionless validates."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from semicluster.reports.tests.conftest import YEAR


@pytest.mark.django_db
def test_exported_package_passes_frictionless_validation(published, tmp_path):
    from frictionless import validate

    out = io.StringIO()
    call_command("opendata", "export", "-o", str(tmp_path), stdout=out)
    package = tmp_path / "datapackage.json"
    assert package.exists() and (tmp_path / "catalog.jsonld").exists()
    report = validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    revenue = next(r for r in descriptor["resources"] if r["name"] == f"revenue-by-area-segment-{YEAR}")
    assert "x" in revenue["schema"]["missingValues"]
    assert revenue["unit"].startswith("亿元")
    assert revenue["sources"][0]["title"].startswith("昆山市半导体产业2025年工作方案 一")


@pytest.mark.django_db
def test_a_tampered_csv_fails_validation(published, tmp_path):
    """The validation is real: a non-number in a number column is reported."""
    from frictionless import validate

    call_command("opendata", "export", "-o", str(tmp_path), stdout=io.StringIO())
    csv = tmp_path / "data" / f"goals-{YEAR}.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[4] = "lots"
    lines[1] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
