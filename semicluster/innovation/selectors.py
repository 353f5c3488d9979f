"""Reads for key technologies, R&D projects and platforms."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.enterprises.models import Enterprise, InnovationPlatform
from semicluster.innovation.models import RDProject
from semicluster.plans.models import KeyTechnology, PlanVersion
from semicluster.plans.selectors import current_plan_version


def projects(*, user: Any) -> QuerySet[RDProject]:
    return visible_to(RDProject.objects.all(), user).select_related(
        "key_technology", "enterprise", "platform", "area"
    )


def project_detail(*, user: Any, pk: int) -> RDProject:
    return get_visible_or_404(projects(user=user), user, pk=pk)


def key_technologies(version: PlanVersion | None = None) -> QuerySet[KeyTechnology]:
    version = version or current_plan_version()
    return KeyTechnology.objects.filter(plan_version=version).prefetch_related("nodes").order_by("sort")


@dataclass(frozen=True)
class CoverageRow:
    technology: KeyTechnology
    active: int  # projects under way (在研); planned ones are counted apart
    completed: int
    budget: Decimal  # yuan, of the active projects
    planned: int = 0  # projects filed but not started (拟研): visible, yet no cover

    @property
    def covered(self) -> bool:
        """Whether research on the technology is under way: planned work alone is no cover."""
        return self.active > 0


def coverage(version: PlanVersion | None = None) -> list[CoverageRow]:
    """Every key technology of the plan with its active projects; none active means a gap, even when
    projects are planned (they are counted in ``planned``, beside the active ones).

    City-wide counts (every role reads city aggregates); projects are matched by technology code,
    so projects filed against an earlier plan version still count for the same technology.
    """
    techs = list(key_technologies(version))
    rows = RDProject.objects.filter(key_technology__code__in=[t.code for t in techs]).values(
        "key_technology__code", "status", "budget"
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    budget: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        code = row["key_technology__code"]
        counts[code][row["status"]] += 1
        if row["status"] == RDProject.Status.ACTIVE:
            budget[code] += row["budget"]
    return [
        CoverageRow(
            t,
            active=counts[t.code][RDProject.Status.ACTIVE],
            completed=counts[t.code][RDProject.Status.COMPLETED],
            budget=budget[t.code],
            planned=counts[t.code][RDProject.Status.PLANNED],
        )
        for t in techs
    ]


def key_technologies_by_enterprise(enterprise_ids: Iterable[int]) -> dict[int, set[str]]:
    """Key-technology codes each enterprise works on (planned, active or completed projects)."""
    out: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, code in (
        RDProject.objects.filter(enterprise_id__in=list(enterprise_ids))
        .exclude(status=RDProject.Status.SUSPENDED)
        .values_list("enterprise_id", "key_technology__code")
    ):
        out[enterprise_id].add(code)
    return dict(out)


def platforms() -> QuerySet[InnovationPlatform]:
    """The registry is public within the platform: every signed-in role reads it."""
    return (
        InnovationPlatform.objects.select_related("area")
        .annotate(
            n_enterprises=Count("enterprises", distinct=True), n_projects=Count("rd_projects", distinct=True)
        )
        .order_by("-named_in_plan", "name")
    )


def platform_detail(*, user: Any, pk: int) -> tuple[InnovationPlatform, list[Enterprise], list[RDProject]]:
    from django.shortcuts import get_object_or_404

    platform = get_object_or_404(
        InnovationPlatform.objects.select_related("area").prefetch_related(
            "fields__segment", Prefetch("enterprises", queryset=Enterprise.objects.select_related("area"))
        ),
        pk=pk,
    )
    # Linked enterprises and projects are shown only as far as the user may see them.
    visible_ids = set(
        visible_to(Enterprise.objects.filter(platforms=platform), user).values_list("pk", flat=True)
    )
    firms = [e for e in platform.enterprises.all() if e.pk in visible_ids]
    return platform, firms, list(projects(user=user).filter(platform=platform))


def enterprise_projects(enterprise: Enterprise) -> QuerySet[RDProject]:
    return RDProject.objects.filter(Q(enterprise=enterprise)).select_related("key_technology", "platform")
