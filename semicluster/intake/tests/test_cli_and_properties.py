"""The command line (`semicluster import`, `semicluster bench import`) and property-based checks that
malformed rows never crash the Django layer and that a failed commit writes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from semicluster.enterprises.models import PeriodValue
from semicluster.intake import services
from semicluster.intake.bench import run_import_bench
from semicluster.intake.models import ImportBatch, ImportChange

from .conftest import messy_period_workbook, xlsx

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_import_command_previews_with_dry_run_then_commits_then_has_nothing_to_change(
    tmp_path, personas, firms
):
    path = tmp_path / "2025年6月月报.xlsx"
    path.write_bytes(messy_period_workbook(firms))
    output = run("import", "period_values", str(path), "--dry-run")
    assert "新增 create" in output and "昆山甲半导体有限公司 · 营业收入 2025年6月" in output
    assert "nothing written" in output and not PeriodValue.objects.exists()
    output = run("import", "period_values", str(path))
    assert "committed: 4 created" in output and PeriodValue.objects.count() == 4
    assert "nothing to change" in run("import", "period_values", str(path))


def test_the_import_command_applies_the_user_s_scope_and_writes_nothing_on_errors(tmp_path, personas, firms):
    path = tmp_path / "月报.xlsx"
    path.write_bytes(messy_period_workbook(firms))
    with pytest.raises(CommandError, match="nothing written"):
        call_command("import", "period_values", str(path), "--user", "kfq-officer", stdout=io.StringIO())
    assert not PeriodValue.objects.exists()


def test_a_gbk_csv_imports_through_the_django_layer(tmp_path, personas, firms):
    kfq = firms["kfq"]
    header = "统一社会信用代码,企业名称,指标,统计期,数值（亿元）"
    text = f'{header}\r\n{kfq.credit_code},{kfq.name},营业收入,2025年6月,"1.5"\r\n'
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    run("import", "period_values", str(path))
    assert PeriodValue.objects.get(enterprise=kfq).value == 150_000_000


def test_the_bench_imports_and_reverts_a_small_workbook(personas, firms):
    figures = run_import_bench(300)
    assert figures["created"] + figures["updated"] + figures["unchanged"] == 300
    assert figures["reading_rows_per_s"] > 0 and figures["peak_memory_mb"] > 0
    assert not PeriodValue.objects.exists()  # reverted
    assert ImportBatch.objects.get().status == ImportBatch.Status.REVERTED


CELLS = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["—", "合计", "#DIV/0!", "=1+1", "２０２５年６月", "营业收入", "从业人员", "累计", "万元", "-5"]
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_malformed_rows_never_crash_and_a_failed_commit_writes_nothing(personas, firms, data):
    codes = [firms["kfq"].credit_code, firms["gxq"].credit_code, "91320583MA1ABCDE0X", ""]
    rows = [["统一社会信用代码", "企业名称", "指标", "统计期", "年度", "期别", "数值（万元）"]]
    for _ in range(data.draw(st.integers(1, 6))):
        rows.append(
            [
                data.draw(st.sampled_from(codes)),
                data.draw(CELLS),
                data.draw(st.one_of(st.sampled_from(["营业收入", "利润", "从业人员", "revenue"]), CELLS)),
                data.draw(st.one_of(st.sampled_from(["2025-06", "2025年3月", "2024"]), CELLS)),
                data.draw(st.one_of(st.none(), st.integers(1980, 2110))),
                data.draw(st.one_of(st.sampled_from(["月度", "季度", "年度", "Q"]), CELLS)),
                data.draw(CELLS),
            ]
        )
    user = data.draw(st.sampled_from(["admin", "kfq_officer", "enterprise_user"]))
    before = (PeriodValue.objects.count(), ImportChange.objects.count())
    try:
        batch = services.import_preview(
            actor=personas[user], dataset_key="period_values", filename="随机.xlsx", data=xlsx(rows)
        )
    except services.UploadRefused:
        return
    assert (
        batch.rows_total
        == batch.error_count + batch.created_count + batch.updated_count + batch.unchanged_count
    )
    if batch.summary["has_errors"]:
        assert all(p["message"] for p in batch.summary["problems"])
        with pytest.raises(services.ImportFailed):
            services.import_commit(actor=personas[user], batch=batch)
        assert (PeriodValue.objects.count(), ImportChange.objects.count()) == before
    else:
        services.import_commit(actor=personas[user], batch=batch)
        again = services.import_preview(
            actor=personas[user], dataset_key="period_values", filename="随机.xlsx", data=xlsx(rows)
        )
        assert again.created_count == again.updated_count == 0


@pytest.mark.parametrize("dataset", ["financing_needs", "listing_pipeline", "rd_projects", "support_history"])
def test_a_workflow_dataset_imported_without_a_user_is_refused_up_front_with_the_fix(dataset, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--user"):
        call_command("import", dataset, str(path))
