"""Preview, commit, idempotence, revert, atomic failure and scoping of imports (the Django layer)."""

from decimal import Decimal

import pytest

from semicluster.core.models import SecurityEvent
from semicluster.core.testing import add_value, database_fails_on, table_counts
from semicluster.enterprises.models import Designation, Enterprise, PeriodValue, Source
from semicluster.intake import services
from semicluster.intake.adapters import with_unit
from semicluster.intake.models import ImportBatch, ImportChange
from semicluster.plans.models import Town

from .conftest import ORIGINAL_REFRESH, messy_period_workbook, xlsx

pytestmark = pytest.mark.django_db

PERIOD_HEADER = ["统一社会信用代码", "企业名称", "指标", "统计期", "数值（万元）"]


def preview(user, data, dataset="period_values", name="月报.xlsx"):
    return services.import_preview(actor=user, dataset_key=dataset, filename=name, data=data)


def test_a_messy_chinese_workbook_previews_then_commits_exact_values(personas, firms):
    batch = preview(personas["admin"], messy_period_workbook(firms))
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert (batch.created_count, batch.error_count, batch.skipped_count) == (4, 0, 1)
    assert not PeriodValue.objects.exists()  # the preview writes nothing
    services.import_commit(actor=personas["admin"], batch=batch)
    revenue = PeriodValue.objects.get(enterprise=firms["kfq"], measure="revenue")
    assert (revenue.year, revenue.period_type, revenue.period, revenue.basis) == (2025, "M", 6, "ytd")
    assert revenue.value == Decimal("12345000")  # 1,234.5 万元 in full-width digits
    assert (revenue.source, revenue.source_ref) == (Source.IMPORT, str(batch.pk))
    assert PeriodValue.objects.get(enterprise=firms["gxq"], measure="employees").value == 120  # persons
    assert batch.changes.count() == 4
    assert revenue.history.first().history_change_reason == f"导入批次 #{batch.pk} / import batch #{batch.pk}"


def test_the_same_file_again_changes_nothing_and_says_so(personas, firms):
    data = messy_period_workbook(firms)
    first = services.import_commit(actor=personas["admin"], batch=preview(personas["admin"], data))
    again = preview(personas["admin"], data)
    assert again.summary["nothing_to_change"]
    assert any(f"#{first.pk}" in note for note in again.summary["notes"])
    services.import_commit(actor=personas["admin"], batch=again)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert PeriodValue.objects.count() == 4 and not again.changes.exists()


def test_an_update_shows_old_and_new_and_revert_restores_the_old_value(personas, firms):
    add_value(firms["kfq"], "revenue", 2025, "5000000", month=6)
    batch = preview(personas["admin"], messy_period_workbook(firms))
    assert batch.updated_count == 1
    shown = batch.summary["update"][0]
    # yuan, with the 万元 the file gave
    assert shown["fields"] == [["数值", "5,000,000 元（500 万元）", "12,345,000 元（1,234.5 万元）"]]
    services.import_commit(actor=personas["admin"], batch=batch)
    assert PeriodValue.objects.get(enterprise=firms["kfq"], measure="revenue").value == Decimal("12345000")
    services.import_revert(actor=personas["admin"], batch=batch)
    assert PeriodValue.objects.get(enterprise=firms["kfq"], measure="revenue").value == Decimal("5000000")
    assert PeriodValue.objects.count() == 1  # the three values the batch created are gone
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REVERTED


def test_revert_is_refused_when_a_value_changed_after_the_import(personas, firms):
    batch = services.import_commit(
        actor=personas["admin"], batch=preview(personas["admin"], messy_period_workbook(firms))
    )
    PeriodValue.objects.filter(measure="profit").update(value=Decimal("1"))
    with pytest.raises(services.RevertConflict):
        services.import_revert(actor=personas["admin"], batch=batch)
    assert PeriodValue.objects.count() == 4


def test_a_failure_while_writing_writes_nothing_and_marks_the_batch_failed(personas, firms, monkeypatch):
    from semicluster.enterprises.datasets import PeriodValueAdapter

    def broken(self, changes):
        PeriodValue.objects.create(
            enterprise=firms["kfq"], measure="tax", year=2025, period_type="A", period=0, value=1
        )
        raise RuntimeError("disk full")

    batch = preview(personas["admin"], messy_period_workbook(firms))
    monkeypatch.setattr(PeriodValueAdapter, "write", broken)
    with pytest.raises(services.ImportFailed):
        services.import_commit(actor=personas["admin"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "disk full" in batch.failure_reason
    assert not PeriodValue.objects.exists() and not ImportChange.objects.exists()


def test_a_database_error_at_the_last_insert_of_a_commit_leaves_every_record_table_unchanged(personas, firms):
    batch = preview(personas["admin"], messy_period_workbook(firms))
    before = table_counts()
    # The records go in first, the change log after them: fail the change log, so the failure is late.
    with database_fails_on("intake_importchange") as ran, pytest.raises(services.ImportFailed):
        services.import_commit(actor=personas["admin"], batch=batch)
    assert any('"enterprises_periodvalue"' in sql for sql in ran)  # INSERT or COPY: the records went in
    after = table_counts()
    # Only the failed batch's own state and the security log record the attempt.
    assert after.pop("core.SecurityEvent") == before.pop("core.SecurityEvent") + 1
    assert after == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "injected failure" in batch.failure_reason


def test_a_file_with_a_bad_row_commits_nothing(personas, firms):
    kfq = firms["kfq"]
    data = xlsx(
        [
            PERIOD_HEADER,
            [kfq.credit_code, kfq.name, "营业收入", "2025-06", 10],
            [kfq.credit_code, kfq.name, "利润", "2025-13", 5],
        ]
    )
    batch = preview(personas["admin"], data)
    assert batch.error_count == 1
    problem = next(p for p in batch.summary["problems"] if p["severity"] == "error")
    assert (problem["sheet"], problem["row"], problem["column"]) == ("数据", 3, "统计期")
    with pytest.raises(services.ImportFailed):
        services.import_commit(actor=personas["admin"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "1 行有错误" in batch.failure_reason
    assert not PeriodValue.objects.exists()


def test_a_district_officer_s_rows_for_another_area_are_errors_naming_the_row(personas, firms):
    batch = preview(personas["kfq_officer"], messy_period_workbook(firms))
    errors = [p for p in batch.summary["problems"] if p["severity"] == "error"]
    assert {p["row"] for p in errors} == {7, 8}  # the two 高新区 rows
    assert "不在您的辖区" in errors[0]["message"]
    assert batch.created_count == 2


def test_an_enterprise_user_imports_only_their_own_firm_s_figures(personas, firms):
    own, other = firms["own"], firms["kfq"]
    data = xlsx(
        [
            PERIOD_HEADER,
            [own.credit_code, own.name, "营业收入", "2025-06", 10],
            [other.credit_code, other.name, "营业收入", "2025-06", 10],
        ]
    )
    batch = preview(personas["enterprise_user"], data)
    assert batch.created_count == 1 and batch.error_count == 1
    with pytest.raises(services.ImportNotAllowed):
        preview(personas["enterprise_user"], data, dataset="enterprises")


def test_a_name_only_row_gets_suggestions_and_is_never_matched_silently(personas, firms):
    kfq = firms["kfq"]
    data = xlsx(
        [
            PERIOD_HEADER,
            ["", "昆山甲半导体公司", "营业收入", "2025-06", 10],
            [kfq.credit_code, "昆山甲半导体", "利润", "2025-06", 3],
        ]
    )
    batch = preview(personas["admin"], data)
    assert batch.error_count == 1 and batch.created_count == 1
    reasons = {s["reason"]: s for s in batch.summary["suggestions"]}
    assert reasons["name_only"]["candidates"][0]["credit_code"] == kfq.credit_code
    assert reasons["name_differs"]["candidates"][0]["name"] == kfq.name
    assert Enterprise.objects.get(pk=kfq.pk).name == "昆山甲半导体有限公司"  # the name was not changed


def test_enterprises_import_creates_and_updates_through_the_services(personas, firms):
    kfq = firms["kfq"]
    town = Town.objects.filter(area__code="kfq").first()
    from semicluster.core.testing import synthetic_credit_code

    new_code = synthetic_credit_code()
    header = ["统一社会信用代码", "企业名称", "所在区镇", "产业链环节", "企业性质", "主要产品"]
    node = kfq.primary_node
    data = xlsx(
        [
            header,
            [new_code, "昆山新芯科技有限公司", town.name, node.name, "民营", "=HYPERLINK(1)"],
            [kfq.credit_code, kfq.name, town.name, node.name, "", "功率器件"],
        ]
    )
    batch = preview(personas["kfq_officer"], data, dataset="enterprises")
    assert (batch.created_count, batch.updated_count, batch.error_count) == (1, 1, 0), batch.summary[
        "problems"
    ]
    services.import_commit(actor=personas["kfq_officer"], batch=batch)
    created = Enterprise.objects.get(credit_code=new_code)
    assert created.area.code == "kfq" and created.history.first().history_user == personas["kfq_officer"]
    assert Enterprise.objects.get(pk=kfq.pk).key_products == "功率器件"
    services.import_revert(actor=personas["admin"], batch=batch)
    assert not Enterprise.objects.filter(credit_code=new_code).exists()
    assert Enterprise.objects.get(pk=kfq.pk).key_products == ""


def test_an_invalid_credit_code_is_an_error_in_its_column(personas, firms):
    data = xlsx([PERIOD_HEADER, ["91320583MA1ABCDE0X", "某企业", "营业收入", "2025-06", 1]])
    batch = preview(personas["admin"], data)
    problem = batch.summary["problems"][0]
    assert problem["column"] == "统一社会信用代码" and "校验码" in problem["message"]


def test_designations_import_and_re_import_is_idempotent(personas, firms):
    kfq = firms["kfq"]
    data = xlsx(
        [
            ["统一社会信用代码", "企业名称", "荣誉资质", "认定日期"],
            [kfq.credit_code, kfq.name, "专精特新中小企业", "2024-06-01"],
        ]
    )
    batch = preview(personas["admin"], data, dataset="designations")
    assert batch.created_count == 1, batch.summary["problems"]
    services.import_commit(actor=personas["admin"], batch=batch)
    assert Designation.objects.filter(enterprise=kfq).count() == 1
    assert preview(personas["admin"], data, dataset="designations").summary["nothing_to_change"]


def test_a_designation_level_written_in_chinese_is_stored_as_its_code_and_re_imports_unchanged(
    personas, firms
):
    kfq = firms["kfq"]
    header = ["统一社会信用代码", "企业名称", "荣誉资质", "认定日期", "级别"]
    data = xlsx([header, [kfq.credit_code, kfq.name, "专精特新中小企业", "2024-06-01", "省级"]])
    services.import_commit(
        actor=personas["admin"], batch=preview(personas["admin"], data, dataset="designations")
    )
    assert Designation.objects.get(enterprise=kfq).level == "provincial"
    assert preview(personas["admin"], data, dataset="designations").summary["nothing_to_change"]
    bad = xlsx([header, [kfq.credit_code, kfq.name, "专精特新中小企业", "2024-06-01", "县级"]])
    problem = preview(personas["admin"], bad, dataset="designations").summary["problems"][0]
    assert problem["column"] == "级别" and "县级" in problem["message"]


def test_a_refused_upload_writes_nothing_but_the_security_log(personas):
    with pytest.raises(services.UploadRefused) as refused:
        preview(personas["admin"], b"<html><body>not a workbook</body></html>", name="月报.xls")
    assert "网页" in refused.value.message
    assert not ImportBatch.objects.exists()
    assert SecurityEvent.objects.filter(kind="import", detail__action="refused").exists()


def test_commit_and_revert_are_logged_as_security_events(personas, firms):
    batch = services.import_commit(
        actor=personas["admin"], batch=preview(personas["admin"], messy_period_workbook(firms))
    )
    services.import_revert(actor=personas["admin"], batch=batch)
    actions = set(SecurityEvent.objects.filter(kind="import").values_list("detail__action", flat=True))
    assert {"preview", "commit", "revert"} <= actions


def test_a_batch_cannot_be_committed_twice(personas, firms):
    batch = services.import_commit(
        actor=personas["admin"], batch=preview(personas["admin"], messy_period_workbook(firms))
    )
    with pytest.raises(services.ImportStateError):
        services.import_commit(actor=personas["admin"], batch=batch)


def test_a_commit_refreshes_monitoring_indicators(personas, firms, no_monitoring_refresh):
    services.import_commit(
        actor=personas["admin"], batch=preview(personas["admin"], messy_period_workbook(firms))
    )
    assert no_monitoring_refresh == [1]


def test_the_monitoring_refresh_is_skipped_when_the_app_is_absent(monkeypatch):
    import builtins

    real_import = builtins.__import__
    attempted = []

    def no_monitoring(name, *args, **kwargs):
        if name.startswith("semicluster.monitoring"):
            attempted.append(name)
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_monitoring)
    ORIGINAL_REFRESH()  # no error: the monitoring app is optional
    assert attempted == ["semicluster.monitoring.services"]


def test_reverting_an_enterprise_that_has_received_data_since_is_refused(personas, firms):
    from semicluster.core.testing import synthetic_credit_code

    kfq = firms["kfq"]
    code = synthetic_credit_code()
    header = ["统一社会信用代码", "企业名称", "所在区镇", "产业链环节", "企业性质"]
    town = Town.objects.filter(area__code="kfq").first()
    data = xlsx([header, [code, "昆山后来科技有限公司", town.name, kfq.primary_node.name, "民营"]])
    batch = services.import_commit(
        actor=personas["admin"], batch=preview(personas["admin"], data, "enterprises")
    )
    add_value(Enterprise.objects.get(credit_code=code), "revenue", 2024, "100")
    with pytest.raises(services.RevertConflict, match="引用"):
        services.import_revert(actor=personas["admin"], batch=batch)
    assert Enterprise.objects.filter(credit_code=code).exists() and PeriodValue.objects.count() == 1


def test_a_shown_amount_keeps_every_digit_and_names_its_unit():
    amount = Decimal("12345678.91")
    assert with_unit("12,345,678.91", amount, "元", "万元") == "12,345,678.91 元（1,234.567891 万元）"
    assert with_unit("12,345,678.91", amount, "元", "元") == "12,345,678.91 元"
    assert with_unit("—", None, "元", "万元") == "—"  # nothing to name
    assert with_unit("是", True, "元") == "是"
