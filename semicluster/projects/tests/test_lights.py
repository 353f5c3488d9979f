import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import yaml

from semicluster.projects.lifecycle import MilestoneDates
from semicluster.projects.lights import (
    ALL_WITHIN_RULES,
    DEFAULT_RULE_SET_LABEL,
    KUNSHAN_DEFAULT_RULES,
    Colour,
    Comparison,
    RuleError,
    evaluate,
    kunshan_default_rules,
    parse_rule,
    parse_rules,
    plan_schema,
    schema_errors,
)
from semicluster.projects.measures import Measure, ProblemInput, ProgressInput, compute_measures

M = Decimal(1_000_000)
JUNE = date(2025, 6, 1)

# A project on track in June: 60 of 120 M done, updated mid-month, started, nothing open.
BASE = compute_measures(
    ProgressInput(
        JUNE,
        annual_plan=120 * M,
        ytd_completed=60 * M,
        milestones=MilestoneDates(planned_start=date(2025, 2, 1), actual_start=date(2025, 2, 10)),
        last_update=date(2025, 6, 15),
    )
)


def rule(**overrides):
    data = {
        "code": "r",
        "measure": "gap_points",
        "comparison": "lt",
        "threshold": -10,
        "light": "yellow",
        "reason_zh": "落后{abs_value}个百分点",
        "reason_en": "{abs_value} points behind",
        "source": "test",
        "source_text": "test rule",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_worked_bulletin_example_is_on_track_when_it_meets_the_schedule():
    assert (BASE.ytd_completion_pct, BASE.gap_points) == (Decimal("50.0"), Decimal("0.0"))


# --- each comparison at its boundaries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "threshold", "fires_at", "silent_at"),
    [
        ("lt", -10, ["-10.1"], ["-10.0", "-9.9"]),
        ("lte", -10, ["-10.0", "-10.1"], ["-9.9"]),
        ("gt", 10, ["10.1"], ["10.0", "9.9"]),
        ("gte", 10, ["10.0", "10.1"], ["9.9"]),
        ("eq", 0, ["0.0"], ["0.1", "-0.1"]),
    ],
)
def test_each_comparison_fires_exactly_on_its_side_of_the_threshold(
    comparison, threshold, fires_at, silent_at
):
    rules = [rule(comparison=comparison, threshold=threshold)]
    for gap in fires_at:
        assert evaluate(replace(BASE, gap_points=Decimal(gap)), rules).colour is Colour.YELLOW, gap
    for gap in silent_at:
        assert evaluate(replace(BASE, gap_points=Decimal(gap)), rules).colour is Colour.GREEN, gap


def test_between_includes_both_ends():
    rules = [rule(comparison="between", threshold=None, thresholds=[-30, -10])]
    for gap, colour in [
        ("-30.1", "green"),
        ("-30.0", "yellow"),
        ("-20", "yellow"),
        ("-10.0", "yellow"),
        ("-9.9", "green"),
    ]:
        assert evaluate(replace(BASE, gap_points=Decimal(gap)), rules).colour == colour, gap


def test_comparisons_work_on_whole_number_measures():
    assert Comparison.GTE.holds(Decimal(3), (Decimal(3),))
    rules = [rule(measure="overdue_problems", comparison="gte", threshold=1, reason_zh="问题", reason_en="p")]
    assert evaluate(replace(BASE, overdue_problems=1), rules).colour is Colour.YELLOW
    assert evaluate(replace(BASE, overdue_problems=0), rules).colour is Colour.GREEN


# --- evaluation ---------------------------------------------------------------------------------------


def test_no_rule_firing_gives_green_with_its_reason():
    light = evaluate(BASE, kunshan_default_rules())
    assert light.colour is Colour.GREEN
    assert [r.code for r in light.reasons] == [ALL_WITHIN_RULES]
    assert light.reasons[0].text == "各项指标均在规则范围内 / all measures within rules"


def test_the_worst_colour_wins_and_every_measure_keeps_its_reason():
    measures = replace(
        BASE, gap_points=Decimal("-12.5"), overdue_problems=3, ytd_completion_pct=Decimal("37.5")
    )
    light = evaluate(measures, kunshan_default_rules())
    assert light.colour is Colour.RED
    assert [(r.code, r.colour.value) for r in light.reasons] == [
        ("problems_overdue_many", "red"),
        ("behind_schedule", "yellow"),
    ]


def test_on_one_measure_only_the_most_severe_rule_speaks():
    measures = replace(BASE, gap_points=Decimal("-35.0"), ytd_completion_pct=Decimal("15.0"))
    light = evaluate(measures, kunshan_default_rules())
    assert [r.code for r in light.reasons] == ["behind_schedule_far"]


def test_reason_texts_are_filled_from_the_measures():
    measures = replace(BASE, gap_points=Decimal("-12.5"), ytd_completion_pct=Decimal("37.5"))
    (reason,) = evaluate(measures, kunshan_default_rules()).reasons
    assert reason.text_zh == "年度计划完成37.5%，落后序时进度12.5个百分点"
    assert reason.text_en == "37.5% of the annual plan done, 12.5 points behind schedule"
    assert reason.value == Decimal("-12.5")
    assert reason.source == "二、2"


def test_threshold_and_month_placeholders_are_available():
    r = rule(reason_zh="{month}：差距{gap_points}，阈值{threshold}", reason_en="{value} vs {threshold_low}")
    (reason,) = evaluate(replace(BASE, gap_points=Decimal("-12.5")), [r]).reasons
    assert reason.text_zh == "2025-06：差距-12.5，阈值-10"
    assert reason.text_en == "-12.5 vs -10"


def test_a_rule_on_a_missing_measure_stays_silent_unless_it_says_what_missing_means():
    no_plan = replace(BASE, ytd_completion_pct=None, gap_points=None, completion_ratio=None)
    assert evaluate(no_plan, [rule()]).colour is Colour.GREEN
    light = evaluate(no_plan, [rule(missing="yellow")])
    assert light.colour is Colour.YELLOW
    (reason,) = light.reasons
    assert reason.missing and reason.value is None
    assert reason.text_zh == "缺少数据：与序时进度差距（百分点）无法计算"
    assert reason.text_en == "missing data: gap to the time schedule (percentage points) cannot be computed"


def test_a_missing_measure_is_stated_once_even_when_several_rules_ask():
    no_plan = replace(BASE, gap_points=None)
    rules = [rule(code="a", missing="yellow"), rule(code="b", threshold=-30, light="red", missing="yellow")]
    assert len(evaluate(no_plan, rules).reasons) == 1


def test_the_missing_reason_can_be_worded_by_the_plan():
    rules = [
        rule(missing="red", missing_reason_zh="{month}未填报年度计划", missing_reason_en="no annual plan")
    ]
    light = evaluate(replace(BASE, gap_points=None), rules)
    assert light.colour is Colour.RED
    assert light.reasons[0].text == "2025-06未填报年度计划 / no annual plan"


def test_the_same_data_gives_the_same_light_in_json():
    measures = replace(BASE, overdue_problems=2)
    first = evaluate(measures, kunshan_default_rules()).as_dict()
    assert first == evaluate(measures, kunshan_default_rules()).as_dict()
    assert json.loads(json.dumps(first)) == first
    assert first["colour"] == "yellow"


# --- rules that cannot be used --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"light": "green"}, "red or yellow"),
        ({"measure": "revenue"}, "revenue"),
        ({"comparison": "between"}, "thresholds: [low, high]"),
        ({"comparison": "between", "threshold": None, "thresholds": [-10, -30]}, "low threshold exceeds"),
        ({"threshold": None}, "exactly one threshold"),
        ({"threshold": "ten"}, "not a number"),
        ({"threshold": True}, "must be a number"),
        ({"missing": "green"}, "missing must be red or yellow"),
        ({"reason_zh": "落后{behind}"}, "unknown placeholder {behind}"),
        ({"reason_en": "{value.__class__}"}, "unknown placeholder"),
        ({"reason_en": "{value:>10}"}, "no format spec"),
        ({"reason_en": "{value"}, "braces"),
        ({"source": None}, "field source is missing"),
    ],
)
def test_a_broken_rule_is_refused_with_its_position_and_code(overrides, message):
    with pytest.raises(RuleError, match="rule 1 \\(r\\)") as excinfo:
        parse_rules([rule(**overrides)])
    assert message in str(excinfo.value)


def test_rule_codes_must_be_unique():
    with pytest.raises(RuleError, match="appears twice"):
        parse_rules([rule(), rule()])


def test_a_yaml_float_threshold_is_read_as_its_exact_decimal():
    (data,) = yaml.safe_load(
        "- {code: r, measure: gap_points, comparison: lt, threshold: -12.3, light: red,"
        " reason_zh: z, reason_en: e, source: s, source_text: t}"
    )
    assert parse_rule(data).thresholds == (Decimal("-12.3"),)
    assert parse_rule(rule(threshold="-12.3")).thresholds == (Decimal("-12.3"),)


# --- schema --------------------------------------------------------------------------------------------


def test_the_schema_lists_exactly_the_measures_the_engine_computes():
    assert set(plan_schema()["$defs"]["measure"]["enum"]) == {m.value for m in Measure}


def test_the_kunshan_library_section_and_default_rules_are_valid_plan_data():
    sections = {
        "project_library": {
            "threshold_yuan": 50_000_000,
            "below_threshold": "refuse",
            "source": "二、2",
            "source_text": "建立 5000 万元以上项目库",
        },
        "risk_rules": kunshan_default_rules(),
    }
    assert schema_errors(sections) == []


@pytest.mark.parametrize(
    ("sections", "path"),
    [
        (
            {"project_library": {"threshold_yuan": 50_000_000, "below_threshold": "drop"}},
            "project_library/below_threshold",
        ),
        (
            {"project_library": {"threshold_yuan": -1, "below_threshold": "refuse"}},
            "project_library/threshold_yuan",
        ),
        ({"risk_rules": [rule(measure="revenue")]}, "risk_rules/0/measure"),
        ({"risk_rules": [rule(comparison="between")]}, "risk_rules/0"),
        (
            {"risk_rules": [rule(comparison="between", threshold=None, thresholds=[1])]},
            "risk_rules/0/thresholds",
        ),
        ({"risk_rules": [rule(light="green")]}, "risk_rules/0/light"),
        ({"risk_rules": [rule(colour="red")]}, "risk_rules/0"),
    ],
)
def test_the_schema_names_the_path_of_a_bad_entry(sections, path):
    errors = schema_errors(sections)
    assert errors and any(e.startswith(path + ":") for e in errors), errors


# --- the platform default for Kunshan -----------------------------------------------------------------


def test_the_kunshan_defaults_are_labelled_as_the_platforms_and_traced_to_the_plan():
    assert "平台默认" in DEFAULT_RULE_SET_LABEL and "platform default" in DEFAULT_RULE_SET_LABEL
    for data in KUNSHAN_DEFAULT_RULES:
        assert "platform default" in data["note"]
        assert data["source"] in {"二、2", "二、8"}
    measures = {data["measure"] for data in KUNSHAN_DEFAULT_RULES}
    assert measures == {"start_overdue_months", "gap_points", "overdue_problems", "days_since_update"}


def test_changing_a_copy_of_the_defaults_leaves_the_defaults_alone():
    copy = kunshan_default_rules()
    copy[0]["threshold"] = 99
    assert KUNSHAN_DEFAULT_RULES[0]["threshold"] == 1


def test_kunshan_defaults_turn_a_start_three_months_late_red():
    measures = compute_measures(
        ProgressInput(
            JUNE, milestones=MilestoneDates(planned_start=date(2025, 4, 1)), last_update=date(2025, 6, 28)
        )
    )
    light = evaluate(measures, kunshan_default_rules())
    assert light.colour is Colour.RED
    assert light.reasons[0].text_zh == "连续3个月未按计划开工"


def test_kunshan_defaults_flag_stale_and_never_reported_data():
    stale = compute_measures(ProgressInput(JUNE, last_update=date(2025, 5, 15)))  # 46 days to 30 June
    assert evaluate(stale, kunshan_default_rules()).reasons[0].code == "data_not_updated"
    never = compute_measures(ProgressInput(JUNE))
    (reason,) = evaluate(never, kunshan_default_rules()).reasons
    assert reason.missing and reason.text == "尚未报送进度数据 / no progress data reported yet"


def test_kunshan_defaults_flag_overdue_problems():
    measures = compute_measures(
        ProgressInput(JUNE, last_update=date(2025, 6, 28), problems=[ProblemInput(deadline=date(2025, 6, 1))])
    )
    (reason,) = evaluate(measures, kunshan_default_rules()).reasons
    assert reason.text == "1个问题逾期未解决 / 1 problem(s) past their deadline"


# --- real cities' rules as plan data (domain-facts §6.4) ---------------------------------------------

YINCHUAN_2025 = """
# 银川 2025 红黄绿灯推进机制 (https://m.qlbk.net/news/3Ww4l7bw75.html)
- code: yinchuan_start_due
  measure: start_overdue_months
  comparison: gte
  threshold: 1
  light: yellow
  reason_zh: 计划本月开工未开工
  reason_en: planned to start this month, not started
  source: 银川2025红黄绿灯推进机制
  source_text: 计划当月开工但无正当理由未开工的亮黄灯
- code: yinchuan_start_three_months
  measure: start_overdue_months
  comparison: gte
  threshold: 3
  light: red
  reason_zh: 连续{start_overdue_months}个月未开工
  reason_en: not started for {start_overdue_months} consecutive months
  source: 银川2025红黄绿灯推进机制
  source_text: 连续3个月未开工的亮红灯
- code: yinchuan_progress_behind
  measure: gap_points
  comparison: between
  thresholds: [-30, -10]
  light: yellow
  reason_zh: 落后序时进度{abs_value}个百分点（10–30个百分点）
  reason_en: "{abs_value} points behind the time schedule (10–30)"
  missing: yellow
  source: 银川2025红黄绿灯推进机制
  source_text: 落后序时进度10—30个百分点（含）的亮黄灯
- code: yinchuan_progress_far_behind
  measure: gap_points
  comparison: lt
  threshold: -30
  light: red
  reason_zh: 落后序时进度{abs_value}个百分点（超过30个百分点）
  reason_en: "{abs_value} points behind the time schedule (more than 30)"
  source: 银川2025红黄绿灯推进机制
  source_text: 落后序时进度30个百分点以上的亮红灯
- code: yinchuan_funds
  measure: funds_in_place_pct
  comparison: lt
  threshold: 100
  light: red
  reason_zh: 资金到位{funds_in_place_pct}%，未达要求
  reason_en: funds in place {funds_in_place_pct}%, below requirement
  source: 银川2025红黄绿灯推进机制
  source_text: 资金未按要求拨付到位的亮红灯
- code: yinchuan_statistics_entry
  measure: statistics_overdue_months
  comparison: gte
  threshold: 1
  light: yellow
  reason_zh: 开工{statistics_overdue_months}个月未入统
  reason_en: not in the statistics {statistics_overdue_months} month(s) after the start
  source: 银川2025红黄绿灯推进机制
  source_text: 开工1个月未入统的亮黄灯
- code: yinchuan_statistics_entry_late
  measure: statistics_overdue_months
  comparison: gt
  threshold: 2
  light: red
  reason_zh: 开工{statistics_overdue_months}个月未入统（超过2个月）
  reason_en: not in the statistics {statistics_overdue_months} months after the start (more than 2)
  source: 银川2025红黄绿灯推进机制
  source_text: 开工超过2个月未入统的亮红灯
"""

WUHAN = """
# 武汉 重大项目管理办法 (http://gxhyy.yfsoft.com.cn/25400.html)
- code: wuhan_red_card
  measure: completion_ratio
  comparison: lt
  threshold: 0.6
  light: red
  reason_zh: 投资完成率仅为序时进度的{completion_ratio}（低于60%），亮红牌
  reason_en: completion is {completion_ratio} of the time schedule (below 60 %), red card
  missing: yellow
  source: 武汉市重大项目管理办法
  source_text: 完成率低于时间进度60%的亮红牌
- code: wuhan_yellow_card
  measure: completion_ratio
  comparison: lt
  threshold: 0.8
  light: yellow
  reason_zh: 投资完成率为序时进度的{completion_ratio}（低于80%），亮黄牌
  reason_en: completion is {completion_ratio} of the time schedule (below 80 %), yellow card
  missing: yellow
  source: 武汉市重大项目管理办法
  source_text: 完成率低于时间进度80%的亮黄牌
"""


@pytest.fixture(scope="module")
def yinchuan():
    return yaml.safe_load(YINCHUAN_2025)


@pytest.fixture(scope="module")
def wuhan():
    return yaml.safe_load(WUHAN)


def test_the_yinchuan_and_wuhan_rules_are_valid_plan_data(yinchuan, wuhan):
    assert schema_errors({"risk_rules": yinchuan}) == []
    assert schema_errors({"risk_rules": wuhan}) == []
    assert len(parse_rules(yinchuan)) == 7 and len(parse_rules(wuhan)) == 2


def june(ytd_million: str, **extra) -> ProgressInput:
    return ProgressInput(JUNE, annual_plan=100 * M, ytd_completed=Decimal(ytd_million) * M, **extra)


@pytest.mark.parametrize(
    ("ytd_million", "colour"),
    [
        ("40.1", "green"),  # 9.9 points behind
        ("40", "yellow"),  # 10.0 behind: inclusive
        ("20", "yellow"),  # 30.0 behind: inclusive
        ("19.9", "red"),  # 30.1 behind
        ("55", "green"),  # ahead
    ],
)
def test_yinchuan_progress_is_yellow_from_10_to_30_points_behind_and_red_beyond(
    yinchuan, ytd_million, colour
):
    light = evaluate(compute_measures(june(ytd_million)), yinchuan)
    assert light.colour == colour


def test_yinchuan_names_the_gap_in_its_reason(yinchuan):
    light = evaluate(compute_measures(june("37.5")), yinchuan)
    assert light.reasons[0].text_zh == "落后序时进度12.5个百分点（10–30个百分点）"


@pytest.mark.parametrize(
    ("planned_start", "colour", "reason"),
    [
        (date(2025, 6, 10), "yellow", "计划本月开工未开工"),
        (date(2025, 5, 10), "yellow", "计划本月开工未开工"),
        (date(2025, 4, 10), "red", "连续3个月未开工"),
        (date(2025, 7, 10), "green", "各项指标均在规则范围内"),
    ],
)
def test_yinchuan_start_is_yellow_when_due_and_red_after_three_months(
    yinchuan, planned_start, colour, reason
):
    progress = june("50", milestones=MilestoneDates(planned_start=planned_start))
    light = evaluate(compute_measures(progress), yinchuan)
    assert (light.colour, light.reasons[0].text_zh) == (colour, reason)


def test_yinchuan_funds_below_requirement_are_red(yinchuan):
    short = june("50", funds_required=10 * M, funds_in_place=Decimal("9.99") * M)
    assert evaluate(compute_measures(short), yinchuan).reasons[0].text_zh == "资金到位99.9%，未达要求"
    paid = june("50", funds_required=10 * M, funds_in_place=10 * M)
    assert evaluate(compute_measures(paid), yinchuan).colour is Colour.GREEN


@pytest.mark.parametrize(
    ("actual_start", "colour"),
    [
        (date(2025, 6, 1), "green"),
        (date(2025, 5, 30), "yellow"),
        (date(2025, 4, 15), "yellow"),
        (date(2025, 3, 31), "red"),
    ],
)
def test_yinchuan_statistics_entry_is_yellow_after_one_month_and_red_after_more_than_two(
    yinchuan, actual_start, colour
):
    progress = june("50", milestones=MilestoneDates(actual_start=actual_start))
    assert evaluate(compute_measures(progress), yinchuan).colour == colour


def test_yinchuan_says_the_progress_measure_is_missing_without_an_annual_plan(yinchuan):
    light = evaluate(compute_measures(ProgressInput(JUNE)), yinchuan)
    assert light.colour is Colour.YELLOW
    assert [r.code for r in light.reasons] == ["yinchuan_progress_behind"] and light.reasons[0].missing


@pytest.mark.parametrize(
    ("ytd_million", "colour"),
    [
        ("29.99", "red"),  # ratio 0.5998 < 0.6
        ("30", "yellow"),  # exactly 60 % of the schedule: not red
        ("39.99", "yellow"),  # 0.7998
        ("40", "green"),  # exactly 80 %
    ],
)
def test_wuhan_cards_red_below_60_and_yellow_below_80_percent_of_schedule(wuhan, ytd_million, colour):
    assert evaluate(compute_measures(june(ytd_million)), wuhan).colour == colour


def test_wuhan_red_card_lists_only_its_own_reason(wuhan):
    light = evaluate(compute_measures(june("25")), wuhan)
    assert [r.text_zh for r in light.reasons] == ["投资完成率仅为序时进度的0.50（低于60%），亮红牌"]


def test_wuhan_judges_january_against_the_exact_schedule(wuhan):
    # 5 of 100 in January is 60 % of the 8.33 % schedule; rounded percentages would hide the boundary.
    january = ProgressInput(date(2025, 1, 1), annual_plan=100, ytd_completed=5)
    light = evaluate(compute_measures(january), wuhan)
    assert light.colour is Colour.YELLOW
    assert light.reasons[0].text_en == "completion is 0.60 of the time schedule (below 80 %), yellow card"
