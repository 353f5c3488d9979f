import hashlib
import io

import pytest
from django.core.management import call_command

from semicluster.accounts.models import User
from semicluster.core.demo import DemoContext, generate_demo, reset_demo
from semicluster.enterprises.credit_code import validate
from semicluster.enterprises.models import Enterprise, PeriodValue

pytestmark = pytest.mark.django_db


def fingerprint() -> str:
    digest = hashlib.sha256()
    for row in Enterprise.objects.order_by("credit_code").values_list(
        "credit_code", "name", "area__code", "primary_node__code"
    ):
        digest.update(repr(row).encode())
    values = PeriodValue.objects.order_by(
        "enterprise__credit_code", "measure", "year", "period_type", "period"
    )
    for value_row in values.values_list("enterprise__credit_code", "measure", "year", "period", "value"):
        digest.update(repr(value_row).encode())
    return digest.hexdigest()


def run(seed: int, version, scale: str = "sample") -> str:
    reset_demo()
    generate_demo(DemoContext(seed=seed, scale=scale, plan_version=version, out=io.StringIO()))
    return fingerprint()


def test_the_same_seed_gives_the_same_data_and_another_seed_differs(kunshan_plan):
    first = run(7, kunshan_plan)
    assert run(7, kunshan_plan) == first
    assert run(8, kunshan_plan) != first


def test_the_demo_covers_every_area_and_node_with_valid_codes_and_plain_fictional_names(kunshan_plan):
    run(2025, kunshan_plan, scale="kunshan")
    assert Enterprise.objects.count() >= 300
    assert Enterprise.objects.values("area").distinct().count() == 5
    assert all(validate(code).is_valid for code in Enterprise.objects.values_list("credit_code", flat=True))
    assert all("示例" in name for name in Enterprise.objects.values_list("name", flat=True))
    years = set(PeriodValue.objects.filter(period_type="A").values_list("year", flat=True))
    assert {2019, 2020, 2021, 2022, 2023, 2024} <= years
    assert PeriodValue.objects.filter(year=2025, period_type="M", basis="ytd").exists()
    assert User.objects.filter(username__startswith="demo-").values("role").distinct().count() == 5
    # The public edition of the annual report is published, so the portal has something to show.
    from django.test import Client

    from semicluster.reports.models import AnnualReport, ReportVersion

    assert ReportVersion.objects.filter(report__edition="public").count() == 1
    assert AnnualReport.objects.get(edition="internal").status == "review"
    home = Client().get("/public/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "尚未发布年度报告" not in home


def test_the_demo_command_refuses_to_overwrite_without_reset(kunshan_plan):
    call_command("demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
