from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from semicluster.projects.lifecycle import (
    MILESTONE_ORDER,
    STAGE_ORDER,
    BelowThreshold,
    LifecycleState,
    MilestoneDates,
    Stage,
    TransitionError,
    apply_transition,
    check_milestones,
    check_transition,
    library_admission,
    required_milestones,
)

START = date(2025, 3, 10)
COMPLETION = date(2025, 11, 20)
PRODUCTION = date(2025, 12, 15)
ALL_ACTUAL = MilestoneDates(actual_start=START, actual_completion=COMPLETION, actual_production=PRODUCTION)


def codes_of(excinfo: pytest.ExceptionInfo[TransitionError]) -> list[str]:
    return excinfo.value.codes


def test_every_stage_has_a_chinese_and_an_english_label():
    assert Stage.STARTED.label_zh == "开工"
    assert Stage.COMPLETED.label_zh == "竣工"
    assert Stage.IN_PRODUCTION.label_zh == "投产"
    assert Stage.SUSPENDED.label == "停缓建 / suspended"
    for stage in Stage:
        assert stage.label_zh and stage.label_en


def test_milestone_dates_hold_a_planned_and_an_actual_date_for_each_milestone():
    names = {f.name for f in fields(MilestoneDates)}
    assert names == {f"{kind}_{m.value}" for kind in ("planned", "actual") for m in MILESTONE_ORDER}


def test_the_main_line_runs_from_reserve_to_at_capacity_without_the_side_state():
    assert STAGE_ORDER[0] is Stage.RESERVE
    assert STAGE_ORDER[-1] is Stage.AT_CAPACITY
    assert Stage.SUSPENDED not in STAGE_ORDER


def test_required_milestones_grow_along_the_line():
    assert required_milestones(Stage.PREPARATION) == ()
    assert [m.value for m in required_milestones(Stage.UNDER_CONSTRUCTION)] == ["start"]
    assert [m.value for m in required_milestones(Stage.AT_CAPACITY)] == ["start", "completion", "production"]


def test_early_stages_follow_one_another_without_dates():
    check_transition(Stage.RESERVE, Stage.SIGNED, milestone_dates=MilestoneDates())
    check_transition("signed", "preparation", milestone_dates=MilestoneDates())


def test_starting_needs_the_actual_start_date():
    with pytest.raises(TransitionError) as excinfo:
        check_transition(
            Stage.PREPARATION, Stage.STARTED, milestone_dates=MilestoneDates(planned_start=START)
        )
    assert codes_of(excinfo) == ["missing_actual_start"]
    assert "实际开工日期" in str(excinfo.value) and "actual start date" in str(excinfo.value)


def test_starting_with_the_actual_start_date_is_allowed():
    check_transition(Stage.PREPARATION, Stage.STARTED, milestone_dates=MilestoneDates(actual_start=START))


def test_no_production_before_start():
    dates = MilestoneDates(actual_completion=COMPLETION, actual_production=PRODUCTION)
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.PREPARATION, Stage.IN_PRODUCTION, milestone_dates=dates)
    assert "missing_actual_start" in codes_of(excinfo)


def test_no_completion_before_start_even_when_both_dates_are_given():
    dates = MilestoneDates(actual_start=date(2025, 6, 1), actual_completion=date(2025, 5, 1))
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.UNDER_CONSTRUCTION, Stage.COMPLETED, milestone_dates=dates)
    assert codes_of(excinfo) == ["actual_completion_before_start"]
    assert "2025-05-01" in str(excinfo.value)


def test_production_dated_before_completion_is_refused():
    dates = MilestoneDates(
        actual_start=START, actual_completion=COMPLETION, actual_production=date(2025, 11, 1)
    )
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.COMPLETED, Stage.IN_PRODUCTION, milestone_dates=dates)
    assert codes_of(excinfo) == ["actual_production_before_completion"]


def test_planned_dates_must_not_go_backwards_either():
    dates = MilestoneDates(planned_start=date(2025, 9, 1), planned_completion=date(2025, 8, 1))
    with pytest.raises(TransitionError) as excinfo:
        check_milestones(dates)
    assert codes_of(excinfo) == ["planned_completion_before_start"]


def test_equal_dates_do_not_go_backwards():
    check_milestones(MilestoneDates(actual_start=START, actual_completion=START, actual_production=START))


def test_an_actual_date_after_today_is_refused():
    with pytest.raises(TransitionError) as excinfo:
        check_transition(
            Stage.PREPARATION,
            Stage.STARTED,
            milestone_dates=MilestoneDates(actual_start=date(2025, 7, 2)),
            today=date(2025, 7, 1),
        )
    assert codes_of(excinfo) == ["actual_start_in_future"]


def test_skipping_forward_needs_the_actual_dates_of_the_skipped_milestones():
    with pytest.raises(TransitionError) as excinfo:
        check_transition(
            Stage.PREPARATION, Stage.COMPLETED, milestone_dates=MilestoneDates(actual_completion=COMPLETION)
        )
    assert codes_of(excinfo) == ["missing_actual_start"]
    assert "跨越的节点" in str(excinfo.value) and "skipped milestone" in str(excinfo.value)


def test_skipping_forward_with_every_actual_date_is_allowed():
    check_transition(Stage.SIGNED, Stage.IN_PRODUCTION, milestone_dates=ALL_ACTUAL)


def test_a_stage_cannot_lag_behind_an_actual_date_already_reported():
    dates = MilestoneDates(actual_start=START, actual_completion=COMPLETION)
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.PREPARATION, Stage.STARTED, milestone_dates=dates)
    assert codes_of(excinfo) == ["premature_actual_completion"]


def test_going_backwards_is_refused():
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.COMPLETED, Stage.STARTED, milestone_dates=ALL_ACTUAL)
    assert "backward" in codes_of(excinfo)
    assert "不能从竣工退回开工" in str(excinfo.value)


def test_moving_to_the_same_stage_is_refused():
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.SIGNED, Stage.SIGNED, milestone_dates=MilestoneDates())
    assert codes_of(excinfo) == ["same_stage"]


def test_every_problem_is_reported_at_once():
    dates = MilestoneDates(actual_completion=date(2025, 1, 1), actual_production=date(2024, 12, 1))
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.IN_PRODUCTION, Stage.STARTED, milestone_dates=dates)
    assert set(codes_of(excinfo)) >= {
        "backward",
        "missing_actual_start",
        "premature_actual_completion",
        "premature_actual_production",
        "actual_production_before_completion",
    }


def test_suspension_needs_a_reason():
    with pytest.raises(TransitionError) as excinfo:
        check_transition(
            Stage.UNDER_CONSTRUCTION,
            Stage.SUSPENDED,
            milestone_dates=MilestoneDates(actual_start=START),
            reason=" ",
        )
    assert codes_of(excinfo) == ["reason_required"]


def test_a_project_at_capacity_cannot_be_suspended():
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.AT_CAPACITY, Stage.SUSPENDED, milestone_dates=ALL_ACTUAL, reason="市场变化")
    assert codes_of(excinfo) == ["not_suspendable"]


def test_a_suspended_project_remembers_the_stage_it_left_and_why():
    dates = MilestoneDates(actual_start=START)
    state = apply_transition(
        LifecycleState(Stage.UNDER_CONSTRUCTION),
        Stage.SUSPENDED,
        milestone_dates=dates,
        reason=" 资金未到位 ",
    )
    assert state == LifecycleState(
        Stage.SUSPENDED, suspended_from=Stage.UNDER_CONSTRUCTION, suspension_reason="资金未到位"
    )
    resumed = apply_transition(state, Stage.UNDER_CONSTRUCTION, milestone_dates=dates)
    assert resumed == LifecycleState(Stage.UNDER_CONSTRUCTION)


def test_a_suspended_project_cannot_be_suspended_again():
    state = LifecycleState(Stage.SUSPENDED, suspended_from=Stage.SIGNED, suspension_reason="用地未落实")
    with pytest.raises(TransitionError) as excinfo:
        apply_transition(state, Stage.SUSPENDED, milestone_dates=MilestoneDates(), reason="again")
    assert codes_of(excinfo) == ["already_suspended"]


def test_a_suspended_project_resumes_forward_with_the_new_actual_date():
    state = LifecycleState(Stage.SUSPENDED, suspended_from=Stage.PREPARATION, suspension_reason="环评未批")
    resumed = apply_transition(state, Stage.STARTED, milestone_dates=MilestoneDates(actual_start=START))
    assert resumed.stage is Stage.STARTED


def test_a_suspended_project_cannot_resume_behind_the_stage_it_left():
    state = LifecycleState(Stage.SUSPENDED, suspended_from=Stage.STARTED, suspension_reason="资金未到位")
    with pytest.raises(TransitionError) as excinfo:
        apply_transition(state, Stage.PREPARATION, milestone_dates=MilestoneDates(actual_start=START))
    assert "resume_behind" in codes_of(excinfo)


def test_a_suspension_without_its_former_stage_cannot_resume():
    with pytest.raises(TransitionError) as excinfo:
        check_transition(Stage.SUSPENDED, Stage.SIGNED, milestone_dates=MilestoneDates())
    assert codes_of(excinfo) == ["suspended_from_unknown"]


def test_the_state_refuses_inconsistent_suspension_fields():
    with pytest.raises(ValueError, match="suspended"):
        LifecycleState(Stage.SUSPENDED)
    with pytest.raises(ValueError, match="only a suspended state"):
        LifecycleState(Stage.SIGNED, suspension_reason="x")


def _dates_for(stage: Stage) -> MilestoneDates:
    needed = required_milestones(stage)
    values = {
        f"actual_{m.value}": d for m, d in zip(MILESTONE_ORDER, (START, COMPLETION, PRODUCTION), strict=True)
    }
    return MilestoneDates(**{k: v for k, v in values.items() if k.removeprefix("actual_") in needed})


main_line = st.sampled_from(STAGE_ORDER)


@given(main_line, main_line)
def test_forward_moves_with_exactly_the_needed_dates_pass_and_backward_moves_fail(current, target):
    dates = _dates_for(target)
    if STAGE_ORDER.index(target) > STAGE_ORDER.index(current):
        check_transition(current, target, milestone_dates=dates)
    else:
        with pytest.raises(TransitionError):
            check_transition(current, target, milestone_dates=dates)


KUNSHAN_LIBRARY = {"threshold_yuan": 50_000_000, "below_threshold": "refuse"}


def test_a_project_of_exactly_fifty_million_enters_the_library():
    admission = library_admission(50_000_000, KUNSHAN_LIBRARY)
    assert admission.in_library and not admission.keep_as_ordinary
    assert admission.message_zh == "总投资5000万元，入库标准5000万元，纳入重大项目库"


def test_a_smaller_project_is_refused_with_a_message_naming_both_amounts():
    admission = library_admission(Decimal("49999999.99"), KUNSHAN_LIBRARY)
    assert not admission.in_library and not admission.keep_as_ordinary
    assert admission.message == (
        "总投资4999.999999万元，入库标准5000万元，未达标准，不予入库 / total investment 49,999,999.99 yuan, "
        "library threshold 50,000,000 yuan: below the threshold, not admitted"
    )


def test_a_plan_may_keep_smaller_projects_as_ordinary_ones():
    section = {"threshold_yuan": "50000000", "below_threshold": BelowThreshold.KEEP_AS_ORDINARY.value}
    admission = library_admission(30_000_000, section)
    assert not admission.in_library and admission.keep_as_ordinary
    assert "作为一般项目管理" in admission.message_zh
