"""The monthly project-progress import (项目月度进展) through the intake pipeline, and its template."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from semicluster.intake import services
from semicluster.intake.models import ImportBatch
from semicluster.intake.registry import get_dataset
from semicluster.intake.workbooks import build_template
from semicluster.projects.models import DataSource, ProgressReport

pytestmark = pytest.mark.django_db

HEADER = ["项目名称", "统计月份", "本年累计完成投资（万元）", "项目阶段", "形象进度"]


def workbook(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目进展"
    ws.append(["2025年6月重大项目进展表（单位：万元）"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def preview(user, data: bytes) -> ImportBatch:
    return services.import_preview(
        actor=user, dataset_key="project_progress", filename="项目进展.xlsx", data=data
    )


def test_progress_rows_import_in_yuan_and_the_same_file_again_changes_nothing(personas, project_factory):
    first, second = project_factory(area="kfq"), project_factory(area="kfq")
    data = workbook(
        [
            [first.name, "2025年6月", 1234.5, None, "主体结构封顶"],
            [str(second.pk), "2025-06", 800, None, None],
            ["合计", None, 2034.5, None, None],
        ]
    )
    batch = preview(personas["kfq_officer"], data)
    assert (batch.created_count, batch.error_count, batch.skipped_count) == (2, 0, 1), batch.summary
    assert not ProgressReport.objects.exists()  # the preview writes nothing

    services.import_commit(actor=personas["kfq_officer"], batch=batch)
    report = ProgressReport.objects.get(project=first, year=2025, month=6)
    assert report.ytd_completed == Decimal("12345000")  # 1,234.5 万元
    assert report.image_progress == "主体结构封顶"
    assert (report.source, report.source_ref) == (DataSource.IMPORT, str(batch.pk))
    assert ProgressReport.objects.get(project=second).ytd_completed == Decimal("8000000")

    again = preview(personas["kfq_officer"], data)
    assert again.summary["nothing_to_change"]
    services.import_commit(actor=personas["kfq_officer"], batch=again)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert ProgressReport.objects.count() == 2 and not again.changes.exists()
    assert ProgressReport.objects.get(project=first).image_progress == "主体结构封顶"


def test_a_lower_year_to_date_than_an_earlier_month_is_a_row_error(personas, project_factory):
    project = project_factory(area="kfq")
    services.import_commit(
        actor=personas["admin"], batch=preview(personas["admin"], workbook([[project.name, "2025-05", 900]]))
    )
    batch = preview(personas["admin"], workbook([[project.name, "2025-06", 500]]))
    assert batch.error_count == 1 and batch.created_count == 0
    assert ProgressReport.objects.filter(month=6).count() == 0


def test_a_district_officer_cannot_import_another_areas_project(personas, project_factory):
    mine, theirs = project_factory(area="kfq"), project_factory(area="gxq")
    batch = preview(
        personas["kfq_officer"],
        workbook([[mine.name, "2025-06", 100], [theirs.name, "2025-06", 200]]),
    )
    assert (batch.created_count, batch.error_count) == (1, 1)
    dataset = get_dataset("project_progress")
    assert dataset is not None
    prepared = services.import_prepare(
        dataset, "p.xlsx", workbook([[theirs.name, "2025-06", 200]]), actor=personas["kfq_officer"]
    )
    problems = [p for row in prepared.result.rows for p in row.problems]
    assert len(problems) == 1 and problems[0].row == 3 and problems[0].is_error
    assert theirs.name in problems[0].message
    with pytest.raises(services.ImportFailed):
        services.import_commit(actor=personas["kfq_officer"], batch=batch)
    assert not ProgressReport.objects.exists()  # all or nothing


def test_an_unknown_project_is_an_error_naming_the_row(personas, project_factory):
    project_factory(area="kfq")
    dataset = get_dataset("project_progress")
    assert dataset is not None
    prepared = services.import_prepare(
        dataset, "p.xlsx", workbook([["不存在的项目", "2025-06", 100]]), actor=personas["admin"]
    )
    problems = [p for row in prepared.result.rows for p in row.problems]
    assert len(problems) == 1 and problems[0].row == 3
    assert "不存在的项目" in problems[0].message


def test_the_template_downloads_with_the_columns_and_stages(kunshan_plan):
    dataset = get_dataset("project_progress")
    assert dataset is not None
    data = build_template(dataset.spec, dataset.code_lists())
    wb = openpyxl.load_workbook(io.BytesIO(data))
    text = " ".join(
        str(cell) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for cell in row if cell
    )
    for label in ("项目名称", "统计月份", "本年累计完成投资", "项目阶段", "形象进度", "在建"):
        assert label in text
