"""The cockpit and drill-down pages and the API: who sees what, and pinned query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from semicluster.core.testing import add_value, make_enterprise
from semicluster.monitoring.services import indicators_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(personas: dict[str, Any]) -> dict[str, Any]:
    kfq = make_enterprise(area="kfq", node="advanced-packaging", name="开发区甲（测试）")
    gxq = make_enterprise(area="gxq", node="display-driver-ic", name="高新区乙（测试）")
    for firm, (last, ytd) in ((kfq, (800, 500)), (gxq, (400, 300))):
        add_value(firm, "revenue", 2024, Decimal(last) * 10**6)
        add_value(firm, "revenue", 2025, Decimal(ytd) * 10**6, month=6)
    indicators_refresh()
    return {"kfq": kfq, "gxq": gxq}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_cockpit_renders_every_goal_with_lights_and_charts_for_a_leader(
    personas: dict[str, Any], figures: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(personas["leader"])
    with django_assert_max_num_queries(16):
        response = client.get("/monitoring/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="goal-industry-scale"' in html
    assert "8.00 亿元" in html  # 500 M + 300 M year to date, shown in 亿元
    assert html.count('class="chart"') >= 5
    assert 'data-chart="goal-0-trend"' in html and 'id="goal-0-trend"' in html
    # Goals at risk first: the first card is not better than the last.
    order = [s.split('"')[0] for s in html.split('data-status="')[1:]]
    rank = {"off_track": 0, "at_risk": 1, "no_data": 2, "on_track": 3, "achieved": 4}
    assert [rank[s] for s in order] == sorted(rank[s] for s in order)


def test_cockpit_says_when_indicators_were_never_computed(personas: dict[str, Any]) -> None:
    response = client_for(personas["admin"]).get("/monitoring/")
    assert 'data-testid="no-indicators"' in response.content.decode()


def test_enterprise_users_and_unit_officers_have_no_cockpit(personas: dict[str, Any], figures: Any) -> None:
    for who in ("enterprise_user", "unit_officer"):
        assert client_for(personas[who]).get("/monitoring/").status_code == 404
        assert client_for(personas[who]).get("/api/monitoring/indicators").status_code == 404


def test_drill_down_lists_the_firms_whose_values_make_up_the_figure(
    personas: dict[str, Any], figures: dict[str, Any]
) -> None:
    response = client_for(personas["leader"]).get("/monitoring/industry-scale/2025-06/city/")
    html = response.content.decode()
    assert "开发区甲（测试）" in html and "高新区乙（测试）" in html
    assert html.count("8.00 亿元") >= 2  # the figure and the records' total


def test_district_officer_reads_city_figures_but_only_own_area_records(
    personas: dict[str, Any], figures: dict[str, Any]
) -> None:
    client = client_for(personas["kfq_officer"])
    assert client.get("/monitoring/").status_code == 200
    html = client.get("/monitoring/industry-scale/2025-06/city/").content.decode()
    assert "开发区甲（测试）" in html
    assert "高新区乙（测试）" not in html
    assert 'data-testid="other-areas"' in html and "3.00 亿元" in html
    # Another area's breakdown is not found, in the UI and in the API alike.
    assert client.get("/monitoring/industry-scale/2025-06/area/gxq/").status_code == 404
    assert (
        client.get("/api/monitoring/drilldown/industry-scale/2025-06/area?scope_key=gxq").status_code == 404
    )
    assert client.get("/monitoring/industry-scale/2025-06/area/kfq/").status_code == 200


def test_api_lists_indicators_values_and_drill_downs_that_add_up(
    personas: dict[str, Any], figures: dict[str, Any]
) -> None:
    client = client_for(personas["admin"])
    indicators = client.get("/api/monitoring/indicators").json()
    scale = next(i for i in indicators if i["code"] == "industry-scale")
    assert Decimal(scale["latest"]["value"]) == Decimal("800000000")
    values = client.get("/api/monitoring/values?goal=industry-scale&period=2025-06&scope_kind=area").json()
    assert {v["scope_key"]: Decimal(v["value"]) for v in values["items"]}["gxq"] == Decimal("300000000")
    drill = client.get("/api/monitoring/drilldown/industry-scale/2025-06/city").json()
    assert sum(Decimal(r["value"]) for r in drill["records"]) == Decimal(drill["figure"]["value"])
    assert client.get("/api/monitoring/values?period=2025-13").status_code == 422
    assert client.get("/api/monitoring/drilldown/no-such-goal/2025-06/city").status_code == 404


def test_cockpit_chart_specs_render_to_png_for_reports_in_chinese(
    personas: dict[str, Any], figures: dict[str, Any]
) -> None:
    from django.utils import translation

    from semicluster.charts import render_png
    from semicluster.monitoring import charts, selectors

    with translation.override("zh-hans"):
        data = selectors.cockpit(user=personas["leader"])
        assert data.period is not None
        panel = next(p for p in data.panels if p.goal.code == "industry-scale")
        spec = charts.trend_chart(panel, data.period.year)
        png = render_png(spec, width_px=600, height_px=360, dpi=100)
    assert png.startswith(b"\x89PNG")
    assert spec.series[0].values[5] == Decimal("8.00")  # June, in 亿元
    assert "累计" in spec.series[0].name


def test_cockpit_data_takes_five_queries_whatever_the_data_size(
    personas: dict[str, Any], figures: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from semicluster.monitoring import selectors

    with django_assert_num_queries(5):
        data = selectors.cockpit(user=personas["leader"])
    assert data.version is not None
    assert len(data.panels) == data.version.goals.count()
    assert all(p.current is not None for p in data.panels)


def test_district_officer_sees_other_areas_projects_only_as_a_subtotal(
    personas: dict[str, Any], fake_apps: dict[str, Any]
) -> None:
    add_value(make_enterprise(area="kfq"), "revenue", 2025, 1, month=3)
    fake_apps["investment"] = {
        41: ("kfq", "advanced-packaging", {(2025, 3): Decimal("100")}),
        42: ("gxq", "advanced-packaging", {(2025, 3): Decimal("250")}),
    }
    indicators_refresh()
    client = client_for(personas["kfq_officer"])
    drill = client.get("/api/monitoring/drilldown/new-industrial-investment/2025-03/city").json()
    assert [r["id"] for r in drill["records"]] == [41]
    assert (drill["other_areas_count"], Decimal(drill["other_areas_total"])) == (1, Decimal("250"))
    assert Decimal(drill["figure"]["value"]) == Decimal("350")
    admin = client_for(personas["admin"]).get(
        "/api/monitoring/drilldown/new-industrial-investment/2025-03/city"
    )
    assert sorted(r["id"] for r in admin.json()["records"]) == [41, 42]


def test_a_district_officer_sees_every_areas_figure_but_links_only_to_their_own_records(client, personas):
    firm = make_enterprise(area="kfq")
    add_value(firm, "revenue", 2025, 100, month=3)
    indicators_refresh()
    client.force_login(personas["kfq_officer"])
    html = client.get(reverse("monitoring:cockpit")).content.decode()
    assert "/area/kfq/" in html and "/area/gxq/" not in html
    client.force_login(personas["leader"])
    html = client.get(reverse("monitoring:cockpit")).content.decode()
    assert "/area/kfq/" in html and "/area/gxq/" in html


def test_a_count_goal_shows_its_unit():
    from django.utils import translation

    from semicluster.monitoring.templatetags.monitoring import figure

    with translation.override("zh-hans"):
        assert figure(Decimal("80.00"), "enterprises") == "80 家"
    with translation.override("en"):
        assert figure(Decimal("80.00"), "enterprises") == "80 firms"


def test_a_breakdown_table_keeps_money_in_one_unit():
    from semicluster.monitoring.templatetags.monitoring import table_figure

    assert table_figure(Decimal("38222200"), "yuan") == "0.38 亿元"
    assert table_figure(Decimal("1447800000"), "yuan") == "14.48 亿元"
    assert table_figure(Decimal("27"), "enterprises").startswith("27 ")
