from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from semicluster.accountability import selectors, services
from semicluster.accountability.engine import Status
from semicluster.accountability.models import Origin, WorkItem
from semicluster.plans.models import Task, Unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def status_of(item: WorkItem, as_of: date) -> Status:
    fresh = selectors.with_status_data(WorkItem.objects.filter(pk=item.pk)).get()
    [row] = selectors.item_rows([fresh], as_of, selectors.reporting_rules(item.plan_version))
    return row.status.status


def test_every_plan_task_gets_exactly_one_work_item_and_syncing_twice_adds_none(
    kunshan_plan, personas, items
):
    assert len(items) == Task.objects.filter(plan_version=kunshan_plan).count() == 14
    assert services.work_items_sync(actor=personas["admin"], version=kunshan_plan) == []
    item = items["investment-map"]
    assert item.lead_unit.code == "swj" and {u.code for u in item.co_units.all()} == {"gxj", "fgw"}
    assert item.deliverable == "产业链招商图谱" and item.origin == Origin.PLAN
    assert [(m.key, m.due) for m in item.milestones.all()] == [("m1", date(2025, 4, 30))]
    assert {g.code for g in items["leading-enterprises"].goals.all()} == {
        "new-firms-above-1bn",
        "new-firms-above-5bn",
        "industry-scale",
    }


def test_a_milestone_due_today_is_not_late_but_the_day_after_it_is(items):
    item = items["investment-map"]  # milestone 2025-04-30, nothing reported
    assert status_of(item, date(2025, 4, 30)) == Status.AT_RISK
    assert status_of(item, date(2025, 5, 1)) == Status.LATE


def test_an_item_is_at_risk_exactly_at_risk_days_before_its_milestone_without_progress(items):
    item = items["investment-map"]  # at_risk_days = 14 in the plan
    assert status_of(item, date(2025, 4, 15)) == Status.ON_TRACK
    assert status_of(item, date(2025, 4, 16)) == Status.AT_RISK


def test_reaching_the_milestone_clears_the_risk_and_a_full_report_makes_it_done(items, swj_officer):
    item = items["investment-map"]
    milestone = item.milestones.get()
    services.progress_report(
        actor=swj_officer,
        item=item,
        text="图谱已发布",
        milestones_reached=[milestone],
        reported_on=date(2025, 4, 20),
    )
    assert status_of(item, date(2025, 5, 1)) == Status.ON_TRACK
    services.progress_report(
        actor=swj_officer, item=item, text="全部完成", percent=Decimal(100), reported_on=date(2025, 11, 3)
    )
    assert status_of(item, date(2025, 11, 2)) == Status.ON_TRACK
    assert status_of(item, date(2025, 11, 3)) == Status.DONE


def test_the_deadline_day_is_not_late_and_the_next_day_is(items, personas):
    item = items["tape-out-support"]  # no milestones, deadline 2025-12-31
    services.progress_report(
        actor=personas["admin"], item=item, text="推进中", percent=Decimal(60), reported_on=date(2025, 12, 20)
    )
    assert status_of(item, date(2025, 12, 31)) == Status.ON_TRACK
    assert status_of(item, date(2026, 1, 1)) == Status.LATE


def test_a_unit_officer_cannot_report_on_another_units_item(items, swj_officer):
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=swj_officer, item=items["monitoring"], text="x", percent=Decimal(10))


def test_a_co_unit_reads_the_item_but_cannot_report_on_it(items, swj_officer):
    item = items["leading-enterprises"]  # gxj leads, swj supports
    assert selectors.visible_items(swj_officer, item.plan_version).filter(pk=item.pk).exists()
    with pytest.raises(PermissionDenied):
        selectors.writable_item_or_404(swj_officer, item.pk)


def test_a_report_needs_a_percentage_a_milestone_or_done(items, swj_officer):
    with pytest.raises(ValidationError, match="percent"):
        services.progress_report(actor=swj_officer, item=items["investment-map"], text="开会研究")


def test_evidence_must_be_a_real_pdf_or_image_and_small(items, swj_officer):
    item = items["investment-map"]
    ok = services.progress_report(
        actor=swj_officer,
        item=item,
        text="见附件",
        percent=Decimal(30),
        evidence=SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf"),
        reported_on=date(2025, 3, 3),
    )
    assert ok.evidence.name.endswith(".pdf")
    disguised = SimpleUploadedFile("photo.png", PDF, content_type="image/png")
    with pytest.raises(ValidationError, match=r"not a \.png file"):
        services.progress_report(
            actor=swj_officer, item=item, text="x", percent=Decimal(30), evidence=disguised
        )
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF or an image"):
        services.progress_report(actor=swj_officer, item=item, text="x", percent=Decimal(30), evidence=script)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * services.EVIDENCE_MAX_BYTES, content_type="image/png")
    with pytest.raises(ValidationError, match="10 MB"):
        services.progress_report(actor=swj_officer, item=item, text="x", percent=Decimal(30), evidence=big)


def test_a_report_filed_before_the_due_day_counts_for_the_previous_month(items, swj_officer):
    update = services.progress_report(
        actor=swj_officer,
        item=items["investment-map"],
        text="x",
        percent=Decimal(20),
        reported_on=date(2025, 7, 5),
    )
    assert update.period_key == "2025-06" and update.unit.code == "swj"


def test_the_office_decomposes_an_item_into_parts_that_inherit_its_goals(items, personas, swj_officer):
    parent = items["leading-enterprises"]
    part = services.work_item_decompose(
        actor=personas["admin"],
        parent=parent,
        title="梳理50亿级企业培育名单",
        lead_unit=Unit.objects.get(code="fgw"),
        deadline=date(2025, 6, 30),
        milestones=[(date(2025, 3, 31), "名单初稿")],
    )
    assert part.code == "leading-enterprises-1" and part.parent == parent
    assert set(part.goals.all()) == set(parent.goals.all())
    with pytest.raises(PermissionDenied):
        services.work_item_decompose(
            actor=swj_officer,
            parent=parent,
            title="x",
            lead_unit=parent.lead_unit,
            deadline=date(2025, 6, 30),
        )
    with pytest.raises(ValidationError):
        services.work_item_decompose(
            actor=personas["admin"],
            parent=parent,
            title="x",
            lead_unit=parent.lead_unit,
            deadline=date(2026, 6, 30),
        )
