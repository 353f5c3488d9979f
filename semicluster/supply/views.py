"""Thin views for the survey: answers (form and list), the analysis pages and the network view."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from semicluster.accounts.scoping import can_write
from semicluster.plans.models import Area, ChainNode
from semicluster.supply import charts, selectors, services
from semicluster.supply.forms import AnalysisFilterForm, AnswerFilterForm, AnswerForm
from semicluster.supply.links import CATEGORY_LABELS, LEVEL_LABELS
from semicluster.supply.models import SupplyAnswer

PAGE_SIZE = 50


def answers_url(year: int | None = None, **filters: Any) -> str:
    params = {k: v for k, v in {"year": year, **filters}.items() if v not in (None, "")}
    return f"{reverse('supply:answers')}?{urlencode(params)}"


def _filters(form: Any, cls: Any) -> Any:
    data = {k: v for k, v in (form.cleaned_data.items() if form.is_valid() else []) if v not in (None, "")}
    return cls(**data)


@login_required
def answer_list(request: HttpRequest) -> HttpResponse:
    form = AnswerFilterForm(request.GET or None)
    filters = _filters(form, selectors.AnswerFilters)
    qs = selectors.answer_list(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supply/answer_list.html",
        {
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "may_write": can_write(SupplyAnswer, request.user)
            and getattr(request.user, "role", "") != "unit_officer",
            "may_analyse": selectors.may_see_aggregates(request.user),
        },
    )


@login_required
def answer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.answer_detail(user=request.user, pk=pk) if pk else None
    if not can_write(SupplyAnswer, request.user):
        raise PermissionDenied
    initial = {"year": selectors.survey_year()} if instance is None else {}
    form = AnswerForm(request.POST or None, instance=instance, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enterprise = instance.enterprise if instance else data.pop("enterprise")
        if getattr(request.user, "enterprise_id", None):
            enterprise = request.user.enterprise  # type: ignore[union-attr]
        try:
            services.answer_save(
                actor=request.user,
                enterprise=enterprise,
                supplier_name=data.pop("supplier_name"),
                data=data,
                instance=instance,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Answer saved."))
            return redirect(answers_url(enterprise=enterprise.pk))
    return render(request, "supply/answer_form.html", {"form": form, "answer": instance})


@login_required
def answer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_detail(user=request.user, pk=pk)
    if not can_write(SupplyAnswer, request.user):  # no delete confirmation for read-only roles
        raise PermissionDenied
    if request.method == "POST":
        services.answer_delete(actor=request.user, answer=answer)
        messages.success(request, _("Answer deleted."))
        return redirect(answers_url(enterprise=answer.enterprise_id))
    return render(request, "supply/answer_confirm_delete.html", {"answer": answer})


def _rate_rows(
    rates: dict[Any, Any], labels: dict[Any, str], key: str, year: int, base: dict[str, str]
) -> list:
    rows = []
    for code, rate in rates.items():
        filters = {**base, key: code}
        rows.append(
            {
                "label": labels.get(code, code),
                "rate": rate,
                "url_all": answers_url(year, valued="yes", **filters),
                "url_local": answers_url(year, valued="yes", level="kunshan", **filters),
                "url_near": answers_url(year, valued="yes", near="suzhou", **filters),
                "url_unvalued": answers_url(year, valued="no", **filters),
            }
        )
    rows.sort(key=lambda r: (r["rate"].local_rate is None, r["rate"].local_rate or 0))
    return rows


def _finding_rows(findings: list, year: int, base: dict[str, str], names: dict, targets: dict) -> list:
    rows = []
    for f in findings:
        key = (f.category, f.item)
        rows.append(
            {
                "finding": f,
                "category_label": CATEGORY_LABELS[f.category],
                "firms": [(fid, names.get(fid, fid)) for fid in f.firm_ids],
                "url": answers_url(year, category=f.category, item=f.item, **base),
                "targets": targets.get(key, []),
            }
        )
    return rows


@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    form = AnalysisFilterForm(request.GET or None)
    filters = _filters(form, selectors.AnswerFilters)
    year = selectors.survey_year(filters.year)
    filters = selectors.AnswerFilters(
        year=year, node=filters.node, area=filters.area, category=filters.category
    )
    links, result = selectors.user_analysis(user=request.user, filters=filters)
    base = {
        k: v
        for k, v in {"node": filters.node, "area": filters.area, "category": filters.category}.items()
        if v
    }
    nodes = {n.code: str(n) for n in ChainNode.objects.all()}
    areas = {a.code: str(a) for a in Area.objects.all()}
    categories = {c: f"{zh} {en}" for c, (zh, en) in CATEGORY_LABELS.items()}
    names = selectors.enterprise_names(links.firm_labels)
    try:
        from semicluster.chain.selectors import targets_by_supply_item

        targets = targets_by_supply_item(user=request.user)
    except ImportError:  # the chain app is optional for the survey
        targets = {}
    critical = [
        {
            "supplier": s,
            "levels": [LEVEL_LABELS[lv][0] for lv in s.levels],
            "url": answers_url(year, supplier=s.supplier_id, **base),
        }
        for s in result.critical_suppliers
    ]
    concentration = [
        {"c": c, "label": categories[c.category], "url": answers_url(year, category=c.category, **base)}
        for c in result.category_concentration
    ]
    items_hhi = [
        {
            "c": c,
            "label": categories[c.category],
            "url": answers_url(year, category=c.category, item=c.item, **base),
        }
        for c in result.item_concentration[:15]
    ]
    return render(
        request,
        "supply/analysis.html",
        {
            "form": form,
            "year": year,
            "years": selectors.survey_years(),
            "n_answers": len(links),
            "n_firms": len(links.firm_labels),
            "overall": result.overall,
            "overall_urls": {
                "all": answers_url(year, valued="yes", **base),
                "local": answers_url(year, valued="yes", level="kunshan", **base),
                "unvalued": answers_url(year, valued="no", **base),
            },
            "by_node": _rate_rows(result.by_node, nodes, "node", year, base),
            "by_area": _rate_rows(result.by_area, areas, "area", year, base),
            "by_category": _rate_rows(result.by_category, categories, "category", year, base),
            "breakpoints": _finding_rows(result.breakpoints, year, base, names, targets),
            "weak_points": _finding_rows(result.weak_points, year, base, names, targets),
            "critical": critical,
            "concentration": concentration,
            "items_hhi": items_hhi,
            "scope_area": getattr(request.user, "area", None)
            if getattr(request.user, "role", "") == "district_officer"
            else None,
        },
    )


@login_required
def network(request: HttpRequest) -> HttpResponse:
    form = AnalysisFilterForm(request.GET or None)
    filters = _filters(form, selectors.AnswerFilters)
    year = selectors.survey_year(filters.year)
    filters = selectors.AnswerFilters(
        year=year, node=filters.node, area=filters.area, category=filters.category
    )
    links, result = selectors.user_analysis(user=request.user, filters=filters)
    single = frozenset(s for b in result.breakpoints for s in b.supplier_ids)
    option = charts.network_option(
        links, selectors.enterprise_names(links.firm_labels), breakpoint_suppliers=single
    )
    return render(
        request,
        "supply/network.html",
        {
            "form": form,
            "year": year,
            "option": option,
            "n_answers": len(links),
            "n_firms": len(links.firm_labels),
            "n_suppliers": len(links.supplier_labels),
        },
    )
