"""Thin views: parse input, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from semicluster.accountability import assessing, forms, selectors, services
from semicluster.accountability import bulletin as bulletins
from semicluster.accountability.datasets import DATASETS
from semicluster.accountability.engine import STATUS_LABELS, Status
from semicluster.accountability.models import Bulletin, Decision, WorkItem
from semicluster.accounts.models import Role
from semicluster.core.audit import record_security_event
from semicluster.core.models import SecurityEvent
from semicluster.documents import render_docx, render_html

GOVERNMENT = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER)
STATUS_CLASS = {
    Status.DONE: "text-bg-success",
    Status.ON_TRACK: "text-bg-primary",
    Status.AT_RISK: "text-bg-warning",
    Status.LATE: "text-bg-danger",
}


def government(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Tasks and bulletins are government business: enterprise users have no part in them."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_superuser or user.role in GOVERNMENT):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def office(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @government
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _as_of(request: HttpRequest, version: Any) -> date:
    raw = request.GET.get("as_of", "")
    try:
        return date.fromisoformat(raw) if raw else selectors.default_as_of(version)
    except ValueError:
        return selectors.default_as_of(version)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _row_context(row: selectors.ItemRow) -> dict[str, Any]:
    zh, en = STATUS_LABELS[row.status.status]
    return {"row": row, "status_class": STATUS_CLASS[row.status.status], "status_zh": zh, "status_en": en}


def _importable(user: Any) -> list[Any]:
    """The accountability datasets ``user`` may import (links to the import page)."""
    return [d for d in DATASETS if d.allows(user)]


# --------------------------------------------------------------------------- work items


@government
def item_list(request: HttpRequest) -> HttpResponse:
    version = selectors.plan_version_or_404()
    form = forms.ItemFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    as_of = cleaned.get("as_of") or selectors.default_as_of(version)
    unit = cleaned.get("unit")
    items = selectors.item_list(request.user, version, unit=unit.code if unit else "", q=cleaned.get("q", ""))
    rows = selectors.item_rows(items, as_of, selectors.reporting_rules(version))
    counts = selectors.status_counts(rows)
    if cleaned.get("status"):
        rows = [r for r in rows if r.status.status.value == cleaned["status"]]
    return render(
        request,
        "accountability/item_list.html",
        {
            "form": form,
            "rows": [_row_context(r) for r in rows],
            "counts": counts,
            "as_of": as_of,
            "is_office": selectors.is_office(request.user),
            "labels": STATUS_LABELS,
            "imports": _importable(request.user),
        },
    )


@government
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_or_404(request.user, pk)
    version = item.plan_version
    as_of = _as_of(request, version)
    rules = selectors.reporting_rules(version)
    [row] = selectors.item_rows(selectors.with_status_data(WorkItem.objects.filter(pk=item.pk)), as_of, rules)
    can_report = selectors.may_update(request.user, item)
    return render(
        request,
        "accountability/item_detail.html",
        {
            "item": item,
            **_row_context(row),
            "as_of": as_of,
            "updates": item.updates.select_related("unit", "author").prefetch_related("milestones_reached"),
            "parts": item.parts.select_related("lead_unit").order_by("sort", "code"),
            "can_report": can_report,
            "is_office": selectors.is_office(request.user),
            "progress_form": forms.ProgressForm(item=item, today=timezone.localdate(), rules=rules)
            if can_report
            else None,
        },
    )


@government
@require_POST
def item_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.writable_item_or_404(request.user, pk)
    rules = selectors.reporting_rules(item.plan_version)
    form = forms.ProgressForm(request.POST, request.FILES, item=item, today=timezone.localdate(), rules=rules)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report(
                actor=request.user,
                item=item,
                text=data["text"],
                percent=data["percent"],
                milestones_reached=list(data["milestones_reached"]),
                done=data["done"],
                problems=data["problems"],
                evidence=data["evidence"],
                period_key=data["period_key"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Progress reported."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("accountability:item", pk=item.pk)


@government
def update_evidence(request: HttpRequest, pk: int) -> Any:  # a FileResponse (streamed)
    """The evidence of a progress report, for whoever may read its item (another unit's: 404)."""
    update = selectors.update_with_evidence_or_404(request.user, pk)
    response = FileResponse(
        update.evidence.open("rb"),
        as_attachment=True,
        filename=selectors.evidence_filename(update),
        content_type=services.evidence_content_type(update.evidence.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@office
def item_decompose(request: HttpRequest, pk: int) -> HttpResponse:
    parent = selectors.item_or_404(request.user, pk)
    form = forms.DecomposeForm(
        request.POST or None, initial={"deadline": parent.deadline, "lead_unit": parent.lead_unit}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            part = services.work_item_decompose(actor=request.user, parent=parent, **data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Work item %(code)s created.") % {"code": part.code})
            return redirect("accountability:item", pk=part.pk)
    return render(request, "accountability/item_decompose.html", {"parent": parent, "form": form})


@office
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The office edits an item's owners, dates, goals, milestones and deliverable; milestones that stay
    keep their keys (and the reports that reached them), see ``services.work_item_update``."""
    item = selectors.item_or_404(request.user, pk)
    form = forms.WorkItemForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_item_update(actor=request.user, item=item, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
            item = selectors.item_or_404(request.user, pk)  # nothing was saved: show the stored item
        else:
            messages.success(request, _("Work item %(code)s saved.") % {"code": item.code})
            return redirect("accountability:item", pk=item.pk)
    return render(request, "accountability/item_edit.html", {"item": item, "form": form})


@office
@require_POST
def items_sync(request: HttpRequest) -> HttpResponse:
    created = services.work_items_sync(actor=request.user, version=selectors.plan_version_or_404())
    messages.success(request, _("%(n)s work items created from the plan's tasks.") % {"n": len(created)})
    return redirect("accountability:items")


# --------------------------------------------------------------------------- silence and escalation


@government
def silent(request: HttpRequest) -> HttpResponse:
    version = selectors.plan_version_or_404()
    as_of = _as_of(request, version)
    user: Any = request.user
    own_unit = user.role == Role.UNIT_OFFICER and not user.is_superuser
    rows = selectors.silent_rows(version, as_of, unit=user.unit.code if own_unit else "")
    return render(
        request,
        "accountability/silent.html",
        {
            "as_of": as_of,
            "silent": rows,
            "escalations": selectors.escalations(user, version),
            "is_office": selectors.is_office(user),
            "reply_form": forms.ReplyForm(),
            "user_unit_id": user.unit_id,
        },
    )


@office
@require_POST
def escalate(request: HttpRequest) -> HttpResponse:
    """Issue the escalations due as of ``?as_of=`` (default today): a 督办 is never dated in the future."""
    version = selectors.plan_version_or_404()
    raw = request.GET.get("as_of", "").strip()
    today = timezone.localdate()
    try:
        day = date.fromisoformat(raw) if raw else selectors.default_as_of(version)
    except ValueError:
        messages.error(
            request,
            _("“%(value)s” is not a date (use YYYY-MM-DD); no escalation was issued.") % {"value": raw},
        )
        return redirect("accountability:silent")
    if day > today:
        messages.error(
            request,
            _(
                "Escalations cannot be issued for a future date: %(day)s is after today (%(today)s). "
                "No escalation was issued."
            )
            % {"day": day.isoformat(), "today": today.isoformat()},
        )
        return redirect("accountability:silent")
    try:
        created = services.escalations_issue(actor=request.user, version=version, today=day)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)s escalations issued.") % {"n": len(created)})
    return redirect("accountability:silent")


@government
@require_POST
def escalation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_or_404(request.user, pk)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.escalation_reply(
                actor=request.user, escalation=escalation, text=form.cleaned_data["reply"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Reply recorded."))
    return redirect("accountability:silent")


# --------------------------------------------------------------------------- meetings


@government
def meeting_list(request: HttpRequest) -> HttpResponse:
    version = selectors.plan_version_or_404()
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST":
        if not selectors.is_office(request.user):
            raise PermissionDenied
        if form.is_valid():
            meeting = services.meeting_record(actor=request.user, version=version, **form.cleaned_data)
            return redirect("accountability:meeting", pk=meeting.pk)
    return render(
        request,
        "accountability/meeting_list.html",
        {
            "meetings": selectors.meetings(version),
            "form": form,
            "is_office": selectors.is_office(request.user),
        },
    )


@government
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_or_404(pk)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST":
        if not selectors.is_office(request.user):
            raise PermissionDenied
        if form.is_valid():
            services.decision_add(
                actor=request.user, meeting=meeting, sort=meeting.decisions.count() + 1, **form.cleaned_data
            )
            return redirect("accountability:meeting", pk=meeting.pk)
    return render(
        request,
        "accountability/meeting_detail.html",
        {"meeting": meeting, "form": form, "is_office": selectors.is_office(request.user)},
    )


@office
@require_POST
def decision_track(request: HttpRequest, pk: int) -> HttpResponse:
    decision = Decision.objects.select_related("meeting__plan_version", "work_item").filter(pk=pk).first()
    if decision is None:
        raise Http404
    try:
        item = services.decision_track(actor=request.user, decision=decision)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("accountability:meeting", pk=decision.meeting_id)
    messages.success(request, _("The decision is tracked as work item %(code)s.") % {"code": item.code})
    return redirect("accountability:item", pk=item.pk)


# --------------------------------------------------------------------------- bulletins


def _bulletin_for(request: HttpRequest, pk: int) -> Bulletin:
    found = selectors.bulletin_or_404(pk)
    if not found.is_issued and not selectors.is_office(request.user):
        raise Http404  # drafts are the office's working papers
    return found


@government
def bulletin_list(request: HttpRequest) -> HttpResponse:
    version = selectors.plan_version_or_404()
    is_office = selectors.is_office(request.user)
    periods = bulletins.period_choices(version, selectors.default_as_of(version))
    form = forms.BulletinForm(request.POST or None, periods=periods)
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied
        if form.is_valid():
            try:
                draft = services.bulletin_draft(
                    actor=request.user,
                    version=version,
                    period_key=form.cleaned_data["period_key"],
                    as_of=form.cleaned_data["as_of"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("accountability:bulletin", pk=draft.pk)
    rows = selectors.bulletins(version)
    if not is_office:
        rows = rows.filter(state=Bulletin.State.ISSUED)
    return render(
        request,
        "accountability/bulletin_list.html",
        {"bulletins": rows, "form": form, "is_office": is_office},
    )


@government
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _bulletin_for(request, pk)
    if request.method == "POST":
        if not selectors.is_office(request.user):
            raise PermissionDenied
        try:
            if "issue" in request.POST:
                services.bulletin_issue(actor=request.user, bulletin=found)
                record_security_event(
                    SecurityEvent.Kind.PUBLISH,
                    user=request.user,
                    request=request,
                    detail={"bulletin": found.pk, "period": found.period_key},
                )
                messages.success(request, _("Bulletin issued; it can no longer be changed."))
            else:
                for paragraph in found.paragraphs.all():
                    field = f"p-{paragraph.key}"
                    if field in request.POST and request.POST[field].strip() != (paragraph.edited_text or ""):
                        text = request.POST[field].strip()
                        if text == paragraph.generated_text:
                            text = ""
                        services.bulletin_paragraph_edit(
                            actor=request.user, bulletin=found, key=paragraph.key, text=text
                        )
                messages.success(request, _("Paragraphs saved."))
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("accountability:bulletin", pk=found.pk)
    document = bulletins.document_for(found)
    return render(
        request,
        "accountability/bulletin_detail.html",
        {
            "bulletin": found,
            "document_html": render_html(document),
            "paragraphs": found.paragraphs.all() if not found.is_issued else [],
            "is_office": selectors.is_office(request.user),
        },
    )


@government
def bulletin_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    found = _bulletin_for(request, pk)
    document = bulletins.document_for(found)
    name = f"bulletin-{found.period_key}{'' if found.is_issued else '-draft'}"
    if fmt == "docx":
        response = HttpResponse(
            render_docx(document),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        page = (
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{found.period_key}</title>'
            f"<body>{render_html(document)}</body></html>"
        )
        response = HttpResponse(page, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --------------------------------------------------------------------------- assessment


def _leaders(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @government
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_superuser or user.role in (Role.CITY_ADMIN, Role.LEADER)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _assessments(request: HttpRequest) -> list[assessing.AssessmentResult]:
    version = selectors.plan_version_or_404()
    as_of = _as_of(request, version)
    return [assessing.run(version, kind, as_of) for kind in assessing.plan_subjects(version)]


@_leaders
def assessment(request: HttpRequest) -> HttpResponse:
    results = _assessments(request)
    return render(
        request,
        "accountability/assessment.html",
        {"results": results, "as_of": results[0].as_of if results else None},
    )


@_leaders
def assessment_export(request: HttpRequest) -> HttpResponse:
    results = _assessments(request)
    record_security_event(
        SecurityEvent.Kind.EXPORT, user=request.user, request=request, detail={"export": "assessment.xlsx"}
    )
    response = HttpResponse(
        assessing.export_xlsx(results),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="assessment.xlsx"'
    return response
