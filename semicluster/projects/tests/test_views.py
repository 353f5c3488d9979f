import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from semicluster.core.models import SecurityEvent
from semicluster.core.testing import make_enterprise, synthetic_credit_code
from semicluster.plans.models import Unit
from semicluster.projects import selectors, services
from semicluster.projects.models import Project
from semicluster.projects.tests.conftest import TODAY, M, make_project

pytestmark = pytest.mark.django_db


def with_progress(
    project, admin, *, month=6, ytd=60 * M, reported=date(2025, 6, 20), started=date(2025, 2, 10)
):
    services.project_transition(
        actor=admin, project=project, target="started", dates={"actual_start": started}, today=TODAY
    )
    services.project_progress_record(
        actor=admin,
        project=project,
        year=2025,
        month=month,
        ytd_completed=ytd,
        reported_at=reported,
        today=TODAY,
    )
    project.refresh_from_db()
    return project


@pytest.fixture
def library(personas):
    admin = personas["admin"]
    kfq = make_project(
        actor=admin, name="开发区封测扩产项目", annual_plans={2025: 120 * M}, planned_start=date(2025, 2, 1)
    )
    gxq = make_project(
        actor=admin, area="gxq", name="高新区外延片项目", annual_plans={2025: 100 * M}, responsible_unit="fgw"
    )
    with_progress(kfq, admin)
    with_progress(gxq, admin, ytd=20 * M)  # 20.0 % in June: 30 points behind → yellow
    return {"kfq": kfq, "gxq": gxq}


# --- scoping ------------------------------------------------------------------------------------------


def test_another_areas_project_is_not_found_in_the_pages_or_the_api(client, personas, library):
    client.force_login(personas["gxq_officer"])
    assert client.get(reverse("projects:detail", args=[library["kfq"].pk])).status_code == 404
    assert client.get(reverse("projects:edit", args=[library["kfq"].pk])).status_code == 404
    assert client.get(reverse("projects:detail", args=[library["gxq"].pk])).status_code == 200
    assert client.get(f"/api/projects/{library['kfq'].pk}").status_code == 404
    assert client.get(f"/api/projects/{library['gxq'].pk}/light").status_code == 200
    listed = [p["id"] for p in client.get("/api/projects/").json()["items"]]
    assert listed == [library["gxq"].pk]


def test_a_unit_officer_sees_the_projects_and_tickets_of_their_unit_only(client, personas, library):
    admin = personas["admin"]
    fgw, gxj = Unit.objects.get(code="fgw"), Unit.objects.get(code="gxj")
    mine = services.problem_add(
        actor=admin,
        project=library["kfq"],
        description="发改备案",
        category="permits",
        owner_unit=fgw,
        deadline=date(2025, 10, 1),
        raised_on=date(2025, 9, 1),
    )
    services.problem_add(
        actor=admin,
        project=library["kfq"],
        description="工信技改",
        category="funds",
        owner_unit=gxj,
        deadline=date(2025, 10, 1),
        raised_on=date(2025, 9, 1),
    )
    tickets = services.problems_escalate(today=TODAY).created
    own = next(t for t in tickets if t.problem == mine)
    other = next(t for t in tickets if t.problem != mine)

    client.force_login(personas["unit_officer"])  # unit fgw
    html = client.get(reverse("projects:tickets")).content.decode()
    assert own.number in html and other.number not in html
    assert client.get(reverse("projects:ticket", args=[other.pk])).status_code == 404
    assert [t["id"] for t in client.get("/api/projects/tickets").json()["items"]] == [own.pk]
    # Projects: only the one whose responsible unit is fgw.
    assert [p["id"] for p in client.get("/api/projects/").json()["items"]] == [library["gxq"].pk]

    response = client.post(reverse("projects:ticket", args=[own.pk]), {"action": "reply", "text": "已办理"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "replied"
    assert (
        client.post(
            f"/api/projects/tickets/{own.pk}/close", {"text": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_an_enterprise_user_reads_their_firms_projects_but_cannot_change_them(client, personas, kunshan_plan):
    user = personas["enterprise_user"]
    own = make_project(actor=personas["admin"], owner=user.enterprise)
    other = make_project(actor=personas["admin"])
    client.force_login(user)
    assert client.get(reverse("projects:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("projects:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("projects:edit", args=[own.pk])).status_code == 403
    payload = {"year": 2025, "month": 1, "ytd_completed": "1000.00"}
    assert (
        client.put(f"/api/projects/{own.pk}/progress", payload, content_type="application/json").status_code
        == 403
    )
    panel = client.get(reverse("enterprises:detail", args=[user.enterprise_id])).content.decode()
    assert 'data-testid="enterprise-projects"' in panel and own.name in panel and other.name not in panel


# --- pages -------------------------------------------------------------------------------------------


def test_the_library_lists_lights_with_their_reasons_and_filters_by_light(client, personas, library):
    client.force_login(personas["leader"])
    html = client.get(reverse("projects:list")).content.decode()
    assert library["kfq"].name in html and library["gxq"].name in html
    assert "落后序时进度30.0个百分点" in html  # the yellow light's reason, on the list itself
    html = client.get(reverse("projects:list"), {"light": "yellow"}).content.decode()
    assert library["gxq"].name in html and library["kfq"].name not in html


def test_the_library_page_runs_a_fixed_number_of_queries(
    client, personas, library, django_assert_max_num_queries
):
    admin = personas["admin"]
    for i in range(25):
        with_progress(make_project(actor=admin, name=f"批量项目{i}", annual_plans={2025: 100 * M}), admin)
    client.force_login(personas["leader"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200 and "批量项目24" in response.content.decode()


def test_the_project_page_states_the_measures_as_bulletins_do(client, personas, library):
    client.force_login(personas["kfq_officer"])
    html = client.get(reverse("projects:detail", args=[library["kfq"].pk])).content.decode()
    assert 'data-measure="ytd_completion_pct"' in html and "50.0%" in html
    assert "0.0 points ahead of schedule" in html or "超过序时进度" in html
    assert 'data-testid="gantt"' in html and "gl-" in html and "style=" not in html
    assert 'data-chart="investment-chart-data"' in html
    chart = json.loads(
        html.split('id="investment-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["series"][0]["data"][5] == 6000  # schedule in June: 120 M × 6/12 = 6000 万元
    assert chart["series"][1]["data"][5] == 6000


def test_the_project_identity_table_keeps_each_label_on_one_line(client, personas, library):
    client.force_login(personas["kfq_officer"])
    html = client.get(reverse("projects:detail", args=[library["kfq"].pk])).content.decode()
    table = re.search(r'<table class="([^"]*)" data-testid="identity">', html)
    assert table is not None and "table-labelled" in table.group(1).split()
    stylesheet = Path(finders.find("semicluster/app.css")).read_text(encoding="utf-8")
    rule = re.search(r"table\.table-labelled th \{([^}]*)\}", stylesheet)
    assert rule is not None and "white-space: nowrap" in rule.group(1)  # a class, not a style= (CSP)


def test_the_board_counts_lights_per_area(client, personas, library):
    client.force_login(personas["admin"])
    html = client.get(reverse("projects:board")).content.decode()
    assert 'data-area="kfq"' in html and 'data-area="gxq"' in html
    board = {
        e["area"].code: e for e in selectors.board_by_area(user=personas["admin"], month=date(2025, 6, 1))
    }
    assert board["kfq"]["lights"] == {"red": 0, "yellow": 0, "green": 1}
    assert board["gxq"]["lights"] == {"red": 0, "yellow": 1, "green": 0}
    assert board["gxq"]["pct"] == Decimal("20.0")


def test_a_district_officer_registers_a_project_with_a_new_owner_from_the_form(
    client, personas, kunshan_plan
):
    officer = personas["kfq_officer"]
    area = officer.area
    client.force_login(officer)
    code = synthetic_credit_code()
    response = client.post(
        reverse("projects:create"),
        {
            "name": "新引进先进封装项目",
            "area": area.pk,
            "town": area.towns.first().pk,
            "node": area.focus_nodes.first().pk,
            "category": "new",
            "source": "investment_lead",
            "stage": "signed",
            "total_investment_wan": "12000",
            "annual_plan_wan": "3000",
            "new_owner_credit_code": code,
            "new_owner_name": "新引进企业（测试）",
            "new_owner_ownership": "foreign",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(name="新引进先进封装项目")
    assert project.owner.credit_code == code and project.total_investment == Decimal("120000000.00")
    assert project.annual_plans.get(year=2025).amount == Decimal("30000000.00")
    assert project.in_library and project.history.latest().history_user == officer


def test_the_form_shows_the_threshold_refusal(client, personas, kunshan_plan):
    kunshan_plan.document["project_library"]["below_threshold"] = "refuse"
    kunshan_plan.save()
    officer = personas["kfq_officer"]
    client.force_login(officer)
    response = client.post(
        reverse("projects:create"),
        {
            "name": "小项目",
            "owner": make_enterprise(area=officer.area).pk,
            "area": officer.area.pk,
            "town": officer.area.towns.first().pk,
            "node": officer.area.focus_nodes.first().pk,
            "category": "new",
            "source": "expansion",
            "stage": "reserve",
            "total_investment_wan": "800",
        },
    )
    assert response.status_code == 200
    assert "不予入库" in response.content.decode()
    assert not Project.objects.exists()


def test_export_neutralises_formula_injection(client, personas, kunshan_plan):
    admin = personas["admin"]
    make_project(actor=admin, name='=HYPERLINK("http://x")', responsible_leader="@leader")
    client.force_login(admin)
    response = client.get(reverse("projects:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")' and sheet["Q2"].value == "'@leader"
    assert sheet["J2"].value == 20000  # total investment in 万元, a number
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("projects:list"), {"export": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert rows[1][0].startswith("'=")
    assert SecurityEvent.objects.filter(kind="export").count() == 2


# --- cohorts and indicators --------------------------------------------------------------------------


@pytest.fixture
def milestones(personas):
    admin = personas["admin"]
    made = {}
    for key, area, dates, target in [
        ("a", "kfq", {"actual_start": date(2025, 1, 15)}, "started"),
        ("b", "kfq", {"actual_start": date(2025, 3, 3)}, "started"),
        ("c", "gxq", {"actual_start": date(2024, 5, 1), "actual_completion": date(2025, 4, 30)}, "completed"),
        (
            "d",
            "gxq",
            {
                "actual_start": date(2024, 1, 1),
                "actual_completion": date(2024, 12, 1),
                "actual_production": date(2025, 7, 1),
            },
            "in_production",
        ),
        ("e", "kfq", {"actual_start": date(2025, 8, 1)}, "started"),
    ]:
        project = make_project(actor=admin, area=area, planned_start=date(2025, 1, 1))
        services.project_transition(actor=admin, project=project, target=target, dates=dates, today=TODAY)
        made[key] = project
    ordinary = make_project(actor=admin, total_investment=10 * M)
    services.project_transition(
        actor=admin, project=ordinary, target="started", dates={"actual_start": date(2025, 2, 1)}, today=TODAY
    )
    made["ordinary"] = ordinary
    return made


def test_cohorts_count_library_projects_per_month_and_quarter(personas, milestones):
    data = selectors.cohorts(user=personas["leader"], year=2025, through_month=6)
    assert data.monthly["started"] == [1, 0, 1, 0, 0, 0]  # e (August) is after June; ordinary not counted
    assert data.quarterly["started"] == [2, 0, 0, 0]
    assert data.monthly["completed"] == [0, 0, 0, 1, 0, 0]
    assert data.totals == {"started": 2, "completed": 1, "in_production": 0}
    assert data.planned["started"] == 5  # library projects planned to start in 2025 (from January)
    kfq = selectors.cohorts(user=personas["kfq_officer"], year=2025, through_month=12)
    assert kfq.totals == {"started": 3, "completed": 0, "in_production": 0}


def test_cohorts_show_targets_when_the_plan_sets_them(client, personas, milestones, kunshan_plan):
    kunshan_plan.document["project_library"]["cohort_targets"] = {"started": 30, "completed": 12}
    kunshan_plan.save()
    assert selectors.cohorts(user=personas["admin"], year=2025).targets == {"started": 30, "completed": 12}
    client.force_login(personas["leader"])
    html = client.get(reverse("projects:cohorts"), {"month": "2025-10"}).content.decode()
    assert 'data-milestone="started"' in html and ">30<" in html


def test_the_milestone_indicator_returns_ids_in_the_year_up_to_the_month(milestones):
    ids = {k: p.pk for k, p in milestones.items()}
    started = selectors.indicator_project_milestones(
        milestone="started", year=2025, through_month=3, area_codes=None, node_codes=None
    )
    assert started == sorted([ids["a"], ids["b"]])
    assert (
        selectors.indicator_project_milestones(
            milestone="started", year=2025, through_month=12, area_codes=["gxq"], node_codes=None
        )
        == []
    )
    assert selectors.indicator_project_milestones(
        milestone="in_production", year=2025, through_month=7, area_codes=["gxq"], node_codes=None
    ) == [ids["d"]]
    assert (
        selectors.indicator_project_milestones(
            milestone="in_production", year=2025, through_month=6, area_codes=None, node_codes=None
        )
        == []
    )
    node = milestones["a"].node.code
    assert ids["a"] in selectors.indicator_project_milestones(
        milestone="started", year=2025, through_month=1, area_codes=None, node_codes=[node]
    )


def test_the_places_indicator_helper_gives_each_projects_area_and_node(milestones):
    places = selectors.indicator_project_places([p.pk for p in milestones.values()] + [10**9])
    assert places == {
        p.pk: (p.area.code, p.node.code if p.node else "") for p in milestones.values()
    }  # an unknown id is simply absent


def test_the_investment_indicator_returns_the_months_reported_year_to_date_figures(personas, kunshan_plan):
    admin = personas["admin"]
    a = with_progress(
        make_project(actor=admin, annual_plans={2025: 100 * M}),
        admin,
        month=5,
        ytd=40 * M,
        reported=date(2025, 6, 3),
    )
    services.project_progress_record(
        actor=admin, project=a, year=2025, month=6, ytd_completed=Decimal("45000000.50"), today=TODAY
    )
    b = with_progress(make_project(actor=admin, area="gxq"), admin, month=6, ytd=7 * M)
    small = with_progress(make_project(actor=admin, total_investment=M), admin, month=6, ytd=M)
    assert not small.in_library
    got = selectors.indicator_project_investment(year=2025, month=6, area_codes=None, node_codes=None)
    assert got == {a.pk: Decimal("45000000.50"), b.pk: 7 * M}
    assert selectors.indicator_project_investment(
        year=2025, month=5, area_codes=["kfq"], node_codes=None
    ) == {a.pk: 40 * M}
    assert (
        selectors.indicator_project_investment(year=2025, month=6, area_codes=["hq"], node_codes=None) == {}
    )
    goal = selectors.new_investment_goal(year=2025, month=6)
    assert goal.ytd == Decimal("52000000.50") and goal.target == Decimal("5000000000.00")
    assert goal.pct == Decimal("1.0")


# --- the command --------------------------------------------------------------------------------------


def test_the_lights_command_prints_measures_and_reasons_in_a_table_and_as_json(library):
    out = io.StringIO()
    call_command("projects", "lights", "--month", "2025-06", stdout=out)
    text = out.getvalue()
    assert text.startswith("2025-06: 2 library projects")
    gxq_line = next(line for line in text.splitlines() if line.startswith(f"{library['gxq'].pk}\t"))
    assert gxq_line.split("\t")[1:8] == ["yellow", "gxq", "started", "20.0", "50.0", "-30.0", "0.4000"]
    assert "落后序时进度30.0个百分点" in gxq_line
    assert text.rstrip().endswith("red 0 · yellow 1 · green 1")

    out = io.StringIO()
    call_command("projects", "lights", "--month", "2025-06", "--format", "json", stdout=out)
    data = {row["id"]: row for row in json.loads(out.getvalue())}
    assert data[library["kfq"].pk]["light"]["colour"] == "green"
    assert data[library["gxq"].pk]["measures"]["gap_points"] == "-30.0"


def test_the_escalate_command_is_idempotent(personas, library):
    services.problem_add(
        actor=personas["admin"],
        project=library["kfq"],
        description="供电",
        category="power",
        owner_unit=Unit.objects.get(code="gxj"),
        deadline=date(2025, 8, 1),
        raised_on=date(2025, 7, 1),
    )
    out = io.StringIO()
    call_command("projects", "escalate", "--date", "2025-11-15", stdout=out)
    assert "1 ticket(s) raised, 0 already raised" in out.getvalue()
    out = io.StringIO()
    call_command("projects", "escalate", "--date", "2025-11-16", stdout=out)
    assert "0 ticket(s) raised, 1 already raised" in out.getvalue()


def test_the_pages_speak_chinese_and_english(client, personas, library):
    client.force_login(personas["admin"])
    detail = reverse("projects:detail", args=[library["gxq"].pk])
    html = client.get(detail).content.decode()
    assert "序时进度（月份÷12）" in html and "落后序时进度30.0个百分点" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(detail).content.decode()
    assert "Time-schedule progress" in html and "30.0 points behind schedule" in html
    for name in (
        "projects:list",
        "projects:board",
        "projects:cohorts",
        "projects:tickets",
        "projects:create",
    ):
        assert client.get(reverse(name)).status_code == 200, name
