from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from semicluster.accountability import selectors, services
from semicluster.accountability.models import Escalation
from semicluster.accountability.tests.conftest import only_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_item(kunshan_plan, items):
    """Only 产业链招商图谱 (lead 市商务局 swj) remains: January's report is due on 5 February."""
    only_lead(kunshan_plan, {"investment-map"})
    return items["investment-map"]


def issued(version):
    return sorted(Escalation.objects.filter(plan_version=version).values_list("unit__code", "period_key"))


def test_a_unit_is_silent_from_the_day_after_the_due_day(kunshan_plan, one_item):
    assert selectors.silent_units(kunshan_plan, date(2025, 2, 5)) == []
    [silent] = selectors.silent_units(kunshan_plan, date(2025, 2, 6))
    assert (silent.unit, silent.period.key, silent.days_overdue) == ("swj", "2025-01", 1)
    assert not silent.escalation_due


def test_the_escalation_is_issued_once_the_grace_period_is_over_and_only_once(
    kunshan_plan, personas, one_item
):
    admin = personas["admin"]
    assert services.escalations_issue(actor=admin, version=kunshan_plan, today=date(2025, 2, 8)) == []
    [first] = services.escalations_issue(actor=admin, version=kunshan_plan, today=date(2025, 2, 9))
    assert (first.unit.code, first.period_key, first.item_codes) == ("swj", "2025-01", ["investment-map"])
    assert (
        "督办" in first.message and "市商务局" in first.message and first.message_en.startswith("Escalation")
    )
    assert services.escalations_issue(actor=admin, version=kunshan_plan, today=date(2025, 2, 9)) == []
    assert services.escalations_issue(actor=admin, version=kunshan_plan, today=date(2025, 2, 20)) == []
    assert issued(kunshan_plan) == [("swj", "2025-01")]


def test_a_late_report_before_the_grace_period_ends_avoids_the_escalation(
    kunshan_plan, personas, one_item, swj_officer
):
    services.progress_report(
        actor=swj_officer,
        item=one_item,
        text="补报",
        percent=Decimal(10),
        reported_on=date(2025, 2, 8),
        period_key="2025-01",
    )
    assert (
        services.escalations_issue(actor=personas["admin"], version=kunshan_plan, today=date(2025, 2, 9))
        == []
    )
    assert selectors.timeliness(kunshan_plan, date(2025, 2, 9))["swj"].late == 1


def test_the_command_issues_escalations_idempotently(kunshan_plan, one_item, capsys):
    call_command("tasks", "escalate", "--date", "2025-03-10")
    assert issued(kunshan_plan) == [("swj", "2025-01"), ("swj", "2025-02")]
    call_command("tasks", "escalate", "--date", "2025-03-10")
    assert issued(kunshan_plan) == [("swj", "2025-01"), ("swj", "2025-02")]
    assert "0" in capsys.readouterr().out.splitlines()[-1]


def test_the_escalated_unit_replies_once_and_no_other_unit_can(kunshan_plan, personas, one_item, swj_officer):
    [row] = services.escalations_issue(actor=personas["admin"], version=kunshan_plan, today=date(2025, 2, 9))
    with pytest.raises(PermissionDenied):
        services.escalation_reply(actor=personas["unit_officer"], escalation=row, text="不是我们")
    services.escalation_reply(actor=swj_officer, escalation=row, text="已于2月10日补报")
    row.refresh_from_db()
    assert row.reply == "已于2月10日补报" and row.replied_by == swj_officer and row.replied_at is not None
    with pytest.raises(ValidationError):
        services.escalation_reply(actor=swj_officer, escalation=row, text="再次回复")


def test_escalations_cannot_be_issued_with_a_future_date(client, kunshan_plan, personas, one_item):
    from django.contrib.messages import get_messages
    from django.urls import reverse
    from django.utils import timezone

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.force_login(personas["admin"])
    response = client.post(reverse("accountability:escalate") + f"?as_of={tomorrow}")
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert tomorrow in message and message.startswith("督办日期")  # the Chinese UI's own words
    assert issued(kunshan_plan) == []
    # The service refuses too, so the API and the command cannot be used to the same end.
    with pytest.raises(ValidationError, match="future date"):
        services.escalations_issue(
            actor=personas["admin"], version=kunshan_plan, today=timezone.localdate() + timedelta(days=1)
        )
    assert client.post(f"/api/tasks/escalations/issue?today={tomorrow}").status_code == 422
    with pytest.raises(CommandError, match="future date"):
        call_command("tasks", "escalate", "--date", tomorrow)
    assert issued(kunshan_plan) == []
    # Today itself is fine.
    assert client.post(reverse("accountability:escalate")).status_code == 302
    assert issued(kunshan_plan) != []


def test_an_escalation_date_that_is_not_a_date_is_refused_with_a_message(client, personas, one_item):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    client.force_login(personas["admin"])
    response = client.post(reverse("accountability:escalate") + "?as_of=2025-13-40")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "2025-13-40" in message and not Escalation.objects.exists()
