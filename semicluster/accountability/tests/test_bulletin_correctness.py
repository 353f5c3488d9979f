"""What a bulletin asserts must follow from the data of its own period (audit findings)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from semicluster.accountability import bulletin, selectors, services
from semicluster.accountability.models import Decision
from semicluster.accountability.tests.conftest import only_lead
from semicluster.documents import render_html
from semicluster.documents.model import Section, Table
from semicluster.plans.models import Unit

pytestmark = pytest.mark.django_db

JUNE_AS_OF = date(2025, 7, 9)


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


@pytest.fixture
def swj_item(kunshan_plan, items):
    """Only 产业链招商图谱 (lead 市商务局) remains: one report owed per month, due on the 5th."""
    only_lead(kunshan_plan, {"investment-map"})
    return items["investment-map"]


def report_months(officer, item, days_after_due: dict[int, int]) -> None:
    """File 市商务局's report for each month ``days_after_due`` days after its due day (0 = on time)."""
    rules = selectors.reporting_rules(item.plan_version)
    for month, offset in days_after_due.items():
        period = bulletin.parse_period(f"2025-{month:02d}", rules)
        services.progress_report(
            actor=officer,
            item=item,
            text=f"{month}月进展",
            percent=Decimal(month * 10),
            milestones_reached=list(item.milestones.all()) if month == 4 else [],
            reported_on=period.due_date + timedelta(days=offset),
            period_key=period.key,
        )


# --------------------------------------------------------------------------- "各责任单位均按时报送"


def test_the_bulletin_says_every_unit_reported_on_time_when_every_report_came_by_its_due_day(
    kunshan_plan, swj_item, swj_officer
):
    report_months(swj_officer, swj_item, dict.fromkeys(range(1, 7), 0))
    data = bulletin.bulletin_data(kunshan_plan, "2025-Q2", JUNE_AS_OF)
    texts = bulletin.generated_paragraphs(data)
    assert bulletin.all_reported_on_time(data)
    assert "各责任单位均按时报送" in texts["summary"] and "各责任单位均按时报送" in texts["silent"]


def test_a_unit_reporting_after_the_due_day_is_named_and_nobody_is_said_to_have_reported_on_time(
    kunshan_plan, swj_item, swj_officer
):
    # As in the demo: 市商务局 reports each of April–June two days after the due day (inside the grace
    # period, so it is never "silent"), i.e. 0 % on time for the quarter.
    report_months(swj_officer, swj_item, {1: 0, 2: 0, 3: 0, 4: 2, 5: 2, 6: 2})
    data = bulletin.bulletin_data(kunshan_plan, "2025-Q2", JUNE_AS_OF)
    assert data["silent"] == []
    assert data["period_reporting"]["late"] == [
        {"unit": "swj", "unit_name": "市商务局", "reports": 3, "owed": 3}
    ]
    texts = bulletin.generated_paragraphs(data)
    assert not bulletin.all_reported_on_time(data)
    html = render_html(bulletin.build_document(data))
    assert "均按时报送" not in html
    assert "1个单位逾期报送本期工作进展（市商务局）" in texts["summary"]
    assert "市商务局（应报送3次，逾期报送3次）" in texts["silent"]
    # The first quarter was reported on time: its bulletin may say so.
    q1 = bulletin.bulletin_data(kunshan_plan, "2025-Q1", date(2025, 4, 9))
    assert "各责任单位均按时报送" in bulletin.generated_paragraphs(q1)["summary"]


def test_a_silent_unit_is_named_and_nobody_is_said_to_have_reported_on_time(
    kunshan_plan, swj_item, swj_officer
):
    report_months(swj_officer, swj_item, dict.fromkeys(range(1, 6), 0))  # June never reported
    data = bulletin.bulletin_data(kunshan_plan, "2025-06", JUNE_AS_OF)
    texts = bulletin.generated_paragraphs(data)
    assert [s["unit"] for s in data["period_reporting"]["silent"]] == ["swj"]
    assert "均按时报送" not in texts["summary"] + texts["silent"]
    assert "1个单位未按时报送工作进展（市商务局）" in texts["summary"]


def test_before_any_report_of_the_period_is_due_the_bulletin_claims_nothing_about_punctuality(
    kunshan_plan, swj_item, swj_officer
):
    report_months(swj_officer, swj_item, dict.fromkeys(range(1, 6), 0))
    data = bulletin.bulletin_data(kunshan_plan, "2025-06", date(2025, 6, 20))  # June's report is due 5 July
    texts = bulletin.generated_paragraphs(data)
    assert data["period_reporting"]["periods"] == []
    assert "均按时报送" not in texts["summary"] and "尚未到报送期限" in texts["silent"]


# --------------------------------------------------------------------------- lights as of the period end


@pytest.fixture
def light_history(kunshan_plan):
    """kfq: green from May, red from November; gxq: yellow from March; hq: first lit in December.
    Every project's *current* light says red, which no past bulletin may show."""
    from semicluster.projects.models import LightChange, Project
    from semicluster.projects.tests.conftest import make_project

    kfq, gxq, hq = (make_project(area=code) for code in ("kfq", "gxq", "hq"))
    LightChange.objects.all().delete()  # saving lit them for today's month; write a known history
    for project, month, colour in (
        (kfq, 5, "green"),
        (gxq, 3, "yellow"),
        (kfq, 11, "red"),
        (hq, 12, "green"),
    ):
        LightChange.objects.create(project=project, month=date(2025, month, 1), colour=colour)
    Project.objects.update(light="red")
    return {"kfq": kfq, "gxq": gxq, "hq": hq}


def test_lights_as_of_a_day_come_from_the_light_history_not_the_current_light(
    kunshan_plan, personas, light_history
):
    from semicluster.projects.models import LightChange
    from semicluster.projects.selectors import lights_as_of

    kfq, gxq, hq = light_history["kfq"], light_history["gxq"], light_history["hq"]
    admin = personas["admin"]
    assert lights_as_of(user=admin, day=date(2025, 2, 28)) == {}
    assert lights_as_of(user=admin, day=date(2025, 6, 30)) == {kfq.pk: "green", gxq.pk: "yellow"}
    assert lights_as_of(user=admin, day=date(2025, 12, 31)) == {
        kfq.pk: "red",
        gxq.pk: "yellow",
        hq.pk: "green",
    }
    # A month evaluated twice: the later evaluation counts.
    LightChange.objects.create(project=gxq, month=date(2025, 3, 1), colour="green", previous="yellow")
    assert lights_as_of(user=admin, day=date(2025, 6, 30))[gxq.pk] == "green"
    # Scoped like every project list: a kfq officer sees only kfq's project.
    assert lights_as_of(user=personas["kfq_officer"], day=date(2025, 12, 31)) == {kfq.pk: "red"}


def test_a_q2_and_a_december_bulletin_show_the_lights_and_area_ranking_of_their_own_period(
    kunshan_plan, items, light_history
):
    q2 = bulletin.bulletin_data(kunshan_plan, "2025-Q2", JUNE_AS_OF)
    december = bulletin.bulletin_data(kunshan_plan, "2025-12", date(2026, 1, 9))
    assert q2["projects"]["as_of"] == "2025-06-30" and december["projects"]["as_of"] == "2025-12-31"
    assert q2["projects"]["lights"] == {"green": 1, "yellow": 1, "red": 0}
    assert december["projects"]["lights"] == {"green": 1, "yellow": 1, "red": 1}

    def ranking(data):
        rows = tables(bulletin.build_document(data))["区镇排名（按重大项目亮灯得分）"].body_rows
        return [(rank, name, score) for rank, name, score in rows if score > 0]

    assert ranking(q2)[:2] == [(1, "开发区", Decimal("100.0")), (2, "高新区", Decimal("50.0"))]
    assert ranking(december)[:2] == [(1, "花桥", Decimal("100.0")), (2, "高新区", Decimal("50.0"))]
    by_area = {a["code"]: a for a in q2["projects"]["by_area"]}
    assert (by_area["kfq"]["green"], by_area["kfq"]["red"], by_area["hq"]["green"]) == (1, 0, 0)
    assert "截至2025年6月30日" in bulletin.generated_paragraphs(q2)["projects"]
    # Before any light was evaluated the bulletin says so instead of printing zero lights.
    february = bulletin.bulletin_data(kunshan_plan, "2025-02", date(2025, 3, 9))
    assert february["projects"]["lights"] == {"green": 0, "yellow": 0, "red": 0}
    assert "纳入项目库的重大项目3个，尚无亮灯评价记录" in bulletin.generated_paragraphs(february)["projects"]


# --------------------------------------------------------------------------- meetings and decisions


def test_a_tracked_meeting_decision_shows_up_in_the_next_bulletin_with_its_work_items_status(
    kunshan_plan, items, personas
):
    admin = personas["admin"]
    meeting = services.meeting_record(
        actor=admin,
        version=kunshan_plan,
        date=date(2025, 7, 15),
        title="领导小组第二次会议",
        attendees="各成员单位",
        topics="流片补贴",
        decisions=[
            ("市财政局制定流片补贴兑现细则", Unit.objects.get(code="czj"), date(2025, 9, 30)),
            ("研究设立产业基金", None, None),
        ],
    )
    tracked = Decision.objects.get(meeting=meeting, sort=1)
    item = services.decision_track(actor=admin, decision=tracked)

    june = bulletin.bulletin_data(kunshan_plan, "2025-06", JUNE_AS_OF)
    assert june["meetings"] == []
    assert bulletin.generated_paragraphs(june)["meetings"] == "本期未召开领导小组会议。"

    july_as_of = date(2025, 8, 9)
    july = bulletin.bulletin_data(kunshan_plan, "2025-07", july_as_of)
    [row] = selectors.item_rows(
        selectors.with_status_data(type(item).objects.filter(pk=item.pk)),
        july_as_of,
        selectors.reporting_rules(kunshan_plan),
    )
    status = bulletin.STATUS_ZH[row.status.status.value]
    document = bulletin.build_document(july)
    section = next(s for s in document.sections if s.heading == "领导小组会议及议定事项")
    assert section is not None
    table = tables(document)["领导小组议定事项落实情况"]
    assert [r[1:6] for r in table.body_rows] == [
        ("市财政局制定流片补贴兑现细则", "市财政局", "2025-09-30", item.code, status),
        ("研究设立产业基金", "—", "—", "—", "未转为工作事项"),
    ]
    assert table.body_rows[0][0] == "2025年7月15日领导小组第二次会议"
    text = bulletin.generated_paragraphs(july)["meetings"]
    assert "召开领导小组会议1次" in text and "形成议定事项2项" in text
    assert f"已转为工作事项跟踪1项，其中{status}1项" in text and "另有1项尚未转为工作事项跟踪" in text
    assert "市财政局制定流片补贴兑现细则" in render_html(document)
