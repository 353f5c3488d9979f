"""REST endpoints for imports: the same preview → commit → revert path as the web pages, for machines.

Batches are scoped like the web UI: the uploader sees their own, the city admin sees every batch; any
other batch is a 404.
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS, BoundedPagination, ErrorOut

from . import selectors, services
from .models import ImportBatch
from .problems import msg
from .registry import datasets_for
from .safety import DEFAULT_LIMITS, UploadRefused

API_PREFIX = "/imports"
router = Router(tags=["imports"])

STATE_ERRORS = {**WRITE_ERRORS, 409: ErrorOut}


class ColumnOut(Schema):
    key: str
    label_zh: str
    label_en: str
    kind: str
    required: bool
    code_list: str | None
    aliases: list[str]


class DatasetOut(Schema):
    key: str
    title_zh: str
    title_en: str
    columns: list[ColumnOut]


class BatchOut(Schema):
    id: int
    dataset: str
    user: str | None
    filename: str
    sha256: str
    size_bytes: int
    created_at: dt.datetime
    committed_at: dt.datetime | None
    reverted_at: dt.datetime | None
    status: Literal["previewed", "committed", "reverted", "failed"]
    rows_total: int
    created_count: int
    updated_count: int
    unchanged_count: int
    error_count: int
    skipped_count: int
    failure_reason: str

    @staticmethod
    def resolve_user(obj: ImportBatch) -> str | None:
        return obj.user.username if obj.user_id else None  # type: ignore[union-attr]


class BatchDetailOut(BatchOut):
    summary: dict[str, Any]


class BatchFilterIn(Schema):
    dataset: str = ""
    status: Literal["", "previewed", "committed", "reverted", "failed"] = ""


@router.get("/datasets", response={200: list[DatasetOut], **READ_ERRORS})
def list_datasets(request: HttpRequest) -> Any:
    """The datasets you may import, with their columns (header aliases included)."""
    return [
        {
            "key": d.key,
            "title_zh": d.spec.title_zh,
            "title_en": d.spec.title_en,
            "columns": [
                {
                    "key": c.key,
                    "label_zh": c.label_zh,
                    "label_en": c.label_en,
                    "kind": str(c.kind),
                    "required": c.required,
                    "code_list": c.code_list,
                    "aliases": list(c.aliases),
                }
                for c in d.spec.columns
            ],
        }
        for d in datasets_for(request.user)
    ]


@router.get("/batches", response={200: list[BatchOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_batches(request: HttpRequest, filters: Query[BatchFilterIn]) -> Any:
    return selectors.batch_list(user=request.user, dataset=filters.dataset, status=filters.status)


@router.get("/batches/{int:batch_id}", response={200: BatchDetailOut, **READ_ERRORS})
def get_batch(request: HttpRequest, batch_id: int) -> Any:
    return selectors.batch_detail(user=request.user, pk=batch_id)


@router.post("/preview/{dataset}", response={201: BatchDetailOut, **WRITE_ERRORS})
def preview(request: HttpRequest, dataset: str, file: File[UploadedFile]) -> Any:
    """Upload a workbook (.xlsx, .xls, .csv) and get the preview; nothing is written until commit.

    A refused file (too large, not a workbook, a zip bomb …) answers 400 with the reason."""
    try:
        if (file.size or 0) > DEFAULT_LIMITS.max_bytes:
            limit = DEFAULT_LIMITS.max_bytes // 1024 // 1024
            raise UploadRefused(msg(f"文件超过上限 {limit} MB", f"the file is over the {limit} MB limit"))
        batch = services.import_preview(
            actor=request.user,
            dataset_key=dataset,
            filename=file.name or "upload",
            data=file.read(),
            request=request,
        )
    except services.ImportNotAllowed as exc:
        raise HttpError(404, str(exc)) from exc
    except UploadRefused as exc:
        raise HttpError(400, exc.message) from exc
    return Status(201, batch)


@router.post("/batches/{int:batch_id}/commit", response={200: BatchDetailOut, **STATE_ERRORS})
def commit(request: HttpRequest, batch_id: int) -> Any:
    """Write the batch, all or nothing. 400 (and the batch marked failed) when any row has an error;
    409 when the batch is not a preview."""
    batch = selectors.batch_detail(user=request.user, pk=batch_id)
    try:
        return services.import_commit(actor=request.user, batch=batch, request=request)
    except services.ImportStateError as exc:
        raise HttpError(409, str(exc)) from exc
    except services.ImportFailed as exc:
        raise HttpError(400, exc.message) from exc


@router.post("/batches/{int:batch_id}/revert", response={200: BatchDetailOut, **STATE_ERRORS})
def revert(request: HttpRequest, batch_id: int) -> Any:
    """Put back every value the batch wrote; 409 when it is not committed or a value changed since."""
    batch = selectors.batch_detail(user=request.user, pk=batch_id)
    try:
        return services.import_revert(actor=request.user, batch=batch, request=request)
    except (services.ImportStateError, services.RevertConflict) as exc:
        raise HttpError(409, str(exc)) from exc
