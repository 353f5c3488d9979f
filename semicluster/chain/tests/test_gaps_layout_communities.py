import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from semicluster.chain import selectors
from semicluster.chain.services import action_add, community_save, member_add
from semicluster.core.testing import add_value, make_enterprise
from semicluster.plans.models import ChainNode
from semicluster.projects.services import project_save
from semicluster.supply.tests.factories import supply

pytestmark = pytest.mark.django_db


def _gaps():
    found = selectors.gaps_without_targets()
    nodes = {g.node.node.code for g in found if g.kind == "node"}
    items = {(g.category, g.item) for g in found if g.kind == "breakpoint"}
    return nodes, items


def test_a_weak_node_without_an_active_lead_is_a_gap_until_a_lead_addresses_it(make_target, personas):
    assert "wafer-fab" in _gaps()[0]
    make_target(nodes=("wafer-fab",), stage="contacted")
    assert "wafer-fab" not in _gaps()[0]


def test_a_dropped_lead_does_not_fill_a_gap(make_target):
    make_target(nodes=("sic-substrate",), stage="dropped")
    assert "sic-substrate" in _gaps()[0]


def test_a_breakpoint_stays_in_the_gaps_list_until_a_lead_would_fill_it(make_target, personas):
    firm = make_enterprise(area="kfq", node="advanced-packaging")
    supply(firm, "塑封料", "海外材料公司", "abroad", "100")
    assert ("material", "塑封料") in _gaps()[1]
    make_target(nodes=("packaging-materials",), items=[["material", "塑封料"]])
    assert ("material", "塑封料") not in _gaps()[1]


def test_the_gaps_page_and_api_list_the_same_gaps(client, personas):
    client.force_login(personas["leader"])
    page = client.get(reverse("chain:gaps"))
    api = client.get("/api/chain/gaps").json()
    assert len(page.context["node_gaps"]) == sum(1 for g in api if g["kind"] == "node") == 26


def test_breakpoints_link_to_the_targets_that_would_fill_them(client, make_target, personas):
    firm = make_enterprise(area="kfq", node="advanced-packaging")
    supply(firm, "塑封料", "海外材料公司", "abroad", "100")
    target = make_target("封装材料公司", nodes=("packaging-materials",), items=[["material", "塑封料"]])
    client.force_login(personas["admin"])
    response = client.get(reverse("supply:analysis"))
    row = next(r for r in response.context["breakpoints"] if r["finding"].item == "塑封料")
    assert row["targets"] == [target]
    assert reverse("chain:target_detail", args=[target.pk]) in response.content.decode()


def _project(owner, node, investment):
    return project_save(
        actor=None,
        data={
            "name": f"{node}项目",
            "owner": owner,
            "area": owner.area,
            "town": owner.town,
            "node": ChainNode.objects.get(code=node),
            "category": "new",
            "total_investment": Decimal(investment),
            "source": "expansion",
        },
    ).project


def test_layout_fit_shares_and_flags_what_lies_outside_the_focus(client, make_target, personas):
    inside = make_enterprise(area="hq", node="iot-asic")
    outside = make_enterprise(area="hq", node="advanced-packaging")
    add_value(inside, "revenue", 2024, "300000000")
    add_value(outside, "revenue", 2024, "100000000")
    _project(inside, "iot-asic", "60000000")
    stray = _project(outside, "advanced-packaging", "240000000")
    lead = make_target("封装公司", nodes=("advanced-packaging",), area="hq")
    make_target("物联网公司", nodes=("iot-asic",), area="hq")
    fit = next(f for f in selectors.layout_fit(user=personas["admin"]) if f.area.code == "hq")
    assert (fit.firms_in_focus, fit.firms) == (1, 2)
    assert fit.revenue_share == Decimal("0.7500") and fit.investment_share == Decimal("0.2000")
    assert fit.projects_outside == [stray] and fit.leads_outside == [lead]
    client.force_login(personas["admin"])
    html = client.get(reverse("chain:layout")).content.decode()
    assert stray.name in html and "封装公司" in html


def test_a_district_officer_sees_the_layout_fit_of_their_area(client, personas):
    client.force_login(personas["gxq_officer"])
    fits = client.get(reverse("chain:layout")).context["fits"]
    assert [f.area.code for f in fits] == ["gxq"]


def test_a_community_shows_on_the_map_around_its_leader(client, personas):
    leader = make_enterprise(area="kfq", node="advanced-packaging", name="封测龙头（测试）")
    member = make_enterprise(area="wz", node="packaging-materials", name="材料配套（测试）")
    admin = personas["admin"]
    community = community_save(
        actor=admin,
        data={"name": "先进封装产业链共同体", "leader": leader, "formed_on": dt.date(2025, 3, 1),
              "breakpoint_items": [["material", "塑封料"]]},
        nodes=ChainNode.objects.filter(code__in=["advanced-packaging", "packaging-materials"]),
    )  # fmt: skip
    member_add(actor=admin, community=community, role="upstream", enterprise=member)
    member_add(
        actor=admin, community=community, role="downstream", outside_name="某终端厂", outside_location="深圳"
    )
    action_add(actor=admin, community=community, title="塑封料国产化联合验证", status="under_way")
    client.force_login(personas["leader"])
    response = client.get(reverse("chain:map"))
    rows = {row.node.code: row for row, _ in response.context["table"]}
    assert [c.name for c in rows["advanced-packaging"].communities] == ["先进封装产业链共同体"]
    tree = response.context["option"]["series"][0]["data"][0]
    packaging = next(s for s in tree["children"] if s["name"] == "封装测试")
    node = next(n for n in packaging["children"] if "先进封装" in n["name"])
    assert node["children"][0]["name"].startswith("共同体：先进封装产业链共同体")
    assert len(node["children"][0]["children"]) == 2
    detail = client.get(reverse("chain:community_detail", args=[community.pk])).content.decode()
    assert "材料配套（测试）" in detail and "某终端厂" in detail and "塑封料国产化联合验证" in detail


def test_district_officers_cannot_start_a_community_for_another_areas_leader(personas):
    from django.core.exceptions import PermissionDenied

    leader = make_enterprise(area="gxq")
    with pytest.raises(PermissionDenied):
        community_save(actor=personas["kfq_officer"], data={"name": "X", "leader": leader})
