"""Thin views: the chain map, a node, the investment pipeline, the gaps list, communities, layout fit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import can_write
from semicluster.chain import charts, selectors, services
from semicluster.chain.forms import AdvanceForm, LandForm, TargetFilterForm, TargetForm
from semicluster.chain.models import InvestmentTarget
from semicluster.plans.models import ChainNode, ChainSegment
from semicluster.supply.links import CATEGORY_LABELS

PAGE_SIZE = 50
GOVERNMENT = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER)


def government(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Chain and investment pages are the government's; enterprise users do not see them."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_superuser or getattr(request.user, "role", "") in GOVERNMENT):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _node_links(row: selectors.NodeRow) -> dict[str, Any]:
    code = row.node.code
    return {
        "firms": selectors.url("enterprises:list", node=code),
        "tiers": [
            (tier, n, selectors.url("enterprises:list", node=code, tier=tier))
            for tier, n in sorted(row.tiers.items())
        ],
        "designations": [
            (name, n, selectors.url("enterprises:list", node=code, designation=d))
            for d, name, n in row.designations
        ],
        "areas": [(a, n, selectors.url("enterprises:list", node=code, area=a.code)) for a, n in row.areas],
        "projects": selectors.url("projects:list", node=code, library="all"),
        "targets": selectors.url("chain:targets", node=code, stage="active"),
        "breakpoints": selectors.url("supply:analysis", node=code),
        "node": selectors.url("chain:node", code),
    }


@government
def chain_map(request: HttpRequest) -> HttpResponse:
    rows = selectors.node_rows()
    segments = {s.pk: str(s) for s in ChainSegment.objects.all()}
    option = charts.chain_map_option(_("Kunshan semiconductor chain"), rows, segments)
    table = [(row, _node_links(row)) for row in rows]
    counts = {
        status: sum(1 for r in rows if r.classification and r.classification.status == status)
        for status in ("strong", "weak", "missing")
    }
    return render(
        request,
        "chain/map.html",
        {
            "option": option,
            "table": table,
            "segments": segments,
            "counts": counts,
            "revenue_year": selectors.revenue_year(),
            "priority_signs": charts.PRIORITY_SIGNS,
        },
    )


@government
def node_detail(request: HttpRequest, code: str) -> HttpResponse:
    node = get_object_or_404(ChainNode.objects.select_related("segment"), code=code)
    row = next(r for r in selectors.node_rows() if r.node.pk == node.pk)
    targets = selectors.target_list(user=request.user, filters=selectors.TargetFilters(node=code))
    return render(
        request,
        "chain/node.html",
        {"row": row, "links": _node_links(row), "targets": targets, "category_labels": CATEGORY_LABELS},
    )


@government
def target_list(request: HttpRequest) -> HttpResponse:
    form = TargetFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    filters = selectors.TargetFilters(**{k: v for k, v in cleaned.items() if v})
    page = Paginator(selectors.target_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "chain/target_list.html",
        {
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "category_labels": selectors.category_labels(),
            "may_write": can_write(InvestmentTarget, request.user),
        },
    )


@government
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_detail(user=request.user, pk=pk)
    may_write = can_write(InvestmentTarget, request.user)
    context: dict[str, Any] = {
        "target": target,
        "category_labels": selectors.category_labels(),
        "may_write": may_write,
        "advance_form": AdvanceForm(target=target, initial={"on": timezone.localdate()})
        if target.is_active
        else None,
        "land_form": (
            LandForm(target=target, user=request.user, initial={"on": timezone.localdate()})
            if target.stage == "signed" and target.intended_area_id
            else None
        ),
    }
    return render(request, "chain/target_detail.html", context)


@government
def target_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.target_detail(user=request.user, pk=pk) if pk else None
    if not can_write(InvestmentTarget, request.user):
        raise PermissionDenied
    form = TargetForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        nodes = data.pop("nodes")
        data["supply_items"] = data.pop("supply_items_text")
        try:
            target = services.target_save(actor=request.user, data=data, nodes=nodes, instance=instance)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Investment target saved."))
            return redirect("chain:target_detail", target.pk)
    return render(request, "chain/target_form.html", {"form": form, "target": instance})


@government
def target_advance(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_detail(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("chain:target_detail", pk)
    form = AdvanceForm(request.POST, target=target)
    if form.is_valid():
        try:
            services.target_advance(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                messages.error(request, " ".join(errors))
        else:
            messages.success(request, _("Stage recorded."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("chain:target_detail", pk)


@government
def target_land(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_detail(user=request.user, pk=pk)
    if not can_write(InvestmentTarget, request.user):  # leaders read, they do not land targets
        raise PermissionDenied
    form = LandForm(request.POST or None, target=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_owner = None
        if not data.get("owner"):
            new_owner = {
                "credit_code": data["new_owner_credit_code"],
                "name": data["new_owner_name"] or target.name,
                "ownership": data["new_owner_ownership"] or "foreign",
            }
        try:
            project = services.target_land(
                actor=request.user,
                target=target,
                town=data["town"],
                category=data["category"],
                owner=data.get("owner"),
                new_owner=new_owner,
                on=data["on"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The lead has landed and is now a project."))
            return redirect("projects:detail", project.pk)
    return render(request, "chain/target_land.html", {"target": target, "form": form})


@government
def pipeline(request: HttpRequest) -> HttpResponse:
    result = selectors.conversion(user=request.user)
    labels = dict(InvestmentTarget._meta.get_field("stage").choices)  # type: ignore[arg-type]
    return render(
        request,
        "chain/pipeline.html",
        {"c": result, "stage_labels": [(s, labels[s]) for s in result.stages]},
    )


@government
def gaps(request: HttpRequest) -> HttpResponse:
    found = selectors.gaps_without_targets()
    nodes = {n.code: n for n in ChainNode.objects.all()}
    return render(
        request,
        "chain/gaps.html",
        {
            "node_gaps": [(g, _node_links(g.node)) for g in found if g.kind == "node" and g.node],
            "breakpoint_gaps": [
                (g, CATEGORY_LABELS[g.category], [nodes[c] for c in g.node_codes if c in nodes])
                for g in found
                if g.kind == "breakpoint"
            ],
        },
    )


@government
def community_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "chain/community_list.html", {"communities": selectors.community_list(user=request.user)}
    )


@government
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = next((c for c in selectors.community_list(user=request.user) if c.pk == pk), None)
    if community is None:
        raise Http404
    return render(
        request, "chain/community_detail.html", {"community": community, "category_labels": CATEGORY_LABELS}
    )


@government
def layout(request: HttpRequest) -> HttpResponse:
    return render(request, "chain/layout.html", {"fits": selectors.layout_fit(user=request.user)})
