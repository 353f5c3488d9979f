"""The listing pipeline (上市梯队) imported through the intake pipeline: preview, commit, re-import, undo."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest

from semicluster.core.testing import make_enterprise, synthetic_credit_code
from semicluster.finance.models import ListingRecord
from semicluster.intake import services as intake
from semicluster.intake.models import ImportBatch
from semicluster.intake.registry import get_dataset
from semicluster.intake.testing import DatasetUpload
from semicluster.intake.workbooks import build_template

pytestmark = pytest.mark.django_db
UPLOAD = DatasetUpload("listing_pipeline", "上市梯队.csv")
preview, run, problems = UPLOAD.preview, UPLOAD.run, UPLOAD.problems

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "拟上市板块",
    "上市进程",
    "保荐机构",
    "辅导备案日期",
    "申报日期",
    "受理日期",
]


def csv_file(*rows: list[Any]) -> bytes:
    lines = [",".join(HEADERS)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("gb18030")  # how Excel on a Chinese desktop saves a CSV


def listing_rows(first: Any, second: Any) -> list[list[Any]]:
    return [
        [first.credit_code, first.name, "科创板", "辅导备案", "示例证券", "2025-01-10", None, None],
        [
            second.credit_code,
            second.name,
            "创业板",
            "受理",
            "示例证券",
            "2024-06-01",
            "2024-12-20",
            "2025-01-05",
        ],
    ]


@pytest.fixture
def firms(personas):
    return make_enterprise(area="kfq"), make_enterprise(area="kfq")


def test_a_chinese_csv_of_the_pipeline_imports_one_record_per_firm_and_board(personas, firms):
    batch = run(personas["kfq_officer"], csv_file(*listing_rows(*firms)))
    assert batch.status == ImportBatch.Status.COMMITTED, batch.summary["problems"]
    assert (batch.created_count, batch.error_count) == (2, 0)
    star = ListingRecord.objects.get(enterprise=firms[0])
    assert (star.board, star.stage, star.tutoring_on) == ("star", "tutoring", dt.date(2025, 1, 10))
    chinext = ListingRecord.objects.get(enterprise=firms[1])
    assert (chinext.board, chinext.stage, chinext.accepted_on) == ("chinext", "accepted", dt.date(2025, 1, 5))
    assert chinext.sponsor == "示例证券"


def test_importing_the_same_pipeline_again_changes_nothing(personas, firms):
    data = csv_file(*listing_rows(*firms))
    run(personas["kfq_officer"], data)
    before = list(ListingRecord.objects.order_by("pk").values())
    again = run(personas["kfq_officer"], data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert list(ListingRecord.objects.order_by("pk").values()) == before


def test_reaching_the_next_stage_is_an_update_of_the_same_record_with_the_diff_shown(personas, firms):
    rows = listing_rows(*firms)
    run(personas["kfq_officer"], csv_file(*rows))
    rows[0][3], rows[0][6] = "申报", "2025-05-20"
    batch = preview(personas["kfq_officer"], csv_file(*rows))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    fields = batch.summary["update"][0]["fields"]
    assert ["上市进程", "辅导备案", "申报"] in fields and ["申报日期", "—", "2025-05-20"] in fields
    intake.import_commit(actor=personas["kfq_officer"], batch=batch)
    record = ListingRecord.objects.get(enterprise=firms[0])
    assert (record.stage, record.filed_on) == ("filing", dt.date(2025, 5, 20))
    assert ListingRecord.objects.count() == 2


@pytest.mark.parametrize(
    ("column", "value", "header"),
    [
        (0, None, "统一社会信用代码"),  # replaced below by a valid code of no firm
        (2, "纳斯达克", "拟上市板块"),
        (5, "2025-13-01", "辅导备案日期"),
    ],
)
def test_a_bad_cell_is_an_error_naming_its_row_and_column_and_nothing_is_written(
    personas, firms, column, value, header
):
    rows = listing_rows(*firms)
    rows[1][column] = value if value is not None else synthetic_credit_code()
    found = problems(personas["kfq_officer"], csv_file(*rows))
    assert [(p.row, p.column_label) for p in found] == [(3, header)]
    batch = run(personas["kfq_officer"], csv_file(*rows))
    assert batch.error_count == 1 and not ListingRecord.objects.exists()


def test_a_date_for_a_stage_not_yet_reached_is_refused_in_the_preview(personas, firms):
    rows = listing_rows(*firms)
    rows[0][6] = "2025-03-01"  # a filing date, but the stage is still tutoring
    found = problems(personas["kfq_officer"], csv_file(*rows))
    assert [(p.row, p.column_label) for p in found] == [(2, "申报日期")]
    assert not ListingRecord.objects.exists()


def test_a_district_officer_cannot_import_another_areas_firm(personas, firms):
    theirs = make_enterprise(area="gxq")
    rows = listing_rows(firms[0], theirs)
    found = problems(personas["kfq_officer"], csv_file(*rows))
    assert [p.row for p in found] == [3] and "不在您的辖区" in found[0].message
    assert run(personas["kfq_officer"], csv_file(*rows)).error_count == 1
    assert not ListingRecord.objects.exists()


def test_enterprise_users_may_not_import_the_pipeline(personas, firms):
    with pytest.raises(intake.ImportNotAllowed):
        preview(personas["enterprise_user"], csv_file(*listing_rows(*firms)))


def test_undoing_an_import_puts_the_earlier_stage_back(personas, firms):
    rows = listing_rows(*firms)
    run(personas["kfq_officer"], csv_file(*rows))
    rows[0][3], rows[0][6] = "申报", "2025-05-20"
    moved = run(personas["kfq_officer"], csv_file(*rows))
    intake.import_revert(actor=personas["kfq_officer"], batch=moved)
    record = ListingRecord.objects.get(enterprise=firms[0])
    assert (record.stage, record.filed_on) == ("tutoring", None)


def test_the_template_downloads_with_the_boards_and_stages(kunshan_plan):
    dataset = get_dataset("listing_pipeline")
    assert dataset is not None
    wb = openpyxl.load_workbook(io.BytesIO(build_template(dataset.spec, dataset.code_lists(), rows=5)))
    headers = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert "*拟上市板块" in headers and "*上市进程" in headers and "审核通过/注册日期" in headers
    codes = " ".join(str(c) for row in wb["代码表"].iter_rows(values_only=True) for c in row if c)
    assert "科创板" in codes and "北交所" in codes and "辅导备案" in codes
