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
