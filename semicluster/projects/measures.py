"""Progress measures per project and reporting month, as government bulletins state them.

A bulletin (通报) says: "完成年度计划的37.5%，落后序时进度12.5个百分点". So the measures are:

- year-to-date completed investment as % of the annual plan (one decimal, ROUND_HALF_UP);
- time-schedule progress 序时进度 = month ÷ 12, as % (one decimal);
- the gap in percentage points, positive = ahead of schedule;
- the ratio of completion to schedule (Wuhan's rule: red below 0.6, yellow below 0.8);
- months without a start since the planned start, days since the last update, overdue open problems;
- for Yinchuan-style rules also the funds-in-place rate (资金到位率) and months since the start without
  entry into the statistics (入统).

Year-to-date investment is taken exactly as reported (1–N月累计); nothing here adds cumulative values
(SPEC §4). Every number is a Decimal or an int, never a float; a measure that cannot be computed (no
annual plan, no planned start, never updated) is None, and the rules decide what a missing value means.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from semicluster.projects.lifecycle import MilestoneDates

ONE_DECIMAL = Decimal("0.1")
RATIO_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
TWELVE = Decimal(12)


class Measure(StrEnum):
    """Codes a plan file's risk rule may name (``risk_rules[].measure``)."""

    YTD_COMPLETION_PCT = "ytd_completion_pct"
    SCHEDULE_PCT = "schedule_pct"
    GAP_POINTS = "gap_points"
    COMPLETION_RATIO = "completion_ratio"
    START_OVERDUE_MONTHS = "start_overdue_months"
    DAYS_SINCE_UPDATE = "days_since_update"
    OVERDUE_PROBLEMS = "overdue_problems"
    OPEN_PROBLEMS = "open_problems"
    FUNDS_IN_PLACE_PCT = "funds_in_place_pct"
    STATISTICS_OVERDUE_MONTHS = "statistics_overdue_months"

    @property
    def label_zh(self) -> str:
        return MEASURE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return MEASURE_LABELS[self][1]


MEASURE_LABELS: dict[Measure, tuple[str, str]] = {
    Measure.YTD_COMPLETION_PCT: ("年度计划完成率（%）", "year-to-date completion of the annual plan (%)"),
    Measure.SCHEDULE_PCT: ("序时进度（%）", "time-schedule progress (%)"),
    Measure.GAP_POINTS: ("与序时进度差距（百分点）", "gap to the time schedule (percentage points)"),
    Measure.COMPLETION_RATIO: ("完成率与序时进度之比", "ratio of completion to time schedule"),
    Measure.START_OVERDUE_MONTHS: ("逾期未开工月数", "months past the planned start without a start"),
    Measure.DAYS_SINCE_UPDATE: ("距上次更新天数", "days since the last update"),
    Measure.OVERDUE_PROBLEMS: ("逾期未解决问题数", "overdue open problems"),
    Measure.OPEN_PROBLEMS: ("未解决问题数", "open problems"),
    Measure.FUNDS_IN_PLACE_PCT: ("资金到位率（%）", "funds in place against requirement (%)"),
    Measure.STATISTICS_OVERDUE_MONTHS: (
        "开工后未入统月数",
        "months since the start without entry into statistics",
    ),
}


@dataclass(frozen=True)
class ProblemInput:
    """One entry of the problem list (问题清单) as far as the measures need it.

    ``closed_on`` is the day the problem was resolved or closed; None while it is open. Judging
    "open" by date rather than by a status flag lets a past month be recomputed as it stood then.
    """

    deadline: date | None
    closed_on: date | None = None

    def is_open_on(self, day: date) -> bool:
        return self.closed_on is None or self.closed_on > day

    def is_overdue_on(self, day: date) -> bool:
        return self.deadline is not None and self.deadline < day and self.is_open_on(day)


@dataclass(frozen=True)
class ProgressInput:
    """What a monthly progress report says about one project.

    ``annual_plan`` and ``ytd_completed`` share one unit (yuan or 万元, the caller's choice; only their
    ratio is used) and belong to the reporting month's year. ``reporting_month`` may be any day of the
    month. ``as_of`` is the day against which days and deadlines are counted; it defaults to the last day
    of the reporting month, which is what a monthly bulletin means.
    """

    reporting_month: date
    annual_plan: Decimal | int | None = None
    ytd_completed: Decimal | int | None = None
    milestones: MilestoneDates = field(default_factory=MilestoneDates)
    last_update: date | None = None
    problems: Sequence[ProblemInput] = ()
    funds_required: Decimal | int | None = None
    funds_in_place: Decimal | int | None = None
    entered_statistics_on: date | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class ProjectMeasures:
    reporting_month: date  # first day of the month
    as_of: date
    ytd_completion_pct: Decimal | None
    schedule_pct: Decimal
    gap_points: Decimal | None
    completion_ratio: Decimal | None
    start_overdue_months: int | None
    days_since_update: int | None
    overdue_problems: int
    open_problems: int
    funds_in_place_pct: Decimal | None
    statistics_overdue_months: int | None

    def value(self, measure: Measure | str) -> Decimal | int | None:
        return getattr(self, Measure(measure).value)

    def as_dict(self) -> dict[str, str | int | None]:
        """JSON-ready: dates in ISO form, Decimals as strings so that no float creeps in on the way out."""
        out: dict[str, str | int | None] = {}
        for name, value in asdict(self).items():
            out[name] = (
                value.isoformat()
                if isinstance(value, date)
                else str(value)
                if isinstance(value, Decimal)
                else value
            )
        return out


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """part ÷ whole as a percentage with one decimal, rounded half up as bulletins round."""
    with localcontext() as ctx:
        ctx.prec = 34
        return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def schedule_percent(month: int) -> Decimal:
    """序时进度: the share of the year elapsed at the end of ``month`` (June → 50.0)."""
    if not 1 <= month <= 12:
        raise ValueError(f"月份应为1–12，实际为{month} / month must be 1–12, got {month}")
    return percent(month, 12)


def compute_measures(progress: ProgressInput) -> ProjectMeasures:
    report = month_start(progress.reporting_month)
    as_of = progress.as_of or month_end(report)
    if as_of < report:
        raise ValueError(
            f"统计截止日{as_of.isoformat()}早于报告月份{report:%Y-%m} / "
            f"as-of date {as_of.isoformat()} is before the reporting month {report:%Y-%m}"
        )

    schedule = schedule_percent(report.month)
    completion = _completion_pct(progress.annual_plan, progress.ytd_completed)
    # The gap is taken between the two *rounded* percentages: a bulletin prints them side by side and
    # readers check the gap by subtraction, so the printed numbers must add up.
    gap = completion - schedule if completion is not None else None
    ratio = _completion_ratio(progress.annual_plan, progress.ytd_completed, report.month)

    funds_pct = None
    if (
        progress.funds_required is not None
        and progress.funds_in_place is not None
        and progress.funds_required > 0
    ):
        funds_pct = percent(progress.funds_in_place, progress.funds_required)

    days_since_update = None
    if progress.last_update is not None:
        # An update dated after ``as_of`` (a past month recomputed later) counts as fresh, not negative.
        days_since_update = max((as_of - progress.last_update).days, 0)

    return ProjectMeasures(
        reporting_month=report,
        as_of=as_of,
        ytd_completion_pct=completion,
        schedule_pct=schedule,
        gap_points=gap,
        completion_ratio=ratio,
        start_overdue_months=_start_overdue_months(progress.milestones, report, as_of),
        days_since_update=days_since_update,
        overdue_problems=sum(1 for p in progress.problems if p.is_overdue_on(as_of)),
        open_problems=sum(1 for p in progress.problems if p.is_open_on(as_of)),
        funds_in_place_pct=funds_pct,
        statistics_overdue_months=_statistics_overdue_months(
            progress.milestones.actual_start, progress.entered_statistics_on, as_of
        ),
    )


def _completion_pct(plan: Decimal | int | None, ytd: Decimal | int | None) -> Decimal | None:
    if plan is None or ytd is None or plan <= 0:
        return None
    return percent(ytd, plan)


def _completion_ratio(plan: Decimal | int | None, ytd: Decimal | int | None, month: int) -> Decimal | None:
    """(ytd ÷ plan) ÷ (month ÷ 12), from the unrounded amounts.

    Unlike the gap, the ratio is only a rule input (Wuhan: < 0.6 red, < 0.8 yellow); rounding the two
    percentages first would move cases across those boundaries (5.0 % ÷ 8.3 % is 0.6024, the truth is
    0.6), so it is computed exactly and kept to four places.
    """
    if plan is None or ytd is None or plan <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 34
        ratio = Decimal(ytd) * TWELVE / (Decimal(plan) * Decimal(month))
        return ratio.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def _start_overdue_months(milestones: MilestoneDates, report: date, as_of: date) -> int | None:
    """Months without a start, counting the planned month as month 1.

    Yinchuan's rule reads "planned for this month and not started → yellow; three consecutive months not
    started → red", so a start planned for March and still missing in the May report is 3. A project
    started by ``as_of``, or whose planned start is still ahead, is 0; one without a planned start and
    without a start is None (nothing to measure against).
    """
    actual = milestones.actual_start
    if actual is not None and actual <= as_of:
        return 0
    planned = milestones.planned_start
    if planned is None:
        return None
    if planned > as_of:
        return 0
    return _months_between(planned, report) + 1


def _statistics_overdue_months(start: date | None, entered: date | None, as_of: date) -> int | None:
    """Whole months from the actual start to ``as_of`` while the project is not yet in the statistics
    (入统). None before the start (nothing due yet); 0 once entered."""
    if start is None or start > as_of:
        return None
    if entered is not None and entered <= as_of:
        return 0
    months = _months_between(start, as_of)
    if as_of.day < start.day and not _is_month_end(as_of):
        months -= 1  # the last month is not complete yet
    return max(months, 0)


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _is_month_end(day: date) -> bool:
    return day == month_end(day)


__all__ = [
    "MEASURE_LABELS",
    "Measure",
    "ProblemInput",
    "ProgressInput",
    "ProjectMeasures",
    "compute_measures",
    "month_end",
    "month_start",
    "percent",
    "schedule_percent",
]
