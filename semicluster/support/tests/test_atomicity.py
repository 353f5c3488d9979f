"""A workflow step is all or nothing: a failure at the ledger write undoes the approval too."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from semicluster.core.testing import database_fails_on, table_counts
from semicluster.support.models import Application, Status

pytestmark = pytest.mark.django_db


def test_a_database_failure_at_the_ledger_leaves_the_application_reviewed_and_the_budget_untouched(
    flow, firm_user
):
    application = flow.to_reviewed(flow.submit(firm_user, flow.create(firm_user)))
    before = table_counts()

    with database_fails_on("support_ledgerentry") as ran, pytest.raises(DatabaseError):
        flow.approve(application)

    assert any(sql.lstrip().upper().startswith("UPDATE") and '"support_application"' in sql for sql in ran)
    assert table_counts() == before
    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.award_amount, stored.decided_at) == (Status.REVIEWED, None, None)
