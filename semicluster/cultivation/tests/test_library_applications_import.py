"""Innovation-leader library applications (创新领航企业库申报) imported through the intake pipeline."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from semicluster.core.testing import make_enterprise, synthetic_credit_code
from semicluster.cultivation import services
from semicluster.cultivation.models import LeaderCandidate, LeaderMember
from semicluster.intake import services as intake
from semicluster.intake.registry import get_dataset
from semicluster.intake.testing import DatasetUpload, xlsx_file
from semicluster.intake.workbooks import build_template

pytestmark = pytest.mark.django_db
UPLOAD = DatasetUpload("leader_applications", "领航企业申报.xlsx")
preview, run, problems = UPLOAD.preview, UPLOAD.run, UPLOAD.problems

HEADERS = [
    "评审批次",
    "统一社会信用代码",
    "企业名称",
    "有效发明专利数",
    "研发人员数",
    "自主品牌产品收入（万元）",
    "本地客户数",
    "本地供应商数",
    "推荐理由",
]
ROUND = "2025年第一批（测试）"


@pytest.fixture
def open_round(personas):
    return services.round_open(actor=personas["admin"], name=ROUND, data_year=2024)


def workbook(*rows: list[Any]) -> bytes:
    return xlsx_file(HEADERS, rows, sheet="领航企业申报")


def application_rows(*firms: Any) -> list[list[Any]]:
    return [
        [ROUND, firm.credit_code, firm.name, 40 + n, 250, 150000, 8, 15, "显示驱动芯片龙头"]
        for n, firm in enumerate(firms)
    ]


def test_a_district_officer_proposes_firms_of_their_area_from_a_workbook(personas, open_round):
    firms = make_enterprise(area="kfq"), make_enterprise(area="kfq")
    batch = preview(personas["kfq_officer"], workbook(*application_rows(*firms)))
    assert (batch.created_count, batch.error_count) == (2, 0), batch.summary["problems"]
    assert not LeaderCandidate.objects.exists()
    intake.import_commit(actor=personas["kfq_officer"], batch=batch)
    candidate = LeaderCandidate.objects.get(enterprise=firms[0])
    assert candidate.round == open_round and candidate.origin == "proposal"
    assert candidate.submitted_by == personas["kfq_officer"]
    assert candidate.declared == {
        "invention_patents": "40",
        "rd_staff": "250",
        "own_brand_revenue": "1500000000.00",
        "local_customers": "8",
        "local_suppliers": "15",
    }
    assert candidate.statement == "显示驱动芯片龙头"


def test_importing_the_same_applications_again_changes_nothing(personas, open_round):
    data = workbook(*application_rows(make_enterprise(area="kfq"), make_enterprise(area="kfq")))
    run(personas["kfq_officer"], data)
    before = list(LeaderCandidate.objects.order_by("pk").values())
    again = run(personas["kfq_officer"], data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert list(LeaderCandidate.objects.order_by("pk").values()) == before


def test_a_changed_fact_updates_the_declared_facts_with_the_diff_shown(personas, open_round):
    firm = make_enterprise(area="kfq")
    rows = application_rows(firm)
    run(personas["kfq_officer"], workbook(*rows))
    rows[0][3], rows[0][6] = 45, None  # more patents; a blank cell keeps the stored local customers
    batch = preview(personas["kfq_officer"], workbook(*rows))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 0)
    [(label, old, new)] = batch.summary["update"][0]["fields"]
    assert label == "申报指标" and "有效发明专利数 40" in old and "有效发明专利数 45" in new
    intake.import_commit(actor=personas["kfq_officer"], batch=batch)
    declared = LeaderCandidate.objects.get(enterprise=firm).declared
    assert declared["invention_patents"] == "45" and declared["local_customers"] == "8"


@pytest.mark.parametrize(
    ("column", "value", "header"),
    [
        (1, "valid-unknown", "统一社会信用代码"),
        (0, "2030年第九批", "评审批次"),
        (4, -3, "研发人员数"),
        (5, "一千万", "自主品牌产品收入（万元）"),
    ],
)
def test_a_bad_cell_is_an_error_naming_its_row_and_column_and_nothing_is_written(
    personas, open_round, column, value, header
):
    rows = application_rows(make_enterprise(area="kfq"), make_enterprise(area="kfq"))
    rows[1][column] = synthetic_credit_code() if value == "valid-unknown" else value
    found = problems(personas["kfq_officer"], workbook(*rows))
    assert [(p.row, p.column_label) for p in found] == [(3, header)]
    batch = run(personas["kfq_officer"], workbook(*rows))
    assert batch.error_count == 1 and not LeaderCandidate.objects.exists()


def test_a_firm_already_in_the_library_is_refused_in_the_preview(personas, open_round):
    member = make_enterprise(area="kfq")
    LeaderMember.objects.create(enterprise=member, admission_round=open_round, admitted_on="2025-01-01")
    found = problems(personas["kfq_officer"], workbook(*application_rows(member)))
    assert [(p.row, p.column_label) for p in found] == [(2, "统一社会信用代码")]
    assert "已在库中" in found[0].message


def test_a_district_officer_cannot_propose_another_areas_firm(personas, open_round):
    rows = application_rows(make_enterprise(area="kfq"), make_enterprise(area="gxq"))
    found = problems(personas["kfq_officer"], workbook(*rows))
    assert [p.row for p in found] == [3] and "不在您的辖区" in found[0].message
    assert run(personas["kfq_officer"], workbook(*rows)).error_count == 1
    assert not LeaderCandidate.objects.exists()


def test_an_enterprise_user_applies_for_their_own_firm_only(personas, open_round):
    user = personas["enterprise_user"]
    rows = application_rows(user.enterprise, make_enterprise(area="kfq"))
    assert run(user, workbook(*rows)).error_count == 1
    rows[0][0] = None  # the one open round
    batch = run(user, workbook(rows[0]))
    assert batch.created_count == 1
    assert LeaderCandidate.objects.get().origin == "application"


def test_undoing_an_import_withdraws_the_candidacies_it_created(personas, open_round):
    batch = run(personas["admin"], workbook(*application_rows(make_enterprise(area="kfq"))))
    assert LeaderCandidate.objects.count() == 1
    intake.import_revert(actor=personas["admin"], batch=batch)
    assert not LeaderCandidate.objects.exists()


def test_undoing_an_import_restores_a_changed_statement(personas, open_round):
    firm = make_enterprise(area="kfq")
    rows = application_rows(firm)
    run(personas["admin"], workbook(*rows))
    rows[0][8] = "化合物半导体骨干"
    batch = run(personas["admin"], workbook(*rows))
    assert batch.updated_count == 1
    intake.import_revert(actor=personas["admin"], batch=batch)
    assert LeaderCandidate.objects.get().statement == "显示驱动芯片龙头"


def test_undoing_an_import_restores_the_declared_facts(personas, open_round):
    firm = make_enterprise(area="kfq")
    rows = application_rows(firm)
    run(personas["admin"], workbook(*rows))
    rows[0][3] = 45
    batch = run(personas["admin"], workbook(*rows))
    intake.import_revert(actor=personas["admin"], batch=batch)
    assert LeaderCandidate.objects.get().declared["invention_patents"] == "40"


def test_the_template_offers_the_open_rounds(personas, open_round):
    dataset = get_dataset("leader_applications")
    assert dataset is not None
    wb = openpyxl.load_workbook(io.BytesIO(build_template(dataset.spec, dataset.code_lists(), rows=5)))
    headers = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert "*统一社会信用代码" in headers and "有效发明专利数" in headers
    codes = " ".join(str(c) for row in wb["代码表"].iter_rows(values_only=True) for c in row if c)
    assert ROUND in codes
