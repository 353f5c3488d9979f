"""Thin views of the report workflow (city admins act; leaders read; officers read the public edition)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from semicluster.core.audit import record_security_event
from semicluster.core.formatting import join_in_language
from semicluster.core.models import SecurityEvent
from semicluster.documents.model import iter_paragraphs
from semicluster.reports import selectors, services
from semicluster.reports.forms import ParagraphEditForm, ReportCreateForm, TransitionForm
from semicluster.reports.models import Edition, Status
from semicluster.reports.render import CONTENT_TYPES, FORMATS
from semicluster.reports.render import render as render_file

ACTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: ("regenerate", "submit"),
    Status.REVIEW: ("regenerate", "approve", "return"),
    Status.APPROVED: ("publish", "return"),
    Status.PUBLISHED: ("reopen",),
}


def _readable(request: HttpRequest) -> None:
    if not selectors.may_read(request.user):
        raise Http404("No report workflow for this role.")


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _readable(request)
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST":
        if not selectors.may_manage(request.user):
            raise PermissionDenied
        if form.is_valid():
            report = services.report_create(
                actor=request.user, year=form.cleaned_data["year"], edition=form.cleaned_data["edition"]
            )
            return redirect("reports:detail", pk=report.pk)
    reports = selectors.report_list(user=request.user).prefetch_related("versions")
    return render(
        request,
        "reports/report_list.html",
        {"reports": reports, "form": form, "may_manage": selectors.may_manage(request.user)},
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_detail(user=request.user, pk=pk)
    from semicluster.documents import render_html

    manager = selectors.may_manage(request.user)
    if selectors.is_generated(report):
        document = selectors.current_document(report)
        html = render_html(document, figures="png")
        paragraphs = [p for p in iter_paragraphs(document) if p.key]
        actions = ACTIONS_BY_STATUS.get(report.status, ()) if manager else ()
    else:
        # A record created without content (an interrupted generation, the admin): offer to build it.
        html, paragraphs = "", []
        actions = ("regenerate",) if manager and not selectors.is_locked(report) else ()
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "generated": selectors.is_generated(report),
            "html": html,
            "paragraphs": paragraphs,
            "edits": report.edits or {},
            "editable": manager and not selectors.is_locked(report),
            "actions": actions,
            "events": report.events.select_related("actor"),
            "versions": report.versions.only("number", "published_at", "sha256_pdf", "report_id"),
            "formats": FORMATS,
        },
    )


@login_required
@require_POST
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_detail(user=request.user, pk=pk)
    form = ParagraphEditForm(request.POST)
    if form.is_valid():
        try:
            services.report_edit(
                actor=request.user,
                report=report,
                key=form.cleaned_data["key"],
                text=form.cleaned_data["text"],
            )
            messages.success(request, _("Paragraph saved."))
        except ValidationError as exc:
            messages.error(request, join_in_language(exc.messages))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_transition(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_detail(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("reports:detail", pk=report.pk)
    action = form.cleaned_data["action"]
    try:
        if action == "regenerate":
            services.report_regenerate(actor=request.user, report=report)
        else:
            services.report_transition(
                actor=request.user, report=report, action=action, note=form.cleaned_data["note"]
            )
        messages.success(request, _("Done."))
    except ValidationError as exc:
        messages.error(request, join_in_language(exc.messages))
    return redirect("reports:detail", pk=report.pk)


def _log_download(request: HttpRequest, report: Any, fmt: str, which: str) -> None:
    """Downloads of the internal edition (it names enterprises) are exports, and logged as such."""
    if report.edition == Edition.INTERNAL:
        record_security_event(
            SecurityEvent.Kind.EXPORT,
            user=request.user,
            request=request,
            detail={"what": "annual report", "year": report.year, "edition": report.edition}
            | {"version": which, "format": fmt},
        )


def _file_response(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = selectors.report_detail(user=request.user, pk=pk)
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    if not selectors.is_generated(report):
        raise Http404("The report has not been generated yet.")
    data = render_file(selectors.current_document(report), fmt)
    _log_download(request, report, fmt, "current")
    return _file_response(data, fmt, f"annual-report-{report.year}-{report.edition}-{report.status}")


@login_required
def version_download(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    version = selectors.version_detail(user=request.user, pk=pk, number=number)
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    data = {"docx": bytes(version.docx), "pdf": bytes(version.pdf), "html": version.html.encode()}[fmt]
    _log_download(request, version.report, fmt, f"v{number}")
    return _file_response(
        data, fmt, f"annual-report-{version.report.year}-{version.report.edition}-v{number}"
    )
