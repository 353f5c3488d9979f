"""Thin views for financing needs and the listing pipeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import can_write
from semicluster.finance import forms, selectors, services
from semicluster.finance.models import FinancingNeed, ListingRecord

PAGE_SIZE = 50


def _save(request: HttpRequest, form: Any, action: Any) -> bool:
    try:
        action()
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return False
    messages.success(request, _("Saved."))
    return True


def _is_officer(user: Any) -> bool:
    return bool(user.is_superuser or user.role in (Role.CITY_ADMIN.value, Role.DISTRICT_OFFICER.value))


def _links_enterprises(user: Any) -> bool:
    """Whether the user may open the enterprise pages of the records listed: unit officers read the
    finance records of their clause, not the enterprise library."""
    return bool(user.is_superuser or user.role != Role.UNIT_OFFICER)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("finance:needs")


@login_required
def needs(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    instrument = request.GET.get("instrument", "")
    queryset = selectors.needs(user=request.user, status=status, instrument=instrument)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/needs.html",
        {
            "page": page,
            "summary": selectors.need_summary(user=request.user),
            "statuses": FinancingNeed.Status.choices,
            "instruments": FinancingNeed.Instrument.choices,
            "status": status,
            "instrument": instrument,
            # Leaders and unit officers read only: no create button, and each firm links to its
            # enterprise page (where they may open it) rather than to a form they may not use.
            "can_file": can_write(FinancingNeed, request.user),
            "enterprise_links": _links_enterprises(request.user),
        },
    )


@login_required
def need_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.need_detail(user=request.user, pk=pk) if pk else None
    if not can_write(FinancingNeed, request.user):  # leaders and unit officers: no write form
        raise PermissionDenied
    form = forms.NeedForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        if _save(request, form, lambda: services.need_save(actor=request.user, data=data, instance=instance)):
            return redirect("finance:needs")
    title = _("Financing need") if instance is None else str(instance)
    return render(request, "finance/form.html", {"form": form, "title": title})


@login_required
def listings(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    board = request.GET.get("board", "")
    return render(
        request,
        "finance/listings.html",
        {
            "records": selectors.listings(user=request.user, stage=stage, board=board),
            "counts": selectors.listing_counts(user=request.user),
            "stage": stage,
            "board": board,
            "boards": ListingRecord.Board.choices,
            "can_edit": _is_officer(request.user),
            "enterprise_links": _links_enterprises(request.user),
        },
    )


@login_required
def listing_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.listing_detail(user=request.user, pk=pk) if pk else None
    if not can_write(ListingRecord, request.user):  # officers and the city admin only
        raise PermissionDenied
    form = forms.ListingForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        if _save(
            request, form, lambda: services.listing_save(actor=request.user, data=data, instance=instance)
        ):
            return redirect("finance:listings")
    title = _("Listing record") if instance is None else str(instance)
    return render(request, "finance/form.html", {"form": form, "title": title})
