from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from semicluster.cultivation import examples
from semicluster.cultivation.numbers import apportion, to_decimal
from semicluster.cultivation.scoring import (
    Curve,
    CurveKind,
    ScoringModel,
    annual_review,
    derive_facts,
    library_progress,
    score,
)
from semicluster.cultivation.tiers import TierModel

D = Decimal
SCHEMA = json.loads((Path(__file__).parents[1] / "plan_schema.json").read_text(encoding="utf-8"))


def proxy(code: str, fact: str, weight: int, missing: str, lo: int = 0, hi: int = 100) -> dict[str, object]:
    return {
        "code": code,
        "name": code,
        "name_en": code,
        "fact": fact,
        "weight": weight,
        "curve": {"kind": "linear", "min": lo, "max": hi},
        "missing": missing,
    }


def model(missing_b: str = "zero", bar_one: int = 0, min_total: int | None = None) -> ScoringModel:
    """Two criteria: "one" (weights 3:1 over proxies a, b) weighted 60, "two" (proxy c) weighted 40."""
    section: dict[str, object] = {
        "target_size": 80,
        "criteria": [
            {
                "code": "one",
                "name": "甲",
                "name_en": "one",
                "weight": 60,
                "bar": bar_one,
                "proxies": [
                    proxy("a", "rd_intensity_pct", 3, "zero", 0, 10),
                    proxy("b", "invention_patents", 1, missing_b, 0, 20),
                ],
            },
            {
                "code": "two",
                "name": "乙",
                "name_en": "two",
                "weight": 40,
                "bar": 0,
                "proxies": [proxy("c", "profit_margin_pct", 1, "reweight", 0, 20)],
            },
        ],
    }
    if min_total is not None:
        section["min_total"] = min_total
    Draft202012Validator(SCHEMA).validate({"innovation_leader_library": section})
    return ScoringModel.from_plan(section)


FULL = {"rd_intensity_pct": D(5), "invention_patents": D(10), "profit_margin_pct": D(15)}


def test_scoring_arithmetic_with_full_data():
    card = score(FULL, model())
    a, b = card.criterion("one").proxies
    assert (a.points, a.effective_weight_pct, a.weighted_points) == (D("50.00"), D("75.00"), D("37.50"))
    assert (b.points, b.effective_weight_pct, b.weighted_points) == (D("50.00"), D("25.00"), D("12.50"))
    one, two = card.criteria
    assert (one.score, one.effective_weight_pct, one.points) == (D("50.00"), D("60.00"), D("30.00"))
    assert (two.score, two.points) == (D("75.00"), D("30.00"))
    assert card.total == D("60.00")
    assert card.passes_bars and not card.disqualified and card.reasons == ()


def test_missing_value_under_zero_policy_scores_zero_and_keeps_its_weight():
    card = score({**FULL, "invention_patents": None}, model("zero"))
    b = card.proxy("b")
    assert b.value is None and b.counted and b.points == D(0)
    assert card.criterion("one").score == D("37.50")
    assert card.total == D("52.50")  # 37.50 × 0.6 + 75 × 0.4


def test_missing_value_under_reweight_policy_hands_its_weight_to_the_others():
    card = score({**FULL, "invention_patents": None}, model("reweight"))
    a, b = card.criterion("one").proxies
    assert not b.counted and b.effective_weight_pct == D(0)
    assert (a.effective_weight_pct, a.weighted_points) == (D("100.00"), D("50.00"))
    assert card.criterion("one").score == D("50.00")
    assert card.total == D("60.00")
    assert card.passes_bars


def test_missing_value_under_disqualify_policy_fails_but_shows_the_evidence():
    card = score({**FULL, "invention_patents": None}, model("disqualify"))
    assert card.disqualified and not card.passes_bars
    assert card.total == D("52.50")  # computed as if zero, so the office sees where it stands
    assert any("不具备评分资格" in reason.zh for reason in card.reasons)


def test_a_criterion_without_any_data_is_reweighted_out_of_the_total():
    card = score({"rd_intensity_pct": D(5), "invention_patents": D(10)}, model())
    two = card.criterion("two")
    assert two.score is None and two.points == D(0) and two.bar_passed  # its bar is 0
    one = card.criterion("one")
    assert (one.effective_weight_pct, one.points) == (D("100.00"), D("50.00"))
    assert card.total == D("50.00")


def test_criterion_bar_at_exactly_the_bar_passes_and_below_fails():
    assert score(FULL, model(bar_one=50)).passes_bars
    card = score(FULL, model(bar_one=51))
    assert not card.passes_bars and not card.criterion("one").bar_passed
    assert card.reasons[0].zh == "“甲”得分50.00，低于最低要求51"


def test_minimum_total():
    assert score(FULL, model(min_total=60)).passes_bars
    card = score(FULL, model(min_total=61))
    assert not card.passes_bars
    assert "低于入库最低分61" in card.reasons[0].zh


def test_linear_curve_clamps_and_step_curve_takes_the_highest_step_reached():
    linear = Curve(CurveKind.LINEAR, D(3), D(10))
    assert [linear.points(D(v)) for v in ("2", "3", "6.5", "10", "15")] == [
        D(0),
        D(0),
        D("50.00"),
        D(100),
        D(100),
    ]
    steps = Curve(CurveKind.STEPS, steps=((D(2), D(80)), (D(1), D(60)), (D(3), D(100))))
    assert [steps.points(D(v)) for v in (0, 1, 2, 3, 7)] == [D(0), D(60), D(80), D(100), D(100)]
    falling = Curve(CurveKind.LINEAR, D(10), D(0))
    assert falling.points(D(2)) == D("80.00")


def test_facts_derive_from_annual_figures():
    facts = derive_facts(
        revenue=D(2_000_000_000),
        previous_revenue=D(1_600_000_000),
        rd_expenditure=D(140_000_000),
        profit=D(150_000_000),
        employees=1000,
        rd_staff=200,
        own_brand_revenue=D(900_000_000),
        invention_patents=12,
    )
    assert facts["rd_intensity_pct"] == D("7.00")
    assert facts["revenue_growth_pct"] == D("25.00")
    assert facts["profit_margin_pct"] == D("7.50")
    assert facts["rd_staff_pct"] == D("20.00")
    assert facts["own_brand_revenue_pct"] == D("45.00")
    assert facts["invention_patents"] == D(12)
    assert facts["local_suppliers"] is None
    assert derive_facts(revenue=D(5), previous_revenue=D(0))["revenue_growth_pct"] is None


def test_kunshan_default_model_scores_a_worked_example():
    kunshan = ScoringModel.from_plan(examples.INNOVATION_LEADER_LIBRARY)
    facts = derive_facts(
        revenue=D(2_000_000_000),
        previous_revenue=D(1_600_000_000),
        rd_expenditure=D(140_000_000),
        profit=D(150_000_000),
        employees=1000,
        rd_staff=200,
        own_brand_revenue=D(900_000_000),
        invention_patents=12,
        local_customers=4,
        designations_held=2,
        key_technology_coverage=1,
    )
    card = score(facts, kunshan)
    assert card.criterion("innovation-capability").score == D("54.28")  # 57.14 × 0.6 + 50 × 0.4
    assert card.criterion("cluster-leading").score == D("40.00")  # suppliers missing: reweighted
    assert card.total == D("56.90")
    assert not card.passes_bars  # below the example minimum total of 60
    assert card.total == sum(c.points for c in card.criteria)


def test_annual_review_flags_members_below_the_bars_with_reasons():
    m = model(bar_one=40)
    flags = annual_review(
        {
            "good": FULL,
            "weak": {**FULL, "rd_intensity_pct": D(1), "invention_patents": D(2)},
        },
        m,
    )
    assert [flag.member for flag in flags] == ["weak"]
    assert "“甲”得分" in flags[0].reasons[0].zh


def test_library_progress_against_the_target():
    progress = library_progress(60, ScoringModel.from_plan(examples.INNOVATION_LEADER_LIBRARY))
    assert (progress.target, progress.remaining, progress.share_pct) == (80, 20, D("75.00"))


def test_floats_are_refused_as_facts():
    with pytest.raises(TypeError):
        score({"rd_intensity_pct": 5.0}, model())
    assert to_decimal("5.5") == D("5.5")


def test_examples_validate_against_the_schema():
    Draft202012Validator.check_schema(SCHEMA)
    Draft202012Validator(SCHEMA).validate(
        {"tiers": examples.TIERS, "innovation_leader_library": examples.INNOVATION_LEADER_LIBRARY}
    )
    kunshan = ScoringModel.from_plan(examples.INNOVATION_LEADER_LIBRARY)
    assert kunshan.target_size == 80 and len(kunshan.criteria) == 6
    assert sum(c.weight for c in kunshan.criteria) == D(100)
    tiers = TierModel.from_plan(examples.TIERS)
    assert [level.min_revenue for level in tiers.levels][:2] == [D(5_000_000_000), D(1_000_000_000)]


def test_schema_rejects_floats_and_unknown_missing_policies():
    validator = Draft202012Validator(SCHEMA)
    bad = copy.deepcopy(examples.INNOVATION_LEADER_LIBRARY)
    bad["criteria"][0]["weight"] = 20.5  # type: ignore[index]
    assert list(validator.iter_errors({"innovation_leader_library": bad}))
    bad = copy.deepcopy(examples.INNOVATION_LEADER_LIBRARY)
    bad["criteria"][0]["proxies"][0]["missing"] = "ignore"  # type: ignore[index]
    assert list(validator.iter_errors({"innovation_leader_library": bad}))
    bad_tiers = {**examples.TIERS, "decline_warning_pct": 0.1}
    assert list(validator.iter_errors({"tiers": bad_tiers}))


@given(
    st.fixed_dictionaries(
        {
            "rd_intensity_pct": st.none() | st.decimals(-5, 50, places=2),
            "invention_patents": st.none() | st.integers(0, 500).map(Decimal),
            "profit_margin_pct": st.none() | st.decimals(-30, 60, places=2),
        }
    ),
    st.sampled_from(["zero", "reweight", "disqualify"]),
)
def test_every_card_adds_up_and_stays_within_0_and_100(facts, policy):
    card = score(facts, model(policy))
    assert D(0) <= card.total <= D(100)
    assert card.total == sum(c.points for c in card.criteria)
    for criterion in card.criteria:
        if criterion.score is not None:
            assert criterion.score == sum(p.weighted_points for p in criterion.proxies)
    assert card.passes_bars == (not card.reasons)


def test_apportioned_parts_add_up_to_the_rounded_whole():
    thirds = [D(100) / 6, D(100) / 6, D(400) / 6]
    parts = apportion(thirds)
    assert sum(parts) == D("100.00")  # rounding each on its own would give 100.01
    assert all(abs(part - exact) < D("0.01") for part, exact in zip(parts, thirds, strict=True))
    # Equal remainders: the earlier values get the missing cents.
    assert parts == [D("16.67"), D("16.67"), D("66.66")]
    assert apportion([D("1.005"), D("2.004")]) == [D("1.01"), D("2.00")]


def test_a_perfect_candidate_scores_exactly_100_whatever_the_weights():
    section = {
        "target_size": 80,
        "criteria": [
            {
                "code": code,
                "name": code,
                "name_en": code,
                "weight": weight,
                "bar": 0,
                "proxies": [proxy(f"{code}-p", fact, 1, "zero", 0, 10)],
            }
            for code, weight, fact in (
                ("x", 1, "rd_intensity_pct"),
                ("y", 1, "invention_patents"),
                ("z", 4, "profit_margin_pct"),
            )
        ],
    }
    card = score(
        {"rd_intensity_pct": D(10), "invention_patents": D(10), "profit_margin_pct": D(10)},
        ScoringModel.from_plan(section),
    )
    assert card.total == D("100.00")
    assert sum(c.points for c in card.criteria) == D("100.00")
    assert [c.score for c in card.criteria] == [D("100.00")] * 3
