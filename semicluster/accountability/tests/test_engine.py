from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from semicluster.accountability.engine import (
    Milestone,
    Obligation,
    Period,
    PeriodKind,
    ProgressUpdate,
    ReportingRules,
    Status,
    WorkItem,
    escalations_due,
    item_status,
    obligations,
    period_containing,
    period_for_report,
    periods_due,
    silent_units,
    timeliness,
)

RULES = ReportingRules(period=PeriodKind.MONTHLY, due_day=5, grace_days=3, at_risk_days=14)

ITEM = WorkItem(
    code="chain-map",
    title="编制产业链招商图谱",
    title_en="Compile the chain investment map",
    lead_unit="commerce",
    co_units=("industry",),
    start=date(2025, 1, 1),
    deadline=date(2025, 12, 31),
    milestones=(
        Milestone("draft", date(2025, 6, 30), "形成初稿", "first draft"),
        Milestone("final", date(2025, 9, 30), "定稿印发", "issued"),
    ),
)


def update(
    on: date, percent: str | None = None, reached: tuple[str, ...] = (), **kw: object
) -> ProgressUpdate:
    return ProgressUpdate(
        item_code=kw.pop("item_code", "chain-map"),  # type: ignore[arg-type]
        unit=kw.pop("unit", "commerce"),  # type: ignore[arg-type]
        reported_on=on,
        percent=Decimal(percent) if percent is not None else None,
        milestones_reached=reached,
        **kw,  # type: ignore[arg-type]
    )


# ------------------------------------------------------------------ status


def test_milestone_due_today_is_not_late_but_at_risk_without_progress():
    status = item_status(ITEM, [], date(2025, 6, 30), RULES)
    assert status.status == Status.AT_RISK
    assert status.milestone is not None and status.milestone.key == "draft"
    assert status.days_left == 0


def test_milestone_one_day_past_is_late_with_the_reason():
    status = item_status(ITEM, [], date(2025, 7, 1), RULES)
    assert status.status == Status.LATE
    assert status.days_overdue == 1
    assert "形成初稿" in status.reason.zh and "1天" in status.reason.zh
    assert "1 days overdue" in status.reason.en


def test_reached_milestone_is_not_late():
    updates = [update(date(2025, 6, 20), "40", ("draft",))]
    assert item_status(ITEM, updates, date(2025, 7, 1), RULES).status == Status.ON_TRACK


def test_at_risk_window_edge_is_inclusive():
    # at_risk_days=14: a milestone due exactly 14 days ahead is inside the window, 15 days is not.
    assert item_status(ITEM, [], date(2025, 6, 16), RULES).status == Status.AT_RISK
    assert item_status(ITEM, [], date(2025, 6, 15), RULES).status == Status.ON_TRACK


def test_recent_progress_keeps_an_item_on_track_inside_the_window():
    updates = [update(date(2025, 6, 10), "30")]
    assert item_status(ITEM, updates, date(2025, 6, 20), RULES).status == Status.ON_TRACK
    # The same report is more than 14 days old by 25 June: no recent progress any more.
    assert item_status(ITEM, updates, date(2025, 6, 25), RULES).status == Status.AT_RISK


def test_repeating_the_same_percentage_is_not_progress():
    updates = [update(date(2025, 5, 1), "30"), update(date(2025, 6, 20), "30")]
    assert item_status(ITEM, updates, date(2025, 6, 25), RULES).status == Status.AT_RISK


def test_deadline_passed_without_milestones_is_late():
    item = WorkItem("x", "某任务", "finance", date(2025, 1, 1), date(2025, 3, 31))
    assert item_status(item, [], date(2025, 3, 31), RULES).status == Status.AT_RISK
    late = item_status(item, [], date(2025, 4, 1), RULES)
    assert late.status == Status.LATE
    assert "截止日期2025-03-31已过1天" in late.reason.zh


def test_done_beats_late_and_says_it_was_late():
    updates = [update(date(2026, 1, 10), "100")]
    status = item_status(ITEM, updates, date(2026, 2, 1), RULES)
    assert status.status == Status.DONE
    assert "逾期10天" in status.reason.zh


def test_updates_after_the_day_asked_about_are_ignored():
    updates = [update(date(2025, 7, 3), "100")]
    assert item_status(ITEM, updates, date(2025, 7, 2), RULES).status == Status.LATE
    assert item_status(ITEM, updates, date(2025, 7, 3), RULES).status == Status.DONE


def test_completed_on_marks_done():
    item = WorkItem(
        "x", "某任务", "finance", date(2025, 1, 1), date(2025, 3, 31), completed_on=date(2025, 3, 1)
    )
    assert item_status(item, [], date(2025, 3, 2), RULES).status == Status.DONE


# ------------------------------------------------------------------ periods


def test_monthly_period_due_on_the_fifth_of_the_next_month():
    june = period_containing(RULES, date(2025, 6, 17))
    assert june.key == "2025-06"
    assert june.due_date == date(2025, 7, 5)
    assert june.escalation_date == date(2025, 7, 9)
    december = period_containing(RULES, date(2025, 12, 1))
    assert december.due_date == date(2026, 1, 5)


def test_quarterly_period_and_short_month_due_day():
    rules = ReportingRules(period=PeriodKind.QUARTERLY, due_day=31, grace_days=0, at_risk_days=7)
    q4 = period_containing(rules, date(2024, 11, 2))
    assert (q4.key, q4.start, q4.end) == ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31))
    q1 = period_containing(rules, date(2025, 2, 2))
    # Due on "the 31st" of April, which has 30 days.
    assert q1.due_date == date(2025, 4, 30)
    assert q1.label.zh == "2025年第1季度"


def test_periods_due_include_the_period_due_today():
    keys = [p.key for p in periods_due(RULES, date(2025, 7, 5), date(2025, 1, 1))]
    assert keys == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    keys = [p.key for p in periods_due(RULES, date(2025, 7, 4), date(2025, 1, 1))]
    assert keys[-1] == "2025-05"


def test_a_report_filed_early_next_month_covers_the_previous_month():
    assert period_for_report(RULES, date(2025, 7, 5)).key == "2025-06"
    assert period_for_report(RULES, date(2025, 7, 6)).key == "2025-07"


def test_rules_from_plan_section():
    rules = ReportingRules.from_plan(
        {"period": "quarterly", "due_day": 10, "grace_days": 5, "at_risk_days": 30}
    )
    assert rules == ReportingRules(PeriodKind.QUARTERLY, 10, 5, 30)
    with pytest.raises(ValueError):
        ReportingRules(due_day=0)


# ------------------------------------------------------------------ silence and escalation

SHORT = WorkItem("short", "短期任务", "commerce", date(2025, 6, 1), date(2025, 6, 30))


def test_unit_is_not_silent_on_the_due_day_and_is_the_day_after():
    owed = obligations([SHORT], RULES, date(2025, 7, 6))
    assert [(o.unit, o.period.key) for o in owed] == [("commerce", "2025-06")]
    assert silent_units(owed, [], date(2025, 7, 5), RULES) == []
    silent = silent_units(owed, [], date(2025, 7, 6), RULES)
    assert len(silent) == 1
    assert silent[0].unit == "commerce" and silent[0].days_overdue == 1
    assert not silent[0].escalation_due
    assert "逾期1天" in silent[0].message.zh


def test_reporting_on_the_due_day_is_on_time():
    owed = obligations([SHORT], RULES, date(2025, 7, 31))
    updates = [update(date(2025, 7, 5), "60", item_code="short")]
    assert silent_units(owed, updates, date(2025, 7, 31), RULES) == []
    assert timeliness(owed, updates, date(2025, 7, 31), RULES)["commerce"].on_time == 1


def test_escalation_is_due_once_the_grace_period_has_passed():
    owed = obligations([SHORT], RULES, date(2025, 7, 31))
    # Due 5 July, three days' grace (6, 7, 8 July): escalation due from 9 July.
    assert escalations_due(owed, [], date(2025, 7, 8), RULES) == []
    due = escalations_due(owed, [], date(2025, 7, 9), RULES)
    assert [(e.unit, e.period.key, e.item_codes) for e in due] == [("commerce", "2025-06", ("short",))]
    assert due[0].message.zh.startswith("督办")
    # Issued once: the office records it and it is not proposed again.
    assert escalations_due(owed, [], date(2025, 7, 10), RULES, already_issued=[("commerce", "2025-06")]) == []


def test_a_late_report_ends_silence_but_counts_as_late():
    owed = obligations([SHORT], RULES, date(2025, 7, 31))
    updates = [update(date(2025, 7, 7), "60", item_code="short", period_key="2025-06")]
    assert silent_units(owed, updates, date(2025, 7, 6), RULES) != []
    assert silent_units(owed, updates, date(2025, 7, 7), RULES) == []
    record = timeliness(owed, updates, date(2025, 7, 31), RULES)["commerce"]
    assert (record.owed, record.on_time, record.late, record.missing) == (1, 0, 1, 0)
    assert record.rate == Decimal(0)


def test_zero_grace_escalates_the_day_after_the_due_day():
    rules = ReportingRules(due_day=5, grace_days=0)
    owed = obligations([SHORT], rules, date(2025, 7, 31))
    assert escalations_due(owed, [], date(2025, 7, 5), rules) == []
    assert len(escalations_due(owed, [], date(2025, 7, 6), rules)) == 1


def test_finished_items_stop_owing_reports_after_the_period_they_finished_in():
    updates = [update(date(2025, 2, 20), "100")]
    owed = obligations([ITEM], RULES, date(2025, 6, 10), updates)
    assert sorted({o.period.key for o in owed}) == ["2025-01", "2025-02"]


def test_co_units_report_only_when_the_plan_says_so():
    owed = obligations([SHORT, ITEM], RULES, date(2025, 2, 10))
    assert {o.unit for o in owed} == {"commerce"}
    rules = ReportingRules(include_co_units=True)
    owed = obligations([ITEM], rules, date(2025, 2, 10))
    assert {(o.unit, o.period.key) for o in owed} == {("commerce", "2025-01"), ("industry", "2025-01")}


def test_silent_units_group_items_per_unit_and_period():
    june = Period(2025, 6, PeriodKind.MONTHLY, 5, 3)
    owed = [Obligation("finance", "b", june), Obligation("finance", "a", june), Obligation("tech", "c", june)]
    updates = [update(date(2025, 7, 2), "10", item_code="c", unit="tech")]
    silent = silent_units(owed, updates, date(2025, 7, 10), RULES)
    assert [(s.unit, s.item_codes, s.escalation_due) for s in silent] == [("finance", ("a", "b"), True)]


def test_timeliness_rate_is_on_time_share():
    owed = obligations([ITEM], RULES, date(2025, 5, 31))  # January–April owed
    updates = [
        update(date(2025, 2, 3), "10"),  # January, on time
        update(date(2025, 3, 5), "20"),  # February, on time (due day)
        update(date(2025, 4, 9), "30", period_key="2025-03"),  # March, late
    ]
    record = timeliness(owed, updates, date(2025, 5, 31), RULES)["commerce"]
    assert (record.owed, record.on_time, record.late, record.missing) == (4, 2, 1, 1)
    assert record.rate == Decimal(50)


def test_a_done_report_filed_next_month_closes_the_item_with_that_months_period():
    # Reported "done" on 4 July for June: July owes nothing more.
    updates = [update(date(2025, 7, 4), "100")]
    owed = obligations([ITEM], RULES, date(2025, 9, 10), updates)
    assert max(o.period.key for o in owed) == "2025-06"
