import copy
import json
from decimal import Decimal

import jsonschema
import pytest
import yaml

from semicluster.supply.classification import (
    DEFAULT_RULES,
    DEFAULT_RULES_DATA,
    MISSING,
    SCHEMA_PATH,
    STRONG,
    WEAK,
    ClassificationRules,
    NodeFacts,
    classify_node,
    classify_nodes,
    validate_section,
)


def _strong_facts(**changes):
    facts = {
        "node": "n-wafer",
        "firm_count": 5,
        "firms_with_revenue": 5,
        "total_revenue": Decimal("8000000000"),
        "tier_counts": {"backbone": 1, "growth": 4},
        "breakpoint_count": 0,
    }
    return NodeFacts(**(facts | changes))


def test_a_node_without_a_firm_with_revenue_is_missing():
    result = classify_node(_strong_facts(firms_with_revenue=0))
    assert result.status == MISSING
    assert result.label_zh == "缺链"
    assert [r.zh for r in result.reasons] == ["有营业收入的企业数为0，少于1"]
    assert [r.en for r in result.reasons] == ["firms with revenue: 0, fewer than 1"]


def test_one_firm_with_revenue_is_enough_not_to_be_missing():
    assert classify_node(_strong_facts(firms_with_revenue=1)).status == STRONG


def test_a_node_with_no_facts_at_all_is_missing():
    assert classify_node(NodeFacts("n-empty")).status == MISSING


def test_four_firms_make_a_weak_node_and_five_a_strong_one():
    weak = classify_node(_strong_facts(firm_count=4))
    assert weak.status == WEAK
    assert weak.label_en == "weak"
    assert [(r.code, r.zh, r.en) for r in weak.reasons] == [
        ("weak:firm_count", "本地企业数为4，少于5", "local firms: 4, fewer than 5")
    ]
    assert classify_node(_strong_facts(firm_count=5)).status == STRONG


def test_no_firm_at_or_above_backbone_tier_makes_a_node_weak():
    weak = classify_node(_strong_facts(tier_counts={"growth": 5}))
    assert weak.status == WEAK
    assert weak.reasons[0].zh == "10亿级骨干企业及以上企业数为0，少于1"
    assert weak.reasons[0].en == "firms at or above backbone (1 bn yuan): 0, fewer than 1"


def test_a_leader_counts_as_at_or_above_backbone():
    assert classify_node(_strong_facts(tier_counts={"leader": 1, "growth": 4})).status == STRONG


def test_one_breakpoint_makes_a_node_weak_and_every_met_rule_is_a_reason():
    weak = classify_node(_strong_facts(breakpoint_count=1, firm_count=2, tier_counts={}))
    assert weak.status == WEAK
    assert [r.code for r in weak.reasons] == [
        "weak:firm_count",
        "weak:firms_at_or_above_tier",
        "weak:breakpoint_count",
    ]
    assert weak.reasons[2].en == "supply-chain breakpoints: 1, more than 0"


def test_a_strong_node_says_why():
    strong = classify_node(_strong_facts())
    assert strong.status == STRONG
    assert strong.label_zh == "强链"
    assert strong.reasons[0].zh.startswith("未触发缺链、弱链规则")
    assert "5 local firms" in strong.reasons[0].en


def test_rules_from_plan_yaml_with_revenue_threshold_named_rule_and_match_all():
    section = yaml.safe_load(
        """
        source: 二、1
        source_text: 补链强链延链
        tiers:
          - {code: leader, name: 龙头企业, name_en: leader}
          - {code: growth, name: 成长型企业, name_en: growth firm}
        missing:
          conditions:
            - {metric: firm_count, op: "==", value: 0}
        weak:
          match: all
          conditions:
            - {metric: total_revenue, op: "<", value: "1000000000", name: 规模偏小, name_en: too small}
            - {metric: tier_count, tier: leader, op: "<=", value: 0}
        """
    )
    rules = ClassificationRules.from_plan(section)
    small = NodeFacts("n", firm_count=3, firms_with_revenue=3, total_revenue=Decimal("999999999.99"))
    result = classify_node(small, rules)
    assert result.status == WEAK
    assert result.reasons[0].zh == "规模偏小（营业收入合计（元）为999999999.99，少于1000000000）"
    assert result.reasons[0].en.startswith("too small (total revenue (yuan)")
    assert result.reasons[1].zh == "龙头企业数为0，不超过0"
    # match: all — a leader alone lifts the node even though revenue is small.
    with_leader = NodeFacts("n", 3, 3, Decimal("5"), {"leader": 1})
    assert classify_node(with_leader, rules).status == STRONG
    # At exactly the revenue threshold the revenue rule no longer holds.
    at_threshold = NodeFacts("n", 3, 3, Decimal("1000000000"), {})
    assert classify_node(at_threshold, rules).status == STRONG
    assert classify_node(NodeFacts("n", firm_count=0), rules).status == MISSING


def test_classify_nodes_returns_one_class_per_node():
    classes = classify_nodes([_strong_facts(node="a"), _strong_facts(node="b", firm_count=1), NodeFacts("c")])
    assert {n: c.status for n, c in classes.items()} == {"a": STRONG, "b": WEAK, "c": MISSING}
    assert classify_nodes([]) == {}


def test_a_tier_metric_without_tier_is_refused_naming_the_field():
    section = copy.deepcopy(DEFAULT_RULES_DATA)
    del section["weak"]["conditions"][1]["tier"]
    with pytest.raises(ValueError, match="chain_classification/weak/conditions/1"):
        ClassificationRules.from_plan(section)


def test_an_undefined_tier_is_refused():
    section = copy.deepcopy(DEFAULT_RULES_DATA)
    section["weak"]["conditions"][1]["tier"] = "giant"
    with pytest.raises(ValueError, match="undefined tier giant"):
        ClassificationRules.from_plan(section)


def test_an_unknown_metric_is_refused():
    section = copy.deepcopy(DEFAULT_RULES_DATA)
    section["missing"]["conditions"][0]["metric"] = "mood"
    with pytest.raises(ValueError, match="missing/conditions/0/metric"):
        ClassificationRules.from_plan(section)


def test_plan_schema_is_valid_draft_2020_12_and_accepts_a_supply_survey_section():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    survey = {
        "source": "二、7",
        "source_text": "开展上游供应链摸排",
        "input_categories": [
            {"code": "material", "name": "材料", "name_en": "materials"},
            {"code": "eda_ip", "name": "EDA/IP", "name_en": "EDA/IP"},
        ],
        "location_levels": [
            {"code": c, "name": c, "name_en": c} for c in ("kunshan", "suzhou", "jiangsu", "china", "abroad")
        ],
        "thresholds": {"weak_abroad_value_share": 0.8, "weak_lead_time_days": None},
    }
    validate_section("supply_survey", survey)
    survey["input_categories"][0]["code"] = "food"
    with pytest.raises(ValueError, match="supply_survey/input_categories/0/code"):
        validate_section("supply_survey", survey)


def test_default_rules_are_the_brief_rules():
    assert [t.code for t in DEFAULT_RULES.tiers] == ["leader", "backbone", "growth"]
    assert [c.metric for c in DEFAULT_RULES.weak.conditions] == [
        "firm_count",
        "firms_at_or_above_tier",
        "breakpoint_count",
    ]
