from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from semicluster.plans import selectors
from semicluster.plans.models import PlanVersion
from semicluster.plans.schema import load_schema


@login_required
def plan_overview(request: HttpRequest) -> HttpResponse:
    version = selectors.current_plan_version()
    if version is None:
        raise Http404("No plan loaded")
    return _render_version(request, version)


@login_required
def plan_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_version(request, get_object_or_404(PlanVersion.objects.select_related("plan"), pk=pk))


def _render_version(request: HttpRequest, version: PlanVersion) -> HttpResponse:
    doc = version.document
    return render(
        request,
        "plans/plan_overview.html",
        {
            "version": version,
            "versions": version.plan.versions.order_by("-number"),
            "goals": selectors.goals_of(version),
            "tasks": selectors.tasks_of(version),
            "areas": selectors.areas(),
            "segments": selectors.chain_tree(),
            "key_technologies": version.key_technologies.prefetch_related("nodes").order_by("sort"),
            "focus_fields": doc.get("focus_fields", []),
            "chain_priorities": doc.get("chain_priorities", []),
            "target_categories": doc.get("investment_target_categories", []),
        },
    )


def plan_schema(request: HttpRequest) -> HttpResponse:
    """The published JSON Schema of plan files (public: anyone may write a plan file)."""
    return HttpResponse(
        json.dumps(load_schema(), ensure_ascii=False, indent=2), content_type="application/schema+json"
    )
