import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from semicluster.support.awards import CostLine, compute_award
from semicluster.support.rules import MaskKind, parse_program
from semicluster.support.tests.factories import M, facts, program_dict

CENT = Decimal("0.01")
CAP = Decimal(1_000_000)
APPLIED = dt.date(2023, 4, 10)


def award(program, application, *, prior_program=0, prior_all=0, prior_rule=None, committed=0):
    return compute_award(
        program,
        application,
        prior_awards_this_year_same_program=prior_program,
        prior_awards_this_year_all_programs=prior_all,
        prior_awards_this_year_same_rule=prior_rule,
        budget_committed=committed,
    )


def half_rule(**extra):
    return {"code": "half", "name": "50%", "name_en": "50 %", "rate_percent": 50, **extra}


# Each cap alone, set to 1 m, with prior awards of 0.4 m where the cap is yearly (room 0.6 m).
CAP_SETUPS = {
    "rule_cap_per_item": ({"rules": [half_rule(cap_per_item_yuan=CAP)]}, Decimal(0)),
    "rule_cap_per_firm_year": ({"rules": [half_rule(cap_per_firm_year_yuan=CAP)]}, Decimal(400_000)),
    "cap_per_item": ({"caps": {"per_item_yuan": CAP}}, Decimal(0)),
    "cap_per_firm_program_year": ({"caps": {"per_firm_program_year_yuan": CAP}}, Decimal(400_000)),
    "cap_per_firm_all_programs_year": ({"caps": {"per_firm_all_programs_year_yuan": CAP}}, Decimal(400_000)),
    "budget": ({"annual_budget_yuan": CAP * 10}, Decimal(9_000_000)),
}


@pytest.mark.parametrize("step_code", list(CAP_SETUPS))
@pytest.mark.parametrize(("offset", "expect_cut"), [(-CENT, False), (Decimal(0), False), (CENT, True)])
def test_each_cap_cuts_only_above_its_room(step_code, offset, expect_cut):
    overrides, prior = CAP_SETUPS[step_code]
    program = parse_program(program_dict(**overrides))
    room = CAP * 10 - prior if step_code == "budget" else CAP - prior  # 1 m, 0.6 m or 1 m
    gross = room + offset
    result = award(
        program,
        facts(cost=gross * 2, applied_on=APPLIED),
        prior_program=prior if step_code != "budget" else 0,
        prior_all=prior if step_code != "budget" else 0,
        committed=prior if step_code == "budget" else 0,
    )
    step = next(s for s in result.steps if s.code == step_code)
    assert result.gross_amount == gross
    assert step.applied is expect_cut
    assert result.final_amount == (room if expect_cut else gross)
    assert result.over_budget is (expect_cut and step_code == "budget")


def test_caps_apply_in_order_and_each_is_explained():
    program = parse_program(
        program_dict(
            rules=[half_rule(cap_per_item_yuan=9 * M, cap_per_firm_year_yuan=8 * M)],
            caps={
                "per_item_yuan": 7 * M,
                "per_firm_program_year_yuan": 10 * M,
                "per_firm_all_programs_year_yuan": 12 * M,
            },
        )
    )
    result = award(program, facts(cost=40 * M, applied_on=APPLIED), prior_program=4 * M, prior_all=7 * M)
    codes = [s.code for s in result.steps]
    assert codes == [
        "eligibility",
        "eligible_cost",
        "rule",
        "rate",
        "rule_cap_per_item",
        "rule_cap_per_firm_year",
        "cap_per_item",
        "cap_per_firm_program_year",
        "cap_per_firm_all_programs_year",
        "budget",
        "final",
    ]
    amounts = {s.code: s.amount for s in result.steps}
    assert amounts["rate"] == 20 * M
    assert amounts["rule_cap_per_item"] == 9 * M
    assert (
        amounts["rule_cap_per_firm_year"] == 4 * M
    )  # 8 m less the 4 m of the program (no rule figure given)
    assert amounts["cap_per_firm_all_programs_year"] == 4 * M
    assert result.final_amount == 4 * M
    labels = {s.code: (s.label_zh, s.label_en) for s in result.steps}
    assert labels["eligible_cost"] == ("合格费用", "eligible cost")
    assert labels["rule"] == ("适用规则", "rule matched")
    assert labels["rate"] == ("比例", "rate")
    assert labels["budget"] == ("预算余额", "budget remaining")
    assert labels["final"] == ("核定金额", "final amount")


def test_rule_cap_per_firm_counts_the_rule_figure_when_given():
    program = parse_program(program_dict(rules=[half_rule(cap_per_firm_year_yuan=8 * M)]))
    result = award(program, facts(cost=40 * M, applied_on=APPLIED), prior_program=6 * M, prior_rule=1 * M)
    assert result.final_amount == 7 * M


def test_a_cap_already_used_up_gives_zero_not_a_negative_award():
    program = parse_program(program_dict(caps={"per_firm_program_year_yuan": 3 * M}))
    result = award(program, facts(cost=2 * M, applied_on=APPLIED), prior_program=5 * M)
    assert result.final_amount == Decimal("0.00")


def test_budget_exhaustion_gives_a_partial_award_and_flags_it():
    program = parse_program(program_dict(annual_budget_yuan="10000000"))
    result = award(program, facts(cost=4 * M, applied_on=APPLIED), committed="8500000.50")
    assert result.budget_remaining == Decimal("1499999.50")
    assert result.over_budget is True
    assert result.budget_shortfall == Decimal("500000.50")
    assert result.final_amount == Decimal("1499999.50")
    budget = next(s for s in result.steps if s.code == "budget")
    assert "超出预算" in budget.text_zh and "over budget" in budget.text_en


def test_budget_fully_committed_awards_nothing():
    program = parse_program(program_dict(annual_budget_yuan=10 * M))
    result = award(program, facts(cost=4 * M, applied_on=APPLIED), committed=12 * M)
    assert result.budget_remaining == Decimal(0)
    assert result.final_amount == Decimal(0)
    assert result.over_budget is True


def test_budget_exactly_enough_is_not_over_budget():
    program = parse_program(program_dict(annual_budget_yuan=10 * M))
    result = award(program, facts(cost=4 * M, applied_on=APPLIED), committed=8 * M)
    assert result.final_amount == 2 * M
    assert result.over_budget is False


def test_rate_rounds_half_up_to_the_fen():
    program = parse_program(program_dict(rules=[half_rule(rate_percent="12.5")]))
    result = award(program, facts(cost="100.04", applied_on=APPLIED))
    assert result.final_amount == Decimal("12.51")  # 12.505 rounds up


def test_only_listed_cost_items_count():
    program = parse_program(program_dict())
    application = facts(
        applied_on=APPLIED,
        costs=(CostLine("tapeout", Decimal("300000")), CostLine("travel", Decimal("5000.5"))),
    )
    result = award(program, application)
    assert result.eligible_cost == Decimal("300000.00")
    assert [c.item for c in result.excluded_costs] == ["travel"]
    assert result.final_amount == Decimal("150000.00")
    assert "travel" in result.steps[1].text_en


def test_application_outside_the_window_is_refused_with_the_reason():
    program = parse_program(program_dict())
    result = award(program, facts(cost=M, applied_on=dt.date(2024, 1, 1)))
    assert result.eligible is False
    assert result.final_amount == Decimal(0)
    assert [s.code for s in result.steps] == ["eligibility", "final"]
    assert "不在申报期" in result.steps[0].text_zh


@pytest.mark.parametrize(
    ("applicants", "given", "failed"),
    [
        ({"registered_in_region": True}, {"registered_in_region": False}, "registered_in_region"),
        ({"registered_in_region": True}, {"registered_in_region": None}, "registered_in_region"),
        ({"areas": ["hq"]}, {"area": "kfq"}, "area"),
        ({"chain_nodes": ["mems-sensor"]}, {"chain_nodes": ("display-driver-ic",)}, "chain_nodes"),
        (
            {"designations_any_of": ["zjtx", "little-giant"]},
            {"designations": frozenset({"hnte"})},
            "designations_any_of",
        ),
        (
            {"designations_all_of": ["zjtx", "hnte"]},
            {"designations": frozenset({"hnte"})},
            "designations_all_of",
        ),
        ({"mask_kinds": ["mpw"]}, {"mask": MaskKind.FULL_MASK}, "mask"),
        ({"first_tapeout_only": True}, {"first_tapeout": False}, "first_tapeout"),
        ({"sensor_only": True}, {"is_sensor": False}, "sensor"),
        ({"tapeout_period": {"start": "2023-02-01", "end": "2023-03-31"}}, {}, "tapeout_period"),
    ],
)
def test_each_applicant_requirement_can_refuse(applicants, given, failed):
    program = parse_program(program_dict(applicants=applicants))
    result = award(program, facts(cost=M, applied_on=APPLIED, **given))
    assert result.eligible is False
    assert [c.code for c in result.eligibility if not c.ok] == [failed]


def test_applicant_meeting_every_requirement_is_eligible():
    program = parse_program(
        program_dict(
            applicants={
                "registered_in_region": True,
                "areas": ["kfq"],
                "chain_nodes": ["display-driver-ic"],
                "designations_any_of": ["zjtx"],
                "mask_kinds": ["full_mask"],
                "first_tapeout_only": True,
                "tapeout_period": {"start": "2023-01-01", "end": "2023-01-15"},
            }
        )
    )
    result = award(program, facts(cost=M, applied_on=APPLIED, designations=frozenset({"zjtx"})))
    assert result.eligible is True
    assert result.final_amount == Decimal(500_000)


NODE_RULES = [
    {
        "code": "advanced",
        "name": "≤14nm",
        "name_en": "≤14 nm",
        "when": {"process_node_nm": {"lte": 14}},
        "rate_percent": 30,
    },
    {
        "code": "mature",
        "name": ">14nm",
        "name_en": ">14 nm",
        "when": {"process_node_nm": {"gt": 14}},
        "rate_percent": 20,
    },
]


@pytest.mark.parametrize(
    ("node", "rule"), [("14", "advanced"), ("7", "advanced"), ("14.01", "mature"), ("28", "mature")]
)
def test_process_node_at_or_below_and_above(node, rule):
    program = parse_program(program_dict(rules=NODE_RULES))
    result = award(program, facts(cost=M, applied_on=APPLIED, process_node_nm=Decimal(node)))
    assert result.rule is not None and result.rule.code == rule


def test_unknown_fact_does_not_satisfy_a_condition_and_the_reason_is_shown():
    program = parse_program(program_dict(rules=NODE_RULES))
    result = award(program, facts(cost=M, applied_on=APPLIED, process_node_nm=None))
    assert result.rule is None
    assert result.final_amount == Decimal(0)
    rule_step = next(s for s in result.steps if s.code == "rule")
    assert "工艺节点未知" in rule_step.text_zh


HAIDIAN_MPW = [
    {
        "code": "domestic",
        "name": "境内",
        "name_en": "Domestic",
        "when": {"foundry": "domestic"},
        "rate_percent": 50,
        "cap_per_item_yuan": 3 * M,
    },
    {
        "code": "overseas",
        "name": "境外",
        "name_en": "Overseas",
        "when": {"foundry": "overseas"},
        "rate_percent": 30,
        "cap_per_item_yuan": 2 * M,
    },
]


@pytest.mark.parametrize(("foundry", "expected"), [("domestic", 3 * M), ("overseas", 2 * M)])
def test_domestic_and_overseas_foundries_have_their_own_rate_and_cap(foundry, expected):
    program = parse_program(program_dict(rules=HAIDIAN_MPW))
    result = award(program, facts(cost=20 * M, applied_on=APPLIED, foundry_location=foundry))
    assert result.final_amount == expected


def test_first_selection_takes_plan_order_and_best_takes_the_highest():
    rules = [
        {"code": "general", "name": "一般", "name_en": "General", "rate_percent": 20},
        {
            "code": "local",
            "name": "本地",
            "name_en": "Local",
            "when": {"local_fab": True},
            "rate_percent": 40,
        },
    ]
    application = facts(cost=M, applied_on=APPLIED, local_fab=True)
    first = award(parse_program(program_dict(rules=rules)), application)
    best = award(parse_program(program_dict(rules=rules, rule_selection="best")), application)
    assert (first.rule.code, first.final_amount) == ("general", Decimal(200_000))
    assert (best.rule.code, best.final_amount) == ("local", Decimal(400_000))


def test_best_selection_compares_amounts_after_each_rules_own_cap():
    rules = [
        {
            "code": "high-rate",
            "name": "高",
            "name_en": "High",
            "rate_percent": 50,
            "cap_per_item_yuan": 100_000,
        },
        {"code": "low-rate", "name": "低", "name_en": "Low", "rate_percent": 20},
    ]
    result = award(
        parse_program(program_dict(rules=rules, rule_selection="best")), facts(cost=M, applied_on=APPLIED)
    )
    assert result.rule.code == "low-rate"
    assert result.final_amount == Decimal(200_000)


def test_sensor_first_tapeout_condition_needs_both_sensor_and_first():
    rules = [
        {
            "code": "sensor",
            "name": "传感器首轮",
            "name_en": "Sensor first",
            "when": {"sensor_first_tapeout": True},
            "rate_percent": 40,
        },
        {"code": "other", "name": "其他", "name_en": "Other", "rate_percent": 10},
    ]
    program = parse_program(program_dict(rules=rules))
    both = award(program, facts(cost=M, applied_on=APPLIED, is_sensor=True, first_tapeout=True))
    second = award(program, facts(cost=M, applied_on=APPLIED, is_sensor=True, first_tapeout=False))
    assert both.rule.code == "sensor"
    assert second.rule.code == "other"


def test_explicit_priority_finding_wins_over_the_product_field():
    program = parse_program(
        program_dict(
            priority_fields=[{"code": "ai", "name": "智能计算", "name_en": "AI"}],
            rules=[
                {
                    "code": "key",
                    "name": "重点",
                    "name_en": "Key",
                    "when": {"priority_field": True},
                    "rate_percent": 50,
                },
                {"code": "other", "name": "其他", "name_en": "Other", "rate_percent": 30},
            ],
        )
    )
    by_field = award(program, facts(cost=M, applied_on=APPLIED, product_field="ai"))
    overruled = award(program, facts(cost=M, applied_on=APPLIED, product_field="ai", priority_field=False))
    assert by_field.rule.code == "key"
    assert overruled.rule.code == "other"


def test_override_keeps_the_computed_amount_beside_the_decision():
    program = parse_program(program_dict(caps={"per_item_yuan": M}))
    computed = award(program, facts(cost=10 * M, applied_on=APPLIED))
    decided = computed.override(
        "2500000", "重大项目一事一议 / major project", "市半导体产业发展领导小组", decided_on=APPLIED
    )
    assert computed.final_amount == M
    assert decided.computed_amount == M
    assert decided.final_amount == Decimal("2500000.00")
    assert decided.override_decision.reason == "重大项目一事一议 / major project"
    assert decided.override_decision.approver == "市半导体产业发展领导小组"
    assert decided.steps[:-1] == computed.steps
    assert decided.steps[-1].code == "override"
    assert decided.steps[-1].numbers == {
        "computed": M,
        "override": Decimal("2500000.00"),
        "budget_remaining": Decimal(100_000_000),
    }


def test_override_above_the_budget_remaining_is_flagged():
    program = parse_program(program_dict(annual_budget_yuan=10 * M))
    computed = award(program, facts(cost=M, applied_on=APPLIED), committed=9_800_000)
    decided = computed.override(300_000, "一事一议", "张三")
    assert decided.override_decision.exceeds_budget is True
    assert computed.override(200_000, "一事一议", "张三").override_decision.exceeds_budget is False


@pytest.mark.parametrize(
    ("amount", "reason", "approver"),
    [
        (-1, "理由", "张三"),
        ("1.001", "理由", "张三"),
        (1.5, "理由", "张三"),
        (100, " ", "张三"),
        (100, "理由", ""),
    ],
)
def test_override_needs_an_exact_fen_amount_a_reason_and_an_approver(amount, reason, approver):
    computed = award(parse_program(program_dict()), facts(cost=M, applied_on=APPLIED))
    with pytest.raises(ValueError):
        computed.override(amount, reason, approver)


def test_negative_prior_awards_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        award(parse_program(program_dict()), facts(cost=M, applied_on=APPLIED), prior_program=-1)


@settings(max_examples=200, deadline=None)
@given(
    cost=st.decimals(min_value=0, max_value=10**9, places=2),
    prior_program=st.integers(min_value=0, max_value=5 * 10**6),
    prior_all=st.integers(min_value=0, max_value=12 * 10**6),
    committed=st.integers(min_value=0, max_value=25 * 10**6),
)
def test_award_never_exceeds_any_room_and_is_in_fen(cost, prior_program, prior_all, committed):
    program = parse_program(
        program_dict(
            caps={
                "per_item_yuan": 4 * M,
                "per_firm_program_year_yuan": 5 * M,
                "per_firm_all_programs_year_yuan": 10 * M,
            },
            annual_budget_yuan=20 * M,
        )
    )
    result = award(
        program,
        facts(cost=cost, applied_on=APPLIED),
        prior_program=prior_program,
        prior_all=max(prior_all, prior_program),
        committed=committed,
    )
    amount = result.final_amount
    assert amount == amount.quantize(CENT)
    assert Decimal(0) <= amount <= result.gross_amount
    assert amount <= 4 * M
    assert amount <= max(Decimal(0), 5 * M - prior_program)
    assert amount <= max(Decimal(0), 10 * M - max(prior_all, prior_program))
    assert amount <= max(Decimal(0), 20 * M - committed)
    before_budget = result.steps[[s.code for s in result.steps].index("budget") - 1].amount
    assert result.over_budget is (before_budget > max(Decimal(0), 20 * M - committed))
