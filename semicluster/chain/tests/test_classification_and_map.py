from decimal import Decimal

import pytest
from django.urls import reverse

from semicluster.chain import selectors
from semicluster.core.testing import add_value, make_enterprise
from semicluster.enterprises.services import tiers_refresh
from semicluster.supply.tests.factories import supply

pytestmark = pytest.mark.django_db


def _rows():
    return {row.node.code: row for row in selectors.node_rows()}


def test_a_node_without_a_firm_with_revenue_is_missing_with_the_plans_reason(kunshan_plan):
    make_enterprise(area="wz", node="lithography-parts")  # a firm, but no revenue reported
    row = _rows()["lithography-parts"]
    assert row.classification.status == "missing"
    assert [r.zh for r in row.classification.reasons] == [
        "无有营收的本地企业（有营业收入的企业数为0，少于1）"
    ]


def test_few_firms_and_no_backbone_make_a_node_weak_with_both_reasons(kunshan_plan):
    for _ in range(2):
        add_value(make_enterprise(area="hq", node="iot-asic"), "revenue", 2024, "300000000")
    tiers_refresh()
    row = _rows()["iot-asic"]
    assert row.classification.status == "weak"
    assert {r.code for r in row.classification.reasons} == {"weak:firm_count", "weak:firms_at_or_above_tier"}
    assert row.revenue == Decimal("600000000") and row.firms_with_revenue == 2


def test_five_firms_with_a_backbone_make_a_strong_node_until_a_breakpoint_appears(kunshan_plan):
    firms = [make_enterprise(area="kfq", node="advanced-packaging") for _ in range(5)]
    add_value(firms[0], "revenue", 2024, "1500000000")
    for firm in firms[1:]:
        add_value(firm, "revenue", 2024, "200000000")
    tiers_refresh()
    assert _rows()["advanced-packaging"].classification.status == "strong"
    supply(firms[1], "塑封料", "海外材料公司", "abroad", "100")
    row = _rows()["advanced-packaging"]
    assert row.classification.status == "weak"
    assert [r.code for r in row.classification.reasons] == ["weak:breakpoint_count"]
    assert row.breakpoints == (("material", "塑封料"),)


def test_the_rules_come_from_the_plan_document(kunshan_plan):
    document = dict(kunshan_plan.document)
    document["chain_classification"] = {
        **document["chain_classification"],
        "weak": {"conditions": [{"metric": "firm_count", "op": "<", "value": 1}]},
    }
    kunshan_plan.document = document
    kunshan_plan.save()
    add_value(make_enterprise(area="hq", node="iot-asic"), "revenue", 2024, "300000000")
    assert _rows()["iot-asic"].classification.status == "strong"


def test_the_map_marks_the_plans_priorities_and_links_every_number(client, personas):
    firm = make_enterprise(area="kfq", node="display-driver-ic")
    add_value(firm, "revenue", 2024, "100000000")
    client.force_login(personas["kfq_officer"])
    response = client.get(reverse("chain:map"))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-chart="chain-map-option"' in html
    rows = {row.node.code: (row, links) for row, links in response.context["table"]}
    display, links = rows["display-driver-ic"]
    assert {m.kind for m in display.priorities} == {"focus"}
    assert {m.kind for m in rows["wafer-fab"][0].priorities} == {"gap"}
    assert {m.kind for m in rows["advanced-packaging"][0].priorities} == {"strength"}
    assert links["firms"] == "/enterprises/?node=display-driver-ic"
    assert f'href="{links["firms"]}"' in html
    tree = response.context["option"]["series"][0]["data"][0]
    design = next(s for s in tree["children"] if s["name"] == "芯片设计")
    assert design["children"][0]["name"].startswith("★显示驱动芯片设计")


def test_enterprise_users_do_not_see_the_chain_map(client, personas):
    client.force_login(personas["enterprise_user"])
    assert client.get(reverse("chain:map")).status_code == 403
    assert client.get("/api/chain/nodes").status_code == 403


def test_the_nodes_api_gives_class_and_reasons(client, personas):
    client.force_login(personas["leader"])
    nodes = {n["code"]: n for n in client.get("/api/chain/nodes").json()}
    assert len(nodes) == 26
    assert nodes["wafer-fab"]["status"] == "missing" and nodes["wafer-fab"]["priorities"] == ["gap"]
    assert nodes["wafer-fab"]["reasons"][0]["code"] == "missing:firms_with_revenue"


def test_the_map_query_count_is_fixed(client, personas, django_assert_max_num_queries):
    for n in range(20):
        firm = make_enterprise(area="kfq", node="advanced-packaging" if n % 2 else "image-sensor")
        add_value(firm, "revenue", 2024, "100000000")
    client.force_login(personas["admin"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("chain:map")).status_code == 200
