"""The report model: one document, rendered to Word, HTML and PDF by separate renderers.

All classes are frozen dataclasses holding tuples, so a published report's content cannot be changed in
place and documents can be compared and hashed. Sequences passed in are converted to tuples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from semicluster.charts.spec import ChartSpec

Align = Literal["left", "center", "right"]
CellValue = str | int | Decimal | None


@dataclass(frozen=True)
class Paragraph:
    """Body text. A generated paragraph keeps the machine text beside the editor's version.

    ``text`` is authored text; ``generated_text`` is what the data produced ("全市半导体产业规模达 X 亿元…");
    ``edited_text`` is the reviewer's edit. What is printed is the edit if there is one, else the generated
    text, else ``text``.
    """

    text: str = ""
    generated_text: str | None = None
    edited_text: str | None = None
    # Stable name of a generated paragraph (e.g. "summary.scale"), so a reviewer's edit can be stored and
    # re-attached when the report is regenerated from fresher data.
    key: str = ""

    @classmethod
    def generated(cls, text: str, key: str = "") -> Paragraph:
        return cls(generated_text=text, key=key)

    def edit(self, new_text: str) -> Paragraph:
        """A copy carrying ``new_text`` as the edit, the generated text untouched."""
        return replace(self, edited_text=new_text)

    @property
    def is_edited(self) -> bool:
        return self.edited_text is not None and self.edited_text != (self.generated_text or self.text)

    @property
    def rendered_text(self) -> str:
        if self.edited_text is not None:
            return self.edited_text
        if self.generated_text is not None:
            return self.generated_text
        return self.text


@dataclass(frozen=True)
class Cell:
    """A table cell that spans columns or rows (plain values are 1×1 cells)."""

    value: CellValue
    colspan: int = 1
    rowspan: int = 1

    def __post_init__(self) -> None:
        if self.colspan < 1 or self.rowspan < 1:
            raise ValueError("单元格跨度须≥1 / colspan and rowspan must be at least 1")


TableCell = CellValue | Cell


def _rows(rows: object) -> tuple[tuple[TableCell, ...], ...]:
    return tuple(tuple(row) for row in rows)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Table:
    """A table with one or more header rows. Numeric cells (int/Decimal) are right-aligned by default."""

    caption: str
    header_rows: tuple[tuple[TableCell, ...], ...]
    body_rows: tuple[tuple[TableCell, ...], ...]
    notes: tuple[str, ...] = ()
    # Per-column alignment for body cells; None means: right for numbers, left for text.
    align: tuple[Align | None, ...] = ()
    unit: str = ""  # e.g. "单位：亿元", printed above the table on the right

    def __post_init__(self) -> None:
        object.__setattr__(self, "header_rows", _rows(self.header_rows))
        object.__setattr__(self, "body_rows", _rows(self.body_rows))
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "align", tuple(self.align))
        for a in self.align:
            if a not in (None, "left", "center", "right"):
                raise ValueError(f"对齐方式无效 / invalid alignment: {a!r}")


@dataclass(frozen=True)
class Figure:
    """A chart with its caption; rendered as PNG in Word/PDF and (by default) in HTML."""

    chart: ChartSpec
    caption: str
    alt_text: str = ""  # description for screen readers; defaults to the caption


@dataclass(frozen=True)
class Note:
    """A remark in smaller type, e.g. "注：数据来源于市统计局，为快报数。"."""

    text: str


@dataclass(frozen=True)
class Section:
    """A heading and its content. Nesting depth gives the GB/T 9704 level: 一、 / （一） / 1. / （1）.

    ``numbered=False`` prints the heading without a number (e.g. 附件).
    """

    heading: str
    blocks: tuple[Block, ...] = ()
    numbered: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))


Block = Paragraph | Table | Figure | Note | Section
MAX_SECTION_DEPTH = 4


@dataclass(frozen=True)
class Document:
    """A report or bulletin. ``issuer`` and ``date`` form the 落款 at the end, as in a 公文."""

    title: str
    subtitle: str = ""
    issuer: str = ""
    date: dt.date | None = None
    sections: tuple[Section, ...] = ()
    preamble: tuple[Paragraph | Table | Figure | Note, ...] = ()  # content before the first heading
    meta: tuple[tuple[str, str], ...] = field(default=())  # free key/value pairs (edition, data cut-off…)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "preamble", tuple(self.preamble))
        object.__setattr__(self, "meta", tuple(tuple(kv) for kv in self.meta))


def _map_paragraphs(blocks: tuple[Block, ...], fn: Callable[[Paragraph], Paragraph]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Section):
            out.append(replace(block, blocks=_map_paragraphs(block.blocks, fn)))
        elif isinstance(block, Paragraph):
            out.append(fn(block))
        else:
            out.append(block)
    return tuple(out)


def iter_paragraphs(document: Document) -> Iterator[Paragraph]:
    """Every paragraph in reading order."""
    stack: list[Block] = [*reversed(document.sections), *reversed(document.preamble)]
    while stack:
        block = stack.pop()
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Section):
            stack.extend(reversed(block.blocks))


def collect_edits(document: Document) -> dict[str, str]:
    """Reviewer edits of keyed paragraphs, key → edited text (what the report workflow stores)."""
    return {p.key: p.edited_text for p in iter_paragraphs(document) if p.key and p.edited_text is not None}


def apply_edits(document: Document, edits: Mapping[str, str]) -> Document:
    """A copy of ``document`` with stored edits attached to the paragraphs of the same key.

    The generated text stays beside each edit, so a reviewer can see what the data now says.
    """

    def fn(p: Paragraph) -> Paragraph:
        return p.edit(edits[p.key]) if p.key and p.key in edits else p

    return replace(
        document,
        preamble=_map_paragraphs(document.preamble, fn),  # type: ignore[arg-type]
        sections=_map_paragraphs(document.sections, fn),  # type: ignore[arg-type]
    )
