"""Reads for the chain map, the investment pipeline, the gaps list and the layout fit.

The chain map's counts are city aggregates (SPEC §1: district officers read city aggregates); the
lists a number opens are the other apps' own pages, which apply their own scoping.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.chain.models import (
    ACTIVE_STAGES,
    PIPELINE,
    ChainCommunity,
    CommunityMember,
    InvestmentTarget,
    Stage,
    TargetStep,
)
from semicluster.enterprises.models import Designation, Enterprise, Measure, PeriodType, PeriodValue
from semicluster.plans.models import Area, ChainNode, ChainSegment
from semicluster.plans.selectors import current_plan_version
from semicluster.supply.classification import (
    DEFAULT_RULES,
    ClassificationRules,
    NodeClass,
    NodeFacts,
    classify_nodes,
)

PROJECTS_UNDER_WAY = ("signed", "preparation", "started", "under_construction")


def url(name: str, *args: Any, **params: Any) -> str:
    """A URL with a query string; empty when the other app is not installed (the number still shows)."""
    try:
        base = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


# --- plan data ----------------------------------------------------------------------------------


def plan_document() -> dict[str, Any]:
    version = current_plan_version()
    return dict(version.document) if version else {}


def classification_rules() -> ClassificationRules:
    section = plan_document().get("chain_classification")
    return ClassificationRules.from_plan(section) if section else DEFAULT_RULES


def target_categories() -> list[dict[str, Any]]:
    return list(plan_document().get("investment_target_categories") or [])


def category_labels() -> dict[str, str]:
    return {c["code"]: c["name"] for c in target_categories()}


@dataclass(frozen=True)
class PriorityMark:
    kind: str  # focus | gap | strength
    name: str
    name_en: str
    source: str
    source_text: str


def node_priorities() -> dict[str, list[PriorityMark]]:
    """The plan's priorities per node: focus fields (一, 二、1), chain gaps and the strength to keep."""
    document = plan_document()
    marks: dict[str, list[PriorityMark]] = defaultdict(list)
    for focus in document.get("focus_fields") or []:
        for code in focus.get("nodes", []):
            marks[code].append(
                PriorityMark(
                    "focus",
                    focus["name"],
                    focus.get("name_en", ""),
                    focus.get("source", ""),
                    focus.get("source_text", ""),
                )
            )
    for priority in document.get("chain_priorities") or []:
        for code in priority.get("nodes", []):
            marks[code].append(
                PriorityMark(
                    priority["kind"],
                    priority["name"],
                    priority.get("name_en", ""),
                    priority.get("source", ""),
                    priority.get("source_text", ""),
                )
            )
    return marks


# --- node facts and classification ----------------------------------------------------------------


def revenue_year() -> int | None:
    """The latest year with annual revenue reported: the chain map's revenue figures are that year's."""
    year = PeriodValue.objects.filter(measure=Measure.REVENUE, period_type=PeriodType.YEAR).aggregate(
        y=Max("year")
    )["y"]
    return int(year) if year else None


@dataclass
class NodeRow:
    node: ChainNode
    firm_count: int = 0
    firms_with_revenue: int = 0
    revenue: Decimal = Decimal(0)
    tiers: dict[str, int] = field(default_factory=dict)
    designations: list[tuple[str, str, int]] = field(default_factory=list)  # (code, name, firms)
    projects: int = 0
    project_investment: Decimal = Decimal(0)
    targets: int = 0
    areas: list[tuple[Area, int]] = field(default_factory=list)
    breakpoints: tuple[tuple[str, str], ...] = ()
    classification: NodeClass | None = None
    priorities: list[PriorityMark] = field(default_factory=list)
    communities: list[ChainCommunity] = field(default_factory=list)


def node_rows(year: int | None = None, breakpoints_by_node: dict[str, tuple] | None = None) -> list[NodeRow]:
    """Every node of the taxonomy with its city-wide facts and class. A fixed number of queries."""
    from semicluster.projects.models import Project  # the project library is a sibling app

    year = year or revenue_year()
    nodes = list(ChainNode.objects.select_related("segment").order_by("segment__sort", "sort", "code"))
    rows = {n.pk: NodeRow(node=n) for n in nodes}
    areas = {a.pk: a for a in Area.objects.all()}
    for node_id, area_id, n in Enterprise.objects.values_list("primary_node_id", "area_id").annotate(
        n=Count("id")
    ):
        rows[node_id].firm_count += n
        rows[node_id].areas.append((areas[area_id], n))
    for node_id, tier, n in (
        Enterprise.objects.exclude(tier="").values_list("primary_node_id", "tier").annotate(n=Count("id"))
    ):
        rows[node_id].tiers[tier] = n
    if year:
        revenue = (
            PeriodValue.objects.filter(
                measure=Measure.REVENUE, period_type=PeriodType.YEAR, year=year, value__gt=0
            )
            .values_list("enterprise__primary_node_id")
            .annotate(total=Sum("value"), n=Count("enterprise_id", distinct=True))
        )
        for node_id, total, n in revenue:
            rows[node_id].revenue, rows[node_id].firms_with_revenue = total, n
    today = timezone.localdate()
    held = (
        Designation.objects.filter(Q(expires__isnull=True) | Q(expires__gte=today))
        .values_list("enterprise__primary_node_id", "designation_type__code", "designation_type__name")
        .annotate(n=Count("enterprise_id", distinct=True))
        .order_by("designation_type__code")
    )
    for node_id, code, name, n in held:
        rows[node_id].designations.append((code, name, n))
    for node_id, n, total in (
        Project.objects.filter(stage__in=PROJECTS_UNDER_WAY)
        .values_list("node_id")
        .annotate(n=Count("id"), total=Sum("total_investment"))
    ):
        rows[node_id].projects, rows[node_id].project_investment = n, total or Decimal(0)
    for node_id, n in (
        InvestmentTarget.objects.filter(stage__in=ACTIVE_STAGES).values_list("nodes").annotate(n=Count("id"))
    ):
        if node_id in rows:
            rows[node_id].targets = n
    if breakpoints_by_node is None:
        from semicluster.supply.selectors import city_analysis

        breakpoints_by_node = city_analysis().node_breakpoints
    marks = node_priorities()
    facts = []
    for row in rows.values():
        row.breakpoints = tuple(breakpoints_by_node.get(row.node.code, ()))
        row.priorities = marks.get(row.node.code, [])
        facts.append(
            NodeFacts(
                node=row.node.pk,
                firm_count=row.firm_count,
                firms_with_revenue=row.firms_with_revenue,
                total_revenue=row.revenue,
                tier_counts=dict(row.tiers),
                breakpoint_count=len(row.breakpoints),
            )
        )
    classes = classify_nodes(facts, classification_rules())
    for row in rows.values():
        row.classification = classes[row.node.pk]
        row.areas.sort(key=lambda a: a[0].sort)
    communities = ChainCommunity.objects.select_related("leader").prefetch_related(
        Prefetch("members", queryset=CommunityMember.objects.select_related("enterprise"))
    )
    for community in communities:
        rows[community.leader.primary_node_id].communities.append(community)
    return list(rows.values())


def node_classes() -> dict[str, NodeClass]:
    return {row.node.code: row.classification for row in node_rows() if row.classification}


# --- the pipeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetFilters:
    q: str = ""
    category: str = ""
    stage: str = ""
    node: str = ""
    area: str = ""
    country: str = ""
    item: str = ""  # "category:item" of a breakpoint


def target_list(*, user: Any, filters: TargetFilters | None = None) -> QuerySet[InvestmentTarget]:
    filters = filters or TargetFilters()
    qs = visible_to(InvestmentTarget.objects.all(), user).select_related(
        "intended_area", "officer", "responsible_unit", "project"
    )
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(name_en__icontains=filters.q))
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.stage == "active":
        qs = qs.filter(stage__in=ACTIVE_STAGES)
    elif filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.node:
        qs = qs.filter(nodes__code=filters.node)
    if filters.area:
        qs = qs.filter(intended_area__code=filters.area)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    qs = qs.prefetch_related(Prefetch("nodes", queryset=ChainNode.objects.order_by("sort")))
    if filters.item and ":" in filters.item:
        category, item = filters.item.split(":", 1)
        ids = [t.pk for t in qs if [category, item] in t.supply_items]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("name", "id").distinct()


def target_detail(*, user: Any, pk: int) -> InvestmentTarget:
    qs = InvestmentTarget.objects.select_related(
        "intended_area", "officer", "responsible_unit", "project"
    ).prefetch_related("nodes", Prefetch("steps", queryset=TargetStep.objects.select_related("actor")))
    return get_visible_or_404(qs, user, pk=pk)


def targets_by_supply_item(*, user: Any) -> dict[tuple[str, str], list[InvestmentTarget]]:
    """The active targets the user may see, by the breakpoint items they would fill (补断点)."""
    out: dict[tuple[str, str], list[InvestmentTarget]] = defaultdict(list)
    for target in visible_to(InvestmentTarget.objects.filter(stage__in=ACTIVE_STAGES), user).only(
        "id", "name", "stage", "supply_items"
    ):
        for category, item in target.supply_items:
            out[(category, item)].append(target)
    return out


@dataclass
class Conversion:
    """Targets that reached at least each stage (a funnel), overall and by category and by node."""

    stages: tuple[str, ...]
    overall: dict[str, int]
    by_category: list[tuple[str, str, dict[str, int]]]
    by_node: list[tuple[ChainNode, dict[str, int]]]
    dropped: int
    dropped_by_stage: dict[str, int]


def conversion(*, user: Any) -> Conversion:
    """Counts come from the kept steps, so a lead that was dropped after a visit still counts as visited."""
    targets = list(visible_to(InvestmentTarget.objects.all(), user).prefetch_related("nodes"))
    reached: dict[int, int] = {}
    last_active: dict[int, str] = {}
    steps = TargetStep.objects.filter(target__in=[t.pk for t in targets]).values_list("target_id", "stage")
    for target_id, stage in steps:
        if stage in PIPELINE:
            reached[target_id] = max(reached.get(target_id, 0), PIPELINE.index(stage))
            last_active[target_id] = PIPELINE[reached[target_id]]

    def funnel(group: list[InvestmentTarget]) -> dict[str, int]:
        counts = Counter(reached.get(t.pk, 0) for t in group)
        return {
            stage: sum(n for level, n in counts.items() if level >= i) for i, stage in enumerate(PIPELINE)
        }

    labels = category_labels()
    by_category: dict[str, list[InvestmentTarget]] = defaultdict(list)
    by_node: dict[int, list[InvestmentTarget]] = defaultdict(list)
    nodes: dict[int, ChainNode] = {}
    for target in targets:
        by_category[target.category].append(target)
        for node in target.nodes.all():
            by_node[node.pk].append(target)
            nodes[node.pk] = node
    dropped = [t for t in targets if t.stage == Stage.DROPPED]
    return Conversion(
        stages=PIPELINE,
        overall=funnel(targets),
        by_category=[
            (code, labels.get(code, code), funnel(by_category[code]))
            for code in [c["code"] for c in target_categories()] + sorted(set(by_category) - set(labels))
            if by_category.get(code)
        ],
        by_node=sorted(
            ((nodes[k], funnel(v)) for k, v in by_node.items()), key=lambda r: (r[0].segment_id, r[0].sort)
        ),
        dropped=len(dropped),
        dropped_by_stage=dict(Counter(last_active.get(t.pk, "lead") for t in dropped)),
    )


# --- gaps without targets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    kind: str  # node | breakpoint
    node: NodeRow | None = None
    category: str = ""
    item: str = ""
    firm_count: int = 0
    reasons: tuple[Any, ...] = ()
    node_codes: tuple[str, ...] = ()


def gaps_without_targets(
    rows: list[NodeRow] | None = None, breakpoints: list[Any] | None = None
) -> list[Gap]:
    """Weak or missing nodes and survey breakpoints that no active lead addresses (city-wide)."""
    from semicluster.supply.selectors import city_analysis

    if breakpoints is None or rows is None:
        analysis = city_analysis()
        breakpoints = analysis.breakpoints if breakpoints is None else breakpoints
        rows = rows if rows is not None else node_rows(breakpoints_by_node=analysis.node_breakpoints)
    active = InvestmentTarget.objects.filter(stage__in=ACTIVE_STAGES)
    covered_nodes = set(active.values_list("nodes", flat=True))
    covered_items = {(c, i) for items in active.values_list("supply_items", flat=True) for c, i in items}
    gaps = [
        Gap(kind="node", node=row, reasons=row.classification.reasons)
        for row in rows
        if row.classification and row.classification.status != "strong" and row.node.pk not in covered_nodes
    ]
    gaps.extend(
        Gap(
            kind="breakpoint",
            category=b.category,
            item=b.item,
            firm_count=b.firm_count,
            reasons=b.reasons,
            node_codes=tuple(b.node_codes),
        )
        for b in breakpoints
        if (b.category, b.item) not in covered_items
    )
    return gaps


# --- layout fit (二、1) -------------------------------------------------------------------------------


@dataclass
class AreaFit:
    area: Area
    focus_nodes: list[ChainNode]
    firms: int
    firms_in_focus: int
    revenue: Decimal
    revenue_in_focus: Decimal
    investment: Decimal
    investment_in_focus: Decimal
    projects_outside: list[Any]
    leads_outside: list[InvestmentTarget]

    @staticmethod
    def _share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
        return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None

    @property
    def firm_share(self) -> Decimal | None:
        return self._share(self.firms_in_focus, self.firms)

    @property
    def revenue_share(self) -> Decimal | None:
        return self._share(self.revenue_in_focus, self.revenue)

    @property
    def investment_share(self) -> Decimal | None:
        return self._share(self.investment_in_focus, self.investment)


def layout_fit(*, user: Any, year: int | None = None) -> list[AreaFit]:
    """Each area against its focus: shares of firms, revenue and project investment in its focus nodes,
    and the projects and leads outside it (flagged for review). District officers see their own area."""
    from semicluster.projects.models import Project

    year = year or revenue_year()
    areas = Area.objects.prefetch_related(
        Prefetch("focus_nodes", queryset=ChainNode.objects.order_by("sort"))
    )
    if getattr(user, "role", None) == Role.DISTRICT_OFFICER:
        areas = areas.filter(pk=user.area_id)
    areas_list = list(areas)
    focus = {a.pk: {n.pk for n in a.focus_nodes.all()} for a in areas_list}
    firms: dict[int, Counter] = defaultdict(Counter)
    for area_id, node_id, n in Enterprise.objects.values_list("area_id", "primary_node_id").annotate(
        n=Count("id")
    ):
        firms[area_id][node_id] += n
    revenue: dict[int, dict[int, Decimal]] = defaultdict(dict)
    if year:
        for area_id, node_id, total in (
            PeriodValue.objects.filter(measure=Measure.REVENUE, period_type=PeriodType.YEAR, year=year)
            .values_list("enterprise__area_id", "enterprise__primary_node_id")
            .annotate(total=Sum("value"))
        ):
            revenue[area_id][node_id] = total
    investment: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for area_id, node_id, total in Project.objects.values_list("area_id", "node_id").annotate(
        total=Sum("total_investment")
    ):
        investment[area_id][node_id] = total
    outside_projects: dict[int, list[Any]] = defaultdict(list)
    projects = visible_to(Project.objects.select_related("node", "owner"), user).order_by("-total_investment")
    for project in projects:
        if project.area_id in focus and project.node_id not in focus[project.area_id]:
            outside_projects[project.area_id].append(project)
    outside_leads: dict[int, list[InvestmentTarget]] = defaultdict(list)
    leads = visible_to(
        InvestmentTarget.objects.filter(stage__in=ACTIVE_STAGES, intended_area__isnull=False), user
    ).prefetch_related("nodes")
    for lead in leads:
        if (
            lead.intended_area_id in focus
            and not {n.pk for n in lead.nodes.all()} & focus[lead.intended_area_id]
        ):
            outside_leads[lead.intended_area_id].append(lead)
    out = []
    for area in areas_list:
        f = focus[area.pk]
        out.append(
            AreaFit(
                area=area,
                focus_nodes=list(area.focus_nodes.all()),
                firms=sum(firms[area.pk].values()),
                firms_in_focus=sum(n for node, n in firms[area.pk].items() if node in f),
                revenue=sum(revenue[area.pk].values(), Decimal(0)),
                revenue_in_focus=sum((v for node, v in revenue[area.pk].items() if node in f), Decimal(0)),
                investment=sum(investment[area.pk].values(), Decimal(0)),
                investment_in_focus=sum(
                    (v for node, v in investment[area.pk].items() if node in f), Decimal(0)
                ),
                projects_outside=outside_projects[area.pk],
                leads_outside=outside_leads[area.pk],
            )
        )
    return out


def segments() -> QuerySet[ChainSegment]:
    return ChainSegment.objects.order_by("sort")


def community_list(*, user: Any) -> QuerySet[ChainCommunity]:
    return (
        visible_to(ChainCommunity.objects.all(), user)
        .select_related("leader", "leader__primary_node")
        .prefetch_related(
            Prefetch("members", queryset=CommunityMember.objects.select_related("enterprise", "node")),
            "actions",
            "nodes",
        )
        .order_by("name")
    )
