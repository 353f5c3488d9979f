import json
from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from semicluster.projects.lifecycle import MilestoneDates
from semicluster.projects.measures import (
    Measure,
    ProblemInput,
    ProgressInput,
    ProjectMeasures,
    compute_measures,
    percent,
    schedule_percent,
)

M = Decimal(1_000_000)


def test_bulletin_example_june_45_of_120_million():
    measures = compute_measures(ProgressInput(date(2025, 6, 1), annual_plan=120 * M, ytd_completed=45 * M))
    assert measures.ytd_completion_pct == Decimal("37.5")
    assert measures.schedule_pct == Decimal("50.0")
    assert measures.gap_points == Decimal("-12.5")
    assert measures.completion_ratio == Decimal("0.75")


def test_a_project_ahead_of_schedule_has_a_positive_gap():
    measures = compute_measures(ProgressInput(date(2025, 6, 30), annual_plan=100 * M, ytd_completed=60 * M))
    assert measures.ytd_completion_pct == Decimal("60.0")
    assert measures.gap_points == Decimal("10.0")
    assert measures.completion_ratio == Decimal("1.2")


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (1, "8.3"),
        (2, "16.7"),
        (3, "25.0"),
        (4, "33.3"),
        (5, "41.7"),
        (6, "50.0"),
        (11, "91.7"),
        (12, "100.0"),
    ],
)
def test_time_schedule_progress_is_month_over_twelve(month, expected):
    assert schedule_percent(month) == Decimal(expected)


def test_a_month_outside_the_year_is_refused():
    with pytest.raises(ValueError, match="1–12"):
        schedule_percent(13)


def test_percentages_round_half_up_not_to_even():
    # 1 ÷ 16 = 6.25 %: banker's rounding would give 6.2, bulletins give 6.3.
    assert percent(1, 16) == Decimal("6.3")
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")


def test_the_gap_is_the_difference_of_the_printed_percentages():
    # 167 of 2000 is 8.35 % → 8.4; January's schedule 8.333 % → 8.3; the printed gap must read 0.1.
    measures = compute_measures(ProgressInput(date(2025, 1, 1), annual_plan=2000, ytd_completed=167))
    assert (measures.ytd_completion_pct, measures.schedule_pct, measures.gap_points) == (
        Decimal("8.4"),
        Decimal("8.3"),
        Decimal("0.1"),
    )


def test_the_ratio_comes_from_exact_amounts_not_from_rounded_percentages():
    # 5 % in January is exactly 0.6 of the schedule; from the rounded 5.0 ÷ 8.3 it would be 0.6024.
    measures = compute_measures(ProgressInput(date(2025, 1, 1), annual_plan=100, ytd_completed=5))
    assert measures.completion_ratio == Decimal("0.6")


def test_without_an_annual_plan_the_investment_measures_are_not_computable():
    for plan in (None, 0):
        measures = compute_measures(ProgressInput(date(2025, 6, 1), annual_plan=plan, ytd_completed=45 * M))
        assert measures.ytd_completion_pct is None
        assert measures.gap_points is None
        assert measures.completion_ratio is None
        assert measures.schedule_pct == Decimal("50.0")


def test_without_a_reported_amount_the_investment_measures_are_not_computable():
    measures = compute_measures(ProgressInput(date(2025, 6, 1), annual_plan=120 * M))
    assert measures.ytd_completion_pct is None and measures.completion_ratio is None


def test_no_measure_is_ever_a_float():
    measures = compute_measures(
        ProgressInput(
            date(2025, 7, 1),
            annual_plan=Decimal("33333333.33"),
            ytd_completed=Decimal("12345678.9"),
            milestones=MilestoneDates(planned_start=date(2025, 3, 1)),
            last_update=date(2025, 7, 3),
            funds_required=7,
            funds_in_place=3,
        )
    )
    for f in fields(ProjectMeasures):
        assert not isinstance(getattr(measures, f.name), float), f.name


def test_measures_serialise_to_json_without_floats():
    measures = compute_measures(ProgressInput(date(2025, 6, 1), annual_plan=120 * M, ytd_completed=45 * M))
    data = measures.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["ytd_completion_pct"] == "37.5"
    assert data["reporting_month"] == "2025-06-01"
    assert data["overdue_problems"] == 0
    assert data["gap_points"] == "-12.5"


def test_the_reporting_month_is_taken_as_its_first_day_and_counted_to_its_last():
    measures = compute_measures(ProgressInput(date(2025, 2, 14)))
    assert measures.reporting_month == date(2025, 2, 1)
    assert measures.as_of == date(2025, 2, 28)


def test_an_as_of_date_before_the_reporting_month_is_refused():
    with pytest.raises(ValueError, match="before the reporting month"):
        compute_measures(ProgressInput(date(2025, 6, 1), as_of=date(2025, 5, 31)))


# --- start overdue -------------------------------------------------------------------------------------


def start_overdue(report: date, *, as_of: date | None = None, **dates: date) -> int | None:
    return compute_measures(
        ProgressInput(report, milestones=MilestoneDates(**dates), as_of=as_of)
    ).start_overdue_months


def test_a_start_planned_in_march_and_missing_in_may_is_in_its_third_month():
    assert start_overdue(date(2025, 5, 1), planned_start=date(2025, 3, 10)) == 3


def test_a_start_planned_for_the_reporting_month_and_missing_is_in_its_first_month():
    assert start_overdue(date(2025, 5, 1), planned_start=date(2025, 5, 20)) == 1


def test_a_start_planned_later_is_not_overdue():
    assert start_overdue(date(2025, 5, 1), planned_start=date(2025, 6, 1)) == 0
    assert start_overdue(date(2025, 5, 1), as_of=date(2025, 5, 10), planned_start=date(2025, 5, 20)) == 0


def test_a_started_project_is_not_overdue_even_if_it_started_late():
    assert start_overdue(date(2025, 5, 1), planned_start=date(2025, 1, 1), actual_start=date(2025, 4, 2)) == 0


def test_a_past_month_recomputed_later_ignores_a_start_after_it():
    assert start_overdue(date(2025, 3, 1), planned_start=date(2025, 1, 5), actual_start=date(2025, 4, 2)) == 3


def test_a_start_overdue_across_the_new_year_counts_on():
    assert start_overdue(date(2026, 2, 1), planned_start=date(2025, 11, 30)) == 4


def test_without_a_planned_start_the_overdue_start_is_not_computable():
    assert start_overdue(date(2025, 5, 1)) is None


# --- updates and problems ------------------------------------------------------------------------------


def test_days_since_update_count_to_the_end_of_the_reporting_month():
    measures = compute_measures(ProgressInput(date(2025, 6, 1), last_update=date(2025, 6, 20)))
    assert measures.days_since_update == 10


def test_days_since_update_count_to_an_explicit_as_of_date():
    progress = ProgressInput(date(2025, 6, 1), last_update=date(2025, 4, 30), as_of=date(2025, 6, 14))
    assert compute_measures(progress).days_since_update == 45


def test_an_update_after_the_as_of_date_counts_as_fresh():
    progress = ProgressInput(date(2025, 6, 1), last_update=date(2025, 7, 5))
    assert compute_measures(progress).days_since_update == 0


def test_a_project_never_updated_has_no_days_since_update():
    assert compute_measures(ProgressInput(date(2025, 6, 1))).days_since_update is None


def test_overdue_problems_are_open_problems_past_their_deadline():
    problems = [
        ProblemInput(deadline=date(2025, 6, 29)),  # overdue
        ProblemInput(deadline=date(2025, 6, 30)),  # due today: not yet overdue
        ProblemInput(deadline=date(2025, 5, 1), closed_on=date(2025, 6, 2)),  # closed in time for June
        ProblemInput(deadline=date(2025, 5, 1), closed_on=date(2025, 7, 2)),  # still open on 30 June
        ProblemInput(deadline=None),  # open, no deadline
    ]
    measures = compute_measures(ProgressInput(date(2025, 6, 1), problems=problems))
    assert measures.overdue_problems == 2
    assert measures.open_problems == 4


# --- Yinchuan-style funds and statistics entry ---------------------------------------------------------


def test_funds_in_place_are_a_percentage_of_the_requirement():
    progress = ProgressInput(date(2025, 6, 1), funds_required=80 * M, funds_in_place=60 * M)
    assert compute_measures(progress).funds_in_place_pct == Decimal("75.0")
    assert (
        compute_measures(
            ProgressInput(date(2025, 6, 1), funds_required=0, funds_in_place=1)
        ).funds_in_place_pct
        is None
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(date(2025, 4, 14), 0), (date(2025, 4, 15), 1), (date(2025, 6, 14), 2), (date(2025, 6, 15), 3)],
)
def test_months_without_statistics_entry_count_whole_months_since_the_start(as_of, expected):
    progress = ProgressInput(
        date(2025, as_of.month, 1), milestones=MilestoneDates(actual_start=date(2025, 3, 15)), as_of=as_of
    )
    assert compute_measures(progress).statistics_overdue_months == expected


def test_a_month_end_completes_a_month_started_on_a_later_day():
    progress = ProgressInput(date(2025, 2, 1), milestones=MilestoneDates(actual_start=date(2025, 1, 31)))
    assert compute_measures(progress).statistics_overdue_months == 1


def test_statistics_entry_is_not_due_before_the_start_and_settled_once_entered():
    assert compute_measures(ProgressInput(date(2025, 6, 1))).statistics_overdue_months is None
    entered = ProgressInput(
        date(2025, 6, 1),
        milestones=MilestoneDates(actual_start=date(2025, 1, 10)),
        entered_statistics_on=date(2025, 3, 1),
    )
    assert compute_measures(entered).statistics_overdue_months == 0


def test_every_measure_code_is_a_field_of_project_measures():
    names = {f.name for f in fields(ProjectMeasures)}
    assert {m.value for m in Measure} <= names
    for measure in Measure:
        assert measure.label_zh and measure.label_en


amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
plans = st.decimals(
    min_value=Decimal("0.01"), max_value=10**12, places=2, allow_nan=False, allow_infinity=False
)


@given(plans, amounts, st.integers(min_value=1, max_value=12))
def test_measures_agree_with_exact_arithmetic(plan, ytd, month):
    measures = compute_measures(ProgressInput(date(2025, month, 1), annual_plan=plan, ytd_completed=ytd))
    exact_pct = ytd * 100 / plan
    assert abs(measures.ytd_completion_pct - exact_pct) <= Decimal("0.05")
    assert measures.ytd_completion_pct.as_tuple().exponent == -1
    assert measures.gap_points == measures.ytd_completion_pct - measures.schedule_pct
    exact_ratio = ytd * 12 / (plan * month)
    assert abs(measures.completion_ratio - exact_ratio) <= Decimal("0.00005")
