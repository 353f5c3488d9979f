"""Historical tape-out support applications (历史流片支持申请) imported through the intake pipeline."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from semicluster.core.testing import make_enterprise, synthetic_credit_code
from semicluster.intake import services as intake
from semicluster.intake.registry import get_dataset
from semicluster.intake.testing import DatasetUpload, xlsx_file
from semicluster.intake.workbooks import build_template
from semicluster.support import services
from semicluster.support.models import Application, CostItem, LedgerEntry, Status, Step

pytestmark = pytest.mark.django_db
UPLOAD = DatasetUpload("support_history", "历史申请.xlsx")
preview, run, problems = UPLOAD.preview, UPLOAD.run, UPLOAD.problems

HEADERS = [
    "原申请编号",
    "统一社会信用代码",
    "企业名称",
    "支持项目",
    "产品名称",
    "代工厂",
    "代工厂所在地",
    "工艺节点（nm）",
    "晶圆尺寸",
    "晶圆片数",
    "流片日期",
    "流片方式",
    "是否首次流片",
    "费用1类别",
    "费用1金额（万元）",
    "费用1发票代码",
    "费用1发票号码",
    "申请日期",
    "办理结果",
    "决定日期",
    "核定金额（万元）",
    "拨付日期",
    "拨付凭证",
]
FULL_MASK = "首次全掩膜工程流片支持"
AMOUNT, INVOICE_NUMBER, STATUS = 14, 16, 18


def workbook(*rows: list[Any]) -> bytes:
    return xlsx_file(HEADERS, rows, sheet="历史申请")


@pytest.fixture
def firms(personas):
    return (
        make_enterprise(area="kfq", node="display-driver-ic", name="昆山测试显示芯片有限公司（测试）"),
        make_enterprise(area="gxq", node="power-management-ic", name="昆山测试电源芯片有限公司（测试）"),
    )


def history_rows(first: Any, second: Any) -> list[list[Any]]:
    return [
        [
            "KS-LP-2025-007",
            first.credit_code,
            first.name,
            FULL_MASK,
            "DDIC-A1",
            "示例晶圆代工厂",
            "境内",
            28,
            "300",
            25,
            "2025-01-15",
            "全掩膜",
            "是",
            "掩膜版制作费",
            100,
            "3200251130",
            "10000007",
            "2025-04-01",
            "已拨付",
            "2025-05-01",
            28,
            "2025-06-01",
            "财拨2025-3号",
        ],
        [
            "KS-LP-2025-011",
            second.credit_code,
            second.name,
            FULL_MASK,
            "PMIC-B2",
            "示例晶圆代工厂",
            "境内",
            55,
            "12英寸（300mm）",
            12,
            dt.date(2025, 2, 20),
            "全掩膜",
            "是",
            "工程批晶圆加工费",
            60,
            None,
            "25322000000012345678",
            "2025-04-15",
            "已提交，待区域初审",
            None,
            None,
            None,
            None,
        ],
    ]


def test_historical_applications_are_walked_through_the_workflow_on_their_dates(personas, firms):
    admin = personas["admin"]
    batch = preview(admin, workbook(*history_rows(*firms)))
    assert (batch.created_count, batch.error_count) == (2, 0), batch.summary["problems"]
    assert not Application.objects.exists()  # the preview writes nothing
    intake.import_commit(actor=admin, batch=batch)
    paid = Application.objects.get(source_ref="KS-LP-2025-007")
    assert (paid.status, paid.enterprise, paid.applied_on) == (
        Status.DISBURSED,
        firms[0],
        dt.date(2025, 4, 1),
    )
    assert paid.award_amount == Decimal("280000.00")  # the historical decision, kept as 一事一议
    assert paid.computed_amount == Decimal("300000.00")  # beside today's computation
    assert paid.disbursed_on == dt.date(2025, 6, 1) and paid.disbursement_ref == "财拨2025-3号"
    [cost] = paid.costs.all()
    assert (cost.item, cost.amount, cost.invoice_ref) == (
        "mask",
        Decimal("1000000.00"),
        "3200251130 10000007",
    )
    assert LedgerEntry.objects.filter(application=paid, kind="disburse").count() == 1
    assert set(paid.steps.values_list("actor", flat=True)) == {admin.pk}
    waiting = Application.objects.get(source_ref="KS-LP-2025-011")
    assert (waiting.status, waiting.wafer_size_mm, waiting.process_node_nm) == (
        "submitted",
        300,
        Decimal("55"),
    )


def test_importing_the_same_applications_again_changes_nothing(personas, firms):
    data = workbook(*history_rows(*firms))
    run(personas["admin"], data)
    before = (
        list(Application.objects.order_by("pk").values()),
        Step.objects.count(),
        LedgerEntry.objects.count(),
    )
    again = run(personas["admin"], data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    after = (
        list(Application.objects.order_by("pk").values()),
        Step.objects.count(),
        LedgerEntry.objects.count(),
    )
    assert after == before


def test_a_changed_cell_of_an_imported_application_is_an_error_naming_the_column(personas, firms):
    rows = history_rows(*firms)
    run(personas["admin"], workbook(*rows))
    rows[0][AMOUNT] = 120
    found = problems(personas["admin"], workbook(*rows))
    assert [(p.row, p.column_label) for p in found] == [(2, "费用1金额（万元）")]
    assert "撤销原导入批次" in found[0].message
    assert CostItem.objects.get(application__source_ref="KS-LP-2025-007").amount == Decimal("1000000.00")


@pytest.mark.parametrize(
    ("column", "value", "header"),
    [
        (1, "valid-unknown", "统一社会信用代码"),
        (3, "芯片设计补贴", "支持项目"),
        (AMOUNT, -5, "费用1金额（万元）"),
        (17, "2025-04-31", "申请日期"),
        (STATUS, "草稿", "办理结果"),
    ],
)
def test_a_bad_cell_is_an_error_naming_its_row_and_column_and_nothing_is_written(
    personas, firms, column, value, header
):
    rows = history_rows(*firms)
    rows[1][column] = synthetic_credit_code() if value == "valid-unknown" else value
    found = problems(personas["admin"], workbook(*rows))
    assert [(p.row, p.column_label) for p in found] == [(3, header)]
    batch = run(personas["admin"], workbook(*rows))
    assert batch.error_count == 1 and not Application.objects.exists()


def test_the_same_invoice_in_two_rows_of_one_file_is_refused_in_the_preview(personas, firms):
    rows = history_rows(*firms)
    rows[1][15], rows[1][INVOICE_NUMBER] = rows[0][15], rows[0][INVOICE_NUMBER]
    found = problems(personas["admin"], workbook(*rows))
    assert [(p.row, p.column_label) for p in found] == [(3, "费用1发票号码")]
    assert "本文件第2行" in found[0].message


def test_an_invoice_claimed_by_an_application_already_stored_is_refused_in_the_preview(personas, firms):
    rows = history_rows(*firms)
    run(personas["admin"], workbook(rows[0]))
    rows[1][15], rows[1][INVOICE_NUMBER] = rows[0][15], rows[0][INVOICE_NUMBER]
    found = problems(personas["admin"], workbook(*rows))
    assert [(p.row, p.column_label) for p in found] == [(3, "费用1发票号码")]
    assert Application.objects.count() == 1


def test_a_decided_application_needs_its_decision_date(personas, firms):
    rows = history_rows(*firms)
    rows[0][19] = None
    found = problems(personas["admin"], workbook(*rows))
    assert [(p.row, p.column_label) for p in found] == [(2, "决定日期")]


def test_only_the_city_admin_imports_historical_applications(personas, firms):
    data = workbook(*history_rows(*firms))
    for role in ("kfq_officer", "enterprise_user"):
        with pytest.raises(intake.ImportNotAllowed):
            preview(personas[role], data)
    assert not Application.objects.exists()


def test_undoing_an_import_removes_the_applications_with_their_steps_costs_and_ledger(personas, firms):
    batch = run(personas["admin"], workbook(*history_rows(*firms)))
    assert LedgerEntry.objects.exists() and Step.objects.exists()
    intake.import_revert(actor=personas["admin"], batch=batch)
    assert not Application.objects.exists()
    assert not (Step.objects.exists() or CostItem.objects.exists() or LedgerEntry.objects.exists())
    again = run(personas["admin"], workbook(*history_rows(*firms)))  # the budget is free again
    assert again.created_count == 2


def test_an_import_is_not_undone_once_an_application_was_acted_on(personas, firms):
    batch = run(personas["admin"], workbook(*history_rows(*firms)))
    waiting = Application.objects.get(source_ref="KS-LP-2025-011")
    services.application_pre_review(actor=personas["gxq_officer"], application=waiting, passed=True)
    with pytest.raises(intake.RevertConflict):
        intake.import_revert(actor=personas["admin"], batch=batch)
    assert Application.objects.count() == 2


def test_the_template_offers_the_plans_programs_and_cost_items(kunshan_plan):
    dataset = get_dataset("support_history")
    assert dataset is not None
    wb = openpyxl.load_workbook(io.BytesIO(build_template(dataset.spec, dataset.code_lists(), rows=5)))
    headers = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert "*原申请编号" in headers and "*费用1金额（万元）" in headers and "费用3发票号码" in headers
    codes = " ".join(str(c) for row in wb["代码表"].iter_rows(values_only=True) for c in row if c)
    assert FULL_MASK in codes and "掩膜版制作费" in codes and "不予支持" in codes
