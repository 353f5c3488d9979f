import io

import pytest

from semicluster.chain import demo as chain_demo
from semicluster.chain import selectors
from semicluster.chain.models import PIPELINE, ChainCommunity, InvestmentTarget
from semicluster.core.demo import DemoContext
from semicluster.enterprises import demo as enterprise_demo
from semicluster.supply import demo as supply_demo
from semicluster.supply.models import SupplyAnswer
from semicluster.supply.selectors import city_analysis

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(kunshan_plan):
    ctx = DemoContext(seed=2025, scale="sample", plan_version=kunshan_plan, out=io.StringIO())
    enterprise_demo.generate(ctx)
    supply_demo.generate(ctx)
    chain_demo.generate(ctx)
    return ctx


def test_demo_survey_targets_and_communities_have_the_promised_shape(demo):
    from semicluster.enterprises.models import Enterprise

    # Most firms answer the survey, and the planted breakpoints (and few others) show.
    answered = SupplyAnswer.objects.values("enterprise").distinct().count()
    assert answered >= 0.7 * Enterprise.objects.count()
    items = {b.item for b in city_analysis().breakpoints}
    assert {"EUV光刻胶", "离子注入机", "高端封装基板", "射频电源"} <= items
    assert len(items) <= 8
    # Targets sit in every stage; landed ones became projects from investment leads.
    assert set(InvestmentTarget.objects.values_list("stage", flat=True)) == {*PIPELINE, "dropped"}
    for target in InvestmentTarget.objects.filter(stage="landed"):
        assert target.project is not None and target.project.source == "investment_lead"
    assert ChainCommunity.objects.count() == 2
    # One breakpoint is left without a lead, so the gaps list has something to show.
    gaps = selectors.gaps_without_targets()
    assert "高端封装基板" in {g.item for g in gaps if g.kind == "breakpoint"}
    # And the layer resets cleanly.
    chain_demo.reset()
    supply_demo.reset()
    assert not InvestmentTarget.objects.exists() and not SupplyAnswer.objects.exists()
