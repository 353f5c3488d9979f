"""Test helpers for the apps' importable datasets: a workbook from rows, and one dataset's upload run
through ``intake.services`` (preview, preview-then-commit, the problems found) as a clerk would."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl

from semicluster.intake import services
from semicluster.intake.models import ImportBatch
from semicluster.intake.problems import Problem
from semicluster.intake.registry import get_dataset


def xlsx_file(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    sheet: str,
    title: str | None = None,
) -> bytes:
    """An .xlsx file with one sheet: the title line (when given), the header row, then the rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title is not None:
        ws.append([title])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class DatasetUpload:
    """Uploads of one dataset under one file name."""

    dataset_key: str
    filename: str

    def preview(self, actor: Any, data: bytes) -> ImportBatch:
        return services.import_preview(
            actor=actor, dataset_key=self.dataset_key, filename=self.filename, data=data
        )

    def run(self, actor: Any, data: bytes) -> ImportBatch:
        """The preview, committed when it found no errors (else the previewed batch)."""
        batch = self.preview(actor, data)
        if batch.error_count:
            return batch
        return services.import_commit(actor=actor, batch=batch)

    def problems(self, actor: Any, data: bytes) -> list[Problem]:
        """The errors on the file's rows, without storing a batch."""
        dataset = get_dataset(self.dataset_key)
        assert dataset is not None
        prepared = services.import_prepare(dataset, self.filename, data, actor=actor)
        return [p for row in prepared.result.rows for p in row.problems if p.is_error]
