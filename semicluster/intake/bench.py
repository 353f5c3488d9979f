"""`semicluster bench import`: a 100,000-row period-data workbook through preview and commit.

Measured in one run on the configured database (wall clock, and this process's CPU time, which tells a
busy machine apart from slow code): reading the file alone (python-calamine), parsing and
validating (cells, rows, enterprise look-ups, changes), writing (bulk inserts of values, history and
change records), the ratio of the whole commit to reading the file alone, and the peak memory (RSS).
The batch is reverted afterwards (timed too) unless ``keep``, so the database is left as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import resource
import sys
import time
from typing import Any

import openpyxl
from django.db import connection

from semicluster.enterprises.models import Enterprise, Measure

from . import services
from .codes import choices
from .models import ImportBatch
from .reading import read_workbook

HEADER = ["统一社会信用代码", "企业名称", "指标", "统计期", "口径", "数值（万元）"]


def generate(firms: list[tuple[str, str]], n_rows: int, seed: int = 2025) -> bytes:
    """Monthly year-to-date figures for every firm and measure, going back month by month from 2024-12,
    with the period written three ways (2024年6月, 2024-06, a date cell) as real files mix them."""
    rng = random.Random(seed)
    labels = [label for _code, label in choices(Measure)]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("经济指标")
    ws.append(["2024年重点企业主要经济指标（测试数据）"])
    ws.append(HEADER)
    written = 0
    year, month = 2024, 12
    while written < n_rows:
        for code, name in firms:
            for label in labels:
                if written >= n_rows:
                    break
                form = written % 3
                period: object = (
                    f"{year}年{month}月"
                    if form == 0
                    else f"{year}-{month:02d}"
                    if form == 1
                    else dt.datetime(year, month, 1)
                )
                value = rng.randint(5, 3000) if label == "从业人员" else round(rng.uniform(0, 100_000), 2)
                ws.append([code, name, label, period, "累计", value])
                written += 1
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def run_import_bench(n_rows: int = 100_000, *, keep: bool = False, seed: int = 2025) -> dict[str, Any]:
    firms = list(Enterprise.objects.order_by("id").values_list("credit_code", "name"))
    if not firms:
        raise RuntimeError("no enterprises: run `semicluster demo` first")
    started = time.perf_counter()
    data = generate(firms, n_rows, seed)
    generated = time.perf_counter()
    c0 = time.process_time()
    book = read_workbook("bench.xlsx", data)
    read, read_cpu = time.perf_counter() - generated, time.process_time() - c0
    del book
    t0, c0 = time.perf_counter(), time.process_time()
    batch = services.import_preview(
        actor=None, dataset_key="period_values", filename="bench-period-data.xlsx", data=data
    )
    preview, preview_cpu = time.perf_counter() - t0, time.process_time() - c0
    if batch.summary.get("has_errors"):
        raise RuntimeError(f"the generated workbook has errors: {batch.summary['problems'][:3]}")
    t0, c0 = time.perf_counter(), time.process_time()
    services.import_commit(actor=None, batch=batch)
    commit, commit_cpu = time.perf_counter() - t0, time.process_time() - c0
    timings = batch.summary["timings"]
    figures: dict[str, Any] = {
        "database": connection.vendor,
        "rows": n_rows,
        "file_mb": round(len(data) / 1024 / 1024, 2),
        "generate_s": round(generated - started, 2),
        "read_s": round(read, 2),
        "preview_s": round(preview, 2),
        "commit_s": round(commit, 2),
        "read_cpu_s": round(read_cpu, 2),
        "preview_cpu_s": round(preview_cpu, 2),
        "commit_cpu_s": round(commit_cpu, 2),
        "parse_s": timings["parse"],
        "plan_s": timings["plan"],
        "write_s": timings["write"],
        "transaction_s": timings["total"],
        "refresh_s": timings.get("refresh", 0.0),
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "reading_rows_per_s": round(n_rows / read),
        "validating_rows_per_s": round(n_rows / (timings["parse"] + timings["plan"])),
        "writing_rows_per_s": round(n_rows / timings["write"]) if timings["write"] else None,
        "commit_to_read_ratio": round(timings["total"] / read, 1),
        "peak_memory_mb": round(peak_memory_mb()),
        "batch": batch.pk,
    }
    if not keep:
        t0 = time.perf_counter()
        services.import_revert(actor=None, batch=batch)
        figures["revert_s"] = round(time.perf_counter() - t0, 2)
        ImportBatch.objects.filter(pk=batch.pk).update(summary={**batch.summary, "bench": True})
    return figures


def report(figures: dict[str, Any]) -> str:
    f = figures
    lines = [
        f"import benchmark on {f['database']}: {f['rows']:,} period-data rows ({f['file_mb']} MB .xlsx)",
        f"  generate workbook     {f['generate_s']:>8.2f} s",
        f"  read file alone       {f['read_s']:>8.2f} s   {f['reading_rows_per_s']:>9,} rows/s",
        f"  preview (parse+plan)  {f['preview_s']:>8.2f} s",
        f"  commit                {f['commit_s']:>8.2f} s   = import {f['transaction_s']} s "
        f"(parse {f['parse_s']} s, plan {f['plan_s']} s, write {f['write_s']} s)"
        f" + refresh of tiers and indicators {f['refresh_s']} s",
        f"  validating            {f['validating_rows_per_s']:>9,} rows/s (parse + plan)",
        f"  writing               {f['writing_rows_per_s'] or 0:>9,} rows/s "
        f"({f['created']:,} created, {f['updated']:,} updated, {f['unchanged']:,} unchanged)",
        f"  import / read alone   {f['commit_to_read_ratio']:>8.1f} ×",
        f"  CPU time of this process: read {f['read_cpu_s']} s, preview {f['preview_cpu_s']} s, "
        f"commit {f['commit_cpu_s']} s (the database server's own time is not in these)",
        f"  peak memory (RSS)     {f['peak_memory_mb']:>8,} MB",
    ]
    if "revert_s" in f:
        lines.append(f"  revert (cleanup)      {f['revert_s']:>8.2f} s")
    return "\n".join(lines)
