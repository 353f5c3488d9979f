"""The work-item import (工作任务分解表) through the intake pipeline: preview, commit, re-import, revert."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from semicluster.accountability.datasets import parse_milestones, split_list
from semicluster.accountability.models import Origin, WorkItem
from semicluster.intake import services
from semicluster.intake.models import ImportBatch
from semicluster.intake.registry import get_dataset
from semicluster.intake.workbooks import build_template
from semicluster.plans.models import Unit

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "所属任务",
    "事项编号",
    "工作事项",
    "牵头单位",
    "配合单位",
    "责任人",
    "开始日期",
    "完成时限",
    "成果形式",
    "服务目标",
    "时间节点",
]
MAP_TASK = "编制产业链招商图谱，开展精准招引"  # the plan task investment-map, by its title


def row(**cells: object) -> list[object]:
    values: dict[str, object] = {
        "task": MAP_TASK,
        "code": "investment-map-1",
        "title": "梳理招商目标企业清单",
        "lead": "市商务局",
        "co": "市发改委、市工信局",
        "person": "张三",
        "start": "2025-02-01",
        "deadline": "2025-06-30",
        "deliverable": "目标企业清单",
        "goals": None,
        "milestones": "2025-03-31 完成初稿；2025-05-31 征求意见",
    }
    values.update(cells)
    return [None, *values.values()]


def workbook(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(["2025年半导体产业发展工作任务分解表"])
    ws.append(HEADER)
    for number, cells in enumerate(rows, start=1):
        ws.append([number, *cells[1:]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def preview(user, data: bytes, name: str = "任务分解.xlsx") -> ImportBatch:
    return services.import_preview(actor=user, dataset_key="task_items", filename=name, data=data)


def problems(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [
        (p["row"], p["column"], p["message"]) for p in batch.summary["problems"] if p["severity"] == "error"
    ]


def test_a_chinese_workbook_creates_work_items_with_milestones_and_the_same_file_again_changes_nothing(
    items, personas
):
    admin = personas["admin"]
    data = workbook(
        [
            row(),
            row(
                task="project-library",
                code="project-library-A",
                title="重大项目季度调度",
                lead="fgw",
                co=None,
                person=None,
                start=None,
                deadline="2025-12-31",
                deliverable=None,
                goals="新增半导体领域工业投资、industry-scale",
                milestones="2025年6月30日：上半年调度\n2025/12/31 全年调度",
            ),
        ]
    )
    before = WorkItem.objects.count()
    batch = preview(admin, data)
    assert (batch.created_count, batch.error_count) == (2, 0), batch.summary["problems"]
    assert WorkItem.objects.count() == before  # the preview writes nothing

    services.import_commit(actor=admin, batch=batch)
    part = WorkItem.objects.get(code="investment-map-1")
    assert part.parent == items["investment-map"] and part.origin == Origin.IMPORT
    assert (part.lead_unit.code, part.responsible_person, part.deliverable) == ("swj", "张三", "目标企业清单")
    assert {u.code for u in part.co_units.all()} == {"fgw", "gxj"}
    assert (part.start, part.deadline) == (date(2025, 2, 1), date(2025, 6, 30))
    assert [(m.key, m.due, m.description) for m in part.milestones.all()] == [
        ("m1", date(2025, 3, 31), "完成初稿"),
        ("m2", date(2025, 5, 31), "征求意见"),
    ]
    assert part.history.first().history_user == admin  # written through the service, actor recorded
    other = WorkItem.objects.get(code="project-library-a")  # codes are kept in lower case
    assert other.start == items["project-library"].start  # a blank start is the task's start
    assert {g.code for g in other.goals.all()} == {"new-industrial-investment", "industry-scale"}
    assert [m.due for m in other.milestones.all()] == [date(2025, 6, 30), date(2025, 12, 31)]

    again = preview(admin, data)
    assert again.summary["nothing_to_change"] and again.unchanged_count == 2
    services.import_commit(actor=admin, batch=again)
    assert WorkItem.objects.count() == before + 2 and not again.changes.exists()


def test_a_changed_cell_updates_the_item_and_the_preview_shows_old_and_new(client, items, personas):
    admin = personas["admin"]
    services.import_commit(actor=admin, batch=preview(admin, workbook([row()])))
    part = WorkItem.objects.get(code="investment-map-1")
    first_milestone = part.milestones.get(key="m1")
    milestones_before = sorted((m.due, m.description) for m in part.milestones.all())

    changed = workbook(
        [
            row(
                deadline="2025-07-31",
                lead="市统计局",
                person=None,
                milestones="2025-03-31 完成初稿；2025-05-31 征求各区意见",
            )
        ]
    )
    batch = preview(admin, changed)
    assert (batch.created_count, batch.updated_count, batch.error_count) == (0, 1, 0)
    fields = batch.summary["update"][0]["fields"]
    assert ["完成时限", "2025-06-30", "2025-07-31"] in fields
    assert ["牵头单位", "市商务局", "市统计局"] in fields
    assert any(f[0] == "时间节点" and "征求各区意见" in f[2] for f in fields)
    assert not any(f[0] == "责任人" for f in fields)  # a blank cell leaves the stored value alone
    client.force_login(admin)
    page = client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "征求各区意见" in page and "2025-07-31" in page

    services.import_commit(actor=admin, batch=batch)
    part.refresh_from_db()
    assert (part.deadline, part.lead_unit.code, part.responsible_person) == (date(2025, 7, 31), "tjj", "张三")
    assert part.milestones.get(key="m1") == first_milestone  # kept, so reports pointing to it still do
    assert part.milestones.get(key="m2").description == "征求各区意见"

    services.import_revert(actor=admin, batch=batch)
    part.refresh_from_db()
    assert (part.deadline, part.lead_unit.code) == (date(2025, 6, 30), "swj")
    assert sorted((m.due, m.description) for m in part.milestones.all()) == milestones_before


def test_reverting_puts_back_co_units_and_goals_and_is_refused_when_they_changed_since(items, personas):
    admin = personas["admin"]
    services.import_commit(actor=admin, batch=preview(admin, workbook([row()])))
    part = WorkItem.objects.get(code="investment-map-1")
    co_units_before = sorted(u.code for u in part.co_units.all())
    batch = preview(admin, workbook([row(co="市统计局、市科技局")]))
    assert batch.updated_count == 1, batch.summary["problems"]
    services.import_commit(actor=admin, batch=batch)
    assert sorted(u.code for u in part.co_units.all()) == ["kjj", "tjj"]

    part.co_units.add(Unit.objects.get(code="fgw"))  # an edit after the import
    with pytest.raises(services.RevertConflict):
        services.import_revert(actor=admin, batch=batch)
    part.co_units.remove(Unit.objects.get(code="fgw"))
    services.import_revert(actor=admin, batch=batch)
    assert sorted(u.code for u in part.co_units.all()) == co_units_before


def test_a_csv_file_in_gbk_imports_the_same_way(items, personas):
    lines = [
        "所属任务,事项编号,工作事项,牵头单位,完成时限,时间节点",
        "investment-map,investment-map-2,走访目标企业,市商务局,2025-10-31,2025-08-31 完成首轮走访",
    ]
    data = "\r\n".join(lines).encode("gbk")
    batch = preview(personas["admin"], data, name="分解.csv")
    assert (batch.created_count, batch.error_count) == (1, 0), batch.summary["problems"]
    services.import_commit(actor=personas["admin"], batch=batch)
    assert WorkItem.objects.get(code="investment-map-2").milestones.get().description == "完成首轮走访"


def test_bad_rows_name_their_row_and_column_and_nothing_is_written(items, personas):
    before = WorkItem.objects.count()
    data = workbook(
        [
            row(code="ok-1"),
            row(code="bad-task", task="不存在的任务"),
            row(code="bad-unit", lead="市宇宙局"),
            row(code="bad-dates", start="2025-06-30", deadline="2025-03-31", milestones=None),
            row(code="bad-milestones", milestones="完成初稿"),
            row(code="too-late", deadline="2026-03-31", milestones=None),
            row(code="investment-map"),  # the plan task's own item
        ]
    )
    batch = preview(personas["admin"], data)
    found = problems(batch)
    assert batch.error_count == 6 and batch.created_count == 1
    by_row = {r: (column, message) for r, column, message in found}
    assert by_row[4][0] == "所属任务" and "不存在的任务" in by_row[4][1]
    assert by_row[5][0] == "牵头单位" and "市宇宙局" in by_row[5][1]
    assert by_row[6][0] == "完成时限" and "早于开始日期" in by_row[6][1]
    assert by_row[7][0] == "时间节点" and "应以日期开头" in by_row[7][1]
    assert by_row[8][0] == "完成时限" and "晚于所属任务" in by_row[8][1]
    assert by_row[9][0] == "事项编号" and "已用于" in by_row[9][1]
    with pytest.raises(services.ImportFailed):
        services.import_commit(actor=personas["admin"], batch=batch)
    assert WorkItem.objects.count() == before  # all or nothing


def test_only_the_office_imports_work_items(items, personas, swj_officer):
    for user in (swj_officer, personas["kfq_officer"], personas["leader"]):
        with pytest.raises(services.ImportNotAllowed):
            preview(user, workbook([row()]))


def test_reverting_a_batch_removes_the_items_it_created_with_their_milestones(items, personas):
    admin = personas["admin"]
    batch = preview(admin, workbook([row()]))
    services.import_commit(actor=admin, batch=batch)
    assert WorkItem.objects.filter(code="investment-map-1").exists()
    services.import_revert(actor=admin, batch=batch)
    assert not WorkItem.objects.filter(code="investment-map-1").exists()


def test_the_template_offers_the_plan_tasks_as_a_drop_down(items):
    dataset = get_dataset("task_items")
    assert dataset is not None
    book = openpyxl.load_workbook(io.BytesIO(build_template(dataset.spec, dataset.code_lists())))
    text = " ".join(
        str(cell)
        for ws in book.worksheets
        for line in ws.iter_rows(values_only=True)
        for cell in line
        if cell
    )
    for label in ("所属任务", "事项编号", "牵头单位", "时间节点", MAP_TASK, "2025-06-30 完成选址"):
        assert label in text


def test_the_milestone_cell_reads_the_ways_officials_write_dates():
    cell = parse_milestones("2025-06-30 完成选址；2025年9月30日：开工\n2025/12/31 竣工; 2025.11.15 验收")
    assert [d.isoformat() for d, _ in cell.milestones] == [
        "2025-06-30",
        "2025-09-30",
        "2025-11-15",
        "2025-12-31",
    ]
    assert cell.milestones[1][1] == "开工" and not cell.problems
    assert parse_milestones("6月底 完成选址").problems
    assert split_list("市发改委、市商务局，市统计局；") == ["市发改委", "市商务局", "市统计局"]
