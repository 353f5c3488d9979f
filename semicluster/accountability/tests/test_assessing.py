from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from semicluster.accountability import assessing, integrations, services

pytestmark = pytest.mark.django_db

YEAR_END = date(2025, 12, 31)


@pytest.fixture
def year(items, swj_officer, gxj_officer):
    """市商务局 finishes its one item and reports every month on time; 市工信局 reports nothing."""
    item = items["investment-map"]
    for month in range(1, 12):
        services.progress_report(
            actor=swj_officer,
            item=item,
            text=f"{month}月进展",
            percent=Decimal(min(100, month * 10)),
            reported_on=date(2025, month + 1, 3),
            period_key=f"2025-{month:02d}",
        )
    services.progress_report(
        actor=swj_officer,
        item=item,
        text="完成",
        done=True,
        reported_on=date(2025, 12, 1),
        period_key="2025-11",
    )
    return items


def test_unit_scores_follow_the_plan_criteria_and_the_breakdown_adds_up(kunshan_plan, year, monkeypatch):
    monkeypatch.setattr(integrations, "goal_progress", lambda as_of: None)
    monkeypatch.setattr(integrations, "project_lights", lambda group_by: None)
    result = assessing.run(kunshan_plan, "units", YEAR_END)
    assert [c.measure for c in result.assessed] == ["task_completion_rate", "update_timeliness"]
    assert {c.measure for c in result.not_assessed} == {"goal_contribution", "project_lights"}
    swj = result.ranking.for_subject("swj")
    gxj = result.ranking.for_subject("gxj")
    # swj: 1 of 1 item done (100) and 11 of 11 reports on time (100) -> 100 points
    assert swj.total == Decimal("100.00") and swj.rank == 1
    completion, timeliness = swj.breakdown
    assert completion.raw == Decimal(100) and timeliness.raw == Decimal(100)
    # gxj: nothing done, nothing reported -> 0
    assert gxj.total == Decimal("0.00")
    for row in result.ranking.results:
        assert sum(s.points for s in row.breakdown) == row.total


def test_areas_are_ranked_on_project_lights_when_projects_have_lights(kunshan_plan, monkeypatch):
    lights = {"kfq": (3, 1, 0), "gxq": (1, 0, 1)}
    monkeypatch.setattr(integrations, "project_lights", lambda group_by: lights)
    result = assessing.run(kunshan_plan, "areas", YEAR_END)
    assert [c.measure for c in result.assessed] == ["project_lights"]
    assert result.ranking.for_subject("kfq").total == Decimal("87.50")
    assert result.ranking.for_subject("gxq").total == Decimal("50.00")
    assert result.ranking.for_subject("kfq").rank == 1


def test_the_export_has_one_sheet_per_subject_kind_with_the_breakdown(kunshan_plan, year, monkeypatch):
    monkeypatch.setattr(integrations, "goal_progress", lambda as_of: None)
    results = [assessing.run(kunshan_plan, kind, YEAR_END) for kind in ("units", "areas")]
    book = load_workbook(io.BytesIO(assessing.export_xlsx(results)))
    assert book.sheetnames == ["单位考核", "区镇考核"]
    sheet = book["单位考核"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    swj = next(r for r in rows if r[1] == "swj")
    assert swj[0] == 1 and Decimal(str(swj[3])) == Decimal("100")
    assert sheet.cell(row=2, column=5).value == "任务完成率 原始值"
