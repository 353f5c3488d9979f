"""Thin views: parse input, call one selector or service, render. Another scope's application is a
404 (selectors); a step the user's role may not take is a 403 (services raise PermissionError)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.core.audit import record_security_event
from semicluster.core.models import SecurityEvent
from semicluster.support import explain, export, selectors, services
from semicluster.support.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    AttachmentForm,
    CostFormSet,
    DecideForm,
    DisburseForm,
    OverrideForm,
    ReviewForm,
)
from semicluster.support.models import Application, Status
from semicluster.support.programs import current_programs

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000


def _is_admin(user: Any) -> bool:
    return bool(user.is_superuser or user.role == Role.CITY_ADMIN)


def _filters(form: ApplicationFilterForm) -> selectors.ApplicationFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.ApplicationFilters(**{k: v for k, v in data.items() if v})


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    form = ApplicationFilterForm(request.GET or None)
    queryset = selectors.application_list(user=request.user, filters=_filters(form))
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        return _export(request, queryset, fmt)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    programs = selectors.programs_for(page.object_list)
    language = get_language() or "zh-hans"
    rows = [(a, _label(programs.get(a.program_code), a.program_code, language)) for a in page.object_list]
    return render(
        request,
        "support/application_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "total": page.paginator.count,
            "counts": selectors.status_counts(user=request.user),
            "statuses": Status.choices,
            "can_apply": request.user.role == Role.ENTERPRISE_USER,  # type: ignore[union-attr]
        },
    )


def _label(program: Any, code: str, language: str) -> str:
    if program is None:
        return code
    return program.name_en if language.startswith("en") else program.name


def _export(request: HttpRequest, queryset: Any, fmt: str) -> HttpResponse:
    applications = list(queryset.select_related("enterprise__area")[:EXPORT_LIMIT])
    record_security_event(
        SecurityEvent.Kind.EXPORT,
        user=request.user,
        request=request,
        detail={"dataset": "support_applications", "format": fmt, "rows": len(applications)},
    )
    if fmt == "csv":
        response = HttpResponse(export.to_csv(applications), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export.to_xlsx(applications),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="support-applications.{fmt}"'
    return response


def _form_data(form: ApplicationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("program", None)
    data.pop("attachments", None)
    return data


def _cost_lines(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _attach_all(request: HttpRequest, application: Application, files: list[Any]) -> list[str]:
    problems = []
    for upload in files:
        try:
            services.attachment_add(
                actor=request.user, application=application, name=upload.name, data=upload.read()
            )
        except ValidationError as exc:
            problems.extend(exc.messages)
    return problems


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role != Role.ENTERPRISE_USER or user.enterprise_id is None:
        raise PermissionDenied(_("Only enterprise users apply, for their own firm."))
    form = ApplicationForm(request.POST or None, request.FILES or None)
    costs = CostFormSet(request.POST or None, prefix="costs")
    if request.method == "POST" and form.is_valid() and costs.is_valid():
        try:
            application = services.application_create(
                actor=user,
                enterprise=user.enterprise,
                program_code=form.cleaned_data["program"],
                data=_form_data(form),
                costs=_cost_lines(costs),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            for problem in _attach_all(request, application, form.cleaned_data["attachments"]):
                messages.error(request, problem)
            messages.success(request, _("Draft saved. Check it, then submit it."))
            return redirect("support:detail", pk=application.pk)
    return render(
        request,
        "support/application_form.html",
        {"form": form, "costs": costs, "application": None, "programs": current_programs()[1].values()},
    )


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(user=request.user, pk=pk)
    if not application.is_editable:
        raise PermissionDenied(_("Only drafts and returned applications can be changed."))
    if not _permissions(request.user, application)["edit"]:
        raise PermissionDenied(_("Only the firm's own users change its applications."))
    initial = {
        "program": application.program_code,
        **{k: getattr(application, k) for k in services.APPLICATION_FIELDS},
    }
    cost_initial = [{k: getattr(c, k) for k in services.COST_FIELDS} for c in application.costs.all()]
    form = ApplicationForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    costs = CostFormSet(request.POST or None, prefix="costs", initial=cost_initial)
    if request.method == "POST" and form.is_valid() and costs.is_valid():
        try:
            services.application_update(
                actor=request.user, application=application, data=_form_data(form), costs=_cost_lines(costs)
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            for problem in _attach_all(request, application, form.cleaned_data["attachments"]):
                messages.error(request, problem)
            messages.success(request, _("Changes saved."))
            return redirect("support:detail", pk=application.pk)
    return render(
        request,
        "support/application_form.html",
        {
            "form": form,
            "costs": costs,
            "application": application,
            "programs": current_programs()[1].values(),
        },
    )


def _permissions(user: Any, application: Application) -> dict[str, bool]:
    admin = _is_admin(user)
    own = user.role == Role.ENTERPRISE_USER and user.enterprise_id == application.enterprise_id
    status = application.status
    return {
        "edit": application.is_editable and (own or admin),
        "submit": application.is_editable and (own or admin),
        "pre_review": status == Status.SUBMITTED
        and user.role == Role.DISTRICT_OFFICER
        and user.area_id == application.enterprise.area_id,
        "review": status == Status.PRE_REVIEWED and admin,
        "decide": status == Status.REVIEWED and admin,
        "override": status in (Status.REVIEWED, Status.APPROVED) and admin,
        "disburse": status == Status.APPROVED and admin,
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(user=request.user, pk=pk)
    program = selectors.program_for(application)
    language = get_language() or "zh-hans"
    decided = application.status in (Status.APPROVED, Status.REJECTED, Status.DISBURSED)
    if decided and application.computation:
        document, live = application.computation, False
    else:
        document, live = explain.computation_json(services.award_preview(application)), True
    allowed = _permissions(request.user, application)
    pointers = [s.data.get("earlier") for s in application.steps.all() if s.data.get("earlier")]
    visible_earlier = set(
        visible_to(Application.objects.filter(pk__in=pointers), request.user).values_list("pk", flat=True)
    )
    names = selectors.display_names(application, program, english=language.startswith("en"))
    costs = [
        (
            c,
            names.cost_items.get(c.item, c.item),
            program is None or c.item in names.eligible_cost_codes,
        )
        for c in application.costs.all()
    ]
    return render(
        request,
        "support/application_detail.html",
        {
            "application": application,
            "program": program,
            "program_name": _label(program, application.program_code, language),
            "costs": costs,
            "product_field": names.product_fields.get(application.product_field, application.product_field),
            "award": document,
            "award_live": live,
            "computed_at": explain.computed_at(document),
            "steps": explain.step_rows(
                document, language, {"chain_nodes": names.chain_nodes, "cost_items": names.cost_items}
            ),
            "rules": explain.rule_rows(document, language),
            "english": language.startswith("en"),
            "may": allowed,
            "visible_earlier": visible_earlier,
            "review_form": ReviewForm() if allowed["pre_review"] or allowed["review"] else None,
            "decide_form": DecideForm() if allowed["decide"] else None,
            "override_form": OverrideForm() if allowed["override"] else None,
            "disburse_form": DisburseForm() if allowed["disburse"] else None,
            "attachment_form": AttachmentForm() if allowed["edit"] else None,
        },
    )


def _act(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    action: Callable[[Application, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    application = selectors.application_detail(user=request.user, pk=pk)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {error}")
        return redirect("support:detail", pk=pk)
    try:
        action(application, form.cleaned_data if form is not None else {})
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except services.DuplicateClaim as exc:
        # The pointer: the message names the earlier application; the step log links to it when the
        # user may see it (another firm's application stays a name only).
        messages.error(request, exc.messages[0])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("support:detail", pk=pk)


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        None,
        lambda a, d: services.application_submit(actor=request.user, application=a),
        _("Submitted for area pre-review."),
    )


@login_required
@require_POST
def application_pre_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ReviewForm,
        lambda a, d: services.application_pre_review(
            actor=request.user, application=a, passed=d["passed"], reason=d["reason"]
        ),
        _("Pre-review recorded."),
    )


@login_required
@require_POST
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ReviewForm,
        lambda a, d: services.application_review(
            actor=request.user, application=a, passed=d["passed"], reason=d["reason"]
        ),
        _("City review recorded."),
    )


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        DecideForm,
        lambda a, d: services.application_decide(
            actor=request.user,
            application=a,
            outcome=d["outcome"],
            reason=d["reason"],
            confirm_over_budget=d["confirm_over_budget"],
        ),
        _("Decision recorded."),
    )


@login_required
@require_POST
def application_override(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        OverrideForm,
        lambda a, d: services.application_override(
            actor=request.user, application=a, amount=d["amount"], reason=d["reason"]
        ),
        _("Case-by-case amount recorded."),
    )


@login_required
@require_POST
def application_disburse(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        DisburseForm,
        lambda a, d: services.application_disburse(
            actor=request.user, application=a, paid_on=d["paid_on"], reference=d["reference"]
        ),
        _("Disbursement recorded."),
    )


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        AttachmentForm,
        lambda a, d: services.attachment_add(
            actor=request.user,
            application=a,
            name=d["file"].name,
            data=d["file"].read(),
            description=d["description"],
        ),
        _("Attachment added."),
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = selectors.attachment_detail(user=request.user, application_pk=pk, pk=attachment_pk)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("support:detail", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = selectors.attachment_detail(user=request.user, application_pk=pk, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role == Role.ENTERPRISE_USER:
        raise PermissionDenied(_("The budget ledger is for government users."))
    year = request.GET.get("year")
    rows = selectors.ledger(year=int(year) if year and year.isdigit() else None)
    selected = request.GET.get("program")
    entries = None
    if selected:
        row = next((r for r in rows if r.program_code == selected), None)
        if row is not None:
            entries = selectors.ledger_entries(program_code=row.program_code, year=row.year)
    return render(
        request,
        "support/ledger.html",
        {
            "rows": rows,
            "entries": entries,
            "selected": selected,
            "english": (get_language() or "").startswith("en"),
        },
    )
