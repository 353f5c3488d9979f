"""Publication is all or nothing: a database failure at its last write leaves no version and no status."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from semicluster.core.testing import database_fails_on, table_counts
from semicluster.reports.models import AnnualReport, Status
from semicluster.reports.services import report_create, report_transition

from .conftest import YEAR


def test_a_database_failure_while_publishing_leaves_the_report_approved_and_unversioned(city, personas):
    admin = personas["admin"]
    report = report_create(actor=admin, year=YEAR, edition="public")
    for action in ("submit", "approve"):
        report = report_transition(actor=admin, report=report, action=action)
    before = table_counts()

    # The version row and its files are written first; the security-log entry is the last insert.
    with database_fails_on("core_securityevent") as ran, pytest.raises(DatabaseError):
        report_transition(actor=admin, report=report, action="publish")

    assert any('"reports_reportversion"' in sql for sql in ran)  # the failure came after real writes
    assert table_counts() == before
    assert AnnualReport.objects.get(pk=report.pk).status == Status.APPROVED
