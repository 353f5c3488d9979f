"""Thin views: the cockpit (驾驶舱) and the drill-down behind every figure."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from semicluster.charts import to_echarts_option
from semicluster.monitoring import charts, selectors
from semicluster.monitoring.definitions import Period
from semicluster.monitoring.drilldown import enterprise_rows
from semicluster.plans.models import Area, ChainNode, ChainSegment


def _labels() -> dict[str, dict[str, str]]:
    return {
        "area": {a.code: a.display_name for a in Area.objects.all()},
        "segment": {s.code: s.display_name for s in ChainSegment.objects.all()},
        "node": {n.code: n.display_name for n in ChainNode.objects.all()},
    }


@login_required
def cockpit(request: HttpRequest) -> HttpResponse:
    data = selectors.cockpit(user=request.user)
    labels = _labels()
    cards: list[dict[str, Any]] = []
    if data.period is not None:
        for i, panel in enumerate(data.panels):
            cards.append(
                {
                    "panel": panel,
                    "id": f"goal-{i}",
                    "trend_id": f"goal-{i}-trend",
                    "areas_id": f"goal-{i}-areas",
                    "segments_id": f"goal-{i}-segments",
                    "trend": to_echarts_option(charts.trend_chart(panel, data.period.year)),
                    "areas": to_echarts_option(
                        charts.breakdown_chart(panel, panel.by_area, labels["area"], gettext("By plan area"))
                    )
                    if panel.by_area
                    else None,
                    "segments": to_echarts_option(
                        charts.breakdown_chart(
                            panel, panel.by_segment, labels["segment"], gettext("By chain segment")
                        )
                    )
                    if panel.by_segment
                    else None,
                }
            )
    progress = to_echarts_option(charts.progress_chart(data.panels)) if data.panels and data.period else None
    return render(
        request,
        "monitoring/cockpit.html",
        {
            "data": data,
            "cards": cards,
            "progress": progress,
            "labels": labels,
            # A district officer drills into the records of their own area only; the other areas'
            # figures are shown without a link (the records behind them are not theirs to read).
            "own_area": selectors.own_area_code(request.user),
        },
    )


def _project_url(pk: int) -> str | None:
    try:
        return reverse("projects:detail", args=[pk])
    except NoReverseMatch:
        return None


@login_required
def drilldown(
    request: HttpRequest, goal: str, period: str, scope_kind: str, scope_key: str = ""
) -> HttpResponse:
    try:
        parsed = Period.parse(period)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    result = selectors.drilldown(
        user=request.user, goal_code=goal, period=parsed, scope_kind=scope_kind, scope_key=scope_key
    )
    firms = enterprise_rows(result.shown)
    rows = [
        {
            "record": r,
            "enterprise": firms.get(r.id) if r.kind == "enterprise" else None,
            "url": _project_url(r.id) if r.kind == "project" else None,
        }
        for r in result.shown
    ]
    return render(
        request,
        "monitoring/drilldown.html",
        {"result": result, "rows": rows, "period": parsed, "labels": _labels()},
    )
