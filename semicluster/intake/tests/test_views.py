"""The web path: upload → preview page → commit; error workbook, templates, exports, scoping."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from semicluster.core.models import SecurityEvent
from semicluster.core.testing import make_enterprise
from semicluster.enterprises.models import PeriodValue
from semicluster.intake.models import ImportBatch

from .conftest import messy_period_workbook

pytestmark = pytest.mark.django_db


def upload(client, data, dataset="period_values", name="月报.xlsx"):
    return client.post(
        reverse("intake:upload"), {"dataset": dataset, "file": SimpleUploadedFile(name, data)}, follow=True
    )


def test_upload_previews_then_commit_writes_and_the_same_file_again_has_nothing_to_change(
    client, personas, firms
):
    client.force_login(personas["admin"])
    data = messy_period_workbook(firms)
    page = upload(client, data)
    html = page.content.decode()
    assert page.status_code == 200 and "昆山甲半导体有限公司 · 营业收入 2025年6月" in html
    assert "12,345,000" in html and "汇总行" in html  # the value in yuan; the 合计 row skipped
    assert not PeriodValue.objects.exists()
    batch = ImportBatch.objects.get()
    page = client.post(reverse("intake:commit", args=[batch.pk]), follow=True)
    assert PeriodValue.objects.count() == 4
    assert "Committed" in page.content.decode() or "已提交" in page.content.decode()
    html = upload(client, data).content.decode()
    assert "没有需要修改的内容" in html and "nothing to change" not in html  # the note in the page's language


def test_the_preview_shows_money_in_yuan_with_its_unit_and_the_files_wan_and_persons_as_persons(
    client, personas, firms
):
    client.force_login(personas["admin"])
    html = upload(client, messy_period_workbook(firms)).content.decode()
    creates = html[html.index('data-testid="creates"') :]
    assert "数值: 12,345,000 元（1,234.5 万元）" in creates  # revenue: stored in yuan, as given in 万元
    assert "数值: 880,000 元（88 万元）" in creates
    assert "数值: 120 人" in creates  # a head count is not money and not scaled


def test_a_district_officer_sees_errors_for_another_area_and_cannot_commit(client, personas, firms):
    client.force_login(personas["kfq_officer"])
    html = upload(client, messy_period_workbook(firms)).content.decode()
    assert "不在您的辖区" in html and 'data-testid="commit"' not in html
    batch = ImportBatch.objects.get()
    client.post(reverse("intake:commit", args=[batch.pk]))
    assert not PeriodValue.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


def test_the_error_workbook_repeats_the_rows_with_an_error_column(client, personas, firms):
    client.force_login(personas["kfq_officer"])
    upload(client, messy_period_workbook(firms))
    batch = ImportBatch.objects.get()
    response = client.get(reverse("intake:errors", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data = book.worksheets[1]
    header = [c.value for c in data[1]]
    assert header[-1] == "错误说明"
    notes = {row[0].value: row[-1].value for row in data.iter_rows(min_row=2)}
    assert "不在您的辖区" in notes[7] and not notes[5]
    assert SecurityEvent.objects.filter(kind="export", detail__batch=batch.pk).exists()


def test_another_users_batch_is_a_404(client, personas, firms):
    client.force_login(personas["kfq_officer"])
    upload(client, messy_period_workbook(firms))
    batch = ImportBatch.objects.get()
    client.force_login(personas["gxq_officer"])
    for name in ("intake:batch", "intake:errors"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    assert client.post(reverse("intake:commit", args=[batch.pk])).status_code == 404
    assert client.post(reverse("intake:revert", args=[batch.pk])).status_code == 404
    client.force_login(personas["admin"])  # the city admin sees every batch
    assert client.get(reverse("intake:batch", args=[batch.pk])).status_code == 200


def test_a_refused_upload_says_why_and_writes_nothing(client, personas):
    client.force_login(personas["admin"])
    response = upload(client, b"PK\x03\x04 damaged", name="表.xlsx")
    assert response.status_code == 400 and "损坏" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_roles_without_a_dataset_cannot_open_the_import_page(client, personas):
    client.force_login(personas["unit_officer"])
    assert client.get(reverse("intake:home")).status_code == 403
    client.force_login(personas["enterprise_user"])
    html = client.get(reverse("intake:home")).content.decode()
    assert "period_values" in html and reverse("intake:template", args=["enterprises"]) not in html


def test_the_template_has_a_locked_header_and_drop_downs_from_the_database(client, personas):
    client.force_login(personas["admin"])
    response = client.get(reverse("intake:template", args=["enterprises"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.protection.sheet and sheet["A1"].protection.locked and not sheet["A2"].protection.locked
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) >= 4  # areas, towns, chain nodes, ownership, listing board
    codes = book["代码表"]
    assert codes.sheet_state == "hidden"
    names = {c.value for col in codes.iter_cols() for c in col}
    assert "开发区" in "".join(str(n) for n in names)


def test_an_enterprise_user_cannot_download_a_template_they_cannot_import(client, personas):
    client.force_login(personas["enterprise_user"])
    assert client.get(reverse("intake:template", args=["enterprises"])).status_code == 404
    assert client.get(reverse("intake:template", args=["period_values"])).status_code == 200


def test_the_enterprise_export_honours_scope_and_filters_and_neutralises_formulas(client, personas):
    make_enterprise(area="kfq", name='=HYPERLINK("http://x")有限公司')
    make_enterprise(area="gxq", name="高新区企业（测试）")
    client.force_login(personas["kfq_officer"])
    response = client.get(reverse("intake:export_enterprises", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")有限公司' in names and "高新区企业（测试）" not in names
    response = client.get(reverse("intake:export_enterprises", args=["xlsx"]), {"q": "HYPERLINK"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 2 and sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")
    assert SecurityEvent.objects.filter(kind="export", detail__what="enterprises").count() == 2


def test_the_enterprise_list_links_to_the_export_with_its_filters(client, personas):
    client.force_login(personas["admin"])
    html = client.get(reverse("enterprises:list"), {"area": "kfq"}).content.decode()
    assert reverse("intake:export_enterprises", args=["xlsx"]) + "?area=kfq" in html


def test_the_batch_list_query_count_does_not_grow(client, personas, firms, django_assert_max_num_queries):
    client.force_login(personas["admin"])
    data = messy_period_workbook(firms)
    for _ in range(3):
        upload(client, data)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("intake:batches")).status_code == 200


def test_name_suggestions_are_shown_on_the_preview_and_not_applied(client, personas, firms):
    from .conftest import xlsx

    kfq = firms["kfq"]
    data = xlsx(
        [
            ["统一社会信用代码", "企业名称", "指标", "统计期", "数值（万元）"],
            ["", "昆山甲半导体公司", "营业收入", "2025-06", 1],
        ]
    )
    client.force_login(personas["admin"])
    html = upload(client, data).content.decode()
    assert 'data-testid="suggestions"' in html and kfq.credit_code in html
    assert 'data-testid="commit"' not in html and not PeriodValue.objects.exists()
