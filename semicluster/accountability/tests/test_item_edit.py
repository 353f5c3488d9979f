from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from semicluster.accountability import services
from semicluster.accountability.models import Milestone, ProgressUpdate
from semicluster.plans.models import Goal, Unit

pytestmark = pytest.mark.django_db


def form_data(item, **changes):
    """The edit form as the page fills it in, with ``changes``."""
    data = {
        "title": item.title,
        "title_en": item.title_en,
        "lead_unit": item.lead_unit_id,
        "co_units": [u.pk for u in item.co_units.all()],
        "responsible_person": item.responsible_person,
        "start": item.start.isoformat(),
        "deadline": item.deadline.isoformat(),
        "deliverable": item.deliverable,
        "goals": [g.pk for g in item.goals.all()],
        "milestones": "\n".join(f"{m.due.isoformat()} {m.description}" for m in item.milestones.all()),
    }
    data.update(changes)
    return data


def test_the_office_edits_a_work_items_person_dates_co_units_goals_milestones_and_deliverable(
    client, kunshan_plan, items, personas, swj_officer
):
    item = items["investment-map"]  # lead 市商务局, milestone m1 2025-04-30 发布产业链招商图谱
    reached = item.milestones.get()
    services.progress_report(
        actor=swj_officer,
        item=item,
        text="图谱已发布",
        percent=Decimal(40),
        milestones_reached=[reached],
        reported_on=date(2025, 5, 3),
    )
    goal = Goal.objects.get(plan_version=kunshan_plan, code="new-industrial-investment")
    client.force_login(personas["admin"])
    page = client.get(reverse("accountability:item_edit", args=[item.pk])).content.decode()
    assert "2025-04-30 发布产业链招商图谱" in page and 'data-testid="item-edit-form"' in page

    response = client.post(
        reverse("accountability:item_edit", args=[item.pk]),
        form_data(
            item,
            responsible_person="张某",
            start="2025-02-01",
            deadline="2025-11-30",
            co_units=[Unit.objects.get(code="kjj").pk],
            goals=[goal.pk],
            deliverable="产业链招商图谱（2025版）",
            milestones="2025-04-30 发布产业链招商图谱（第一版）\n2025-09-30 完成图谱更新",
        ),
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "accountability:item", args=[item.pk]
    )
    item.refresh_from_db()
    assert (item.responsible_person, item.start, item.deadline, item.deliverable) == (
        "张某",
        date(2025, 2, 1),
        date(2025, 11, 30),
        "产业链招商图谱（2025版）",
    )
    assert [u.code for u in item.co_units.all()] == ["kjj"] and list(item.goals.all()) == [goal]
    milestones = {m.key: (m.due, m.description) for m in item.milestones.all()}
    assert milestones == {
        "m1": (date(2025, 4, 30), "发布产业链招商图谱（第一版）"),  # same date, reworded: same record
        "m2": (date(2025, 9, 30), "完成图谱更新"),
    }
    assert Milestone.objects.get(work_item=item, key="m1").pk == reached.pk
    assert list(ProgressUpdate.objects.get(work_item=item).milestones_reached.all()) == [reached]
    assert item.history.first().history_user == personas["admin"]


def test_an_edit_the_service_refuses_is_shown_on_the_form_and_changes_nothing(client, items, personas):
    item = items["investment-map"]
    client.force_login(personas["admin"])
    response = client.post(
        reverse("accountability:item_edit", args=[item.pk]),
        form_data(item, responsible_person="张某", milestones="2026-03-31 超出期限的节点"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    error = page.split('data-testid="field-error">')[1].split("</div>")[0]
    assert "不在事项起止日期内" in error and "outside" not in error  # the Chinese UI's half only
    item.refresh_from_db()
    assert item.responsible_person == "" and [m.key for m in item.milestones.all()] == ["m1"]
    bad_date = client.post(
        reverse("accountability:item_edit", args=[item.pk]), form_data(item, milestones="六月底 完成")
    )
    assert bad_date.status_code == 200 and "2025-06-30" in bad_date.content.decode()


def test_unit_officers_and_leaders_cannot_reach_the_edit_page(
    client, items, personas, swj_officer, gxj_officer
):
    item = items["investment-map"]
    url = reverse("accountability:item_edit", args=[item.pk])
    for user in (swj_officer, gxj_officer, personas["leader"], personas["kfq_officer"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, form_data(item, responsible_person="越权")).status_code == 403
    client.force_login(personas["enterprise_user"])
    assert client.get(url).status_code == 403
    item.refresh_from_db()
    assert item.responsible_person == ""


def test_the_item_page_links_to_the_edit_page_for_the_office_only(client, items, personas, swj_officer):
    item = items["investment-map"]
    link = reverse("accountability:item_edit", args=[item.pk])
    client.force_login(personas["admin"])
    assert link in client.get(reverse("accountability:item", args=[item.pk])).content.decode()
    client.force_login(swj_officer)
    assert link not in client.get(reverse("accountability:item", args=[item.pk])).content.decode()
