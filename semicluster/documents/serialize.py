"""Documents to and from JSON-ready dicts: the snapshot a published, immutable report version stores.

Table values keep their type: int stays a JSON number, Decimal is tagged ``{"decimal": "12.30"}`` so its
exact value and scale survive, text stays a string.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from semicluster.charts.spec import chart_from_dict, chart_to_dict
from semicluster.documents.model import (
    Block,
    Cell,
    CellValue,
    Document,
    Figure,
    Note,
    Paragraph,
    Section,
    Table,
    TableCell,
)

FORMAT_VERSION = 1


def _value_to_json(value: CellValue) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _value_from_json(data: Any) -> CellValue:
    if isinstance(data, dict):
        return Decimal(data["decimal"])
    if data is None or (isinstance(data, str | int) and not isinstance(data, bool)):
        return data
    raise ValueError(f"无法识别的表格值 / unrecognised table value: {data!r}")


def _cell_to_json(cell: TableCell) -> Any:
    if isinstance(cell, Cell):
        return {"cell": _value_to_json(cell.value), "colspan": cell.colspan, "rowspan": cell.rowspan}
    return _value_to_json(cell)


def _cell_from_json(data: Any) -> TableCell:
    if isinstance(data, dict) and "cell" in data:
        return Cell(_value_from_json(data["cell"]), data.get("colspan", 1), data.get("rowspan", 1))
    return _value_from_json(data)


def _block_to_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {
            "type": "paragraph",
            "text": block.text,
            "generated_text": block.generated_text,
            "edited_text": block.edited_text,
            "key": block.key,
        }
    if isinstance(block, Note):
        return {"type": "note", "text": block.text}
    if isinstance(block, Figure):
        return {
            "type": "figure",
            "chart": chart_to_dict(block.chart),
            "caption": block.caption,
            "alt_text": block.alt_text,
        }
    if isinstance(block, Table):
        return {
            "type": "table",
            "caption": block.caption,
            "unit": block.unit,
            "header_rows": [[_cell_to_json(c) for c in row] for row in block.header_rows],
            "body_rows": [[_cell_to_json(c) for c in row] for row in block.body_rows],
            "notes": list(block.notes),
            "align": list(block.align),
        }
    if isinstance(block, Section):
        return {
            "type": "section",
            "heading": block.heading,
            "numbered": block.numbered,
            "blocks": [_block_to_dict(b) for b in block.blocks],
        }
    raise TypeError(f"未知的文档块 / unknown block type: {type(block).__name__}")


def _block_from_dict(data: dict[str, Any]) -> Block:
    kind = data.get("type")
    if kind == "paragraph":
        return Paragraph(
            text=data.get("text", ""),
            generated_text=data.get("generated_text"),
            edited_text=data.get("edited_text"),
            key=data.get("key", ""),
        )
    if kind == "note":
        return Note(data["text"])
    if kind == "figure":
        return Figure(chart_from_dict(data["chart"]), data["caption"], data.get("alt_text", ""))
    if kind == "table":
        return Table(
            caption=data["caption"],
            unit=data.get("unit", ""),
            header_rows=tuple(tuple(_cell_from_json(c) for c in row) for row in data["header_rows"]),
            body_rows=tuple(tuple(_cell_from_json(c) for c in row) for row in data["body_rows"]),
            notes=tuple(data.get("notes", ())),
            align=tuple(data.get("align", ())),
        )
    if kind == "section":
        return Section(
            heading=data["heading"],
            numbered=data.get("numbered", True),
            blocks=tuple(_block_from_dict(b) for b in data.get("blocks", ())),
        )
    raise ValueError(f"未知的文档块类型 / unknown block type: {kind!r}")


def document_to_dict(document: Document) -> dict[str, Any]:
    """JSON-ready dict of ``document`` (``json.dumps`` accepts it as is)."""
    return {
        "format": FORMAT_VERSION,
        "title": document.title,
        "subtitle": document.subtitle,
        "issuer": document.issuer,
        "date": None if document.date is None else document.date.isoformat(),
        "meta": [list(kv) for kv in document.meta],
        "preamble": [_block_to_dict(b) for b in document.preamble],
        "sections": [_block_to_dict(s) for s in document.sections],
    }


def document_from_dict(data: dict[str, Any]) -> Document:
    """Inverse of document_to_dict; refuses snapshots of an unknown format version."""
    version = data.get("format")
    if version != FORMAT_VERSION:
        raise ValueError(f"文档格式版本 {version!r} 不受支持 / unsupported document format {version!r}")
    sections = tuple(_block_from_dict(s) for s in data.get("sections", ()))
    if not all(isinstance(s, Section) for s in sections):
        raise ValueError("顶层只能是章节 / top-level blocks must be sections")
    return Document(
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        issuer=data.get("issuer", ""),
        date=None if data.get("date") is None else dt.date.fromisoformat(data["date"]),
        meta=tuple(tuple(kv) for kv in data.get("meta", ())),  # type: ignore[misc]
        preamble=tuple(_block_from_dict(b) for b in data.get("preamble", ())),  # type: ignore[misc]
        sections=sections,  # type: ignore[arg-type]
    )
