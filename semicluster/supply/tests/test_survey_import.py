"""The supply-chain survey imported through the intake pipeline (upload → preview → commit, template)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from semicluster.core.testing import make_enterprise
from semicluster.intake import services as intake
from semicluster.intake.models import ImportBatch
from semicluster.intake.registry import get_dataset
from semicluster.intake.workbooks import build_template
from semicluster.supply.datasets import SURVEY_SPEC
from semicluster.supply.models import AnswerSource, SupplyAnswer

pytestmark = pytest.mark.django_db

HEADERS = [
    "统一社会信用代码",
    "调查年度",
    "投入品类别",
    "投入品名称",
    "供应商名称",
    "供应商所在地",
    "国家（地区）代码",
    "采购占比（%）",
    "年采购金额（万元）",
    "有合格替代供应商",
    "交货周期（天）",
]


def workbook(*rows: list[Any]) -> bytes:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def survey_rows(code: str) -> list[list[Any]]:
    return [
        [code, 2025, "材料", "光刻胶", "东京应化", "境外", "JP", 60, 120, "否", 90],
        [code, 2025, "设备", "刻蚀机", "中微公司", "国内其他地区", None, 100, None, "是", 180],
    ]


def run(actor: Any, data: bytes) -> ImportBatch:
    batch = intake.import_preview(actor=actor, dataset_key="supply_survey", filename="survey.xlsx", data=data)
    if batch.error_count:
        return batch
    return intake.import_commit(actor=actor, batch=batch)


def test_a_district_officer_imports_survey_answers_of_a_firm_of_their_area(personas):
    firm = make_enterprise(area="kfq")
    batch = run(personas["kfq_officer"], workbook(*survey_rows(firm.credit_code)))
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.created_count, batch.updated_count, batch.error_count) == (2, 0, 0)
    resist = SupplyAnswer.objects.get(enterprise=firm, item="光刻胶")
    assert resist.supplier.name == "东京应化"
    assert (resist.category, resist.level, resist.country) == ("material", "abroad", "JP")
    assert resist.share == Decimal("0.6")
    assert resist.purchase_value == Decimal("1200000")
    assert resist.has_alternative is False and resist.lead_time_days == 90
    assert resist.source == AnswerSource.IMPORT and resist.source_ref == str(batch.pk)
    etcher = SupplyAnswer.objects.get(enterprise=firm, item="刻蚀机")
    assert (etcher.level, etcher.country, etcher.has_alternative) == ("china", "", True)
    assert etcher.purchase_value is None


def test_importing_the_same_answers_again_changes_nothing(personas):
    firm = make_enterprise(area="kfq")
    data = workbook(*survey_rows(firm.credit_code))
    run(personas["kfq_officer"], data)
    before = list(SupplyAnswer.objects.order_by("pk").values())
    again = run(personas["kfq_officer"], data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert list(SupplyAnswer.objects.order_by("pk").values()) == before


def test_a_changed_share_is_an_update_of_the_same_answer(personas):
    firm = make_enterprise(area="kfq")
    rows = survey_rows(firm.credit_code)
    run(personas["kfq_officer"], workbook(*rows))
    rows[0][7] = 40
    batch = run(personas["kfq_officer"], workbook(*rows))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    assert SupplyAnswer.objects.get(enterprise=firm, item="光刻胶").share == Decimal("0.4")
    assert SupplyAnswer.objects.filter(enterprise=firm).count() == 2


def test_another_areas_firm_is_an_error_naming_the_row_for_a_district_officer(personas):
    mine = make_enterprise(area="kfq")
    other = make_enterprise(area="gxq")
    rows = [*survey_rows(mine.credit_code), survey_rows(other.credit_code)[0]]
    batch = run(personas["kfq_officer"], workbook(*rows))
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.error_count == 1
    dataset = get_dataset("supply_survey")
    assert dataset is not None
    prepared = intake.import_prepare(dataset, "survey.xlsx", workbook(*rows), actor=personas["kfq_officer"])
    problems = [p for r in prepared.result.rows for p in r.problems]
    assert [p.row for p in problems] == [4]
    assert "不在您的辖区" in problems[0].message
    assert not SupplyAnswer.objects.exists()


def test_an_enterprise_user_imports_only_their_own_firms_answers(personas):
    user = personas["enterprise_user"]
    other = make_enterprise(area=user.enterprise.area)
    rows = [*survey_rows(user.enterprise.credit_code), survey_rows(other.credit_code)[1]]
    batch = run(user, workbook(*rows))
    assert batch.error_count == 1
    batch = run(user, workbook(*survey_rows(user.enterprise.credit_code)))
    assert batch.created_count == 2
    assert set(SupplyAnswer.objects.values_list("enterprise_id", flat=True)) == {user.enterprise_id}


def test_a_supplier_abroad_without_a_country_is_an_error(personas):
    firm = make_enterprise(area="kfq")
    row = survey_rows(firm.credit_code)[0]
    row[6] = None
    batch = run(personas["kfq_officer"], workbook(row))
    assert batch.error_count == 1
    assert not SupplyAnswer.objects.exists()


def test_the_template_builds_and_reads_back_without_problems(kunshan_plan):
    dataset = get_dataset("supply_survey")
    assert dataset is not None and dataset.spec is SURVEY_SPEC
    data = build_template(SURVEY_SPEC, dataset.code_lists(), rows=20)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "*统一社会信用代码" in headers and "*投入品类别" in headers
