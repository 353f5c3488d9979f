"""Thin views: parse input, call one service or selector, render. Role rules live in services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from semicluster.accounts.models import Role
from semicluster.cultivation import forms, selectors, services
from semicluster.cultivation.models import LeaderCandidate
from semicluster.enterprises.services import designation_grant
from semicluster.plans.selectors import current_plan_version


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a service call; a refused role is a 403, a validation problem a message on the page."""
    try:
        action()
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return False
    messages.success(request, success)
    return True


def _is_admin(user: Any) -> bool:
    return bool(user.is_superuser or user.role == Role.CITY_ADMIN)


def _can_edit_designations(user: Any) -> bool:
    return bool(user.is_superuser or user.role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


# ---------------------------------------------------------------------------- tiers and watch list


@login_required
def tiers(request: HttpRequest) -> HttpResponse:
    model = selectors.tier_model()
    version = current_plan_version()
    default_year = version.plan.year if version is not None else timezone.localdate().year
    year = _int(request.GET.get("year"), default_year)
    crossings = selectors.crossings(user=request.user, year=year, model=model)
    previous = selectors.crossings(user=request.user, year=year - 1, model=model)
    return render(
        request,
        "cultivation/tiers.html",
        {
            "model": model,
            "year": year,
            "years": range(default_year - 4, default_year + 1),
            "crossings": crossings,
            "previous": previous,
            "previous_year": year - 1,
        },
    )


@login_required
def watch(request: HttpRequest) -> HttpResponse:
    days = _int(request.GET.get("days"), 90)
    year = _int(request.GET.get("year"), 0) or None
    watch_list = selectors.watch_list(user=request.user, year=year, days=days)
    return render(
        request,
        "cultivation/watch.html",
        {"watch": watch_list, "days": days, "model": selectors.tier_model()},
    )


# ---------------------------------------------------------------------------- designations


@login_required
def designations(request: HttpRequest) -> HttpResponse:
    days = _int(request.GET.get("days"), 90)
    expiring, expired = selectors.designation_expiry(user=request.user, days=days)
    return render(
        request,
        "cultivation/designations.html",
        {
            "days": days,
            "expiring": expiring,
            "expired": expired[:200],
            "expired_count": expired.count(),
            "counts": selectors.designation_counts(user=request.user),
            "can_edit": _can_edit_designations(request.user),
        },
    )


@login_required
def designation_grant_view(request: HttpRequest) -> HttpResponse:
    if not _can_edit_designations(request.user):
        raise PermissionDenied
    form = forms.DesignationGrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["expires"] is None:
            data.pop("expires")
        if _run(
            request,
            lambda: designation_grant(actor=request.user, **data),
            _("Designation recorded."),
        ):
            return redirect("cultivation:designations")
    return render(request, "cultivation/form.html", {"form": form, "title": _("Grant a designation")})


@login_required
def designation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    designation = selectors.designation_detail(user=request.user, pk=pk)
    if not _can_edit_designations(request.user):
        raise PermissionDenied
    form = forms.DesignationEditForm(request.POST or None, instance=designation)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        designation.refresh_from_db()  # the ModelForm already set the fields; the service sets them again
        if _run(
            request,
            lambda: services.designation_update(actor=request.user, designation=designation, data=data),
            _("Designation updated."),
        ):
            return redirect("cultivation:designations")
    title = f"{designation.enterprise} · {designation.designation_type}"
    return render(request, "cultivation/form.html", {"form": form, "title": title})


# ---------------------------------------------------------------------------- library


@login_required
def library(request: HttpRequest) -> HttpResponse:
    members = selectors.members(user=request.user)
    return render(
        request,
        "cultivation/library.html",
        {
            "progress": selectors.library_progress(user=request.user),
            "members": members,
            "exited": selectors.members(user=request.user, active=False).filter(exited_on__isnull=False),
        },
    )


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    form = forms.RoundOpenForm(request.POST or None, initial={"data_year": timezone.localdate().year - 1})
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.round_open(actor=request.user, **form.cleaned_data),
            _("Round opened."),
        )
    ):
        return redirect("cultivation:rounds")
    return render(
        request,
        "cultivation/rounds.html",
        {"rounds": selectors.rounds(), "form": form, "is_admin": _is_admin(request.user)},
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_detail(pk)
    return render(
        request,
        "cultivation/round_detail.html",
        {
            "round": round,
            "candidates": selectors.candidates(user=request.user, round=round),
            "is_admin": _is_admin(request.user),
        },
    )


@login_required
@require_POST
def round_score(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_detail(pk)
    _run(request, lambda: services.round_score(actor=request.user, round=round), _("Candidates scored."))
    return redirect("cultivation:round_detail", pk=pk)


@login_required
@require_POST
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_detail(pk)
    _run(
        request,
        lambda: services.round_publish(actor=request.user, round=round),
        _("Admitted list published."),
    )
    return redirect("cultivation:round_detail", pk=pk)


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_detail(pk)
    if not (
        _is_admin(request.user)
        or getattr(request.user, "role", "") in (Role.ENTERPRISE_USER, Role.DISTRICT_OFFICER)
    ):
        raise PermissionDenied  # as services.candidate_add: firms apply, officers and the office propose
    form = forms.ApplyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        holder: dict[str, LeaderCandidate] = {}

        def act() -> None:
            holder["c"] = services.candidate_add(
                actor=request.user,
                round=round,
                enterprise=form.cleaned_data["enterprise"],
                declared=form.declared(),
                statement=form.cleaned_data["statement"],
            )

        if _run(request, act, _("Candidate added.")):
            return redirect("cultivation:candidate", pk=holder["c"].pk)
    return render(
        request, "cultivation/form.html", {"form": form, "title": f"{round} · {_('Apply or propose')}"}
    )


@login_required
def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.candidate_detail(user=request.user, pk=pk)
    return render(
        request,
        "cultivation/candidate.html",
        {
            "candidate": item,
            "problems": services.admission_problems(item) if item.score is not None else [],
            "is_admin": _is_admin(request.user),
            "adjust_form": forms.AdjustForm(initial={"adjustment": item.adjustment}),
            "decide_form": forms.DecideForm(),
            "declared_labels": services.DECLARED_FACTS,
        },
    )


@login_required
@require_POST
def candidate_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.candidate_detail(user=request.user, pk=pk)
    form = forms.AdjustForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.candidate_adjust(
                actor=request.user,
                candidate=item,
                adjustment=form.cleaned_data["adjustment"],
                reason=form.cleaned_data["reason"],
            ),
            _("Adjustment recorded."),
        )
    else:
        messages.error(request, form.errors.as_text())
    return redirect("cultivation:candidate", pk=pk)


@login_required
@require_POST
def candidate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.candidate_detail(user=request.user, pk=pk)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.candidate_decide(
                actor=request.user,
                candidate=item,
                admit=form.cleaned_data["decision"] == "admit",
                reason=form.cleaned_data["reason"],
            ),
            _("Decision recorded."),
        )
    else:
        messages.error(request, form.errors.as_text())
    return redirect("cultivation:candidate", pk=pk)


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    form = forms.ReviewRunForm(request.POST or None, initial={"data_year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        holder: dict[str, Any] = {}

        def act() -> None:
            holder["r"] = services.review_run(actor=request.user, data_year=form.cleaned_data["data_year"])

        if _run(request, act, _("Annual review run.")):
            return redirect("cultivation:review_detail", pk=holder["r"].pk)
    return render(
        request,
        "cultivation/reviews.html",
        {"reviews": selectors.reviews(), "form": form, "is_admin": _is_admin(request.user)},
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from semicluster.cultivation.models import LeaderReview

    review = get_object_or_404(LeaderReview, pk=pk)
    return render(
        request,
        "cultivation/review_detail.html",
        {
            "review": review,
            "flags": selectors.flags(user=request.user, review=review),
            "is_admin": _is_admin(request.user),
            "form": forms.FlagResolveForm(),
        },
    )


@login_required
@require_POST
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.flag_detail(user=request.user, pk=pk)
    form = forms.FlagResolveForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.flag_resolve(
                actor=request.user,
                flag=flag,
                exit=form.cleaned_data["resolution"] == "exit",
                reason=form.cleaned_data["reason"],
                on=dt.date.today(),
            ),
            _("Decision recorded."),
        )
    else:
        messages.error(request, form.errors.as_text())
    return redirect("cultivation:review_detail", pk=flag.review_id)
