"""R&D projects on key technologies, the coverage view, and the platforms registry."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from semicluster.accounts.services import api_token_create
from semicluster.core.testing import make_enterprise
from semicluster.enterprises.models import InnovationPlatform
from semicluster.innovation import selectors, services
from semicluster.innovation.models import RDProject
from semicluster.plans.models import KeyTechnology

pytestmark = pytest.mark.django_db
START = dt.date(2025, 1, 1)


def tech(code: str) -> KeyTechnology:
    return selectors.key_technologies().get(code=code)


def project(actor, firm=None, code="mems-sensors", status="active", platform=None, **extra):
    data = {
        "title": "测试项目",
        "key_technology": tech(code),
        "enterprise": firm,
        "platform": platform,
        "budget": Decimal("1200000"),
        "start": START,
        "status": status,
        **extra,
    }
    return services.project_save(actor=actor, data=data)


def test_coverage_shows_key_technologies_without_active_work(personas):
    firm = make_enterprise(area="ldq", node="mems-sensor")
    project(personas["admin"], firm, "mems-sensors")
    project(personas["admin"], firm, "eda-ip-cores", status="completed")
    rows = {r.technology.code: r for r in selectors.coverage()}
    assert len(rows) == 12
    assert rows["mems-sensors"].covered and rows["mems-sensors"].budget == Decimal("1200000")
    assert not rows["eda-ip-cores"].covered and rows["eda-ip-cores"].completed == 1
    assert sum(1 for r in rows.values() if not r.covered) == 11


def test_a_project_needs_a_performer_and_its_area_follows_the_enterprise(personas):
    with pytest.raises(ValidationError):
        project(personas["admin"], None)
    firm = make_enterprise(area="gxq")
    assert project(personas["admin"], firm).area.code == "gxq"


def test_milestones_need_a_date_and_a_description(personas):
    with pytest.raises(ValidationError) as error:
        project(personas["admin"], make_enterprise(), milestones=[{"date": "2025-06-30"}])
    assert "milestones" in error.value.message_dict


def test_scope_rules_for_filing_projects(personas):
    with pytest.raises(PermissionError):
        project(personas["kfq_officer"], make_enterprise(area="gxq"))
    with pytest.raises(PermissionError):
        project(personas["enterprise_user"], make_enterprise(area="kfq"))
    own = project(personas["enterprise_user"], personas["enterprise_user"].enterprise)
    assert own.enterprise_id == personas["enterprise_user"].enterprise_id


def test_importing_a_project_twice_changes_nothing(personas):
    firm = make_enterprise(area="kfq")
    row = {
        "title": "氮化镓外延攻关",
        "key_technology": "gan-epitaxial",
        "budget": Decimal("800000"),
        "start": START,
    }
    first, created = services.project_import_row(actor=personas["admin"], credit_code=firm.credit_code, **row)
    again, created_again = services.project_import_row(
        actor=personas["admin"], credit_code=firm.credit_code, **row
    )
    assert created and not created_again and first.pk == again.pk and RDProject.objects.count() == 1
    with pytest.raises(ValidationError):
        services.project_import_row(
            actor=personas["admin"], credit_code=firm.credit_code, **{**row, "key_technology": "x"}
        )


def test_another_areas_project_is_a_404_in_the_ui_and_the_api(client, personas):
    other = project(personas["admin"], make_enterprise(area="gxq"))
    client.force_login(personas["kfq_officer"])
    assert client.get(reverse("innovation:project_edit", args=[other.pk])).status_code == 404
    _token, secret = api_token_create(user=personas["kfq_officer"], name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/innovation/projects/{other.pk}", **headers).status_code == 404
    body = {
        "title": "x",
        "key_technology": "mems-sensors",
        "enterprise": other.enterprise_id,
        "budget": "1",
        "start": "2025-01-01",
    }
    response = client.post(
        "/api/innovation/projects", json.dumps(body), content_type="application/json", **headers
    )
    assert response.status_code == 404


def test_named_institutions_show_no_figures_and_demo_platforms_are_marked(client, personas):
    fictional = InnovationPlatform.objects.create(name="示例平台（虚构）", kind="lab")
    fictional.enterprises.add(personas["enterprise_user"].enterprise)
    client.force_login(personas["admin"])
    html = client.get(reverse("innovation:platforms")).content.decode()
    assert "昆山工业技术研究院" in html and "清华科技园昆山分园" in html
    named = InnovationPlatform.objects.get(name="阳澄湖未来实验室")
    detail = client.get(reverse("innovation:platform_detail", args=[named.pk])).content.decode()
    assert (
        'data-testid="named"' in detail and "R&amp;D projects" not in detail.split('data-testid="named"')[1]
    )
    detail = client.get(reverse("innovation:platform_detail", args=[fictional.pk])).content.decode()
    assert 'data-testid="fictional"' in detail and personas["enterprise_user"].enterprise.name in detail


def test_the_project_form_files_a_project_with_milestones(client, personas):
    firm = personas["enterprise_user"].enterprise
    client.force_login(personas["enterprise_user"])
    response = client.post(
        reverse("innovation:project_new"),
        {
            "title": "先进封装验证",
            "key_technology": tech("wafer-level-packaging").pk,
            "enterprise": firm.pk,
            "budget": "500000",
            "start": "2025-02-01",
            "status": "active",
            "milestones_text": "2025-06-30 完成样品\n2025-12-31 通过验证",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    saved = RDProject.objects.get()
    assert [m["date"] for m in saved.milestones] == ["2025-06-30", "2025-12-31"]


@pytest.mark.parametrize("page", ["innovation:coverage", "innovation:projects", "innovation:platforms"])
def test_pages_pin_their_query_count(client, personas, page, django_assert_max_num_queries):
    for _ in range(25):
        project(personas["admin"], make_enterprise(area="kfq"))
    client.force_login(personas["kfq_officer"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse(page))
    assert response.status_code == 200


# --- milestones keep their done state through the form; planned work is no cover; levels by name ---------

MILESTONES = [
    {"date": "2025-03-31", "description": "完成方案设计", "done": True, "description_en": "design done"},
    {"date": "2025-09-30", "description": "完成样品流片", "done": False},
]


def form_post(instance, **overrides):
    data = {
        "title": instance.title,
        "key_technology": instance.key_technology_id,
        "enterprise": instance.enterprise_id or "",
        "platform": instance.platform_id or "",
        "budget": str(instance.budget),
        "start": instance.start.isoformat(),
        "end": "",
        "status": instance.status,
    }
    data.update(overrides)
    return data


def test_editing_a_project_in_the_form_keeps_the_done_state_of_its_milestones(client, personas):
    saved = project(personas["admin"], make_enterprise(area="kfq"), milestones=MILESTONES)
    client.force_login(personas["kfq_officer"])
    form = client.get(reverse("innovation:project_edit", args=[saved.pk])).context["form"]
    text = form["milestones_text"].value()
    assert text == "2025-03-31 完成方案设计（已完成）\n2025-09-30 完成样品流片"
    # The budget changes; the milestones come back as the form showed them.
    response = client.post(
        reverse("innovation:project_edit", args=[saved.pk]),
        form_post(saved, budget="1500000", milestones_text=text),
    )
    assert response.status_code == 302, response.content.decode()[:500]
    saved.refresh_from_db()
    assert saved.budget == Decimal("1500000") and saved.milestones == MILESTONES


def test_the_form_marks_a_milestone_done_and_adds_a_new_one_not_done(client, personas):
    saved = project(personas["admin"], make_enterprise(area="kfq"), milestones=MILESTONES)
    client.force_login(personas["admin"])
    text = "2025-03-31 完成方案设计（已完成）\n2025-09-30 完成样品流片（已完成）\n2026-06-30 小批量试产"
    response = client.post(
        reverse("innovation:project_edit", args=[saved.pk]), form_post(saved, milestones_text=text)
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert [m["done"] for m in saved.milestones] == [True, True, False]
    assert saved.milestones[2] == {"date": "2026-06-30", "description": "小批量试产", "done": False}


def test_the_form_names_the_milestone_whose_date_is_wrong(client, personas):
    saved = project(personas["admin"], make_enterprise(area="kfq"), milestones=MILESTONES)
    client.force_login(personas["admin"])
    response = client.post(
        reverse("innovation:project_edit", args=[saved.pk]),
        form_post(saved, milestones_text="2025-03-31 完成方案设计\n九月 完成样品流片"),
    )
    assert response.status_code == 200
    assert "第2个里程碑" in response.context["form"].errors["milestones_text"][0]
    saved.refresh_from_db()
    assert saved.milestones == MILESTONES  # a refused form writes nothing


def test_the_project_list_and_the_enterprise_panel_show_milestones_with_their_done_marks(client, personas):
    firm = make_enterprise(area="kfq")
    project(personas["admin"], firm, milestones=MILESTONES)
    client.force_login(personas["admin"])
    listing = client.get(reverse("innovation:projects")).content.decode()
    panel = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    for page in (listing, panel.split('data-testid="innovation-panel"')[1]):
        assert "2025-03-31 完成方案设计" in page and "2025-09-30 完成样品流片" in page
        assert page.count('data-testid="milestone-done"') == 1
        done = page.split("2025-03-31 完成方案设计")[1].split("</li>")[0]
        assert 'data-testid="milestone-done"' in done and "已完成" in done


def test_a_leaders_project_list_has_no_links_to_a_form_they_may_not_open(client, personas):
    saved = project(personas["admin"], make_enterprise(area="kfq"))
    client.force_login(personas["leader"])
    page = client.get(reverse("innovation:projects")).content.decode()
    assert saved.title in page and reverse("innovation:project_edit", args=[saved.pk]) not in page


def test_a_key_technology_with_only_planned_projects_has_no_active_project(client, personas):
    firm = make_enterprise(area="ldq", node="mems-sensor")
    project(personas["admin"], firm, "mems-sensors", status="planned")
    project(personas["admin"], firm, "mems-sensors", status="planned", title="第二个拟研项目")
    project(personas["admin"], firm, "eda-ip-cores", status="active")
    rows = {r.technology.code: r for r in selectors.coverage()}
    planned_only = rows["mems-sensors"]
    assert not planned_only.covered and (planned_only.active, planned_only.planned) == (0, 2)
    assert planned_only.budget == Decimal(0)  # the budget of active work only
    assert rows["eda-ip-cores"].covered and rows["eda-ip-cores"].planned == 0
    client.force_login(personas["leader"])
    page = client.get(reverse("innovation:coverage")).content.decode()
    gaps = page.split('data-testid="gaps"')[1].split("</div>")[0]
    assert str(planned_only.technology) in gaps and "拟研 2 项" in gaps
    assert str(rows["eda-ip-cores"].technology) not in gaps
    api = client.get("/api/innovation/coverage").json()  # the session works for the API too
    row = next(r for r in api if r["code"] == "mems-sensors")
    assert (row["active"], row["planned"], row["covered"]) == (0, 2, False)


def test_platform_levels_are_shown_by_name_not_code(client, personas):
    platform = InnovationPlatform.objects.create(name="示例平台（虚构）", kind="lab", level="provincial")
    client.force_login(personas["leader"])
    listing = client.get(reverse("innovation:platforms")).content.decode()
    detail = client.get(reverse("innovation:platform_detail", args=[platform.pk])).content.decode()
    for page in (listing, detail):
        assert "省级" in page and "provincial" not in page
