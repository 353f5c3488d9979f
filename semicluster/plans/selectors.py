"""Reads for plans: the current plan version and its parts."""

from __future__ import annotations

from django.db.models import QuerySet

from semicluster.plans.models import Area, ChainNode, ChainSegment, Goal, Plan, PlanVersion, Task


def current_plan_version(plan_code: str | None = None) -> PlanVersion | None:
    """The newest version of the given plan, or of the newest plan year when no code is given."""
    versions = PlanVersion.objects.select_related("plan")
    if plan_code:
        versions = versions.filter(plan__code=plan_code)
    return versions.order_by("-plan__year", "-number").first()


def plans_with_versions() -> QuerySet[Plan]:
    return Plan.objects.prefetch_related("versions")


def goals_of(version: PlanVersion) -> QuerySet[Goal]:
    return version.goals.order_by("sort")


def tasks_of(version: PlanVersion) -> QuerySet[Task]:
    return version.tasks.select_related("lead_unit").prefetch_related("co_units").order_by("sort")


def areas() -> QuerySet[Area]:
    return Area.objects.prefetch_related("towns", "focus_nodes").order_by("sort")


def chain_tree() -> QuerySet[ChainSegment]:
    return ChainSegment.objects.prefetch_related("nodes").order_by("sort")


def chain_nodes() -> QuerySet[ChainNode]:
    return ChainNode.objects.select_related("segment").order_by("segment__sort", "sort")
