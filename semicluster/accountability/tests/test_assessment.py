from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from semicluster.accountability import examples
from semicluster.accountability.assessment import (
    Criterion,
    Direction,
    ScaleKind,
    assess,
    completion_rate,
    criteria_from_plan,
    lights_score,
    to_decimal,
)
from semicluster.accountability.engine import ReportingRules

SCHEMA = json.loads((Path(__file__).parents[1] / "plan_schema.json").read_text(encoding="utf-8"))

D = Decimal

CRITERIA = [
    Criterion("tasks", "任务完成率", "task completion", D(60), "task_completion_rate"),
    Criterion("timely", "报送及时率", "timeliness", D(40), "update_timeliness"),
]


def test_weighted_points_and_total_follow_the_weights():
    ranking = assess({"commerce": {"task_completion_rate": D(80), "update_timeliness": D(50)}}, CRITERIA)
    result = ranking.for_subject("commerce")
    tasks, timely = result.breakdown
    assert (tasks.raw, tasks.score, tasks.points) == (D(80), D("80.00"), D("48.00"))
    assert (timely.raw, timely.score, timely.points) == (D(50), D("50.00"), D("20.00"))
    assert result.total == D("68.00")


def test_weights_need_not_sum_to_100():
    criteria = [
        Criterion("a", "甲", "a", D(3), "task_completion_rate"),
        Criterion("b", "乙", "b", D(1), "update_timeliness"),
    ]
    result = assess({"u": {"task_completion_rate": D(100), "update_timeliness": D(0)}}, criteria).results[0]
    assert result.total == D("75.00")


def test_rounded_points_add_up_to_the_total():
    criteria = [Criterion(c, c, c, D(1), m) for c, m in (("a", "x"), ("b", "y"), ("c", "z"))]
    result = assess({"u": {"x": D("33.333"), "y": D("33.333"), "z": D("33.333")}}, criteria).results[0]
    assert [b.points for b in result.breakdown] == [D("11.11")] * 3
    assert result.total == D("33.33")


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    values = {
        "tech": {"task_completion_rate": D(90), "update_timeliness": D(100)},
        "finance": {"task_completion_rate": D(100), "update_timeliness": D(85)},
        "commerce": {"task_completion_rate": D(90), "update_timeliness": D(100)},
        "dev": {"task_completion_rate": D(50), "update_timeliness": D(50)},
    }
    ranking = assess(values, CRITERIA)
    assert [(r.subject, r.total, r.rank) for r in ranking.results] == [
        ("commerce", D("94.00"), 1),
        ("finance", D("94.00"), 1),
        ("tech", D("94.00"), 1),
        ("dev", D("50.00"), 4),
    ]
    assert ranking.tied_with("finance") == ["commerce", "tech"]


def test_relative_scale_gives_best_100_and_worst_0():
    criteria = [Criterion("goal", "目标贡献", "goal", D(1), "goal_contribution", scale=ScaleKind.RELATIVE)]
    ranking = assess(
        {
            "a": {"goal_contribution": D(10)},
            "b": {"goal_contribution": D(40)},
            "c": {"goal_contribution": D(20)},
        },
        criteria,
    )
    assert {r.subject: r.breakdown[0].score for r in ranking.results} == {
        "a": D("0.00"),
        "b": D("100.00"),
        "c": D("33.33"),
    }


def test_relative_scale_with_equal_values_scores_everyone_full():
    criteria = [Criterion("goal", "目标贡献", "goal", D(1), "goal_contribution", scale=ScaleKind.RELATIVE)]
    ranking = assess({"a": {"goal_contribution": D(5)}, "b": {"goal_contribution": D(5)}}, criteria)
    assert [r.total for r in ranking.results] == [D("100.00"), D("100.00")]
    assert [r.rank for r in ranking.results] == [1, 1]


def test_lower_better_reverses_and_clamps_the_fixed_scale():
    criteria = [
        Criterion(
            "red", "红灯数", "red lights", D(1), "project_lights", Direction.LOWER_BETTER, min=D(0), max=D(10)
        )
    ]
    ranking = assess({"a": {"project_lights": D(2)}, "b": {"project_lights": D(15)}}, criteria)
    assert ranking.for_subject("a").breakdown[0].score == D("80.00")
    assert ranking.for_subject("b").breakdown[0].score == D("0.00")


def test_missing_value_scores_zero_with_a_note():
    result = assess({"u": {"task_completion_rate": D(100)}}, CRITERIA).results[0]
    assert result.breakdown[1].raw is None and result.breakdown[1].points == D(0)
    assert result.breakdown[1].note is not None and "无数据" in result.breakdown[1].note.zh
    assert result.total == D("60.00")


@given(
    st.lists(st.tuples(st.decimals(0, 100, places=2), st.decimals(0, 100, places=2)), min_size=1, max_size=8)
)
def test_totals_stay_within_0_and_100_and_ranks_follow_totals(rows):
    values = {f"u{i}": {"task_completion_rate": a, "update_timeliness": b} for i, (a, b) in enumerate(rows)}
    ranking = assess(values, CRITERIA)
    for result in ranking.results:
        assert D(0) <= result.total <= D(100)
        assert result.total == sum(b.points for b in result.breakdown)
    for before, after in zip(ranking.results, ranking.results[1:], strict=False):
        assert before.total >= after.total
        assert (before.rank == after.rank) == (before.total == after.total)


def test_raw_value_helpers():
    assert completion_rate(3, 4) == D(75)
    assert completion_rate(0, 0) is None
    assert lights_score(2, 1, 1) == D("62.5")
    assert lights_score(0, 0, 0) is None


def test_plan_numbers_refuse_floats():
    assert to_decimal("12.5") == D("12.5")
    with pytest.raises(TypeError):
        to_decimal(0.1)


def test_schema_is_valid_and_accepts_the_examples():
    Draft202012Validator.check_schema(SCHEMA)
    validator = Draft202012Validator(SCHEMA)
    validator.validate({"reporting": examples.REPORTING, "assessment": examples.ASSESSMENT})
    criteria = criteria_from_plan(examples.ASSESSMENT)
    assert sum(c.weight for c in criteria) == D(100)
    assert ReportingRules.from_plan(examples.REPORTING).due_day == 5


def test_schema_rejects_float_weights_and_unknown_periods():
    validator = Draft202012Validator(SCHEMA)
    bad_weight = json.loads(json.dumps(examples.ASSESSMENT))
    bad_weight["criteria"][0]["weight"] = 0.4
    assert list(validator.iter_errors({"assessment": bad_weight}))
    assert list(validator.iter_errors({"reporting": {**examples.REPORTING, "period": "weekly"}}))


def test_a_perfect_unit_scores_exactly_100_whatever_the_weights():
    criteria = [
        Criterion("a", "甲", "a", D(1), "x"),
        Criterion("b", "乙", "b", D(1), "y"),
        Criterion("c", "丙", "c", D(4), "z"),
    ]
    result = assess({"u": {"x": D(100), "y": D(100), "z": D(100)}}, criteria).results[0]
    assert result.total == D("100.00")
    assert sum(b.points for b in result.breakdown) == result.total
