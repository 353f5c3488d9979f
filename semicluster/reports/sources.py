"""What the annual report is built from: plain facts read from the data apps, in one place.

The builder (``build.py``) only formats these facts, so a test can compare a figure in the document with
the database through them. The monitoring goals and the enterprise library are the core; every other
capability (projects, cultivation, innovation, support, finance, tasks, chain, supply) is optional: if
its app or the function read here is not there (yet), its section says the data is not available
instead of failing the whole report. Reads are city-wide (the report covers the whole city); editions
decide what of it is shown.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.apps import apps as django_apps
from django.db.models import Count

from semicluster.disclosure import Contribution
from semicluster.enterprises.models import Designation, Enterprise, Measure, PeriodType, PeriodValue, Tier
from semicluster.plans.models import Area, ChainSegment, Goal, PlanVersion
from semicluster.plans.selectors import current_plan_version

logger = logging.getLogger(__name__)
T = TypeVar("T")

MONEY_UNITS = {"yuan"}
MID_YEAR_MONTH = 6  # the forecast compared with the outcome is the one made with 1–6月 data


@dataclass(frozen=True)
class ReportPeriod:
    year: int
    month: int  # 0: the full year; 1–12: year to date through that month

    @property
    def is_annual(self) -> bool:
        return self.month == 0

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.is_annual else f"{self.year}年1—{self.month}月"

    @property
    def label_en(self) -> str:
        return f"{self.year}" if self.is_annual else f"{self.year} Jan–{dt.date(2000, self.month, 1):%b}"

    @property
    def period_type(self) -> str:
        return PeriodType.YEAR if self.is_annual else PeriodType.MONTH


@dataclass(frozen=True)
class GoalFact:
    code: str
    name: str
    name_en: str
    source: str
    source_text: str
    unit: str
    target: Decimal
    comparison: str
    kind: str
    value: Decimal | None = None
    previous: Decimal | None = None
    yoy: Decimal | None = None
    progress: Decimal | None = None
    status: str = ""
    forecast: Decimal | None = None
    forecast_method: str = ""
    method_note: str = ""
    interim_month: int | None = None
    interim_forecast: Decimal | None = None
    # Magnitude figures: one contribution per enterprise, for the public edition's primary rules.
    # None for counts of enterprises or projects (a count reveals no one's figures).
    contributions: tuple[Contribution, ...] | None = None
    enterprise_names: tuple[str, ...] = ()  # firms counted (internal edition only)

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class AreaSegmentFacts:
    """Revenue by plan area × chain segment, one contribution per enterprise (the SDC input)."""

    measure: str
    areas: tuple[Label, ...]
    segments: tuple[Label, ...]
    records: tuple[tuple[tuple[str, str], Contribution], ...]
    previous: tuple[tuple[tuple[str, str], Contribution], ...]  # same period last year
    top: tuple[tuple[str, str, str, Decimal], ...]  # (enterprise, area, segment, value): internal only

    def cell_total(self, area: str | None = None, segment: str | None = None) -> Decimal:
        return sum(
            (
                c.value
                for (a, s), c in self.records
                if (area is None or a == area) and (segment is None or s == segment)
            ),
            Decimal(0),
        )

    def previous_total(self, area: str | None = None, segment: str | None = None) -> Decimal:
        return sum(
            (
                c.value
                for (a, s), c in self.previous
                if (area is None or a == area) and (segment is None or s == segment)
            ),
            Decimal(0),
        )

    def firm_count(self, area: str | None = None, segment: str | None = None) -> int:
        return len(
            {
                c.enterprise
                for (a, s), c in self.records
                if (area is None or a == area) and (segment is None or s == segment)
            }
        )


@dataclass(frozen=True)
class EnterpriseFacts:
    total: int
    by_tier: dict[str, int]
    new_above_1bn: tuple[str, ...]
    new_above_5bn: tuple[str, ...]
    library_members: int | None
    library_target: int | None
    designations: tuple[tuple[str, int], ...]  # (designation type, firms holding one at year end)


@dataclass(frozen=True)
class ProjectFacts:
    count: int
    total_investment: Decimal
    annual_plan: Decimal
    ytd_completed: Decimal
    by_light: dict[str, int]
    cohorts: dict[str, int]  # started / completed / in_production in the year
    cohort_targets: dict[str, int]
    red_projects: tuple[tuple[str, str, str], ...]  # (project, owner, area): internal only
    investment_contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class InnovationFacts:
    rows: tuple[tuple[str, int, int, Decimal], ...]  # (key technology, active, completed, budget)
    platforms: int


@dataclass(frozen=True)
class SupportFacts:
    rows: tuple[
        tuple[str, Decimal, Decimal, Decimal, int], ...
    ]  # program, budget, committed, disbursed, pending
    status_counts: dict[str, int]


@dataclass(frozen=True)
class FinanceFacts:
    by_status: tuple[tuple[str, int, Decimal], ...]
    by_instrument: tuple[tuple[str, int, Decimal], ...]
    funded: Decimal
    listings: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class TaskFacts:
    status_counts: dict[str, int]
    late: tuple[tuple[str, str, str, str], ...]  # (code, title, lead unit, reason)


@dataclass(frozen=True)
class ChainFacts:
    nodes: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # (segment, node, strong/weak/missing, reasons)


@dataclass(frozen=True)
class SupplyFacts:
    breakpoints: tuple[tuple[str, str, int, tuple[str, ...]], ...]  # category, item, firms, firm names


@dataclass
class ReportFacts:
    year: int
    plan_title: str
    issuer: str
    region: str
    period: ReportPeriod
    goals: list[GoalFact]
    area_segment: AreaSegmentFacts
    enterprises: EnterpriseFacts
    projects: ProjectFacts | None = None
    innovation: InnovationFacts | None = None
    support: SupportFacts | None = None
    finance: FinanceFacts | None = None
    tasks: TaskFacts | None = None
    chain: ChainFacts | None = None
    supply: SupplyFacts | None = None
    unavailable: dict[str, str] = field(default_factory=dict)  # section → why (for the log, not print)


def city_reader() -> Any:
    """A city-wide reader for the selectors that take ``user``: the report covers the whole city."""
    from semicluster.accounts.models import Role, User

    return User(username="annual-report", role=Role.LEADER, is_active=True)


def optional(section: str, facts: ReportFacts, app: str, read: Callable[[], T]) -> T | None:
    """Run ``read`` if ``app`` is installed; a missing app, module or function leaves the section empty."""
    if not django_apps.is_installed(f"semicluster.{app}"):
        facts.unavailable[section] = f"app {app} not installed"
        return None
    try:
        return read()
    except (ImportError, AttributeError, LookupError) as exc:
        logger.warning("annual report: %s data not available: %s", section, exc)
        facts.unavailable[section] = f"{type(exc).__name__}: {exc}"
        return None


def _selectors(app: str) -> Any:
    return importlib.import_module(f"semicluster.{app}.selectors")


# --- period ----------------------------------------------------------------------------------------


def report_period(year: int, version: PlanVersion | None) -> ReportPeriod:
    """The full year when annual figures exist, else the latest month with year-to-date figures."""
    if django_apps.is_installed("semicluster.monitoring") and version is not None:
        try:
            from semicluster.monitoring.models import FillState

            fill = FillState.objects.filter(plan_version=version).first()
        except ImportError:
            fill = None
        if fill is not None and fill.data_year == year:
            return ReportPeriod(year, fill.data_month or 0)
    values = PeriodValue.objects.filter(measure=Measure.REVENUE, year=year)
    if values.filter(period_type=PeriodType.YEAR).exists():
        return ReportPeriod(year, 0)
    months = values.filter(period_type=PeriodType.MONTH).order_by("-period").values_list("period", flat=True)
    latest = months.first()
    return ReportPeriod(year, int(latest) if latest else 0)


# --- core facts ------------------------------------------------------------------------------------


def _period_values(measure: str, year: int, period: ReportPeriod) -> Any:
    qs = PeriodValue.objects.filter(
        measure=measure, year=year, period_type=period.period_type, period=period.month
    )
    if not period.is_annual:
        qs = qs.filter(basis="ytd")
    return qs


def area_segment_facts(period: ReportPeriod, measure: str = Measure.REVENUE) -> AreaSegmentFacts:
    areas = tuple(Label(a.code, a.name, a.name_en) for a in Area.objects.order_by("sort", "code"))
    segments = tuple(Label(s.code, s.name, s.name_en) for s in ChainSegment.objects.order_by("sort", "code"))
    rows = _period_values(measure, period.year, period).values_list(
        "enterprise_id",
        "enterprise__name",
        "enterprise__area__code",
        "enterprise__primary_node__segment__code",
        "value",
        "enterprise__group_name",
    )
    records = []
    top = []
    names = {a.code: a.name for a in areas}
    seg_names = {s.code: s.name for s in segments}
    for pk, name, area, segment, value, group in rows:
        if value < 0:
            continue  # revenue is never negative; a negative correction row is not a contribution
        records.append(((area, segment), Contribution(str(pk), value, group or None)))
        top.append((name, names.get(area, area), seg_names.get(segment, segment), value))
    previous = tuple(
        ((area, segment), Contribution(str(pk), value, group or None))
        for pk, area, segment, value, group in _period_values(measure, period.year - 1, period).values_list(
            "enterprise_id",
            "enterprise__area__code",
            "enterprise__primary_node__segment__code",
            "value",
            "enterprise__group_name",
        )
        if value >= 0
    )
    top.sort(key=lambda row: (-row[3], row[0]))
    return AreaSegmentFacts(measure, areas, segments, tuple(records), previous, tuple(top[:10]))


def _groups_of(enterprise_ids: Iterable[int]) -> dict[int, str]:
    """The enterprise group of each firm that belongs to one: disclosure control counts a group once."""
    return dict(
        Enterprise.objects.filter(pk__in=list(enterprise_ids))
        .exclude(group_name="")
        .values_list("pk", "group_name")
    )


def _goal_contributions(
    goal: Goal, period: ReportPeriod
) -> tuple[tuple[Contribution, ...] | None, tuple[str, ...]]:
    """The enterprises behind a goal's city figure: contributions for sums, names for counts."""
    from semicluster.monitoring.definitions import (
        COUNT,
        PROJECT_INVESTMENT,
        SUM,
        THRESHOLD,
        IndicatorDef,
        Period,
    )
    from semicluster.monitoring.drilldown import drill_down

    definition = IndicatorDef.from_goal(goal)
    drill = drill_down(definition, Period(period.year, period.month), "city", "")
    counted = drill.counted
    if definition.kind == SUM:
        groups = _groups_of(r.id for r in counted)
        return tuple(
            Contribution(str(r.id), r.value, groups.get(r.id))
            for r in counted
            if r.value is not None and r.value >= 0
        ), ()
    if definition.kind == PROJECT_INVESTMENT:
        from semicluster.projects.models import Project

        owners = dict(Project.objects.filter(pk__in=[r.id for r in counted]).values_list("pk", "owner_id"))
        return (
            tuple(
                Contribution(str(owners.get(r.id, f"project-{r.id}")), r.value)
                for r in counted
                if r.value is not None and r.value >= 0
            ),
            (),
        )
    if definition.kind in (COUNT, THRESHOLD):
        ids = [r.id for r in counted if r.kind == "enterprise"]
        return None, tuple(
            Enterprise.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)
        )
    return None, ()


def goal_facts(version: PlanVersion | None, period: ReportPeriod) -> list[GoalFact]:
    if version is None:
        return []
    goals = list(version.goals.order_by("sort"))
    rows: dict[tuple[int, int, int | None], Any] = {}
    monitoring = django_apps.is_installed("semicluster.monitoring")
    if monitoring:
        from semicluster.monitoring.models import IndicatorValue

        for stored in IndicatorValue.objects.filter(
            plan_version=version, scope_kind="city", year=period.year
        ):
            rows[(stored.goal_id, stored.year, stored.month)] = stored
    out = []
    for goal in goals:
        row = rows.get((goal.pk, period.year, period.month))
        interim_month = MID_YEAR_MONTH if (period.is_annual or period.month > MID_YEAR_MONTH) else None
        interim = rows.get((goal.pk, period.year, interim_month)) if interim_month else None
        contributions: tuple[Contribution, ...] | None = None
        names: tuple[str, ...] = ()
        if monitoring and row is not None:
            contributions, names = _goal_contributions(goal, period)
        kind = str((goal.indicator or {}).get("kind", ""))
        out.append(
            GoalFact(
                code=goal.code,
                name=goal.name,
                name_en=goal.name_en,
                source=goal.source,
                source_text=goal.source_text,
                unit=goal.unit,
                target=goal.target,
                comparison=goal.comparison,
                kind=kind,
                value=row.value if row else None,
                previous=row.previous if row else None,
                yoy=row.yoy if row else None,
                progress=row.progress if row else None,
                status=row.status if row else "",
                forecast=row.forecast if row else None,
                forecast_method=row.forecast_method if row else "",
                method_note=row.method_note if row else "",
                interim_month=interim_month if interim is not None else None,
                interim_forecast=interim.forecast if interim is not None else None,
                contributions=contributions,
                enterprise_names=names,
            )
        )
    return out


def enterprise_facts(period: ReportPeriod, facts: ReportFacts) -> EnterpriseFacts:
    year_end = dt.date(period.year, 12, 31)
    by_tier = dict(Enterprise.objects.values_list("tier").annotate(n=Count("id")).values_list("tier", "n"))
    held = (
        Designation.objects.filter(granted__lte=year_end)
        .exclude(expires__lt=year_end)
        .values_list("designation_type__name")
        .annotate(n=Count("enterprise_id", distinct=True))
        .order_by("designation_type__name")
    )

    def crossings() -> tuple[tuple[str, ...], tuple[str, ...]]:
        ids_1 = _selectors("cultivation").crossing_enterprise_ids(period.year, Tier.BACKBONE.value)
        ids_5 = _selectors("cultivation").crossing_enterprise_ids(period.year, Tier.LEADER.value)
        names = dict(Enterprise.objects.filter(pk__in=ids_1 | ids_5).values_list("pk", "name"))
        return tuple(sorted(names[i] for i in ids_1)), tuple(sorted(names[i] for i in ids_5))

    def library() -> tuple[int, int]:
        progress = _selectors("cultivation").library_progress(user=city_reader(), as_of=year_end)
        return progress.members, progress.target

    found = optional("enterprises.crossings", facts, "cultivation", crossings) or ((), ())
    members = optional("enterprises.library", facts, "cultivation", library)
    return EnterpriseFacts(
        total=sum(by_tier.values()),
        by_tier={str(k): v for k, v in by_tier.items()},
        new_above_1bn=found[0],
        new_above_5bn=found[1],
        library_members=members[0] if members else None,
        library_target=members[1] if members else None,
        designations=tuple((str(name), int(n)) for name, n in held),
    )


# --- optional capabilities -------------------------------------------------------------------------


def project_facts(period: ReportPeriod) -> ProjectFacts:
    from semicluster.projects.models import Project

    selectors = _selectors("projects")
    month = dt.date(period.year, period.month or 12, 1)
    reader = city_reader()
    library = Project.objects.filter(in_library=True)
    totals = selectors.totals(library, month)
    cohorts = selectors.cohorts(user=reader, year=period.year, through_month=period.month or 12)
    red = library.filter(light="red").select_related("owner", "area").order_by("area__sort", "name")
    contributions = tuple(
        Contribution(str(owner), value)
        for owner, value in library.values_list("owner_id", "total_investment")
        if value is not None and value >= 0
    )
    return ProjectFacts(
        count=totals.count,
        total_investment=totals.total_investment,
        annual_plan=totals.annual_plan,
        ytd_completed=totals.ytd_completed,
        by_light=dict(totals.by_light),
        cohorts=dict(cohorts.totals),
        cohort_targets={str(k): int(v) for k, v in (cohorts.targets or {}).items()},
        red_projects=tuple((p.name, p.owner.name, p.area.name) for p in red),
        investment_contributions=contributions,
    )


def innovation_facts(version: PlanVersion | None) -> InnovationFacts:
    selectors = _selectors("innovation")
    rows = tuple(
        (str(r.technology.name), r.active, r.completed, r.budget) for r in selectors.coverage(version)
    )
    return InnovationFacts(rows, selectors.platforms().count())


def support_facts(year: int) -> SupportFacts:
    selectors = _selectors("support")
    rows = tuple(
        (
            str(row.program.name if row.program is not None else row.program_code),
            row.budget,
            row.committed,
            row.disbursed,
            row.pending,
        )
        for row in selectors.ledger(year=year)
    )
    return SupportFacts(rows, dict(selectors.status_counts(user=city_reader())))


def finance_facts() -> FinanceFacts:
    selectors = _selectors("finance")
    summary = selectors.need_summary(user=city_reader())
    listings = selectors.listing_counts(user=city_reader())
    return FinanceFacts(
        by_status=tuple((str(label), int(n), total) for label, n, total in summary["by_status"]),
        by_instrument=tuple((str(label), int(n), total) for label, n, total in summary["by_instrument"]),
        funded=summary["funded"],
        listings=tuple((str(label), int(n)) for _value, label, n in listings),
    )


def task_facts(version: PlanVersion | None, year: int) -> TaskFacts | None:
    if version is None:
        return None
    selectors = _selectors("accountability")
    as_of = min(dt.date.today(), dt.date(year, 12, 31))
    items = selectors.with_status_data(
        selectors.visible_items(city_reader(), version).order_by("sort", "code")
    )
    rows = selectors.item_rows(items, as_of, selectors.reporting_rules(version))
    late = tuple(
        (
            row.item.code,
            row.item.title,
            str(row.item.lead_unit.short_name or row.item.lead_unit.name),
            row.reason,
        )
        for row in rows
        if row.status.status.value == "late"
    )
    return TaskFacts(selectors.status_counts(rows), late)


def chain_facts() -> ChainFacts:
    selectors = _selectors("chain")
    nodes = []
    for row in selectors.node_rows():
        cls = row.classification
        reasons = tuple(str(getattr(r, "zh", r)) for r in (cls.reasons if cls else ()))
        nodes.append((row.node.segment.name, row.node.name, cls.status if cls else "", reasons))
    return ChainFacts(tuple(nodes))


def supply_facts(year: int) -> SupplyFacts:
    selectors = _selectors("supply")
    found = selectors.city_breakpoints(year)
    ids = sorted({firm for b in found for firm in b.firm_ids})
    names = selectors.enterprise_names(ids)
    return SupplyFacts(
        tuple(
            (str(b.category), str(b.item), b.firm_count, tuple(sorted(names.get(i, "") for i in b.firm_ids)))
            for b in found
        )
    )


# --- everything ------------------------------------------------------------------------------------


def gather(year: int, version: PlanVersion | None = None) -> ReportFacts:
    """Every fact the annual report of ``year`` needs, read once."""
    version = version or current_plan_version()
    period = report_period(year, version)
    plan = version.plan if version is not None else None
    document = version.document if version is not None else {}
    plan_doc = document.get("plan", {}) if isinstance(document, dict) else {}
    facts = ReportFacts(
        year=year,
        plan_title=str(plan_doc.get("title", plan.name if plan else "")),
        issuer=str(plan_doc.get("issuer", "")),
        region=str(plan.region_name if plan else ""),
        period=period,
        goals=goal_facts(version, period),
        area_segment=area_segment_facts(period),
        enterprises=EnterpriseFacts(0, {}, (), (), None, None, ()),
    )
    facts.enterprises = enterprise_facts(period, facts)
    facts.projects = optional("projects", facts, "projects", lambda: project_facts(period))
    facts.innovation = optional("innovation", facts, "innovation", lambda: innovation_facts(version))
    facts.support = optional("support", facts, "support", lambda: support_facts(year))
    facts.finance = optional("finance", facts, "finance", finance_facts)
    facts.tasks = optional("tasks", facts, "accountability", lambda: task_facts(version, year))
    facts.chain = optional("chain", facts, "chain", chain_facts)
    facts.supply = optional("supply", facts, "supply", lambda: supply_facts(year))
    return facts
