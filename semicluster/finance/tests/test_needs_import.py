"""Financing needs (融资需求) imported through the intake pipeline: preview, commit, re-import, undo."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from semicluster.core.testing import make_enterprise, synthetic_credit_code
from semicluster.finance.models import FinancingNeed
from semicluster.intake import services as intake
from semicluster.intake.models import ImportBatch
from semicluster.intake.registry import get_dataset
from semicluster.intake.testing import DatasetUpload, xlsx_file
from semicluster.intake.workbooks import build_template

pytestmark = pytest.mark.django_db
UPLOAD = DatasetUpload("financing_needs", "融资需求.xlsx")
preview, run, problems = UPLOAD.preview, UPLOAD.run, UPLOAD.problems

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "融资方式",
    "融资需求金额（万元）",
    "融资用途",
    "提出日期",
    "对接状态",
    "对接机构",
    "已放款金额（万元）",
    "对接结果",
]


def workbook(*rows: list[Any]) -> bytes:
    return xlsx_file(HEADERS, rows, sheet="融资需求", title="2025年企业融资需求汇总表")


def need_rows(firm: Any) -> list[list[Any]]:
    return [
        [firm.credit_code, firm.name, "信用贷款", 3000, "扩产流动资金", "2025-03-01", None, None, None, None],
        [
            firm.credit_code,
            firm.name,
            "融资租赁",
            1200.5,
            "设备租赁",
            dt.date(2025, 4, 2),
            "对接中",
            None,
            None,
            None,
        ],
    ]


def test_a_chinese_workbook_of_needs_imports_in_yuan_with_the_officer_as_author(personas):
    firm = make_enterprise(area="kfq")
    officer = personas["kfq_officer"]
    batch = preview(officer, workbook(*need_rows(firm)))
    assert (batch.created_count, batch.error_count) == (2, 0), batch.summary["problems"]
    assert not FinancingNeed.objects.exists()  # the preview writes nothing
    intake.import_commit(actor=officer, batch=batch)
    credit = FinancingNeed.objects.get(enterprise=firm, instrument="credit")
    assert credit.amount == Decimal("30000000.00") and credit.purpose == "扩产流动资金"
    assert credit.submitted_on == dt.date(2025, 3, 1) and credit.status == "submitted"
    lease = FinancingNeed.objects.get(enterprise=firm, instrument="lease")
    assert lease.amount == Decimal("12005000.00") and lease.status == "matching"
    assert lease.history.latest().history_user == officer


def test_importing_the_same_needs_again_changes_nothing(personas):
    firm = make_enterprise(area="kfq")
    data = workbook(*need_rows(firm))
    run(personas["kfq_officer"], data)
    before = list(FinancingNeed.objects.order_by("pk").values())
    again = run(personas["kfq_officer"], data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert again.summary["nothing_to_change"] and not again.changes.exists()
    assert list(FinancingNeed.objects.order_by("pk").values()) == before


def test_a_corrected_amount_and_a_funded_outcome_update_the_same_need_with_the_diff_shown(personas):
    firm = make_enterprise(area="kfq")
    rows = need_rows(firm)
    run(personas["kfq_officer"], workbook(*rows))
    rows[0][3] = 2800
    rows[1][6:10] = ["已放款", "示例银行", 1000, "已放款"]
    batch = preview(personas["kfq_officer"], workbook(*rows))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 2, 0)
    shown = {u["label"]: u["fields"] for u in batch.summary["update"]}
    credit = next(fields for label, fields in shown.items() if "信用贷款" in label)
    assert ["融资需求金额", "30,000,000 元（3,000 万元）", "28,000,000 元（2,800 万元）"] in credit
    lease = next(fields for label, fields in shown.items() if "融资租赁" in label)
    assert ["对接状态", "对接中", "已放款"] in lease
    intake.import_commit(actor=personas["kfq_officer"], batch=batch)
    assert FinancingNeed.objects.count() == 2
    assert FinancingNeed.objects.get(instrument="credit").amount == Decimal("28000000.00")
    funded = FinancingNeed.objects.get(instrument="lease")
    assert funded.status == "funded" and funded.funded_amount == Decimal("10000000.00")
    assert funded.closed_on is not None  # stamped as the service would, and shown in the preview


@pytest.mark.parametrize(
    ("column", "value", "header"),
    [
        (0, synthetic_credit_code(), "统一社会信用代码"),  # valid, but no such firm
        (2, "众筹", "融资方式"),
        (3, -100, "融资需求金额（万元）"),
        (5, "2025-02-30", "提出日期"),
    ],
)
def test_a_bad_cell_is_an_error_naming_its_row_and_column_and_nothing_is_written(
    personas, column, value, header
):
    firm = make_enterprise(area="kfq")
    rows = need_rows(firm)
    rows[1][column] = value
    found = problems(personas["kfq_officer"], workbook(*rows))
    assert [(p.row, p.column_label) for p in found] == [(4, header)]
    batch = run(personas["kfq_officer"], workbook(*rows))
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.error_count == 1
    with pytest.raises(intake.ImportFailed):
        intake.import_commit(actor=personas["kfq_officer"], batch=batch)
    assert not FinancingNeed.objects.exists()


def test_a_rule_of_the_model_is_checked_in_the_preview_with_the_column_named(personas):
    firm = make_enterprise(area="kfq")
    rows = need_rows(firm)
    rows[1][6] = "已放款"  # funded, but no provider nor amount funded
    found = problems(personas["kfq_officer"], workbook(*rows))
    assert [p.row for p in found] == [4]
    assert found[0].column_label in ("对接机构", "已放款金额（万元）")
    assert not FinancingNeed.objects.exists()


def test_a_district_officer_cannot_import_another_areas_firm(personas):
    mine, theirs = make_enterprise(area="kfq"), make_enterprise(area="gxq")
    rows = [*need_rows(mine), need_rows(theirs)[0]]
    found = problems(personas["kfq_officer"], workbook(*rows))
    assert [p.row for p in found] == [5] and "不在您的辖区" in found[0].message
    batch = run(personas["kfq_officer"], workbook(*rows))
    assert batch.error_count == 1 and not FinancingNeed.objects.exists()


def test_an_enterprise_user_files_their_own_needs_but_not_the_outcome(personas):
    user = personas["enterprise_user"]
    other = make_enterprise(area="kfq")
    own = need_rows(user.enterprise)[0]
    assert run(user, workbook(own, need_rows(other)[0])).error_count == 1
    matched = [*own[:6], "已对接", "示例银行", None, None]
    found = problems(user, workbook(matched))
    assert [(p.row, p.column_label) for p in found] == [(3, "对接状态")]
    assert run(user, workbook(own)).created_count == 1
    assert FinancingNeed.objects.get().enterprise == user.enterprise


def test_undoing_an_import_deletes_what_it_created_and_restores_what_it_changed(personas):
    firm = make_enterprise(area="kfq")
    officer = personas["kfq_officer"]
    rows = need_rows(firm)
    first = run(officer, workbook(rows[0]))
    rows[0][4] = "技术改造"
    second = run(officer, workbook(*rows))
    assert (second.created_count, second.updated_count) == (1, 1)
    intake.import_revert(actor=officer, batch=second)
    assert FinancingNeed.objects.get().purpose == "扩产流动资金"
    intake.import_revert(actor=officer, batch=first)
    assert not FinancingNeed.objects.exists()


def test_the_template_downloads_with_the_instruments_and_reads_back_clean(kunshan_plan):
    dataset = get_dataset("financing_needs")
    assert dataset is not None
    data = build_template(dataset.spec, dataset.code_lists(), rows=5)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    headers = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert "*统一社会信用代码" in headers and "*融资需求金额（万元）" in headers
    codes = " ".join(str(c) for row in wb["代码表"].iter_rows(values_only=True) for c in row if c)
    assert "融资租赁" in codes and "已放款" in codes


def test_the_command_line_without_a_user_is_refused_row_by_row_because_services_record_the_actor(personas):
    firm = make_enterprise(area="kfq")
    found = problems(None, workbook(*need_rows(firm)))
    assert [p.row for p in found] == [3, 4] and all("--user" in p.message for p in found)


def test_an_import_is_not_undone_once_an_officer_recorded_the_outcome_of_a_need_it_created(personas):
    from semicluster.finance import services

    firm = make_enterprise(area="kfq")
    batch = run(personas["kfq_officer"], workbook(need_rows(firm)[0]))
    need = FinancingNeed.objects.get()
    services.need_save(actor=personas["admin"], data={"status": "matching"}, instance=need)
    with pytest.raises(intake.RevertConflict):
        intake.import_revert(actor=personas["kfq_officer"], batch=batch)
    assert FinancingNeed.objects.get().status == "matching"
