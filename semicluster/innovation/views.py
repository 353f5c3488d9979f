"""Thin views: key-technology coverage, R&D projects, the platforms registry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import can_write
from semicluster.innovation import forms, selectors, services
from semicluster.innovation.models import RDProject


def _can_file(user: Any) -> bool:
    roles = (Role.CITY_ADMIN.value, Role.DISTRICT_OFFICER.value, Role.ENTERPRISE_USER.value)
    return bool(user.is_superuser or user.role in roles)


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    rows = selectors.coverage()
    return render(
        request,
        "innovation/coverage.html",
        {"rows": rows, "gaps": [r for r in rows if not r.covered]},
    )


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    technology = request.GET.get("technology", "")
    status = request.GET.get("status", "")
    queryset = selectors.projects(user=request.user)
    if technology:
        queryset = queryset.filter(key_technology__code=technology)
    if status:
        queryset = queryset.filter(status=status)
    return render(
        request,
        "innovation/projects.html",
        {
            "projects": queryset,
            "technologies": selectors.key_technologies(),
            "statuses": RDProject.Status.choices,
            "technology": technology,
            "status": status,
            "can_file": _can_file(request.user),
        },
    )


@login_required
def project_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.project_detail(user=request.user, pk=pk) if pk else None
    if not can_write(RDProject, request.user):  # leaders and unit officers: no write form
        raise PermissionDenied
    form = forms.ProjectForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_save(actor=request.user, data=form.data_for_service(), instance=instance)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("innovation:projects")
    title = _("R&D project") if instance is None else str(instance)
    return render(request, "innovation/form.html", {"form": form, "title": title})


@login_required
def platforms(request: HttpRequest) -> HttpResponse:
    return render(request, "innovation/platforms.html", {"platforms": selectors.platforms()})


@login_required
def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    platform, firms, projects = selectors.platform_detail(user=request.user, pk=pk)
    return render(
        request,
        "innovation/platform_detail.html",
        {"platform": platform, "firms": firms, "projects": projects},
    )
