"""Reads for the enterprise library. Every list starts from visible_to(), so scoping is by construction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.enterprises.models import (
    Basis,
    Designation,
    Enterprise,
    Measure,
    PeriodType,
    PeriodValue,
)


@dataclass(frozen=True)
class EnterpriseFilters:
    q: str = ""
    area: str = ""
    town: str = ""
    segment: str = ""
    node: str = ""
    tier: str = ""
    designation: str = ""


def enterprise_list(*, user: Any, filters: EnterpriseFilters | None = None) -> QuerySet[Enterprise]:
    filters = filters or EnterpriseFilters()
    qs = visible_to(Enterprise.objects.all(), user).select_related(
        "area", "town", "primary_node", "primary_node__segment"
    )
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(name_en__icontains=filters.q)
            | Q(credit_code__iexact=filters.q.strip().upper())
            | Q(key_products__icontains=filters.q)
        )
    if filters.area:
        qs = qs.filter(area__code=filters.area)
    if filters.town:
        qs = qs.filter(town__code=filters.town)
    if filters.segment:
        qs = qs.filter(primary_node__segment__code=filters.segment)
    if filters.node:
        qs = qs.filter(Q(primary_node__code=filters.node) | Q(secondary_nodes__code=filters.node)).distinct()
    if filters.tier:
        qs = qs.filter(tier="" if filters.tier == "none" else filters.tier)
    if filters.designation:
        qs = qs.filter(designations__designation_type__code=filters.designation).distinct()
    return qs.order_by("name")


def enterprise_detail(*, user: Any, pk: int) -> Enterprise:
    qs = Enterprise.objects.select_related("area", "town", "primary_node__segment").prefetch_related(
        "secondary_nodes__segment",
        Prefetch("designations", queryset=Designation.objects.select_related("designation_type")),
        "platforms",
    )
    return get_visible_or_404(qs, user, pk=pk)


def latest_annual_revenue(enterprise_ids: list[int]) -> dict[int, tuple[int, Decimal]]:
    """Most recent annual revenue per enterprise: {id: (year, value)} in one query."""
    rows = (
        PeriodValue.objects.filter(
            enterprise_id__in=enterprise_ids, measure=Measure.REVENUE, period_type=PeriodType.YEAR
        )
        .order_by("enterprise_id", "-year")
        .values_list("enterprise_id", "year", "value")
    )
    latest: dict[int, tuple[int, Decimal]] = {}
    for enterprise_id, year, value in rows:
        latest.setdefault(enterprise_id, (year, value))
    return latest


@dataclass
class PeriodTable:
    """Period data laid out for display: annual by year, and monthly with derived single months."""

    annual_years: list[int]
    annual: dict[str, dict[int, Decimal | None]]
    monthly_year: int | None
    months: list[int]
    monthly_ytd: dict[str, dict[int, Decimal | None]]
    monthly_single: dict[str, dict[int, Decimal | None]]


def derive_single_months(ytd: dict[int, Decimal]) -> dict[int, Decimal | None]:
    """Single-month values from year-to-date cumulative reports (SPEC §4).

    Month 1 equals its year-to-date value; month N is YTD(N) − YTD(N−1) only when both were
    reported. A gap leaves the month unknown (None) rather than guessing, and cumulative values
    are never added together.
    """
    single: dict[int, Decimal | None] = {}
    for month in sorted(ytd):
        if month == 1:
            single[month] = ytd[month]
        elif month - 1 in ytd:
            single[month] = ytd[month] - ytd[month - 1]
        else:
            single[month] = None
    return single


def monthly_from_reports(values: list[PeriodValue]) -> dict[int, Decimal]:
    """Year-to-date values by month from reports of either basis (single-month reports are accumulated
    only when every earlier month of the year was reported as a single month too)."""
    ytd: dict[int, Decimal] = {}
    singles: dict[int, Decimal] = {}
    for value in values:
        if value.basis == Basis.YTD:
            ytd[value.period] = value.value
        else:
            singles[value.period] = value.value
    running = Decimal(0)
    for month in range(1, 13):
        if month in ytd:
            running = ytd[month]
        elif month in singles and (month == 1 or month - 1 in ytd or month - 1 in singles):
            running += singles[month]
            ytd[month] = running
        else:
            break
    return ytd


def period_table(enterprise: Enterprise) -> PeriodTable:
    values = list(enterprise.period_values.all())
    annual: dict[str, dict[int, Decimal | None]] = defaultdict(dict)
    monthly: dict[str, dict[int, list[PeriodValue]]] = defaultdict(lambda: defaultdict(list))
    years: set[int] = set()
    for value in values:
        if value.period_type == PeriodType.YEAR:
            annual[value.measure][value.year] = value.value
            years.add(value.year)
        elif value.period_type == PeriodType.MONTH:
            monthly[value.measure][value.year].append(value)
    monthly_year = max((y for m in monthly.values() for y in m), default=None)
    ytd: dict[str, dict[int, Decimal | None]] = {}
    single: dict[str, dict[int, Decimal | None]] = {}
    months: set[int] = set()
    if monthly_year is not None:
        for measure, by_year in monthly.items():
            cumulative = monthly_from_reports(by_year.get(monthly_year, []))
            ytd[measure] = dict(cumulative)
            single[measure] = derive_single_months(cumulative)
            months.update(cumulative)
    return PeriodTable(
        annual_years=sorted(years),
        annual={m: annual[m] for m in Measure.values if m in annual},
        monthly_year=monthly_year,
        months=sorted(months),
        monthly_ytd={m: ytd[m] for m in Measure.values if m in ytd},
        monthly_single={m: single[m] for m in Measure.values if m in single},
    )


def library_summary(*, user: Any) -> dict[str, Any]:
    qs = visible_to(Enterprise.objects.all(), user)
    return {
        "total": qs.count(),
        "by_area": list(qs.values("area__code", "area__name").annotate(n=Count("id")).order_by("area__sort")),
        "by_segment": list(
            qs.values("primary_node__segment__code", "primary_node__segment__name")
            .annotate(n=Count("id"))
            .order_by("primary_node__segment__sort")
        ),
        "by_tier": dict(qs.values_list("tier").annotate(n=Count("id")).values_list("tier", "n")),
    }


def annual_total(*, user: Any, measure: str, year: int) -> Decimal:
    qs = visible_to(PeriodValue.objects.all(), user).filter(
        measure=measure, year=year, period_type=PeriodType.YEAR
    )
    return qs.aggregate(total=Sum("value"))["total"] or Decimal(0)
