"""From stored rows to the pure engines: measures and lights for one project and reporting month.

Shared by services (which store the light) and selectors (which show the measures), so the page, the
API and ``semicluster projects lights`` state the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from semicluster.projects import lights, measures
from semicluster.projects.lifecycle import BelowThreshold
from semicluster.projects.models import AnnualPlan, Problem, ProblemStatus, ProgressReport, Project

DEFAULT_LIBRARY_SECTION: dict[str, Any] = {
    "threshold_yuan": 50_000_000,
    "below_threshold": BelowThreshold.REFUSE.value,
    "ticket_reply_days": 7,
}


@dataclass(frozen=True)
class PlanRules:
    """What the current plan version says about the library: threshold, policy, rules, targets."""

    library: Mapping[str, Any]
    rules: list[lights.Rule]
    defaults_used: bool  # True when the plan has no risk_rules and the platform defaults apply

    @property
    def ticket_reply_days(self) -> int:
        return int(self.library.get("ticket_reply_days", 7))

    @property
    def cohort_targets(self) -> dict[str, int]:
        return {k: int(v) for k, v in (self.library.get("cohort_targets") or {}).items()}


def plan_rules() -> PlanRules:
    from semicluster.plans.selectors import current_plan_version

    version = current_plan_version()
    document = version.document if version is not None else {}
    library = document.get("project_library") or DEFAULT_LIBRARY_SECTION
    raw_rules = document.get("risk_rules")
    defaults_used = raw_rules is None
    rules = lights.parse_rules(lights.kunshan_default_rules() if raw_rules is None else raw_rules)
    return PlanRules(library=library, rules=rules, defaults_used=defaults_used)


def default_reporting_month(today: date | None = None) -> date:
    """The month the lights speak for: the latest month any library project reported, else last month
    (or December of the plan year when the loaded plan is for an earlier year).

    Bulletins are monthly and lag the calendar, so "now" is the data's month, not today's.
    """
    latest = (
        ProgressReport.objects.filter(project__in_library=True)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    if latest is not None:
        return date(latest[0], latest[1], 1)
    today = today or timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    from semicluster.plans.selectors import current_plan_version

    version = current_plan_version()
    if version is not None and version.plan.year < last_month.year:
        # Nothing reported yet for an earlier year's plan: speak for that plan's year-end.
        return date(version.plan.year, 12, 1)
    return last_month


def progress_input(
    project: Project,
    month: date,
    *,
    reports: Iterable[ProgressReport] | None = None,
    plans: Iterable[AnnualPlan] | None = None,
    problems: Iterable[Problem] | None = None,
) -> measures.ProgressInput:
    """The engine's input for ``project`` in ``month``; pass prefetched rows to avoid queries.

    Year-to-date completion is the latest report of the month's year up to the month, exactly as
    reported; the last update is the latest report date on or before the month's end.
    """
    month = measures.month_start(month)
    end = measures.month_end(month)
    reports = list(project.progress_reports.all() if reports is None else reports)
    plans = list(project.annual_plans.all() if plans is None else plans)
    problems = list(project.problems.all() if problems is None else problems)
    in_year = [r for r in reports if r.year == month.year and r.month <= month.month]
    latest = max(in_year, key=lambda r: r.month, default=None)
    # A month's report is normally filed early the next month: it counts as that month's update
    # whenever it was filed, and the light is then judged as of the later of the month's end and
    # the filing date (so "days since update" never goes negative).
    updates = [r.reported_at for r in reports if (r.year, r.month) <= (month.year, month.month)]
    last_update = max(updates, default=None)
    as_of = max(end, last_update) if last_update is not None and last_update > end else end
    annual = next((p.amount for p in plans if p.year == month.year), None)
    return measures.ProgressInput(
        reporting_month=month,
        annual_plan=annual,
        ytd_completed=latest.ytd_completed if latest else None,
        milestones=project.milestone_dates,
        last_update=last_update,
        problems=[
            measures.ProblemInput(
                deadline=p.deadline, closed_on=p.closed_on if p.status == ProblemStatus.RESOLVED else None
            )
            for p in problems
        ],
        funds_required=latest.funds_required if latest else None,
        funds_in_place=latest.funds_in_place if latest else None,
        entered_statistics_on=project.entered_statistics_on,
        as_of=as_of,
    )


@dataclass(frozen=True)
class Assessment:
    month: date
    measures: measures.ProjectMeasures
    light: lights.Light
    annual_plan: Decimal | None
    ytd_completed: Decimal | None


def assess(project: Project, month: date, rules: Iterable[lights.Rule], **prefetched: Any) -> Assessment:
    data = progress_input(project, month, **prefetched)
    computed = measures.compute_measures(data)
    return Assessment(
        month=measures.month_start(month),
        measures=computed,
        light=lights.evaluate(computed, list(rules)),
        annual_plan=None if data.annual_plan is None else Decimal(data.annual_plan),
        ytd_completed=None if data.ytd_completed is None else Decimal(data.ytd_completed),
    )


def light_signature(light: lights.Light) -> tuple[str, tuple[str, ...]]:
    """What counts as a change of light: its colour and which rules speak (not the day counts in the
    reason texts, which move every day without anything happening)."""
    return light.colour.value, tuple(sorted(r.code for r in light.reasons))
