"""Thin views: upload → preview page → commit (or revert); templates, error workbooks and exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from semicluster.core.audit import record_security_event
from semicluster.core.models import SecurityEvent
from semicluster.enterprises.forms import EnterpriseFilterForm
from semicluster.enterprises.selectors import EnterpriseFilters

from . import exports, selectors, services
from .forms import UploadForm
from .models import ImportBatch
from .pipeline import parse_upload
from .problems import msg
from .registry import datasets_for, get_dataset
from .safety import DEFAULT_LIMITS, UploadRefused
from .workbooks import build_error_workbook, build_template, export_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # RFC 6266: an ASCII fallback plus the UTF-8 name, so Chinese file names survive every browser.
    ext = filename.rsplit(".", 1)[-1]
    response["Content-Disposition"] = (
        f"attachment; filename=\"download.{ext}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _importer(request: HttpRequest) -> None:
    if not datasets_for(request.user):
        raise PermissionDenied(_("Your role does not import data."))


@login_required
@require_GET
def home(request: HttpRequest, form: UploadForm | None = None, status: int = 200) -> HttpResponse:
    _importer(request)
    batches = selectors.batch_list(user=request.user)[:20]
    return render(
        request,
        "intake/home.html",
        {
            "form": form
            or UploadForm(user=request.user, initial={"dataset": request.GET.get("dataset", "")}),
            "datasets": datasets_for(request.user),
            "batches": batches,
            "max_mb": DEFAULT_LIMITS.max_bytes // (1024 * 1024),
            "max_rows": DEFAULT_LIMITS.max_rows,
        },
        status=status,
    )


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    _importer(request)
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _home_with_errors(request, form)
    upload_file = form.cleaned_data["file"]
    try:
        if upload_file.size > DEFAULT_LIMITS.max_bytes:  # refuse before reading it into memory
            limit = DEFAULT_LIMITS.max_bytes // 1024 // 1024
            raise UploadRefused(
                msg(
                    f"文件大小 {upload_file.size / 1024 / 1024:.0f} MB 超过上限 {limit} MB，请拆分后分批上传",
                    f"the file is over the {limit} MB limit; split it",
                )
            )
        batch = services.import_preview(
            actor=request.user,
            dataset_key=form.cleaned_data["dataset"],
            filename=upload_file.name,
            data=upload_file.read(),
            request=request,
        )
    except UploadRefused as exc:
        form.add_error("file", exc.message)
        return _home_with_errors(request, form)
    return redirect("intake:batch", pk=batch.pk)


def _home_with_errors(request: HttpRequest, form: UploadForm) -> HttpResponse:
    request.method = "GET"
    return home(request, form=form, status=400)


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    _importer(request)
    queryset = selectors.batch_list(
        user=request.user, dataset=request.GET.get("dataset", ""), status=request.GET.get("status", "")
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/batch_list.html",
        {"page": page, "statuses": ImportBatch.Status.choices, "datasets": datasets_for(request.user)},
    )


def _dataset_titles(batch: ImportBatch) -> str:
    dataset = get_dataset(batch.dataset)
    return f"{dataset.spec.title_zh} {dataset.spec.title_en}" if dataset else batch.dataset


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, pk=pk)
    summary: dict[str, Any] = batch.summary or {}
    problems = summary.get("problems", [])
    return render(
        request,
        "intake/batch_detail.html",
        {
            "batch": batch,
            "dataset_title": _dataset_titles(batch),
            "summary": summary,
            "counts": summary.get("counts", {}),
            "errors": [p for p in problems if p["severity"] == "error"],
            "warnings": [p for p in problems if p["severity"] != "error"],
            "can_commit": batch.status == ImportBatch.Status.PREVIEWED and not summary.get("has_errors"),
            "can_revert": batch.status == ImportBatch.Status.COMMITTED and batch.changes_count > 0,
        },
    )


@login_required
@require_POST
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, pk=pk)
    try:
        services.import_commit(actor=request.user, batch=batch, request=request)
    except (services.ImportFailed, services.ImportStateError, services.ImportNotAllowed) as exc:
        messages.error(request, str(exc))
    else:
        if batch.changes_count:
            messages.success(
                request,
                _("Committed: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": batch.created_count,
                    "updated": batch.updated_count,
                    "unchanged": batch.unchanged_count,
                },
            )
        else:
            messages.info(request, _("Nothing to change: the file matches what is already stored."))
    return redirect("intake:batch", pk=batch.pk)


@login_required
@require_POST
def batch_revert(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, pk=pk)
    try:
        services.import_revert(actor=request.user, batch=batch, request=request)
    except (services.ImportFailed, services.ImportStateError, services.ImportNotAllowed) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Batch reverted: every value it wrote is back to what it was."))
    return redirect("intake:batch", pk=batch.pk)


@login_required
@require_GET
def batch_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded rows with a 错误说明 column (problems found on the preview, scope errors included)."""
    batch = selectors.batch_detail(user=request.user, pk=pk)
    dataset = get_dataset(batch.dataset)
    if dataset is None:
        raise Http404("unknown dataset")
    with batch.file.open("rb") as handle:
        data = handle.read()
    try:
        prepared = services.import_prepare(
            dataset, batch.filename, data, actor=request.user, keep_workbook=True
        )
        workbook = build_error_workbook(
            prepared.result, only_problem_rows=request.GET.get("only") == "problems"
        )
    except UploadRefused:  # a file that parsed at preview always parses again; be safe all the same
        workbook = build_error_workbook(
            parse_upload(batch.filename, data, dataset.spec, code_lists=dataset.code_lists())
        )
    record_security_event(
        SecurityEvent.Kind.EXPORT,
        user=request.user,
        request=request,
        detail={"what": "import errors", "batch": batch.pk},
    )
    stem = batch.filename.rsplit(".", 1)[0]
    return _attachment(workbook, f"{stem}-错误说明.xlsx", XLSX)


@login_required
@require_GET
def template_download(request: HttpRequest, dataset: str) -> HttpResponse:
    found = get_dataset(dataset)
    if found is None or not found.allows(request.user):
        raise Http404("unknown dataset")
    data = build_template(found.spec, found.code_lists())
    return _attachment(data, f"{found.spec.title_zh}导入模板.xlsx", XLSX)


@login_required
@require_GET
def export_enterprises(request: HttpRequest, fmt: str) -> HttpResponse:
    """The enterprise library list as .xlsx or .csv, with the list page's filters and the user's scope."""
    if fmt not in CONTENT_TYPES:
        raise Http404("unknown format")
    form = EnterpriseFilterForm(request.GET or None)
    filters = EnterpriseFilters(
        **{k: v for k, v in (form.cleaned_data.items() if form.is_valid() else []) if v}
    )
    headers, rows = exports.enterprise_rows(user=request.user, filters=filters)
    data = export_rows(headers, rows, fmt, sheet_title="企业库")
    record_security_event(
        SecurityEvent.Kind.EXPORT,
        user=request.user,
        request=request,
        detail={
            "what": "enterprises",
            "format": fmt,
            "filters": {k: v for k, v in filters.__dict__.items() if v},
        },
    )
    return _attachment(data, f"企业库-{timezone.localdate():%Y%m%d}.{fmt}", CONTENT_TYPES[fmt])
