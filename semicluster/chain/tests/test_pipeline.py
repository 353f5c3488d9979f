import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from semicluster.chain import selectors
from semicluster.chain.models import InvestmentTarget, TargetStep
from semicluster.chain.services import target_advance, target_land, target_save
from semicluster.core.testing import make_enterprise, synthetic_credit_code
from semicluster.plans.models import ChainNode, Town
from semicluster.projects.models import Project

pytestmark = pytest.mark.django_db


def test_a_new_target_starts_as_a_dated_lead(make_target):
    target = make_target(start=dt.date(2025, 2, 3))
    assert target.stage == "lead" and target.stage_on == dt.date(2025, 2, 3)
    assert list(target.steps.values_list("stage", "on")) == [("lead", dt.date(2025, 2, 3))]


def test_the_pipeline_moves_forward_and_keeps_every_dated_step(make_target, personas):
    target = make_target(stage="negotiating")
    assert list(target.steps.values_list("stage", flat=True)) == [
        "lead",
        "contacted",
        "visited",
        "negotiating",
    ]
    with pytest.raises(ValidationError, match="only moves forward"):
        target_advance(actor=personas["admin"], target=target, stage="contacted", on=dt.date(2025, 3, 1))


def test_a_stage_may_be_skipped_but_not_dated_before_the_previous_step(make_target, personas):
    target = make_target(start=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="precedes"):
        target_advance(actor=personas["admin"], target=target, stage="visited", on=dt.date(2025, 2, 1))
    target = target_advance(actor=personas["admin"], target=target, stage="visited", on=dt.date(2025, 3, 5))
    assert target.stage == "visited"


def test_dropping_needs_a_reason_and_ends_the_pipeline(make_target, personas):
    target = make_target(stage="visited")
    with pytest.raises(ValidationError, match="reason"):
        target_advance(actor=personas["admin"], target=target, stage="dropped", on=dt.date(2025, 3, 1))
    target = target_advance(
        actor=personas["admin"], target=target, stage="dropped", on=dt.date(2025, 3, 1), reason="转投他地"
    )
    assert target.drop_reason == "转投他地" and target.steps.last().note == "转投他地"
    with pytest.raises(ValidationError):
        target_advance(actor=personas["admin"], target=target, stage="negotiating", on=dt.date(2025, 3, 2))


def test_landed_is_reached_only_by_landing(make_target, personas):
    target = make_target(stage="signed")
    with pytest.raises(ValidationError, match="project"):
        target_advance(actor=personas["admin"], target=target, stage="landed")


def test_a_signed_lead_lands_as_a_project_linked_both_ways_without_retyping(make_target, personas):
    owner = make_enterprise(area="kfq", node="wafer-fab", name="落地主体（测试）")
    target = make_target("晶圆制造跨国公司", nodes=("wafer-fab",), stage="signed", investment="3000000000.00")
    project = target_land(
        actor=personas["admin"],
        target=target,
        town=Town.objects.get(code="320583400"),
        owner=owner,
        on=dt.date(2025, 4, 1),
    )
    target.refresh_from_db()
    assert target.stage == "landed" and target.project == project
    assert project.investment_target == target
    assert project.name == "晶圆制造跨国公司项目"
    assert (project.area.code, project.node.code, project.owner) == ("kfq", "wafer-fab", owner)
    assert project.total_investment == Decimal("3000000000.00") and project.source == "investment_lead"
    assert target.steps.last().stage == "landed"


def test_landing_can_register_the_new_local_owner(make_target, personas):
    target = make_target(
        "材料隐形冠军", nodes=("wafer-materials",), area="wz", stage="signed", investment="80000000"
    )
    code = synthetic_credit_code()
    project = target_land(
        actor=personas["admin"],
        target=target,
        town=Town.objects.get(code="320583106"),
        new_owner={"credit_code": code, "name": "材料隐形冠军（昆山）有限公司", "ownership": "foreign"},
    )
    assert project.owner.credit_code == code and project.owner.primary_node.code == "wafer-materials"


def test_only_a_signed_lead_lands_and_only_once(make_target, personas):
    owner = make_enterprise(area="kfq")
    town = Town.objects.get(code="320583400")
    early = make_target(stage="negotiating")
    with pytest.raises(ValidationError, match="signed"):
        target_land(actor=personas["admin"], target=early, town=town, owner=owner)
    target = make_target(stage="signed")
    target_land(actor=personas["admin"], target=target, town=town, owner=owner)
    with pytest.raises(ValidationError):
        target_land(actor=personas["admin"], target=target, town=town, owner=owner)
    assert Project.objects.count() == 1


def test_landing_through_the_web_opens_the_new_project(client, make_target, personas):
    owner = make_enterprise(area="kfq")
    target = make_target(stage="signed")
    client.force_login(personas["kfq_officer"])
    response = client.post(
        reverse("chain:target_land", args=[target.pk]),
        {
            "town": Town.objects.get(code="320583400").pk,
            "category": "new",
            "owner": owner.pk,
            "on": "2025-04-01",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "projects:detail", args=[project.pk]
    )
    detail = client.get(reverse("chain:target_detail", args=[target.pk])).content.decode()
    assert reverse("projects:detail", args=[project.pk]) in detail


def test_landing_through_the_api(client, make_target, personas):
    owner = make_enterprise(area="kfq")
    target = make_target(stage="signed")
    client.force_login(personas["admin"])
    response = client.post(
        f"/api/chain/targets/{target.pk}/land",
        {"town": "320583400", "owner": owner.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert InvestmentTarget.objects.get(pk=target.pk).project_id == response.json()["project"]


def test_conversion_counts_targets_that_reached_each_stage(make_target, personas):
    make_target("甲", stage="lead", category="unicorn")
    make_target("乙", stage="visited", category="unicorn")
    dropped = make_target("丙", stage="negotiating", category="central-soe")
    target_advance(actor=personas["admin"], target=dropped, stage="dropped", reason="预算取消")
    make_target("丁", stage="signed", category="central-soe")
    result = selectors.conversion(user=personas["admin"])
    assert result.overall == {
        "lead": 4, "contacted": 3, "visited": 3, "negotiating": 2, "signed": 1, "landed": 0,
    }  # fmt: skip
    by_category = {code: f for code, _, f in result.by_category}
    assert by_category["unicorn"]["visited"] == 1 and by_category["central-soe"]["negotiating"] == 2
    assert result.dropped == 1 and result.dropped_by_stage == {"negotiating": 1}
    by_node = {node.code: f for node, f in result.by_node}
    assert by_node["wafer-fab"]["lead"] == 4


def test_steps_are_never_edited(make_target):
    step = make_target().steps.get()
    step.note = "改写"
    with pytest.raises(RuntimeError):
        step.save()
    assert TargetStep.objects.get(pk=step.pk).note == ""


def test_a_district_officer_registers_leads_for_their_own_area_only(personas):
    officer = personas["kfq_officer"]
    data = {"name": "X", "category": "unicorn", "country": "CN"}
    target = target_save(actor=officer, data=data, nodes=ChainNode.objects.filter(code="iot-asic"))
    assert target.intended_area.code == "kfq"
    with pytest.raises(ValidationError):
        target_save(
            actor=officer,
            data={**data, "intended_area": personas["gxq_officer"].area},
            nodes=ChainNode.objects.filter(code="iot-asic"),
        )


def test_an_unknown_category_is_refused(personas):
    with pytest.raises(ValidationError, match="category"):
        target_save(
            actor=personas["admin"],
            data={"name": "X", "category": "startup", "country": "CN"},
            nodes=ChainNode.objects.filter(code="iot-asic"),
        )


def test_another_areas_target_is_a_404_for_a_district_officer(client, make_target, personas):
    gxq = make_target(area="gxq")
    client.force_login(personas["kfq_officer"])
    assert client.get(reverse("chain:target_detail", args=[gxq.pk])).status_code == 404
    assert client.get(f"/api/chain/targets/{gxq.pk}").status_code == 404
    assert (
        client.post(
            f"/api/chain/targets/{gxq.pk}/advance", {"stage": "contacted"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_enterprise_users_cannot_write_targets(personas):
    with pytest.raises(PermissionDenied):
        target_save(
            actor=personas["enterprise_user"],
            data={"name": "X", "category": "unicorn", "country": "CN"},
            nodes=ChainNode.objects.filter(code="iot-asic"),
        )


def test_the_target_list_query_count_is_pinned(client, make_target, personas, django_assert_max_num_queries):
    for n in range(30):
        make_target(f"目标{n}", nodes=("wafer-fab", "process-equipment"))
    client.force_login(personas["admin"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("chain:targets"))
    assert response.context["total"] == 30


def test_targets_api_lists_and_creates(client, personas):
    client.force_login(personas["admin"])
    body = {
        "name": "API 目标",
        "category": "fortune-global-500",
        "country": "de",
        "nodes": ["process-equipment"],
        "supply_items": [["equipment", "光刻机"]],
        "estimated_investment": "500000000.00",
        "intended_area": "wz",
    }
    created = client.post("/api/chain/targets", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["country"] == "DE" and data["steps"][0]["stage"] == "lead"
    assert data["supply_items"] == [["equipment", "光刻机"]]
    listed = client.get("/api/chain/targets", {"node": "process-equipment"}).json()
    assert listed["count"] == 1
