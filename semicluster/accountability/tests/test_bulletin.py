from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from semicluster.accountability import bulletin, integrations, selectors, services
from semicluster.accountability.models import Bulletin, BulletinParagraph, ImmutableError
from semicluster.documents import render_docx, render_html
from semicluster.documents.model import Section, Table

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 7, 9)


@pytest.fixture
def reported(items, gxj_officer, swj_officer, personas):
    """June: 市商务局 reports its map done on time; 市工信局 reaches one milestone; the rest stay silent."""
    services.progress_report(
        actor=swj_officer,
        item=items["investment-map"],
        text="图谱已发布，完成",
        percent=Decimal(100),
        reported_on=date(2025, 7, 3),
    )
    item = items["innovation-leader-library"]
    services.progress_report(
        actor=gxj_officer,
        item=item,
        text="第一批评审完成",
        milestones_reached=list(item.milestones.all()),
        percent=Decimal(50),
        reported_on=date(2025, 7, 4),
    )
    return items


def tables(document) -> dict[str, Table]:
    found: dict[str, Table] = {}

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Table):
                found[block.caption] = block
            elif isinstance(block, Section):
                walk(block.blocks)

    walk(document.sections)
    return found


def test_the_bulletin_states_the_same_statuses_the_database_computes(kunshan_plan, reported):
    data = bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF)
    document = bulletin.build_document(data)
    rows = selectors.item_rows(
        selectors.item_list(_admin(), kunshan_plan),
        AS_OF,
        selectors.reporting_rules(kunshan_plan),
    )
    expected = {r.item.code: (bulletin.STATUS_ZH[r.status.status.value], r.status.percent) for r in rows}
    table = tables(document)["工作事项推进情况"]
    shown = {row[0]: (row[3], row[4]) for row in table.body_rows}
    assert shown == {
        code: (status, None if p is None else p.quantize(Decimal("0.1")))
        for code, (status, p) in expected.items()
    }
    counts = selectors.status_counts(rows)
    assert data["counts"] == {"total": 14, **counts}
    assert counts["done"] == 1 and shown["investment-map"][0] == "已完成"
    summary = bulletin.generated_paragraphs(data)["summary"]
    assert f"共分解工作事项{len(rows)}项" in summary and f"已完成{counts['done']}项" in summary
    assert f"已逾期{counts['late']}项" in summary and f"存在风险{counts['at_risk']}项" in summary


def _admin():
    from semicluster.accounts.models import User

    return User.objects.get(username="admin")


def test_silent_units_and_late_items_are_named_in_the_bulletin(kunshan_plan, reported):
    data = bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF)
    silent = selectors.silent_units(kunshan_plan, AS_OF)
    assert {s["unit"] for s in data["silent"]} == {s.unit for s in silent}
    assert "swj" not in {s["unit"] for s in data["silent"] if s["period"] == "2025-06"}
    texts = bulletin.generated_paragraphs(data)
    for entry in data["silent"]:
        assert entry["unit_name"] in texts["silent"]
    for item in data["items"]:
        if item["status"] == "late":
            assert item["title"] in texts["tasks"]


def test_the_unit_ranking_in_the_document_matches_the_units_standings(kunshan_plan, reported):
    document = bulletin.build_document(bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF))
    table = tables(document)["责任单位排名"]
    standings = selectors.unit_standings(kunshan_plan, AS_OF)
    assert [(r[0], r[1], r[6], r[7]) for r in table.body_rows] == [
        (u.rank, u.name, u.owed, u.on_time) for u in standings
    ]
    swj = next(u for u in standings if u.code == "swj")
    assert swj.on_time >= 1 and swj.timeliness_rate > 0


def test_without_monitoring_the_goal_section_says_data_is_not_available(kunshan_plan, reported, monkeypatch):
    monkeypatch.setattr(integrations, "goal_progress", lambda as_of: None)
    html = render_html(bulletin.build_document(bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF)))
    assert bulletin.NOT_AVAILABLE_GOALS in html and "发展目标完成情况" not in html


def test_with_monitoring_the_goal_table_shows_money_in_yi_and_counts_as_whole_numbers_with_their_unit(
    kunshan_plan, reported, monkeypatch
):
    money = integrations.GoalRow(
        "industry-scale",
        "产业规模",
        Decimal(35_000_000_000),
        Decimal("28_050_000_000"),
        "yuan",
        Decimal("80.14"),
        "存在风险",
    )
    count = integrations.GoalRow(
        "innovation-leaders",
        "创新领军企业",
        Decimal("80.00"),
        Decimal("56.00"),
        "enterprises",
        Decimal(70),
        "正常",
    )
    monkeypatch.setattr(integrations, "goal_progress", lambda as_of: [money, count])
    document = bulletin.build_document(bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF))
    table = tables(document)["发展目标完成情况"]
    assert table.body_rows == (
        ("产业规模", "350.00 亿元", "280.50 亿元", Decimal("80.1"), "存在风险"),
        ("创新领军企业", "80 家", "56 家", Decimal("70.0"), "正常"),
    )
    html = render_html(document)
    assert bulletin.NOT_AVAILABLE_GOALS not in html and "80.00" not in html


def test_a_goal_figure_is_money_in_yi_or_a_whole_count_with_its_unit():
    assert bulletin.goal_figure(Decimal("80.00"), "enterprises") == "80 家"
    assert bulletin.goal_figure(Decimal("1200"), "projects") == "1,200 个"
    assert bulletin.goal_figure(Decimal("5000000000.00"), "yuan") == "50.00 亿元"
    assert bulletin.goal_figure(None, "enterprises") == "—"


def test_without_projects_the_project_section_says_so_and_with_them_it_shows_lights(
    kunshan_plan, reported, monkeypatch
):
    monkeypatch.setattr(integrations, "project_summary", lambda as_of: None)
    html = render_html(bulletin.build_document(bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF)))
    assert bulletin.NOT_AVAILABLE_PROJECTS in html
    summary = integrations.ProjectSummary(
        lights={"green": 3, "yellow": 1, "red": 1},
        by_area=[
            {
                "code": "kfq",
                "name": "开发区",
                "count": 5,
                "green": 3,
                "yellow": 1,
                "red": 1,
                "pct": Decimal("61.5"),
            }
        ],
        cohorts={"started": 2, "completed": 1, "in_production": 0},
        cohort_targets={"started": 10},
    )
    monkeypatch.setattr(integrations, "project_summary", lambda as_of: summary)
    data = bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF)
    document = bulletin.build_document(data)
    assert tables(document)["各区镇重大项目亮灯情况"].body_rows == (("开发区", 5, 3, 1, 1, Decimal("61.5")),)
    assert tables(document)["区镇排名（按重大项目亮灯得分）"].body_rows == ((1, "开发区", Decimal("70.0")),)
    assert "绿灯3个、黄灯1个、红灯1个" in bulletin.generated_paragraphs(data)["projects"]


def test_the_real_projects_adapter_answers_on_an_empty_library(kunshan_plan):
    summary = integrations.project_summary(AS_OF)
    if summary is not None:  # the projects app is installed: an empty library has no lights
        assert summary.lights == {"green": 0, "yellow": 0, "red": 0}
    assert integrations.project_lights("unit") in (None, {})


def test_the_docx_is_a4_with_gb_t_9704_margins_and_fonts(kunshan_plan, reported):
    document = bulletin.build_document(bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF))
    word = open_docx(io.BytesIO(render_docx(document)))
    section = word.sections[0]
    for length, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(length - Mm(mm)) <= Mm(0.2)
    title = word.paragraphs[0]
    assert title.text == "昆山市半导体产业创新集群发展工作通报"
    assert title.style.font.size == Pt(22)
    assert title.style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    normal = word.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    headings = [p for p in word.paragraphs if p.text.startswith("一、")]
    assert headings and headings[0].text == "一、总体情况"
    heading_font = headings[0].style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    assert heading_font == "黑体"
    assert word.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        (number,) = footer.paragraphs
        assert number.text == "— 1 —" and "> PAGE <" in number._p.xml
    text = "\n".join(p.text for p in word.paragraphs)
    counts = selectors.status_counts(
        selectors.item_rows(
            selectors.item_list(_admin(), kunshan_plan), AS_OF, selectors.reporting_rules(kunshan_plan)
        )
    )
    assert re.search(rf"已完成{counts['done']}项、正常推进{counts['on_track']}项", text)
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "产业链招商图谱" not in cells  # titles, not deliverables
    assert "编制产业链招商图谱，开展精准招引" in cells


def test_an_issued_bulletin_keeps_its_snapshot_and_cannot_be_changed(
    kunshan_plan, reported, personas, swj_officer
):
    admin = personas["admin"]
    draft = services.bulletin_draft(actor=admin, version=kunshan_plan, period_key="2025-06", as_of=AS_OF)
    services.bulletin_paragraph_edit(actor=admin, bulletin=draft, key="next", text="请各单位抓紧推进。")
    issued = services.bulletin_issue(actor=admin, bulletin=draft)
    assert issued.state == Bulletin.State.ISSUED and issued.data["counts"]["done"] == 1
    assert "请各单位抓紧推进。" in render_html(bulletin.document_for(issued))
    # later progress does not change what was issued
    services.progress_report(
        actor=swj_officer,
        item=reported["investment-map"],
        text="补充",
        percent=Decimal(100),
        reported_on=date(2025, 7, 8),
    )
    stored = Bulletin.objects.get(pk=issued.pk)
    assert bulletin.document_for(stored) == bulletin.document_for(issued)
    with pytest.raises(ImmutableError):
        stored.as_of = date(2025, 7, 20)
        stored.save()
    with pytest.raises(ImmutableError):
        services.bulletin_paragraph_edit(actor=admin, bulletin=stored, key="next", text="改写")
    with pytest.raises(ImmutableError):
        stored.delete()
    with pytest.raises(ImmutableError):
        BulletinParagraph.objects.filter(bulletin=stored).first().save()
    assert Bulletin.objects.get(pk=issued.pk).document == issued.document


def test_the_bulletin_command_writes_docx_and_html(kunshan_plan, reported, tmp_path):
    target = tmp_path / "bulletin.docx"
    call_command(
        "bulletin", "--period", "2025-06", "--format", "docx", "-o", str(target), "--as-of", "2025-07-09"
    )
    word = open_docx(str(target))
    assert word.paragraphs[0].text == "昆山市半导体产业创新集群发展工作通报"
    page = tmp_path / "bulletin.html"
    call_command(
        "bulletin", "--period", "2025-Q2", "--format", "html", "-o", str(page), "--as-of", "2025-07-09"
    )
    assert "2025年第2季度" in page.read_text(encoding="utf-8")


def test_a_period_must_be_a_month_or_a_quarter(kunshan_plan):
    rules = selectors.reporting_rules(kunshan_plan)
    assert bulletin.parse_period("2025-Q3", rules).start == date(2025, 7, 1)
    assert bulletin.parse_period("2025-06", rules).end == date(2025, 6, 30)
    for bad in ("2025-13", "2025-Q5", "June"):
        with pytest.raises(ValueError, match="2025-06"):
            bulletin.parse_period(bad, rules)


def test_the_monitoring_adapter_reads_the_latest_city_figure_up_to_the_period(kunshan_plan):
    from django.apps import apps

    if not apps.is_installed("semicluster.monitoring"):
        assert integrations.goal_progress(AS_OF) is None
        return
    value = apps.get_model("monitoring", "IndicatorValue")
    goal = kunshan_plan.goals.get(code="industry-scale")
    for month, figure, status in ((5, "25000000000", "at_risk"), (6, "30000000000", "on_track")):
        value.objects.create(
            plan_version=kunshan_plan,
            goal=goal,
            year=2025,
            month=month,
            scope_kind="city",
            scope_key="",
            value=Decimal(figure),
            target=goal.target,
            progress=Decimal(figure) * 100 / goal.target,
            status=status,
        )
    june = {g.code: g for g in integrations.goal_progress(date(2025, 6, 30))}
    may = {g.code: g for g in integrations.goal_progress(date(2025, 5, 31))}
    assert june["industry-scale"].actual == Decimal("30000000000") and june["industry-scale"].status == "正常"
    assert (
        may["industry-scale"].actual == Decimal("25000000000") and may["industry-scale"].status == "存在风险"
    )
    assert june["innovation-leaders"].actual is None and june["innovation-leaders"].status == "无数据"
    data = bulletin.bulletin_data(kunshan_plan, "2025-06", AS_OF)
    row = next(g for g in data["goals"] if g["code"] == "industry-scale")
    assert goal.unit == "yuan" and row["unit"] == "亿元"
    assert row["actual"] == "300.00" and row["target"] == str(
        (goal.target / 100_000_000).quantize(Decimal("0.01"))
    )
