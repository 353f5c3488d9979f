"""Reads for the project library. Lists start from visible_to(); single objects via get_visible_or_404.

Three functions at the end feed the goal-monitoring app (city-wide, unscoped: indicators are computed
for the whole plan region): ``indicator_project_investment``, ``indicator_project_milestones`` and
``indicator_project_places``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.charts import ChartKind, ChartSpec, Series, TargetLine, to_echarts_option
from semicluster.core.formatting import month_label, to_wan
from semicluster.plans.models import Area
from semicluster.projects.assess import Assessment, assess, default_reporting_month, plan_rules
from semicluster.projects.lifecycle import MILESTONE_ORDER, Milestone
from semicluster.projects.measures import Measure, month_end
from semicluster.projects.models import (
    AnnualPlan,
    LightChange,
    Problem,
    ProblemStatus,
    ProgressReport,
    Project,
    Ticket,
    TicketStatus,
)

MILESTONE_FIELD = {
    "started": "actual_start",
    "completed": "actual_completion",
    "in_production": "actual_production",
}
PLANNED_FIELD = {
    "started": "planned_start",
    "completed": "planned_completion",
    "in_production": "planned_production",
}


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""
    area: str = ""
    node: str = ""
    stage: str = ""
    light: str = ""
    unit: str = ""
    category: str = ""
    library: str = "library"  # library | ordinary | all


def project_list(*, user: Any, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    filters = filters or ProjectFilters()
    qs = visible_to(Project.objects.all(), user).select_related(
        "area", "town", "node__segment", "owner", "responsible_unit"
    )
    if filters.library == "library":
        qs = qs.filter(in_library=True)
    elif filters.library == "ordinary":
        qs = qs.filter(in_library=False)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(owner__name__icontains=filters.q))
    if filters.area:
        qs = qs.filter(area__code=filters.area)
    if filters.node:
        qs = qs.filter(node__code=filters.node)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.light:
        qs = qs.filter(light=filters.light)
    if filters.unit:
        qs = qs.filter(responsible_unit__code=filters.unit)
    if filters.category:
        qs = qs.filter(category=filters.category)
    return qs.order_by("name", "id")


def with_figures(qs: QuerySet[Project], month: date) -> Any:
    """Annotate the annual plan of the month's year and the latest year-to-date report up to the month."""
    ytd = ProgressReport.objects.filter(project=OuterRef("pk"), year=month.year, month__lte=month.month)
    plan = AnnualPlan.objects.filter(project=OuterRef("pk"), year=month.year)
    return qs.annotate(
        ytd=Subquery(ytd.order_by("-month").values("ytd_completed")[:1]),
        annual=Subquery(plan.values("amount")[:1]),
    )


@dataclass
class Totals:
    count: int = 0
    total_investment: Decimal = Decimal(0)
    equipment_investment: Decimal = Decimal(0)
    annual_plan: Decimal = Decimal(0)
    ytd_completed: Decimal = Decimal(0)
    by_light: dict[str, int] = field(default_factory=dict)

    @property
    def completion_pct(self) -> Decimal | None:
        if not self.annual_plan:
            return None
        return (self.ytd_completed * 100 / self.annual_plan).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def totals(qs: QuerySet[Project], month: date) -> Totals:
    """Sums over the filtered list in one query. Year-to-date figures of different projects for the same
    month may be added (they cover the same period); cumulative figures of different months never are."""
    out = Totals(by_light={"red": 0, "yellow": 0, "green": 0})
    rows = with_figures(qs.order_by(), month).values_list(
        "total_investment", "equipment_investment", "annual", "ytd", "light"
    )
    for total, equipment, annual, ytd, light in rows:
        out.count += 1
        out.total_investment += total or 0
        out.equipment_investment += equipment or 0
        out.annual_plan += annual or 0
        out.ytd_completed += ytd or 0
        if light:
            out.by_light[light] = out.by_light.get(light, 0) + 1
    return out


def project_detail(*, user: Any, pk: int) -> Project:
    qs = Project.objects.select_related(
        "area", "town", "node__segment", "owner", "responsible_unit"
    ).prefetch_related(
        "annual_plans",
        "progress_reports",
        Prefetch(
            "problems", queryset=Problem.objects.select_related("owner_unit").order_by("status", "deadline")
        ),
        Prefetch(
            "tickets", queryset=Ticket.objects.select_related("unit", "problem").prefetch_related("replies")
        ),
    )
    return get_visible_or_404(qs, user, pk=pk)


# --- the project page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    code: str
    label: str
    value: str


def one_decimal(value: Decimal | None) -> str:
    return "—" if value is None else f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"


def measure_rows(result: Assessment) -> list[MeasureRow]:
    """The measures as a bulletin states them."""
    m = result.measures
    gap = m.gap_points
    if gap is None:
        gap_text = "—"
    elif gap >= 0:
        gap_text = _("%(n)s points ahead of schedule (超过序时进度)") % {"n": one_decimal(gap)}
    else:
        gap_text = _("%(n)s points behind schedule (落后序时进度)") % {"n": one_decimal(-gap)}
    ratio = "—" if m.completion_ratio is None else f"{m.completion_ratio.quantize(Decimal('0.01'))}"
    return [
        MeasureRow(
            Measure.YTD_COMPLETION_PCT,
            _("Year-to-date completion of the annual plan"),
            "—" if m.ytd_completion_pct is None else f"{one_decimal(m.ytd_completion_pct)}%",
        ),
        MeasureRow(
            Measure.SCHEDULE_PCT,
            _("Time-schedule progress (序时进度, month ÷ 12)"),
            f"{one_decimal(m.schedule_pct)}%",
        ),
        MeasureRow(Measure.GAP_POINTS, _("Gap to the schedule"), gap_text),
        MeasureRow(Measure.COMPLETION_RATIO, _("Ratio of completion to schedule"), ratio),
        MeasureRow(
            Measure.START_OVERDUE_MONTHS,
            _("Months past the planned start without a start"),
            "—" if m.start_overdue_months is None else str(m.start_overdue_months),
        ),
        MeasureRow(
            Measure.DAYS_SINCE_UPDATE,
            _("Days since the last update"),
            "—" if m.days_since_update is None else str(m.days_since_update),
        ),
        MeasureRow(Measure.OPEN_PROBLEMS, _("Open problems"), str(m.open_problems)),
        MeasureRow(Measure.OVERDUE_PROBLEMS, _("Overdue problems"), str(m.overdue_problems)),
    ]


def investment_chart(project: Project, year: int, through_month: int) -> dict[str, Any] | None:
    """Plan vs actual, cumulative, in 万元: the schedule line (annual plan × month ÷ 12) and the reported
    year-to-date figures (gaps where a month was not reported)."""
    annual = next((p.amount for p in project.annual_plans.all() if p.year == year), None)
    reports = {r.month: r.ytd_completed for r in project.progress_reports.all() if r.year == year}
    if annual is None and not reports:
        return None
    months = list(range(1, 13))
    schedule = [None if annual is None else to_wan(annual * m / 12) for m in months]
    actual = [to_wan(reports[m]) if m in reports and m <= through_month else None for m in months]
    spec = ChartSpec(
        kind=ChartKind.LINE,
        title=_("%(year)s investment: plan vs actual, cumulative") % {"year": year},
        categories=tuple(month_label(m) for m in months),
        series=(
            Series(name=_("Time schedule (annual plan × month ÷ 12)"), values=tuple(schedule)),
            Series(name=_("Completed, year to date (as reported)"), values=tuple(actual)),
        ),
        y_unit=_("10k yuan"),
        target=None
        if annual is None
        else TargetLine(value=to_wan(annual) or Decimal(0), label=_("Annual plan")),
    )
    return to_echarts_option(spec)


@dataclass(frozen=True)
class GanttBar:
    label: str
    kind: str  # planned | actual
    left: int  # percent of the timeline, 0–100
    width: int
    start: date
    end: date
    open_ended: bool = False


@dataclass(frozen=True)
class GanttMark:
    label: str
    kind: str
    left: int
    day: date


@dataclass
class Gantt:
    start: date
    end: date
    rows: list[tuple[str, list[GanttBar], list[GanttMark]]]
    ticks: list[tuple[int, str]]


def gantt(project: Project, as_of: date) -> Gantt | None:
    """A Gantt-like timeline of planned vs actual milestones, as bars positioned in whole percent (the
    page draws them with CSS classes, since the content-security policy forbids inline styles)."""
    dates = project.milestone_dates
    known = [d for m in MILESTONE_ORDER for d in (dates.planned(m), dates.actual(m)) if d is not None]
    if not known:
        return None
    start = min(known).replace(day=1)
    end = month_end(max([*known, as_of]))
    span = max((end - start).days, 1)

    def pos(day: date) -> int:
        return max(0, min(100, round((day - start).days * 100 / span)))

    rows = []
    for kind, label in (("planned", _("Planned")), ("actual", _("Actual"))):
        bars: list[GanttBar] = []
        marks: list[GanttMark] = []
        points = [(m, getattr(dates, kind)(m)) for m in MILESTONE_ORDER]
        for m, day in points:
            if day is not None:
                marks.append(GanttMark(_milestone_label(m), kind, pos(day), day))
        phases = (
            (Milestone.START, Milestone.COMPLETION, _("construction")),
            (Milestone.COMPLETION, Milestone.PRODUCTION, _("commissioning")),
        )
        for first, second, phase in phases:
            a, b = getattr(dates, kind)(first), getattr(dates, kind)(second)
            open_ended = False
            if a is not None and b is None and kind == "actual":
                b, open_ended = max(a, as_of), True
            if a is not None and b is not None:
                bars.append(GanttBar(phase, kind, pos(a), max(1, pos(b) - pos(a)), a, b, open_ended))
        rows.append((label, bars, marks))
    ticks = []
    cursor = start
    while cursor <= end:
        if cursor.month in (1, 7) or cursor == start:
            ticks.append((pos(cursor), f"{cursor:%Y-%m}"))
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    return Gantt(start, end, rows, ticks)


def _milestone_label(m: Milestone) -> str:
    return {
        Milestone.START: pgettext("project milestone", "start"),
        Milestone.COMPLETION: pgettext("project milestone", "completion"),
        Milestone.PRODUCTION: pgettext("project milestone", "production"),
    }[m]


@dataclass
class HistoryEntry:
    at: Any
    who: str
    what: str
    kind: str


def project_history(project: Project) -> list[HistoryEntry]:
    """Audit trail of the project record (simple-history) and its light changes, newest first."""
    entries: list[HistoryEntry] = []
    records = list(project.history.select_related("history_user").order_by("-history_date")[:100])
    for record in records:
        what = (
            record.history_change_reason
            or {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type]
        )
        if record.prev_record is not None and record.history_type == "~":
            delta = record.diff_against(record.prev_record)
            names = ", ".join(
                str(getattr(Project._meta.get_field(c.field), "verbose_name", c.field)) for c in delta.changes
            )
            if names:
                what = f"{what}: {names}"
        entries.append(
            HistoryEntry(
                record.history_date, getattr(record.history_user, "username", "") or "—", what, "record"
            )
        )
    for change in project.light_changes.select_related("changed_by").order_by("-changed_at")[:100]:
        reasons = "; ".join(r.get("text_zh", "") for r in change.reasons)
        entries.append(
            HistoryEntry(
                change.changed_at,
                getattr(change.changed_by, "username", "") or "—",
                f"{change.get_previous_display() or '—'} → {change.get_colour_display()} "
                f"({change.month:%Y-%m}): {reasons}",
                "light",
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def project_page(project: Project, month: date | None = None) -> dict[str, Any]:
    month = month or default_reporting_month()
    rules = plan_rules().rules
    result = assess(
        project,
        month,
        rules,
        reports=project.progress_reports.all(),
        plans=project.annual_plans.all(),
        problems=project.problems.all(),
    )
    return {
        "month": result.month,
        "assessment": result,
        "measure_rows": measure_rows(result),
        "chart": investment_chart(project, result.month.year, result.month.month),
        "gantt": gantt(project, month_end(result.month)),
        "history": project_history(project),
        "reports": sorted(project.progress_reports.all(), key=lambda r: (r.year, r.month), reverse=True),
        "annual_plans": sorted(project.annual_plans.all(), key=lambda p: p.year),
        "since_start": _since_start(project),
    }


def _since_start(project: Project) -> Decimal | None:
    """Completed since the start (开工以来累计): the latest report that states it."""
    stated = [r for r in project.progress_reports.all() if r.since_start_completed is not None]
    latest = max(stated, key=lambda r: (r.year, r.month), default=None)
    return latest.since_start_completed if latest else None


# --- board, cohorts, new investment ------------------------------------------------------------------


def board_by_area(*, user: Any, month: date) -> list[dict[str, Any]]:
    qs = with_figures(visible_to(Project.objects.filter(in_library=True), user), month)
    rows = qs.values_list("area_id", "light", "total_investment", "annual", "ytd", "stage")
    by_area: dict[int, dict[str, Any]] = {}
    for area in Area.objects.order_by("sort"):
        by_area[area.id] = {
            "area": area,
            "count": 0,
            "lights": {"red": 0, "yellow": 0, "green": 0},
            "total": Decimal(0),
            "annual": Decimal(0),
            "ytd": Decimal(0),
            "stages": defaultdict(int),
        }
    for area_id, light, total, annual, ytd, stage in rows:
        entry = by_area[area_id]
        entry["count"] += 1
        if light:
            entry["lights"][light] += 1
        entry["total"] += total or 0
        entry["annual"] += annual or 0
        entry["ytd"] += ytd or 0
        entry["stages"][stage] += 1
    out = [e for e in by_area.values() if e["count"] or user_is_city_wide(user)]
    for entry in out:
        entry["pct"] = (
            None
            if not entry["annual"]
            else (entry["ytd"] * 100 / entry["annual"]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        )
        entry["stages"] = dict(entry["stages"])
    return out


def user_is_city_wide(user: Any) -> bool:
    return bool(getattr(user, "is_city_wide", False))


@dataclass
class Cohorts:
    year: int
    through_month: int
    months: list[int]
    monthly: dict[str, list[int]]  # milestone → count per month 1..through_month
    quarterly: dict[str, list[int]]  # milestone → count per quarter 1..4 (to through_month)
    totals: dict[str, int]
    planned: dict[str, int]  # projects whose planned milestone falls in the year up to through_month
    targets: dict[str, int]
    projects: dict[str, list[Project]]


COHORT_MILESTONES = ("started", "completed", "in_production")


def cohorts(*, user: Any, year: int, through_month: int = 12) -> Cohorts:
    """开工一批、竣工一批、投产一批: library projects reaching each milestone per month and quarter."""
    base = visible_to(Project.objects.filter(in_library=True), user).select_related("area", "owner")
    monthly: dict[str, list[int]] = {}
    quarterly: dict[str, list[int]] = {}
    planned: dict[str, int] = {}
    projects: dict[str, list[Project]] = {}
    for milestone in COHORT_MILESTONES:
        actual_field = MILESTONE_FIELD[milestone]
        reached = list(
            base.filter(
                **{f"{actual_field}__year": year, f"{actual_field}__month__lte": through_month}
            ).order_by(actual_field, "name")
        )
        counts = [0] * 12
        for project in reached:
            counts[getattr(project, actual_field).month - 1] += 1
        monthly[milestone] = counts[:through_month]
        quarterly[milestone] = [sum(counts[q * 3 : q * 3 + 3]) for q in range(4)]
        projects[milestone] = reached
        planned_field = PLANNED_FIELD[milestone]
        planned[milestone] = base.filter(
            **{f"{planned_field}__year": year, f"{planned_field}__month__lte": through_month}
        ).count()
    return Cohorts(
        year=year,
        through_month=through_month,
        months=list(range(1, through_month + 1)),
        monthly=monthly,
        quarterly=quarterly,
        totals={k: sum(v) for k, v in monthly.items()},
        planned=planned,
        targets=plan_rules().cohort_targets,
        projects=projects,
    )


@dataclass(frozen=True)
class InvestmentGoal:
    year: int
    month: int
    ytd: Decimal
    target: Decimal | None
    name: str
    source: str
    source_text: str

    @property
    def pct(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.ytd * 100 / self.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def new_investment_goal(*, year: int, month: int) -> InvestmentGoal:
    """Year-to-date new semiconductor industrial investment (library projects, reported for the month)
    against the plan goal whose indicator is ``project_investment`` (二、2: 50 亿元)."""
    from semicluster.plans.selectors import current_plan_version

    ytd = sum(
        indicator_project_investment(year=year, month=month, area_codes=None, node_codes=None).values(),
        Decimal(0),
    )
    version = current_plan_version()
    goal = None
    if version is not None:
        goal = next(
            (g for g in version.goals.all() if (g.indicator or {}).get("kind") == "project_investment"), None
        )
    return InvestmentGoal(
        year=year,
        month=month,
        ytd=ytd,
        target=goal.target if goal else None,
        name=str(goal) if goal else "",
        source=goal.source if goal else "",
        source_text=goal.source_text if goal else "",
    )


# --- tickets ------------------------------------------------------------------------------------------


def ticket_list(*, user: Any, status: str = "") -> QuerySet[Ticket]:
    qs = visible_to(Ticket.objects.all(), user).select_related("project", "unit", "problem")
    if status == "active":
        qs = qs.exclude(status=TicketStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "reply_deadline", "id")


def ticket_detail(*, user: Any, pk: int) -> Ticket:
    qs = Ticket.objects.select_related("project", "unit", "problem__owner_unit").prefetch_related("replies")
    return get_visible_or_404(qs, user, pk=pk)


def problem_visible(*, user: Any, pk: int) -> Problem:
    """A problem is visible with its project (a unit officer also sees the problems it owns)."""
    projects = visible_to(Project.objects.all(), user)
    qs = Problem.objects.select_related("project", "owner_unit").filter(
        Q(project__in=projects) | Q(pk__in=visible_to(Problem.objects.all(), user))
    )
    return _get_or_404(qs, pk)


def _get_or_404(qs: QuerySet[Problem], pk: int) -> Problem:
    from django.http import Http404

    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404("No problem matches the given query.")
    return found


def open_problems(project: Project) -> list[Problem]:
    return [p for p in project.problems.all() if p.status == ProblemStatus.OPEN]


def light_history(project: Project) -> QuerySet[LightChange]:
    return project.light_changes.order_by("-changed_at", "-id")


def lights_as_of(*, user: Any, day: date) -> dict[int, str]:
    """Library project id → the colour its light had on ``day``, from the light history.

    A light speaks for a reporting month (``LightChange.month``) and a change is recorded only when the
    colour or reasons change, so the light on ``day`` is the latest change for a month up to ``day``'s
    month (the latest recorded, when one month was evaluated more than once). Projects without a light
    by then are left out; the current light (``Project.light``) is not consulted, so a past period can
    be reproduced after later months turned a light."""
    latest = LightChange.objects.filter(project=OuterRef("pk"), month__lte=day).order_by(
        "-month", "-changed_at", "-id"
    )
    rows = (
        visible_to(Project.objects.filter(in_library=True), user)
        .annotate(light_then=Subquery(latest.values("colour")[:1]))
        .filter(light_then__isnull=False)
        .order_by()
        .values_list("pk", "light_then")
    )
    return dict(rows)


# --- indicators for the goal-monitoring app ------------------------------------------------------------


def indicator_project_investment(
    *, year: int, month: int, area_codes: list[str] | None, node_codes: list[str] | None
) -> dict[int, Decimal]:
    """Project id → year-to-date completed investment reported for exactly that month (library projects).

    A project that did not report for the month is absent (the monitoring app decides how to treat a
    missing report); the figures are year-to-date, so they are comparable across projects of one month."""
    reports = ProgressReport.objects.filter(project__in_library=True, year=year, month=month)
    if area_codes is not None:
        reports = reports.filter(project__area__code__in=area_codes)
    if node_codes is not None:
        reports = reports.filter(project__node__code__in=node_codes)
    return dict(reports.values_list("project_id", "ytd_completed"))


def indicator_project_milestones(
    *,
    milestone: str,
    year: int,
    through_month: int,
    area_codes: list[str] | None,
    node_codes: list[str] | None,
) -> list[int]:
    """Ids of library projects whose actual milestone date ("started" / "completed" / "in_production")
    falls in ``year`` up to the end of ``through_month``, in ascending id order."""
    if milestone not in MILESTONE_FIELD:
        raise ValueError(f"unknown milestone {milestone!r}; expected one of {', '.join(MILESTONE_FIELD)}")
    if not 1 <= through_month <= 12:
        raise ValueError(f"through_month must be 1–12, got {through_month}")
    name = MILESTONE_FIELD[milestone]
    qs = Project.objects.filter(
        in_library=True,
        **{f"{name}__gte": date(year, 1, 1), f"{name}__lte": month_end(date(year, through_month, 1))},
    )
    if area_codes is not None:
        qs = qs.filter(area__code__in=area_codes)
    if node_codes is not None:
        qs = qs.filter(node__code__in=node_codes)
    return list(qs.order_by("id").values_list("id", flat=True))


def indicator_project_places(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Project id → (area code, chain-node code or ""), to split a city's records by area and node."""
    rows = Project.objects.filter(pk__in=list(ids)).values_list("pk", "area__code", "node__code")
    return {pk: (area or "", node or "") for pk, area, node in rows}


# --- the lights command ------------------------------------------------------------------------------


def lights_report(month: date) -> list[tuple[Project, Assessment]]:
    rules = plan_rules().rules
    projects = (
        Project.objects.filter(in_library=True)
        .select_related("area", "owner")
        .prefetch_related("progress_reports", "annual_plans", "problems")
        .order_by("area__sort", "name", "id")
    )
    return [(p, assess(p, month, rules)) for p in projects]
