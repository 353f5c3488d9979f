import pytest
from django.urls import reverse
from django.utils import timezone

from semicluster.chain.models import InvestmentTarget
from semicluster.core.testing import make_enterprise
from semicluster.plans.models import Area, ChainNode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_chain_page_renders_in_both_languages(client, personas, make_target, language):
    target = make_target(stage="visited")
    client.force_login(personas["admin"])
    client.cookies["django_language"] = language
    pages = [
        reverse("chain:map"),
        reverse("chain:node", args=["wafer-fab"]),
        reverse("chain:targets"),
        reverse("chain:target_new"),
        reverse("chain:target_detail", args=[target.pk]),
        reverse("chain:target_edit", args=[target.pk]),
        reverse("chain:pipeline"),
        reverse("chain:gaps"),
        reverse("chain:communities"),
        reverse("chain:layout"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    html = client.get(reverse("chain:map")).content.decode()
    assert ("产业链招商图谱" in html) and (("Industrial chain investment map" in html) == (language == "en"))


def test_a_target_is_created_and_advanced_through_the_forms(client, personas):
    client.force_login(personas["gxq_officer"])
    response = client.post(
        reverse("chain:target_new"),
        {
            "name": "氮化镓外延企业（测试）",
            "category": "unicorn",
            "country": "cn",
            "nodes": [ChainNode.objects.get(code="gan-epitaxy").pk],
            "estimated_investment": "300000000",
            "intended_area": Area.objects.get(code="gxq").pk,
            "supply_items_text": "material:GaN外延片",
        },
    )
    target = InvestmentTarget.objects.get()
    assert response.status_code == 302 and target.supply_items == [["material", "GaN外延片"]]
    today = timezone.localdate().isoformat()  # a new lead is dated today; later steps cannot precede it
    client.post(reverse("chain:target_advance", args=[target.pk]), {"stage": "visited", "on": today})
    client.post(reverse("chain:target_advance", args=[target.pk]), {"stage": "contacted", "on": today})
    target.refresh_from_db()
    assert target.stage == "visited"  # the backward move was refused
    assert list(target.steps.values_list("stage", flat=True)) == ["lead", "visited"]


def test_the_node_page_shows_the_class_reasons(client, personas):
    make_enterprise(area="wz", node="equipment-parts")
    client.force_login(personas["leader"])
    html = client.get(reverse("chain:node", args=["equipment-parts"])).content.decode()
    assert "无有营收的本地企业" in html and 'href="/enterprises/?node=equipment-parts"' in html
