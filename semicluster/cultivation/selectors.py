"""Reads for cultivation: tiers from period data, crossings, the watch list, designations, the library.

Tier figures are the full-year revenue: the annual report (period A), or failing that the December
year-to-date value, which equals it (SPEC §4: cumulative values are never added together).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.cultivation import examples, tiers
from semicluster.cultivation.models import ExitFlag, LeaderCandidate, LeaderMember, LeaderReview, LeaderRound
from semicluster.cultivation.scoring import ScoringModel
from semicluster.enterprises.models import Designation, Enterprise, Measure, PeriodType, PeriodValue
from semicluster.plans.models import PlanVersion
from semicluster.plans.selectors import current_plan_version

# ---------------------------------------------------------------------------- plan sections


def plan_section(name: str, version: PlanVersion | None = None) -> dict[str, Any]:
    """The current plan's section, or the documented Kunshan defaults when the plan has none."""
    version = version or current_plan_version()
    document = version.document if version is not None else {}
    section = document.get(name)
    if section is None:
        section = {"tiers": examples.TIERS, "innovation_leader_library": examples.INNOVATION_LEADER_LIBRARY}[
            name
        ]
    return dict(section)


def tier_model(version: PlanVersion | None = None) -> tiers.TierModel:
    return tiers.TierModel.from_plan(plan_section("tiers", version))


def scoring_model(document: dict[str, Any] | None = None) -> ScoringModel:
    return ScoringModel.from_plan(document or plan_section("innovation_leader_library"))


# ---------------------------------------------------------------------------- revenue and tiers


def annual_revenues(enterprise_ids: Iterable[int] | None = None) -> dict[int, dict[int, Decimal]]:
    """Full-year revenue per enterprise and year, in one query: {id: {year: yuan}}."""
    qs = PeriodValue.objects.filter(measure=Measure.REVENUE).filter(
        Q(period_type=PeriodType.YEAR) | Q(period_type=PeriodType.MONTH, period=12, basis="ytd")
    )
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    result: dict[int, dict[int, Decimal]] = defaultdict(dict)
    # Annual reports win over a December cumulative figure of the same year.
    for enterprise_id, year, period_type, value in qs.order_by("period_type").values_list(
        "enterprise_id", "year", "period_type", "value"
    ):
        if period_type == PeriodType.YEAR or year not in result[enterprise_id]:
            result[enterprise_id][year] = value
    return dict(result)


def latest_ytd_revenue(enterprise_ids: Iterable[int], year: int) -> dict[int, tuple[int, Decimal]]:
    """Latest year-to-date revenue report of ``year`` per enterprise: {id: (month, yuan)}."""
    rows = (
        PeriodValue.objects.filter(
            enterprise_id__in=list(enterprise_ids),
            measure=Measure.REVENUE,
            year=year,
            period_type=PeriodType.MONTH,
            basis="ytd",
        )
        .order_by("enterprise_id", "-period")
        .values_list("enterprise_id", "period", "value")
    )
    latest: dict[int, tuple[int, Decimal]] = {}
    for enterprise_id, month, value in rows:
        latest.setdefault(enterprise_id, (month, value))
    return latest


@dataclass(frozen=True)
class TierRow:
    year: int
    revenue: Decimal
    tier: tiers.TierLevel | None
    crossings: tuple[tiers.CrossingEvent, ...]
    warnings: tuple[tiers.DeclineWarning, ...]


def tier_history(enterprise: Enterprise, model: tiers.TierModel | None = None) -> list[TierRow]:
    model = model or tier_model()
    revenues = annual_revenues([enterprise.pk]).get(enterprise.pk, {})
    return [
        TierRow(
            row.year,
            row.revenue,
            row.tier,
            tuple(tiers.crossing_events(revenues, model, year=row.year)),
            tuple(tiers.decline_warnings(revenues, model, row.year)),
        )
        for row in tiers.tier_history(revenues, model)
    ]


@dataclass(frozen=True)
class Crossing:
    enterprise: Enterprise
    event: tiers.CrossingEvent
    provisional_month: int | None = None  # set when shown from year-to-date figures


def crossings(*, user: Any, year: int, model: tiers.TierModel | None = None) -> list[Crossing]:
    """Threshold-crossing events of ``year`` (新增超10亿/50亿企业), visible to ``user``.

    When a firm has no full-year figure for ``year`` yet, its latest year-to-date revenue is used:
    revenue is never negative, so a cumulative figure already past a threshold proves the crossing
    (marked provisional with the month it was read from).
    """
    model = model or tier_model()
    firms = {e.pk: e for e in visible_to(Enterprise.objects.select_related("area"), user)}
    revenues = annual_revenues(firms)
    missing = [pk for pk in firms if year not in revenues.get(pk, {})]
    ytd = latest_ytd_revenue(missing, year)
    out: list[Crossing] = []
    for pk, firm in firms.items():
        series = dict(revenues.get(pk, {}))
        month = None
        if year not in series and pk in ytd:
            month, series[year] = ytd[pk]
        for event in tiers.crossing_events(series, model, year=year):
            out.append(Crossing(firm, event, month))
    return sorted(out, key=lambda c: (-c.event.level.min_revenue, c.enterprise.name))


def crossing_enterprise_ids(year: int, level: str, *, user: Any = None) -> set[int]:
    """Ids of enterprises crossing ``level`` ("leader" / "backbone") in ``year``: for goal monitoring."""
    from semicluster.accounts.models import Role, User

    viewer = user or User(role=Role.LEADER, is_active=True)
    return {c.enterprise.pk for c in crossings(user=viewer, year=year) if c.event.level.code == level}


@dataclass
class WatchList:
    year: int
    close: list[tuple[Enterprise, tiers.CloseBelow]] = field(default_factory=list)
    declining: list[tuple[Enterprise, tiers.DeclineWarning]] = field(default_factory=list)
    expiring: list[Designation] = field(default_factory=list)
    expired: list[Designation] = field(default_factory=list)


def latest_full_year(revenues: dict[int, dict[int, Decimal]]) -> int | None:
    years = [y for series in revenues.values() for y in series]
    return max(years) if years else None


def watch_list(
    *, user: Any, year: int | None = None, days: int = 90, today: dt.date | None = None
) -> WatchList:
    model = tier_model()
    firms = {e.pk: e for e in visible_to(Enterprise.objects.select_related("area", "primary_node"), user)}
    revenues = annual_revenues(firms)
    year = year or latest_full_year(revenues) or (today or dt.date.today()).year - 1
    result = WatchList(year=year)
    for pk, firm in sorted(firms.items(), key=lambda item: item[1].name):
        series = revenues.get(pk, {})
        if year in series and (candidate := tiers.close_below(series[year], model)) is not None:
            result.close.append((firm, candidate))
        result.declining.extend((firm, w) for w in tiers.decline_warnings(series, model, year))
    result.close.sort(key=lambda item: item[1].gap_pct)
    expiring, expired = designation_expiry(user=user, days=days, today=today)
    result.expiring, result.expired = list(expiring), list(expired)
    return result


# ---------------------------------------------------------------------------- designations


def designations(*, user: Any) -> QuerySet[Designation]:
    return visible_to(Designation.objects.all(), user).select_related(
        "enterprise", "enterprise__area", "designation_type"
    )


def designation_expiry(
    *, user: Any, days: int = 90, today: dt.date | None = None
) -> tuple[QuerySet[Designation], QuerySet[Designation]]:
    """(expiring within ``days``, expired and not renewed) designations visible to ``user``.

    "Not renewed": no later grant of the same designation to the same firm that is still valid.
    """
    today = today or dt.date.today()
    base = designations(user=user)
    expiring = base.filter(expires__gte=today, expires__lte=today + dt.timedelta(days=days)).order_by(
        "expires", "enterprise__name"
    )
    renewed = Designation.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        designation_type_id=OuterRef("designation_type_id"),
        granted__gt=OuterRef("granted"),
    ).filter(Q(expires__isnull=True) | Q(expires__gte=today))
    expired = base.filter(expires__lt=today).exclude(Exists(renewed)).order_by("-expires", "enterprise__name")
    return expiring, expired


def designation_counts(*, user: Any, today: dt.date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Valid designations counted by type and area, and by type and primary chain node."""
    today = today or dt.date.today()
    valid = designations(user=user).filter(
        Q(expires__isnull=True) | Q(expires__gte=today), granted__lte=today
    )
    return {
        "by_area": list(
            valid.values("designation_type__code", "designation_type__name", "enterprise__area__name")
            .annotate(n=Count("id"))
            .order_by("designation_type__code", "enterprise__area__sort")
        ),
        "by_node": list(
            valid.values("designation_type__code", "designation_type__name", "enterprise__primary_node__name")
            .annotate(n=Count("id"))
            .order_by("designation_type__code", "enterprise__primary_node__sort")
        ),
    }


def designation_detail(*, user: Any, pk: int) -> Designation:
    return get_visible_or_404(designations(user=user), user, pk=pk)


def valid_designation_counts(enterprise_ids: Iterable[int], on: dt.date) -> dict[int, int]:
    """Designations in force on ``on`` per enterprise (distinct types): a scoring fact."""
    rows = (
        Designation.objects.filter(enterprise_id__in=list(enterprise_ids), granted__lte=on)
        .filter(Q(expires__isnull=True) | Q(expires__gte=on))
        .values("enterprise_id")
        .annotate(n=Count("designation_type", distinct=True))
    )
    return {row["enterprise_id"]: row["n"] for row in rows}


# ---------------------------------------------------------------------------- library


def leader_member_ids(as_of: dt.date) -> set[int]:
    """Enterprise ids in the innovation-leader library on ``as_of`` (admitted, not yet exited)."""
    return set(
        LeaderMember.objects.filter(admitted_on__lte=as_of)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gt=as_of))
        .values_list("enterprise_id", flat=True)
    )


def members(*, user: Any, active: bool = True) -> QuerySet[LeaderMember]:
    qs = visible_to(LeaderMember.objects.all(), user).select_related(
        "enterprise", "enterprise__area", "enterprise__primary_node__segment", "admission_round"
    )
    return qs.filter(exited_on__isnull=True) if active else qs


@dataclass(frozen=True)
class LibraryProgress:
    members: int
    target: int
    by_area: list[tuple[str, int]]
    by_segment: list[tuple[str, int]]

    @property
    def share_pct(self) -> Decimal:
        if not self.target:
            return Decimal(0)
        return (Decimal(self.members) * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def remaining(self) -> int:
        return max(self.target - self.members, 0)


def library_progress(*, user: Any, as_of: dt.date | None = None) -> LibraryProgress:
    """Library size against the plan's target (80), by plan area and chain segment.

    The target is city-wide, so the headline count is too (district officers read city
    aggregates, SPEC §1); the breakdowns list every area and segment.
    """
    ids = leader_member_ids(as_of or dt.date.today())
    firms = Enterprise.objects.filter(pk__in=ids)
    by_area = [
        (row["area__name"], row["n"])
        for row in firms.values("area__name", "area__sort").annotate(n=Count("id")).order_by("area__sort")
    ]
    by_segment = [
        (row["primary_node__segment__name"], row["n"])
        for row in firms.values("primary_node__segment__name", "primary_node__segment__sort")
        .annotate(n=Count("id"))
        .order_by("primary_node__segment__sort")
    ]
    return LibraryProgress(len(ids), scoring_model().target_size, by_area, by_segment)


def rounds() -> QuerySet[LeaderRound]:
    return LeaderRound.objects.annotate(
        n_candidates=Count("candidates"),
        n_admitted=Count("candidates", filter=Q(candidates__decision=LeaderCandidate.Decision.ADMITTED)),
    ).order_by("-created_at")


def round_detail(pk: int) -> LeaderRound:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(LeaderRound, pk=pk)


def candidates(*, user: Any, round: LeaderRound | None = None) -> QuerySet[LeaderCandidate]:
    qs = visible_to(LeaderCandidate.objects.all(), user).select_related(
        "round", "enterprise", "enterprise__area", "enterprise__primary_node"
    )
    return qs.filter(round=round) if round is not None else qs


def candidate_detail(*, user: Any, pk: int) -> LeaderCandidate:
    return get_visible_or_404(candidates(user=user), user, pk=pk)


def reviews() -> QuerySet[LeaderReview]:
    return LeaderReview.objects.annotate(n_flags=Count("flags")).order_by("-run_on", "-id")


def flags(*, user: Any, review: LeaderReview | None = None) -> QuerySet[ExitFlag]:
    qs = visible_to(ExitFlag.objects.all(), user).select_related(
        "review", "member", "member__enterprise", "member__enterprise__area", "member__admission_round"
    )
    return qs.filter(review=review) if review is not None else qs


def flag_detail(*, user: Any, pk: int) -> ExitFlag:
    return get_visible_or_404(flags(user=user), user, pk=pk)


def enterprise_library_status(enterprise: Enterprise) -> dict[str, Any]:
    memberships = list(LeaderMember.objects.filter(enterprise=enterprise).select_related("admission_round"))
    candidacies = list(
        LeaderCandidate.objects.filter(enterprise=enterprise).select_related("round").order_by("-created_at")
    )
    return {
        "memberships": memberships,
        "active": next((m for m in memberships if m.is_active), None),
        "candidacies": candidacies,
    }
