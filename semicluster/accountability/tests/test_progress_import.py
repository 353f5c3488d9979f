"""The progress-report import (工作进展报送表) through the intake pipeline: scope, corrections, bad rows."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from semicluster.accountability.models import ProgressUpdate, WorkItem
from semicluster.intake import services
from semicluster.intake.models import ImportBatch
from semicluster.intake.registry import get_dataset

pytestmark = pytest.mark.django_db

HEADER = [
    "事项编号",
    "事项名称",
    "报送期",
    "工作进展",
    "完成比例（%）",
    "已完成节点",
    "是否完成",
    "需协调解决的问题",
]


def row(**cells: object) -> list[object]:
    values = {
        "item": "investment-map",
        "title": "编制产业链招商图谱，开展精准招引",
        "period": "2025-06",
        "text": "图谱已发布，正在对接目标企业",
        "percent": 40,
        "milestones": "发布产业链招商图谱",
        "done": None,
        "problems": "需要市统计局提供分行业数据",
    }
    values.update(cells)
    return list(values.values())


def workbook(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进展报送"
    ws.append(["2025年6月半导体产业工作任务进展报送表"])
    ws.append(header)
    for cells in rows:
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def preview(user, data: bytes) -> ImportBatch:
    return services.import_preview(actor=user, dataset_key="task_progress", filename="进展.xlsx", data=data)


def errors(batch: ImportBatch) -> dict[int, tuple[str, str]]:
    return {
        p["row"]: (p["column"], p["message"]) for p in batch.summary["problems"] if p["severity"] == "error"
    }


def test_a_unit_officer_imports_progress_on_its_own_item_and_the_same_file_again_changes_nothing(
    items, swj_officer
):
    item = items["investment-map"]
    data = workbook([row()])
    batch = preview(swj_officer, data)
    assert (batch.created_count, batch.error_count) == (1, 0), batch.summary["problems"]
    assert not ProgressUpdate.objects.exists()  # the preview writes nothing

    services.import_commit(actor=swj_officer, batch=batch)
    update = ProgressUpdate.objects.get(work_item=item)
    assert (update.unit.code, update.period_key, update.percent) == ("swj", "2025-06", Decimal("40.00"))
    assert [m.key for m in update.milestones_reached.all()] == ["m1"]
    assert update.problems == "需要市统计局提供分行业数据" and not update.done
    assert update.author == swj_officer and update.reported_on == timezone.localdate()
    assert update.history.first().history_user == swj_officer

    again = preview(swj_officer, data)
    assert again.summary["nothing_to_change"] and again.unchanged_count == 1
    services.import_commit(actor=swj_officer, batch=again)
    assert ProgressUpdate.objects.count() == 1


def test_a_changed_cell_files_a_correction_and_keeps_the_first_report_as_filed(items, swj_officer):
    services.import_commit(actor=swj_officer, batch=preview(swj_officer, workbook([row()])))
    first = ProgressUpdate.objects.get()

    corrected = workbook([row(percent="50%", milestones=None, problems=None)])
    batch = preview(swj_officer, corrected)
    assert (batch.created_count, batch.unchanged_count, batch.error_count) == (1, 0, 0)
    shown = batch.summary["create"][0]
    assert "更正" in shown["label"] and shown["fields"] == [["完成比例", "40", "50"]]

    services.import_commit(actor=swj_officer, batch=batch)
    latest = ProgressUpdate.objects.exclude(pk=first.pk).get()
    assert latest.percent == Decimal("50.00") and latest.period_key == "2025-06"
    # Blank cells carry the previous report's values over; the first report stays as it was filed.
    assert [m.key for m in latest.milestones_reached.all()] == ["m1"]
    assert latest.problems == "需要市统计局提供分行业数据"
    first.refresh_from_db()
    assert first.percent == Decimal("40.00")
    assert preview(swj_officer, corrected).summary["nothing_to_change"]


def test_a_unit_officer_cannot_import_progress_on_another_units_item(items, swj_officer):
    data = workbook(
        [
            row(),
            row(item="finance-support", title=None, milestones=None),  # led by jrj, not visible to swj
            row(item="leading-enterprises", title=None, milestones=None),  # swj only supports it
        ]
    )
    batch = preview(swj_officer, data)
    found = errors(batch)
    assert (batch.created_count, batch.error_count) == (1, 2)
    assert "不属于本单位" in found[4][1] and "finance-support" in found[4][1]
    assert "构建金融支撑体系" not in found[4][1]  # an item swj may not read is named by its code only
    assert "不属于本单位" in found[5][1] and "培育壮大龙头企业" in found[5][1]
    with pytest.raises(services.ImportFailed):
        services.import_commit(actor=swj_officer, batch=batch)
    assert not ProgressUpdate.objects.exists()  # all or nothing


def test_bad_rows_name_their_row_and_column_and_nothing_is_written(items, personas):
    data = workbook(
        [
            row(),
            row(item="no-such-item", title=None),
            row(item="monitoring", title=None, period="2025-13", milestones=None),
            row(item="monitoring", title=None, period="2024-12", milestones=None),
            row(item="layout-guidance", title=None, percent="150%", milestones=None),
            row(item="tape-out-support", title=None, percent=None, milestones=None),
            row(item="project-library", title=None, milestones="完成选址"),
        ]
    )
    batch = preview(personas["admin"], data)
    found = errors(batch)
    assert (batch.created_count, batch.error_count) == (1, 6), found
    assert found[4][0] == "事项编号" and "no-such-item" in found[4][1]
    assert found[5][0] == "报送期"
    assert found[6][0] == "报送期" and "早于事项开始日期" in found[6][1]
    assert found[7][0] == "完成比例（%）" and "0% 到 100%" in found[7][1]
    assert found[8][0] == "完成比例（%）" and "之一" in found[8][1]
    assert (
        found[9][0] == "已完成节点" and "重大项目推进计划印发" in found[9][1]
    )  # lists the item's milestones
    with pytest.raises(services.ImportFailed):
        services.import_commit(actor=personas["admin"], batch=batch)
    assert not ProgressUpdate.objects.exists()


def test_only_the_office_back_fills_a_report_date(items, personas, swj_officer):
    header = [*HEADER, "报送日期"]
    data = workbook([[*row(), "2025-07-03"]], header=header)
    refused = preview(swj_officer, data)
    assert refused.error_count == 1 and errors(refused)[3][0] == "报送日期"
    batch = preview(personas["admin"], data)
    services.import_commit(actor=personas["admin"], batch=batch)
    update = ProgressUpdate.objects.get()
    assert (update.reported_on, update.unit.code) == (date(2025, 7, 3), "swj")


def test_the_command_line_without_a_user_files_for_the_lead_unit(items):
    batch = preview(None, workbook([row()]))
    services.import_commit(actor=None, batch=batch)
    update = ProgressUpdate.objects.get()
    assert (update.unit.code, update.author) == ("swj", None)


def test_a_row_found_by_title_alone_is_imported(items, personas):
    batch = preview(personas["admin"], workbook([row(item=None)]))
    assert (batch.created_count, batch.error_count) == (1, 0), batch.summary["problems"]


def test_the_dataset_is_offered_to_unit_officers_whose_unit_leads_an_item(
    kunshan_plan, personas, swj_officer
):
    dataset = get_dataset("task_progress")
    assert dataset is not None
    assert dataset.allows(personas["admin"]) and not dataset.allows(personas["kfq_officer"])
    assert not dataset.allows(swj_officer)  # no work items yet: nothing to report on
    WorkItem.objects.all().delete()
    from semicluster.accountability import services as accountability

    accountability.work_items_sync(actor=personas["admin"], version=kunshan_plan)
    assert dataset.allows(swj_officer) and not dataset.allows(personas["enterprise_user"])


def test_the_task_list_links_to_the_imports_the_user_may_run(client, items, personas, swj_officer):
    client.force_login(swj_officer)
    html = client.get(reverse("accountability:items")).content.decode()
    assert "?dataset=task_progress" in html and "?dataset=task_items" not in html
    assert client.get(reverse("intake:home"), {"dataset": "task_progress"}).status_code == 200
    assert client.get(reverse("intake:template", args=["task_progress"])).status_code == 200
    assert client.get(reverse("intake:template", args=["task_items"])).status_code == 404
    client.force_login(personas["admin"])
    html = client.get(reverse("accountability:items")).content.decode()
    assert "?dataset=task_progress" in html and "?dataset=task_items" in html
    client.force_login(personas["leader"])
    assert 'data-testid="task-imports"' not in client.get(reverse("accountability:items")).content.decode()


def test_data_import_is_in_the_navigation_of_unit_officers_only_when_their_unit_leads_an_item(
    client, kunshan_plan, personas, swj_officer
):
    nav_link = f'href="{reverse("intake:home")}"'
    client.force_login(swj_officer)
    assert nav_link not in client.get(reverse("accountability:items")).content.decode()
    from semicluster.accountability import services as accountability

    WorkItem.objects.all().delete()
    accountability.work_items_sync(actor=personas["admin"], version=kunshan_plan)
    assert nav_link in client.get(reverse("accountability:items")).content.decode()
