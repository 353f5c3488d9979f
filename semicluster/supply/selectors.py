"""Reads for the supply-chain survey: scoped answer lists, and the analysis over the stored answers.

Answers are read straight into columns (``values_list``) and handed to the pure engine
(``links.SurveyLinks`` → ``analysis.analyze``); no model instance is built for the analysis, which is
what keeps a province-scale survey (200,000 links) within a few times the cost of reading it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, F, Max, QuerySet
from django.db.models.functions import Cast, Round

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.plans.models import Area, ChainNode
from semicluster.plans.selectors import current_plan_version
from semicluster.supply.analysis import AnalysisConfig, SupplyAnalysis, analyze
from semicluster.supply.links import PPM, SurveyLinks, from_encoded
from semicluster.supply.models import SupplyAnswer

# The columns the engine needs, in one query (joins: enterprise, supplier; node and area ids are
# named by their codes afterwards, from two small reference lists). Amounts
# arrive as integers — fen (分) and parts per million — converted exactly by the database, so the
# per-row Decimal work is not repeated in Python for every analysis.
LINK_COLUMNS: tuple[str, ...] = (
    "id",
    "enterprise_id",
    "enterprise__primary_node_id",
    "enterprise__area_id",
    "category",
    "item",
    "supplier_id",
    "supplier__name",
    "level",
    "country",
    "share_ppm",
    "value_fen",
    "has_alternative",
    "lead_time_days",
)


@dataclass(frozen=True)
class AnswerFilters:
    year: int | None = None
    node: str = ""
    area: str = ""
    category: str = ""
    item: str = ""
    supplier: int | None = None
    level: str = ""
    country: str = ""
    enterprise: int | None = None
    valued: str = ""  # "yes": with a purchase value; "no": without
    domestic: str = ""  # "yes": level other than abroad; "no": abroad only
    near: str = ""  # "suzhou": Kunshan or the rest of Suzhou


def answers_visible(user: Any) -> QuerySet[SupplyAnswer]:
    return visible_to(SupplyAnswer.objects.all(), user)


def apply_filters(qs: QuerySet[SupplyAnswer], filters: AnswerFilters) -> QuerySet[SupplyAnswer]:
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.node:
        qs = qs.filter(enterprise__primary_node__code=filters.node)
    if filters.area:
        qs = qs.filter(enterprise__area__code=filters.area)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.item:
        qs = qs.filter(item=filters.item)
    if filters.supplier:
        qs = qs.filter(supplier_id=filters.supplier)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.valued in ("yes", "no"):
        qs = qs.filter(purchase_value__isnull=filters.valued == "no")
    if filters.domestic in ("yes", "no"):
        qs = qs.exclude(level="abroad") if filters.domestic == "yes" else qs.filter(level="abroad")
    if filters.near == "suzhou":
        qs = qs.filter(level__in=("kunshan", "suzhou"))
    return qs


def answer_list(*, user: Any, filters: AnswerFilters | None = None) -> QuerySet[SupplyAnswer]:
    qs = apply_filters(answers_visible(user), filters or AnswerFilters())
    return qs.select_related(
        "enterprise", "enterprise__area", "enterprise__primary_node", "supplier"
    ).order_by("enterprise__name", "category", "item", "id")


def answer_detail(*, user: Any, pk: int) -> SupplyAnswer:
    qs = SupplyAnswer.objects.select_related("enterprise", "enterprise__area", "supplier")
    return get_visible_or_404(qs, user, pk=pk)


def survey_year(explicit: int | None = None) -> int:
    """The survey year shown by default: the latest year with answers, else the plan year."""
    if explicit:
        return explicit
    latest = SupplyAnswer.objects.aggregate(y=Max("year"))["y"]
    if latest:
        return int(latest)
    version = current_plan_version()
    return int(version.plan.year) if version else 2025


def survey_years() -> list[int]:
    return sorted(set(SupplyAnswer.objects.values_list("year", flat=True)), reverse=True)


# --- analysis -------------------------------------------------------------------------------


def may_see_aggregates(user: Any) -> bool:
    """City roles see the whole survey, district officers their area; enterprise users only their answers."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser) or user.role in (
        Role.CITY_ADMIN,
        Role.LEADER,
        Role.UNIT_OFFICER,
        Role.DISTRICT_OFFICER,
    )


def analysis_queryset(*, user: Any) -> QuerySet[SupplyAnswer]:
    """The answers the user's aggregates are computed over (their area for a district officer)."""
    if not may_see_aggregates(user):
        raise PermissionDenied("Aggregated survey results are for city and district roles.")
    if user.role == Role.DISTRICT_OFFICER:
        return SupplyAnswer.objects.filter(enterprise__area_id=user.area_id)
    return SupplyAnswer.objects.all()


def read_link_rows(qs: QuerySet[SupplyAnswer]) -> list[tuple[Any, ...]]:
    """The floor of the analysis: the answer rows as the database hands them over."""
    integer: BigIntegerField = BigIntegerField()
    return list(
        qs.order_by()
        .annotate(
            share_ppm=Cast(Round(F("share") * PPM), integer),
            value_fen=Cast(Round(F("purchase_value") * 100), integer),
        )
        .values_list(*LINK_COLUMNS)
    )


def links_from_rows(rows: Sequence[tuple[Any, ...]]) -> SurveyLinks:
    if not rows:
        return SurveyLinks.empty()
    (
        ids,
        firms,
        nodes,
        areas,
        categories,
        items,
        suppliers,
        names,
        levels,
        countries,
        shares,
        values,
        alts,
        leads,
    ) = zip(*rows, strict=True)
    return from_encoded(
        answer_id=ids,
        firm_id=firms,
        node=nodes,
        area=areas,
        category=categories,
        item=items,
        supplier_id=suppliers,
        supplier_name=names,
        level=levels,
        country=countries,
        share_ppm=shares,
        value_fen=values,
        has_alternative=alts,
        lead_time_days=leads,
        node_labels=dict(ChainNode.objects.values_list("id", "code")),
        area_labels=dict(Area.objects.values_list("id", "code")),
    )


def analysis_config() -> AnalysisConfig:
    version = current_plan_version()
    return AnalysisConfig.from_plan(version.document.get("supply_survey") if version else None)


def survey_links(qs: QuerySet[SupplyAnswer]) -> SurveyLinks:
    return links_from_rows(read_link_rows(qs))


def run_analysis(qs: QuerySet[SupplyAnswer]) -> tuple[SurveyLinks, SupplyAnalysis]:
    links = survey_links(qs)
    return links, analyze(links, analysis_config())


def user_analysis(*, user: Any, filters: AnswerFilters) -> tuple[SurveyLinks, SupplyAnalysis]:
    return run_analysis(apply_filters(analysis_queryset(user=user), filters))


def city_breakpoints(year: int | None = None) -> list[Any]:
    """The city-wide breakpoints of a survey year (for the chain map and the gaps list)."""
    qs = SupplyAnswer.objects.filter(year=survey_year(year))
    return run_analysis(qs)[1].breakpoints


def city_analysis(year: int | None = None) -> SupplyAnalysis:
    return run_analysis(SupplyAnswer.objects.filter(year=survey_year(year)))[1]


def enterprise_names(ids: Sequence[Any]) -> dict[int, str]:
    from semicluster.enterprises.models import Enterprise

    return dict(Enterprise.objects.filter(id__in=list(ids)).values_list("id", "name"))
