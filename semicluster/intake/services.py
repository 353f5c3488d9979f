"""Every write of the intake app: preview (a batch with its file and summary), commit, revert.

Preview parses the upload and works out what would change without writing any data; commit parses the
stored file again (the database may have moved on since the preview) and writes everything in one
transaction or nothing; revert puts back the old values of a committed batch, refusing when a value
has changed since.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from semicluster.core.audit import client_ip, record_security_event
from semicluster.core.bulk import insert_rows
from semicluster.core.models import SecurityEvent
from semicluster.core.refresh import indicators_refresh_if_present
from semicluster.plans.models import Area

from .adapters import Action, Adapter, Change, Dataset, ImportContext, display, plan_rows, stored
from .models import ImportBatch, ImportChange
from .pipeline import ParseResult, parse_upload
from .problems import msg
from .registry import get_dataset
from .safety import DEFAULT_LIMITS, UploadLimits, UploadRefused

log = logging.getLogger(__name__)

PREVIEW_PROBLEMS = 2000  # problems kept in a batch's summary; the error workbook has them all
PREVIEW_CHANGES = 300  # changes of each kind kept in a batch's summary
WRITE_CHUNK = 5000

__all__ = [
    "ImportFailed",
    "ImportNotAllowed",
    "ImportStateError",
    "Prepared",
    "RevertConflict",
    "UploadRefused",
    "import_commit",
    "import_prepare",
    "import_preview",
    "import_revert",
]


class ImportNotAllowed(PermissionError):
    """The role may not import this dataset (or the dataset does not exist for it)."""


class ImportStateError(Exception):
    """The batch is not in a state that allows this (committing twice, reverting a preview)."""


class ImportFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RevertConflict(ImportFailed):
    pass


@dataclass
class Prepared:
    """A parsed upload and what it would change: the preview, and what commit writes."""

    dataset: Dataset
    result: ParseResult
    adapter: Adapter
    ctx: ImportContext
    changes: list[Change]
    timings: dict[str, float] = field(default_factory=dict)

    def of(self, action: Action) -> list[Change]:
        return [c for c in self.changes if c.action is action]

    @property
    def to_write(self) -> list[Change]:
        return [c for c in self.changes if c.action is not Action.UNCHANGED]

    @property
    def error_rows(self) -> int:
        return len(self.result.error_rows)

    @property
    def has_errors(self) -> bool:
        return self.result.has_errors


def dataset_for(actor: Any, key: str) -> Dataset:
    dataset = get_dataset(key)
    if dataset is not None and actor is None and dataset.needs_user:
        raise ImportNotAllowed(
            msg(
                f"数据集「{key}」的记录须登记经办人：请用 --user 指定以哪位用户的身份导入",
                f"dataset '{key}' records who acted: name the user with --user USERNAME",
            )
        )
    if dataset is None or not dataset.allows(actor):
        raise ImportNotAllowed(
            msg(f"没有可导入的数据集「{key}」", f"there is no dataset '{key}' you may import")
        )
    return dataset


def import_prepare(
    dataset: Dataset,
    filename: str,
    data: bytes,
    *,
    actor: Any,
    batch_id: int | None = None,
    limits: UploadLimits = DEFAULT_LIMITS,
    keep_workbook: bool = False,
) -> Prepared:
    """Parse and plan one upload; writes nothing. Raises UploadRefused for unsafe or unreadable files.

    The cell grids are dropped after parsing unless ``keep_workbook`` (the error workbook needs them):
    at 100,000 rows they are a good part of the peak memory."""
    started = time.perf_counter()
    result = parse_upload(filename, data, dataset.spec, code_lists=dataset.code_lists(), limits=limits)
    if not keep_workbook:
        result.workbook = None
    parsed = time.perf_counter()
    ctx = ImportContext(actor, batch_id, area_names=dict(Area.objects.values_list("id", "name")))
    adapter = dataset.adapter(ctx)
    changes = [] if result.file_errors else plan_rows(result, adapter, ctx)
    planned = time.perf_counter()
    return Prepared(
        dataset, result, adapter, ctx, changes, {"parse": parsed - started, "plan": planned - parsed}
    )


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def _display_name(filename: str) -> str:
    name = _UNSAFE_NAME.sub("_", filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip() or "upload"
    return name[-255:]


def _extension(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f".{ext}" if ext in ("xlsx", "xlsm", "xls", "csv", "txt") else ""


def import_preview(
    *,
    actor: Any,
    dataset_key: str,
    filename: str,
    data: bytes,
    request: Any = None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ImportBatch:
    """Check and parse an upload, and keep it as a previewed batch (the file and what it would change).

    No data is written. A refused file (too large, not a workbook, a zip bomb …) raises UploadRefused
    and leaves nothing behind but a security-log entry.
    """
    dataset = dataset_for(actor, dataset_key)
    sha = hashlib.sha256(data).hexdigest()
    name = _display_name(filename)
    try:
        prepared = import_prepare(dataset, name, data, actor=actor, limits=limits)
    except UploadRefused as exc:
        _log_event(
            actor, request, "refused", dataset=dataset.key, filename=name, sha256=sha, reason=exc.message
        )
        raise
    batch = ImportBatch(
        dataset=dataset.key,
        user=actor if getattr(actor, "pk", None) else None,
        ip=client_ip(request),
        filename=name,
        sha256=sha,
        size_bytes=len(data),
    )
    _count(batch, prepared)
    batch.summary = summarise(prepared, earlier=_same_file(dataset.key, sha))
    batch.summary["timings"] = {k: round(v, 3) for k, v in prepared.timings.items()}
    batch.file.save(f"{sha[:20]}{_extension(name)}", ContentFile(data), save=False)
    batch.save()
    _log_event(actor, request, "preview", batch=batch)
    return batch


def _same_file(dataset: str, sha: str, exclude: int | None = None) -> list[ImportBatch]:
    qs = ImportBatch.objects.filter(dataset=dataset, sha256=sha, status=ImportBatch.Status.COMMITTED)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return list(qs.order_by("committed_at"))


def _count(batch: ImportBatch, prepared: Prepared) -> None:
    batch.rows_total = len(prepared.result.rows)
    batch.created_count = len(prepared.of(Action.CREATE))
    batch.updated_count = len(prepared.of(Action.UPDATE))
    batch.unchanged_count = len(prepared.of(Action.UNCHANGED))
    batch.error_count = prepared.error_rows
    batch.skipped_count = prepared.result.skipped_totals


def _read_stored(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != batch.sha256:
        raise ImportFailed(
            msg("保存的上传文件与预览时不一致，请重新上传", "the stored upload changed since the preview")
        )
    return data


def import_commit(*, actor: Any, batch: ImportBatch, request: Any = None) -> ImportBatch:
    """Write what the batch's file says, all or nothing.

    The file is parsed and planned again inside the transaction; any error (a problem row, a database
    constraint) rolls everything back and marks the batch failed with the reason. Committing a file
    whose content is already stored writes nothing and says so (``summary["nothing_to_change"]``).
    """
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ImportStateError(
            msg(
                f"批次 #{batch.pk} 的状态是「{batch.get_status_display()}」，不能再提交",
                f"batch #{batch.pk} is {batch.status}; it cannot be committed",
            )
        )
    dataset = dataset_for(actor, batch.dataset)
    started = time.perf_counter()
    try:
        data = _read_stored(batch)
        with transaction.atomic():
            prepared = import_prepare(dataset, batch.filename, data, actor=actor, batch_id=batch.pk)
            if prepared.has_errors:
                raise ImportFailed(_error_reason(prepared))
            writing = time.perf_counter()
            to_write = prepared.to_write
            prepared.adapter.write(to_write)
            insert_rows(ImportChange, CHANGE_FIELDS, _change_rows(batch, prepared.adapter, to_write))
            prepared.timings["write"] = time.perf_counter() - writing
            _count(batch, prepared)
            batch.summary = summarise(prepared, earlier=_same_file(batch.dataset, batch.sha256, batch.pk))
            batch.summary["timings"] = {k: round(v, 3) for k, v in prepared.timings.items()}
            batch.status = ImportBatch.Status.COMMITTED
            batch.committed_at = timezone.now()
            batch.failure_reason = ""
            batch.save()
    except UploadRefused as exc:
        _fail(batch, exc.message, actor, request)
        raise ImportFailed(exc.message) from exc
    except ImportFailed as exc:
        _fail(batch, exc.message, actor, request)
        raise
    except Exception as exc:  # a constraint or a bug: nothing was written, and the clerk is told
        log.exception("import batch %s failed", batch.pk)
        reason = msg(f"写入时出错，未写入任何数据：{exc}", f"writing failed, nothing was written: {exc}")
        _fail(batch, reason, actor, request)
        raise ImportFailed(reason) from exc
    batch.summary["timings"]["total"] = round(time.perf_counter() - started, 3)
    if to_write:
        refreshing = time.perf_counter()
        _after_write(prepared.adapter, to_write)
        batch.summary["timings"]["refresh"] = round(time.perf_counter() - refreshing, 3)
    ImportBatch.objects.filter(pk=batch.pk).update(summary=batch.summary)
    _log_event(actor, request, "commit", batch=batch)
    return batch


def _error_reason(prepared: Prepared) -> str:
    file_errors = prepared.result.file_errors
    if file_errors:
        return msg(
            f"文件有 {len(file_errors)} 个表头或工作表问题，未写入任何数据：{file_errors[0]}",
            f"{len(file_errors)} header or sheet problem(s); nothing was written",
        )
    return msg(
        f"{prepared.error_rows} 行有错误，未写入任何数据；请下载错误清单修改后重新上传",
        f"{prepared.error_rows} row(s) have errors; nothing was written. Fix them and upload again",
    )


def _fail(batch: ImportBatch, reason: str, actor: Any, request: Any) -> None:
    batch.refresh_from_db()
    batch.status = ImportBatch.Status.FAILED
    batch.failure_reason = reason
    batch.save(update_fields=["status", "failure_reason"])
    _log_event(actor, request, "failed", batch=batch)


CHANGE_FIELDS = ("batch", "model", "object_id", "action", "field", "old", "new")


def _change_rows(
    batch: ImportBatch, adapter: Adapter, changes: Sequence[Change]
) -> Iterator[tuple[object, ...]]:
    """ImportChange rows as tuples of CHANGE_FIELDS: one per created record, one per changed field."""
    label = adapter.model._meta.label_lower
    create, update = ImportChange.Action.CREATE.value, ImportChange.Action.UPDATE.value
    for change in changes:
        pk = change.object_id if change.object_id is not None else change.instance.pk
        if change.action is Action.CREATE:
            name = adapter.create_field
            if name == "pk":
                value: object = pk
            else:
                value = change.values[name] if name in change.values else getattr(change.instance, name)
            yield (batch.pk, label, pk, create, name, None, stored(value))
        else:
            for diff in change.diffs:
                yield (batch.pk, label, pk, update, diff.field, stored(diff.old), stored(diff.new))


def _after_write(adapter: Adapter, changes: Sequence[Change]) -> None:
    """Derived data (tiers, monitoring indicators) follows the import; its failure does not undo it."""
    try:
        adapter.after_commit(changes)
    except Exception:
        log.exception("refresh after import failed")
    try:
        indicators_refresh_if_present()
    except Exception:
        log.exception("monitoring refresh after import failed")


def import_revert(*, actor: Any, batch: ImportBatch, request: Any = None) -> ImportBatch:
    """Put back every value the batch wrote (delete what it created, restore what it updated).

    Refused, with nothing changed, when a value has changed since the batch wrote it (a later batch
    or an edit): reverting would overwrite that newer data.
    """
    if batch.status != ImportBatch.Status.COMMITTED:
        raise ImportStateError(
            msg(
                f"只能撤销已提交的批次（批次 #{batch.pk} 为「{batch.get_status_display()}」）",
                f"only committed batches can be reverted (batch #{batch.pk} is {batch.status})",
            )
        )
    dataset = dataset_for(actor, batch.dataset)
    ctx = ImportContext(actor, batch.pk)
    adapter = dataset.adapter(ctx)
    model = adapter.model
    fields = {f.attname: f for f in model._meta.concrete_fields}
    with transaction.atomic():
        changes = list(batch.changes.order_by("id"))
        objects = model._default_manager.in_bulk({c.object_id for c in changes})
        conflicts: list[str] = []
        created: dict[int, models.Model] = {}
        updated: dict[int, models.Model] = {}
        restored_fields: set[str] = set()
        related: list[tuple[models.Model, str, object]] = []
        for change in changes:
            obj = objects.get(change.object_id)
            if obj is None:
                if change.action == ImportChange.Action.UPDATE:
                    conflicts.append(f"{model._meta.verbose_name} #{change.object_id}")
                continue
            if change.field in adapter.related_fields:
                now = _json(stored(adapter.related_value(obj, change.field)))
                if now != _json(change.new):
                    conflicts.append(f"{obj}：{change.field}")
                else:
                    related.append((obj, change.field, _json(change.old)))
                continue
            if change.field != "pk":
                model_field = fields[change.field]
                current = getattr(obj, change.field)
                if _parse(model_field, change.new) != current:
                    conflicts.append(f"{obj}：{model_field.verbose_name} = {display(current)}")
                    continue
            if change.action == ImportChange.Action.CREATE:
                created[obj.pk] = obj
            else:
                setattr(obj, change.field, _parse(fields[change.field], change.old))
                updated[obj.pk] = obj
                restored_fields.add(change.field)
        if conflicts:
            shown = "；".join(conflicts[:5]) + ("…" if len(conflicts) > 5 else "")
            raise RevertConflict(
                msg(
                    f"有 {len(conflicts)} 个值在导入后又被修改，撤销会覆盖新数据，未撤销：{shown}",
                    f"{len(conflicts)} value(s) changed after this import; not reverted",
                )
            )
        blockers = adapter.delete_blockers(list(created.values()))
        if blockers:
            raise RevertConflict(
                msg(
                    f"本批次新增的记录已被其他数据引用，撤销会一并删除它们，未撤销：{'；'.join(blockers)}",
                    "records this batch created are now referenced by other data; not reverted",
                )
            )
        adapter.restore([o for pk, o in updated.items() if pk not in created], restored_fields)
        for obj, name, value in related:
            try:
                adapter.restore_related(obj, name, value)
            except ValidationError as exc:  # e.g. a milestone reached since: the whole revert is refused
                raise RevertConflict(
                    msg(
                        f"{obj}：{'；'.join(exc.messages)}，未撤销",
                        f"{obj}: {'; '.join(exc.messages)}; not reverted",
                    )
                ) from exc
        adapter.delete(list(created.values()))
        batch.status = ImportBatch.Status.REVERTED
        batch.reverted_at = timezone.now()
        batch.reverted_by = actor if getattr(actor, "pk", None) else None
        batch.save(update_fields=["status", "reverted_at", "reverted_by"])
    _after_write(adapter, [])
    _log_event(actor, request, "revert", batch=batch)
    return batch


def _json(text: str | None) -> object:
    return None if text is None else json.loads(text)


def _parse(model_field: models.Field, text: str | None) -> object:
    if text is None:
        return None
    if isinstance(model_field, models.JSONField):
        try:
            return json.loads(text)
        except ValueError:  # written before JSON values were kept as JSON: compares unequal, a conflict
            return text
    return model_field.to_python(text)


def _log_event(
    actor: Any, request: Any, action: str, *, batch: ImportBatch | None = None, **detail: Any
) -> None:
    if batch is not None:
        detail.update(
            batch=batch.pk,
            dataset=batch.dataset,
            filename=batch.filename,
            sha256=batch.sha256,
            status=batch.status,
            created=batch.created_count,
            updated=batch.updated_count,
            errors=batch.error_count,
        )
    record_security_event(
        SecurityEvent.Kind.IMPORT, user=actor, request=request, detail={"action": action, **detail}
    )


# --- the summary a batch keeps -----------------------------------------------------------------------


def summarise(prepared: Prepared, *, earlier: Sequence[ImportBatch] = ()) -> dict[str, Any]:
    """What the preview page and the API show, as JSON kept on the batch."""
    labels = {c.key: c.label_zh for c in prepared.dataset.spec.columns}
    result = prepared.result
    problems = list(result.all_problems())
    errors = sum(1 for p in problems if p.is_error)
    creates, updates, unchanged = (prepared.of(a) for a in (Action.CREATE, Action.UPDATE, Action.UNCHANGED))
    nothing = not result.has_errors and bool(result.rows) and not creates and not updates
    adapter = prepared.adapter
    notes = []
    if nothing:
        notes.append(
            msg(
                "文件内容与系统中的数据完全一致，没有需要修改的内容",
                "nothing to change: the file matches what is already stored",
            )
        )
    for batch in earlier[:3]:
        when = timezone.localtime(batch.committed_at).strftime("%Y-%m-%d %H:%M") if batch.committed_at else ""
        notes.append(
            msg(
                f"同一文件已于 {when} 作为批次 #{batch.pk} 导入过",
                f"the same file was imported as batch #{batch.pk} on {when}",
            )
        )
    return {
        "format": result.format,
        "encoding": result.encoding,
        "header_map": result.header_map,
        "units": {
            k: {"unit": u, "source": s, "label": labels.get(k, k)} for k, (u, s) in result.units.items()
        },
        "counts": {
            "rows": len(result.rows),
            "create": len(creates),
            "update": len(updates),
            "unchanged": len(unchanged),
            "error_rows": prepared.error_rows,
            "errors": errors,
            "warnings": len(problems) - errors,
            "skipped_totals": result.skipped_totals,
            "skipped": len(result.skipped),
            "blank_rows": result.blank_rows,
        },
        "has_errors": result.has_errors,
        "nothing_to_change": nothing,
        "notes": notes,
        "problems": [
            {
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column_label,
                "severity": str(p.severity),
                "message": p.message,
            }
            for p in sorted(problems, key=lambda p: (not p.is_error, p.sheet or "", p.row or 0))[
                :PREVIEW_PROBLEMS
            ]
        ],
        "problems_total": len(problems),
        "create": [_shown(c, adapter) for c in creates[:PREVIEW_CHANGES]],
        "update": [_shown(c, adapter) for c in updates[:PREVIEW_CHANGES]],
        "unchanged": [_shown(c, adapter) for c in unchanged[:PREVIEW_CHANGES]],
        "skipped_rows": [
            {"sheet": s.sheet, "row": s.row_number, "message": s.describe()} for s in result.skipped[:100]
        ],
        "suggestions": prepared.ctx.suggestions[:PREVIEW_PROBLEMS],
    }


def _shown(change: Change, adapter: Adapter) -> dict[str, Any]:
    """One change for the preview: each field's label, old and new, numbers with their unit (and a
    money amount also in the unit its column had in the row's sheet, when that was 万元 …)."""
    model = getattr(adapter, "model", None)
    return {
        "sheet": change.row.sheet,
        "row": change.row.row_number,
        "label": change.label,
        "fields": [
            [d.label, *d.shown_with_unit(model, adapter.column_unit(change.row, d.field))]
            for d in change.diffs
        ],
    }
