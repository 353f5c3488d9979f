"""R&D projects on key technologies (关键技术研发项目) imported through the intake pipeline."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from semicluster.core.testing import make_enterprise, synthetic_credit_code
from semicluster.enterprises.models import InnovationPlatform
from semicluster.innovation.datasets import parse_milestones
from semicluster.innovation.models import RDProject
from semicluster.intake import services as intake
from semicluster.intake.registry import get_dataset
from semicluster.intake.testing import DatasetUpload, xlsx_file
from semicluster.intake.workbooks import build_template
from semicluster.plans.models import Area

pytestmark = pytest.mark.django_db
UPLOAD = DatasetUpload("rd_projects", "研发项目.xlsx")
preview, run, problems = UPLOAD.preview, UPLOAD.run, UPLOAD.problems

HEADERS = [
    "项目名称",
    "关键技术",
    "统一社会信用代码",
    "承担企业",
    "创新平台",
    "项目预算（万元）",
    "开始日期",
    "计划完成日期",
    "项目状态",
    "里程碑",
]


def workbook(*rows: list[Any]) -> bytes:
    return xlsx_file(HEADERS, rows, sheet="研发项目")


@pytest.fixture
def platform(kunshan_plan):
    return InnovationPlatform.objects.create(
        name="示例化合物半导体研究院（测试）", kind="institute", area=Area.objects.get(code="kfq")
    )


def project_rows(firm: Any, platform: InnovationPlatform) -> list[list[Any]]:
    return [
        [
            "氮化镓外延片攻关",
            "GaN 外延材料",
            firm.credit_code,
            firm.name,
            None,
            800,
            "2025-01-01",
            "2026-12-31",
            "在研",
            "2025-06-30 外延片送样；2025-12-31 小批量试产",
        ],
        [
            "碳化硅衬底联合攻关",
            "sic-substrates",
            None,
            None,
            platform.name,
            1500.5,
            dt.date(2025, 3, 1),
            None,
            "拟研",
            None,
        ],
    ]


def test_a_chinese_workbook_creates_projects_run_by_a_firm_or_a_platform(personas, platform):
    firm = make_enterprise(area="kfq")
    batch = preview(personas["kfq_officer"], workbook(*project_rows(firm, platform)))
    assert (batch.created_count, batch.error_count) == (2, 0), batch.summary["problems"]
    assert not RDProject.objects.exists()
    intake.import_commit(actor=personas["kfq_officer"], batch=batch)
    gan = RDProject.objects.get(enterprise=firm)
    assert gan.key_technology.code == "gan-epitaxial" and gan.budget == Decimal("8000000.00")
    assert (gan.start, gan.end, gan.status, gan.area.code) == (
        dt.date(2025, 1, 1),
        dt.date(2026, 12, 31),
        "active",
        "kfq",
    )
    assert gan.milestones == [
        {"date": "2025-06-30", "description": "外延片送样", "done": False},
        {"date": "2025-12-31", "description": "小批量试产", "done": False},
    ]
    sic = RDProject.objects.get(platform=platform)
    assert sic.enterprise is None and sic.status == "planned" and sic.budget == Decimal("15005000.00")
    assert gan.history.latest().history_user == personas["kfq_officer"]


def test_importing_the_same_projects_again_changes_nothing(personas, platform):
    data = workbook(*project_rows(make_enterprise(area="kfq"), platform))
    run(personas["kfq_officer"], data)
    before = list(RDProject.objects.order_by("pk").values())
    again = run(personas["kfq_officer"], data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert list(RDProject.objects.order_by("pk").values()) == before


def test_a_changed_budget_and_status_update_the_same_project_with_the_diff_shown(personas, platform):
    firm = make_enterprise(area="kfq")
    rows = project_rows(firm, platform)
    run(personas["kfq_officer"], workbook(*rows))
    rows[0][5], rows[0][8], rows[0][7] = 950, "已完成", None  # a blank end keeps the stored one
    batch = preview(personas["kfq_officer"], workbook(*rows))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    fields = batch.summary["update"][0]["fields"]
    assert ["项目预算", "8,000,000 元（800 万元）", "9,500,000 元（950 万元）"] in fields
    assert ["项目状态", "在研", "已完成"] in fields
    intake.import_commit(actor=personas["kfq_officer"], batch=batch)
    gan = RDProject.objects.get(enterprise=firm)
    assert (gan.budget, gan.status, gan.end) == (Decimal("9500000.00"), "completed", dt.date(2026, 12, 31))
    assert RDProject.objects.count() == 2


@pytest.mark.parametrize(
    ("column", "value", "header"),
    [
        (2, "valid-unknown", "统一社会信用代码"),
        (1, "量子计算", "关键技术"),
        (5, -10, "项目预算（万元）"),
        (6, "2025年13月1日", "开始日期"),
        (9, "年中完成送样", "里程碑"),
    ],
)
def test_a_bad_cell_is_an_error_naming_its_row_and_column_and_nothing_is_written(
    personas, platform, column, value, header
):
    rows = project_rows(make_enterprise(area="kfq"), platform)
    rows[0][column] = synthetic_credit_code() if value == "valid-unknown" else value
    found = problems(personas["kfq_officer"], workbook(*rows))
    assert [(p.row, p.column_label) for p in found] == [(2, header)]
    batch = run(personas["kfq_officer"], workbook(*rows))
    assert batch.error_count == 1 and not RDProject.objects.exists()


def test_a_planned_end_before_the_start_is_an_error_of_that_column(personas, platform):
    rows = project_rows(make_enterprise(area="kfq"), platform)
    rows[0][7] = "2024-12-31"
    assert [(p.row, p.column_label) for p in problems(personas["admin"], workbook(*rows))] == [
        (2, "计划完成日期")
    ]


def test_a_district_officer_cannot_import_another_areas_project(personas, platform):
    theirs = make_enterprise(area="gxq")
    rows = project_rows(theirs, platform)
    found = problems(personas["kfq_officer"], workbook(*rows))
    assert [p.row for p in found] == [2] and "不在您的辖区" in found[0].message
    assert run(personas["kfq_officer"], workbook(*rows)).error_count == 1
    assert not RDProject.objects.exists()


def test_an_enterprise_user_imports_only_their_own_firms_projects(personas, platform):
    user = personas["enterprise_user"]
    own, platform_run = project_rows(user.enterprise, platform)
    assert run(user, workbook(own, platform_run)).error_count == 1  # a platform's project is not theirs
    assert run(user, workbook(own)).created_count == 1
    assert RDProject.objects.get().enterprise == user.enterprise


def test_undoing_an_import_restores_the_budget_and_removes_created_projects(personas, platform):
    firm = make_enterprise(area="kfq")
    rows = project_rows(firm, platform)
    first = run(personas["admin"], workbook(rows[0]))
    rows[0][5] = 900
    second = run(personas["admin"], workbook(*rows))
    assert (second.created_count, second.updated_count) == (1, 1)
    intake.import_revert(actor=personas["admin"], batch=second)
    assert RDProject.objects.get().budget == Decimal("8000000.00")
    intake.import_revert(actor=personas["admin"], batch=first)
    assert not RDProject.objects.exists()


def test_undoing_an_import_puts_back_the_milestones_it_changed(personas, platform):
    firm = make_enterprise(area="kfq")
    rows = project_rows(firm, platform)
    run(personas["admin"], workbook(rows[0]))
    before = RDProject.objects.get().milestones
    rows[0][9] = "2025-06-30 外延片送样（已完成）；2025-12-31 小批量试产"
    batch = run(personas["admin"], workbook(rows[0]))
    assert batch.updated_count == 1 and RDProject.objects.get().milestones != before
    intake.import_revert(actor=personas["admin"], batch=batch)
    assert RDProject.objects.get().milestones == before


def test_milestones_are_read_with_dates_and_a_done_mark():
    parsed, problem = parse_milestones("2025/6/30：送样\n2025年12月31日 量产（已完成）")
    assert problem is None
    assert parsed == [
        {"date": "2025-06-30", "description": "送样", "done": False},
        {"date": "2025-12-31", "description": "量产", "done": True},
    ]
    assert parse_milestones("2025-06-30")[1] is not None


def test_the_template_lists_the_plans_key_technologies(kunshan_plan):
    dataset = get_dataset("rd_projects")
    assert dataset is not None
    wb = openpyxl.load_workbook(io.BytesIO(build_template(dataset.spec, dataset.code_lists(), rows=5)))
    headers = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert "*项目名称" in headers and "*关键技术" in headers and "*项目预算（万元）" in headers
    codes = " ".join(str(c) for row in wb["代码表"].iter_rows(values_only=True) for c in row if c)
    assert "GaN 外延材料" in codes and "在研" in codes
