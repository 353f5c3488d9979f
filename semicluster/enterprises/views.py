"""Thin views: parse input, call a selector, shape the output."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from semicluster.core.registry import enterprise_panels
from semicluster.enterprises import charts, selectors
from semicluster.enterprises.forms import EnterpriseFilterForm
from semicluster.enterprises.models import Measure

PAGE_SIZE = 50


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    form = EnterpriseFilterForm(request.GET or None)
    filters = selectors.EnterpriseFilters(
        **{k: v for k, v in (form.cleaned_data.items() if form.is_valid() else []) if v}
    )
    queryset = selectors.enterprise_list(user=request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    revenue = selectors.latest_annual_revenue([e.id for e in page.object_list])
    rows = [(e, revenue.get(e.id)) for e in page.object_list]
    return render(
        request,
        "enterprises/enterprise_list.html",
        {"form": form, "page": page, "rows": rows, "total": page.paginator.count},
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_detail(user=request.user, pk=pk)
    table = selectors.period_table(enterprise)
    panels = []
    for panel in enterprise_panels():
        context = panel.context(enterprise, request.user)
        if context is not None:
            panels.append((panel, context))
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "table": table,
            "measure_labels": dict(Measure.choices),
            "annual_chart": charts.annual_chart(table),
            "monthly_chart": charts.monthly_chart(table),
            "panels": panels,
        },
    )
