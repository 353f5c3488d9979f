"""Thin views of the project library: parse input, call one selector or service, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import can_write
from semicluster.core.audit import record_security_event
from semicluster.core.formatting import join_in_language
from semicluster.core.models import SecurityEvent
from semicluster.projects import export, selectors, services
from semicluster.projects.assess import default_reporting_month
from semicluster.projects.forms import (
    ProblemForm,
    ProgressForm,
    ProjectFilterForm,
    ProjectForm,
    ResolveForm,
    TicketCloseForm,
    TicketFilterForm,
    TicketReplyForm,
    TransitionForm,
    to_yuan,
    wan_to_yuan,
)
from semicluster.projects.models import DataSource, Project, Ticket

PAGE_SIZE = 50


# --- who may do what (the object itself is already visible to the user) -------------------------------


def may_create(user: Any) -> bool:
    return bool(user.is_superuser or user.role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER))


def may_edit(user: Any) -> bool:
    return can_write(Project, user)


def may_reply(user: Any, ticket: Ticket) -> bool:
    if user.is_superuser or user.role == Role.CITY_ADMIN:
        return True
    return bool(user.role == Role.UNIT_OFFICER and ticket.unit_id == user.unit_id)


def may_close(user: Any) -> bool:
    return bool(user.is_superuser or user.role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role may not change these records."))


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _form_errors(form: Any) -> str:
    return "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return default_reporting_month()


# --- library, board, cohorts -------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ProjectFilters(**{k: v for k, v in cleaned.items() if v})
    month = _month(request)
    queryset = selectors.project_list(user=request.user, filters=filters)
    fmt = request.GET.get("export")
    if fmt in ("xlsx", "csv"):
        return _export(request, queryset, month, fmt)
    totals = selectors.totals(queryset, month)
    page = Paginator(selectors.with_figures(queryset, month), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "page": page,
            "totals": totals,
            "month": month,
            "may_create": may_create(request.user),
        },
    )


def _export(request: HttpRequest, queryset: Any, month: date, fmt: str) -> HttpResponse:
    projects = selectors.with_figures(queryset, month)
    header = export.headers()
    data = list(export.rows(projects))
    record_security_event(
        SecurityEvent.Kind.EXPORT,
        user=request.user,
        request=request,
        detail={"what": "projects", "format": fmt, "rows": len(data), "query": request.GET.urlencode()},
    )
    stem = f"projects-{month:%Y-%m}"
    if fmt == "csv":
        response = HttpResponse(export.to_csv(header, data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export.to_xlsx(header, data, _("Projects")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
def project_board(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    return render(
        request,
        "projects/project_board.html",
        {"month": month, "areas": selectors.board_by_area(user=request.user, month=month)},
    )


@login_required
def cohort_view(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    data = selectors.cohorts(user=request.user, year=month.year, through_month=month.month)
    goal = selectors.new_investment_goal(year=month.year, month=month.month)
    quarters = [q for q in range(1, 5) if (q - 1) * 3 < month.month]
    return render(
        request,
        "projects/cohorts.html",
        {"month": month, "cohorts": data, "goal": goal, "quarters": quarters},
    )


# --- one project ---------------------------------------------------------------------------------------


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(user=request.user, pk=pk)
    context = selectors.project_page(project, _month(request) if request.GET.get("month") else None)
    context.update(
        {
            "project": project,
            "may_edit": may_edit(request.user),
            "problem_form": ProblemForm(),
            "resolve_form": ResolveForm(),
            "today": timezone.localdate(),
        }
    )
    return render(request, "projects/project_detail.html", context)


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    _require(may_create(request.user))
    return _project_form(request, None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(user=request.user, pk=pk)
    _require(may_edit(request.user))
    return _project_form(request, project)


def _project_form(request: HttpRequest, project: Project | None) -> HttpResponse:
    year = default_reporting_month().year
    form = ProjectForm(request.POST or None, instance=project, user=request.user, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.project_save(
                actor=request.user,
                data=form.project_data(),
                instance=project,
                new_owner=form.new_owner(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, result.message)
            return redirect("projects:detail", pk=result.project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
def project_transition(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(user=request.user, pk=pk)
    _require(may_edit(request.user))
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_transition(
                actor=request.user,
                project=project,
                target=form.cleaned_data["target"],
                reason=form.cleaned_data["reason"],
                dates=form.dates(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Stage changed."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/transition_form.html", {"form": form, "project": project})


@login_required
def project_progress(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(user=request.user, pk=pk)
    _require(may_edit(request.user))
    month = default_reporting_month()
    form = ProgressForm(request.POST or None, initial={"year": month.year, "month": month.month})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("annual_plan_wan") is not None:
                services.annual_plan_set(
                    actor=request.user,
                    project=project,
                    year=data["year"],
                    amount=wan_to_yuan(data["annual_plan_wan"]),
                )
            services.project_progress_record(
                actor=request.user,
                project=project,
                year=data["year"],
                month=data["month"],
                ytd_completed=wan_to_yuan(data["ytd_completed_wan"]),
                since_start_completed=to_yuan(data.get("since_start_completed_wan")),
                stage=data.get("stage") or None,
                image_progress=data.get("image_progress", ""),
                milestone_dates=form.dates(),
                source=DataSource.FORM,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/progress_form.html", {"form": form, "project": project})


@login_required
@require_POST
def problem_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(user=request.user, pk=pk)
    _require(may_edit(request.user))
    form = ProblemForm(request.POST)
    if form.is_valid():
        try:
            services.problem_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, join_in_language(exc.messages))
        else:
            messages.success(request, _("Problem added."))
    else:
        messages.error(request, _form_errors(form))
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def problem_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_visible(user=request.user, pk=pk)
    _require(may_edit(request.user))
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.problem_resolve(
                actor=request.user,
                problem=problem,
                resolution=form.cleaned_data["resolution"],
                resolved_on=form.cleaned_data.get("resolved_on"),
            )
        except ValidationError as exc:
            messages.error(request, join_in_language(exc.messages))
        else:
            messages.success(request, _("Problem resolved."))
    else:
        messages.error(request, _form_errors(form))
    return redirect("projects:detail", pk=problem.project_id)


# --- tickets ---------------------------------------------------------------------------------------------


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    form = TicketFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else "active"
    tickets = selectors.ticket_list(user=request.user, status=status)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "projects/ticket_list.html", {"form": form, "page": page, "today": timezone.localdate()}
    )


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_detail(user=request.user, pk=pk)
    reply_form = TicketReplyForm(request.POST if request.POST.get("action") == "reply" else None)
    close_form = TicketCloseForm(request.POST if request.POST.get("action") == "close" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reply":
                _require(may_reply(request.user, ticket))
                if reply_form.is_valid():
                    services.ticket_reply(
                        actor=request.user, ticket=ticket, text=reply_form.cleaned_data["text"]
                    )
                    messages.success(request, _("Reply recorded."))
                    return redirect("projects:ticket", pk=ticket.pk)
            elif action == "close":
                _require(may_close(request.user))
                if close_form.is_valid():
                    services.ticket_close(
                        actor=request.user, ticket=ticket, note=close_form.cleaned_data["note"]
                    )
                    messages.success(request, _("Ticket closed."))
                    return redirect("projects:ticket", pk=ticket.pk)
        except ValidationError as exc:
            messages.error(request, join_in_language(exc.messages))
    return render(
        request,
        "projects/ticket_detail.html",
        {
            "ticket": ticket,
            "reply_form": reply_form,
            "close_form": close_form,
            "may_reply": may_reply(request.user, ticket),
            "may_close": may_close(request.user),
            "today": timezone.localdate(),
        },
    )
