"""Plain-text tables for the command line, aligned for Chinese (wide characters take two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, max_width: int = 60) -> str:
    cells = [[clip("" if v is None else str(v), max_width) for v in row] for row in rows]
    heads = [str(h) for h in headers]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(heads)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(heads), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def preview_report(summary: dict[str, Any], *, limit: int = 50) -> str:
    """The preview as text: counts, problems with sheet/row/column, changes (old → new), suggestions."""
    counts = summary.get("counts", {})
    parts = [
        table(
            [
                "数据行 rows",
                "新增 create",
                "修改 update",
                "不变 unchanged",
                "错误行 error rows",
                "跳过合计 totals",
            ],
            [
                [
                    counts.get(k, 0)
                    for k in ("rows", "create", "update", "unchanged", "error_rows", "skipped_totals")
                ]
            ],
        )
    ]
    if summary.get("units"):
        parts.append(
            "单位 units: "
            + "; ".join(f"{k}={u['unit']} ({u['source']})" for k, u in summary["units"].items())
        )
    parts.extend(summary.get("notes", []))
    problems = summary.get("problems", [])
    if problems:
        parts.append(f"\n问题 problems ({summary.get('problems_total', len(problems))}):")
        rows = [
            [
                "错误" if p["severity"] == "error" else "提示",
                p["sheet"] or "",
                p["row"] or "",
                p["column"] or "",
                p["message"],
            ]
            for p in problems[:limit]
        ]
        parts.append(
            table(["级别", "工作表 sheet", "行 row", "列 column", "说明 message"], rows, max_width=90)
        )
    for kind, title in (("update", "修改 updates (old → new)"), ("create", "新增 creates")):
        changes = summary.get(kind, [])
        if changes:
            parts.append(f"\n{title}:")
            rows = [
                [c["row"], c["label"], f[0], f[1], f[2]]
                for c in changes[:limit]
                for f in (c["fields"] or [["", "", ""]])
            ]
            parts.append(table(["行 row", "记录 record", "字段 field", "原值 old", "新值 new"], rows[:limit]))
    suggestions = summary.get("suggestions", [])
    if suggestions:
        parts.append("\n名称建议（不会自动采用） name suggestions (never applied):")
        rows = [
            [s["row"], s["name"], "；".join(f"{c['name']} {c['credit_code']}" for c in s["candidates"])]
            for s in suggestions[:limit]
        ]
        parts.append(
            table(
                ["行 row", "文件中的名称 name in file", "相近的已登记企业 similar registered"],
                rows,
                max_width=80,
            )
        )
    return "\n".join(parts)
