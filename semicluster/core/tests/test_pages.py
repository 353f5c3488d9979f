import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["admin", "leader", "kfq_officer", "unit_officer", "enterprise_user"])
def test_every_role_can_log_in_and_sees_the_demo_banner(client, personas, persona, settings):
    settings.SEMICLUSTER_DEMO_MODE = True
    client.force_login(personas[persona])
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert 'data-testid="demo-banner"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, kunshan_plan):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_interface_switches_between_chinese_and_english(client, personas):
    client.force_login(personas["admin"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Enterprise library" in client.get(reverse("core:home")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert "企业库" in html and "Enterprise library" not in html and "模拟演示数据" in html


def test_navigation_depends_on_the_role(client, personas):
    client.force_login(personas["unit_officer"])
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("enterprises:list") not in html
    client.force_login(personas["kfq_officer"])
    assert reverse("enterprises:list") in client.get(reverse("core:home")).content.decode()


def test_pages_carry_a_strict_content_security_policy(client, personas):
    client.force_login(personas["admin"])
    csp = client.get(reverse("core:home"))["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "script-src 'self'" in csp


def test_the_plan_page_traces_goals_to_their_clause(client, personas):
    client.force_login(personas["leader"])
    html = client.get(reverse("plans:overview")).content.decode()
    assert "半导体相关产业规模超 350 亿元" in html and "二、1" in html


def test_the_health_endpoint_reports_the_database(client, db):
    assert client.get(reverse("core:health")).json() == {"status": "ok", "database": "ok"}


def test_admin_changes_are_kept_in_history_with_who_changed_what(client, personas):
    from semicluster.plans.models import Area

    area = Area.objects.get(code="hq")
    client.force_login(personas["admin"])
    response = client.post(
        reverse("admin:plans_area_change", args=[area.pk]),
        {
            "code": "hq",
            "name": "花桥",
            "name_en": "Huaqiao EDZ",
            "official_name": area.official_name,
            "focus": area.focus,
            "sort": area.sort,
            "source": area.source,
            "source_text": area.source_text,
            "focus_nodes": [n.pk for n in area.focus_nodes.all()],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = area.history.latest()
    assert latest.history_user == personas["admin"]
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name_en", "Huaqiao", "Huaqiao EDZ")]


def test_a_nul_character_in_a_request_is_refused_before_it_reaches_the_database(client, personas):
    client.force_login(personas["admin"])
    assert client.get("/enterprises/", {"q": "a\x00b"}).status_code == 400
    response = client.get("/api/enterprises/", {"q": "a\x00b"})
    assert response.status_code == 400 and "NUL" in response.json()["detail"][0]["msg"]
    body = '{"name": "x\\u0000"}'
    assert client.post("/api/enterprises/", body, content_type="application/json").status_code == 400
