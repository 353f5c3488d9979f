"""Turn a Document into a flat list of numbered items that every renderer walks the same way.

Numbering (heading labels 一、/（一）/1./（1）, 表1, 图1) and cell formatting happen here once, so the Word,
HTML and PDF editions cannot disagree about a number or a label.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from semicluster.documents.model import (
    MAX_SECTION_DEPTH,
    Align,
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

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers never go higher)."""
    if not 1 <= n <= 99:
        raise ValueError(f"标题序号超出范围 / heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def heading_label(level: int, index: int) -> str:
    """GB/T 9704-2012 §7.3.3 heading numbers for levels 1–4."""
    if level == 1:
        return f"{chinese_numeral(index)}、"
    if level == 2:
        return f"（{chinese_numeral(index)}）"
    if level == 3:
        return f"{index}."
    if level == 4:
        return f"（{index}）"
    raise ValueError(f"标题层级须为1–4 / heading level must be 1–4, got {level}")


def chinese_date(date: dt.date) -> str:
    """2025年1月6日: full year, no zero padding (GB/T 9704-2012 §7.3.5.2)."""
    return f"{date.year}年{date.month}月{date.day}日"


def text_width_em(text: str) -> float:
    """Printed width in ems: CJK characters are one em, Latin letters and digits half (半角)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)


def signature_indents_em(lines: list[str], has_date: bool) -> list[float]:
    """Right indents (ems) for the 落款: date four characters in, issuer centred above the date."""
    if not has_date:
        return [2.0] * len(lines)
    date_width = text_width_em(lines[-1])
    return [
        4.0 if i == len(lines) - 1 else max(0.0, 4.0 + (date_width - text_width_em(line)) / 2)
        for i, line in enumerate(lines)
    ]


def format_value(value: CellValue) -> str:
    """A table value as printed. Decimals keep their scale (12.30 stays 12.30) with thousands separators."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        raise TypeError("表格不接受布尔值 / booleans are not table values")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"表格数值不是有限数 / not a finite number: {value}")
        return f"{value:,f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def is_numeric(value: CellValue) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


@dataclass(frozen=True)
class GridCell:
    """A cell placed on the table grid (row, col are the top-left corner)."""

    row: int
    col: int
    text: str
    colspan: int
    rowspan: int
    numeric: bool
    align: Align
    header: bool


@dataclass(frozen=True)
class TableLayout:
    n_cols: int
    n_header_rows: int
    n_rows: int
    cells: tuple[GridCell, ...]

    def rows(self) -> Iterator[tuple[int, list[GridCell]]]:
        by_row: dict[int, list[GridCell]] = {}
        for c in self.cells:
            by_row.setdefault(c.row, []).append(c)
        for r in range(self.n_rows):
            yield r, by_row.get(r, [])


def layout_table(table: Table) -> TableLayout:
    """Place cells on a grid, honouring col/row spans, and check every row fills the same width.

    Body alignment: an explicit ``table.align`` entry wins; otherwise a column whose filled body cells are
    all numbers is right-aligned, including its empty ("—") cells, and any other column is left-aligned.
    """
    all_rows: list[tuple[TableCell, ...]] = [*table.header_rows, *table.body_rows]
    occupied: set[tuple[int, int]] = set()
    row_width: dict[int, int] = {}
    placed: list[tuple[int, int, Cell]] = []
    for r, row in enumerate(all_rows):
        col = 0
        for raw in row:
            cell = raw if isinstance(raw, Cell) else Cell(raw)
            while (r, col) in occupied:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, col + dc))
                    row_width[r + dr] = max(row_width.get(r + dr, 0), col + dc + 1)
            placed.append((r, col, cell))
            col += cell.colspan
    widths = [row_width.get(r, 0) for r in range(len(all_rows))]
    n_cols = max(widths, default=0)
    for r, w in enumerate(widths):
        if w != n_cols:
            raise ValueError(
                f"表“{table.caption}”第{r + 1}行有{w}列，应为{n_cols}列 / "
                f"table {table.caption!r} row {r + 1} spans {w} columns, expected {n_cols}"
            )
    if any(r >= len(all_rows) for r in row_width):
        raise ValueError(f"表“{table.caption}”的跨行超出表尾 / a rowspan runs past the end of the table")

    n_header = len(table.header_rows)
    text_columns: set[int] = set()
    for r, col, cell in placed:
        if r >= n_header and cell.value is not None and not is_numeric(cell.value):
            text_columns.add(col)
    cells: list[GridCell] = []
    for r, col, cell in placed:
        header = r < n_header
        explicit = table.align[col] if col < len(table.align) else None
        if header:
            align: Align = "center"
        elif explicit is not None:
            align = explicit
        else:
            align = "left" if col in text_columns else "right"
        numeric = is_numeric(cell.value)
        text = format_value(cell.value)
        cells.append(GridCell(r, col, text, cell.colspan, cell.rowspan, numeric, align, header))
    return TableLayout(n_cols, n_header, len(all_rows), tuple(cells))


# --- flattened items -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadingItem:
    level: int  # 1..4
    label: str  # "一、", "" when unnumbered
    text: str

    @property
    def full_text(self) -> str:
        return f"{self.label}{self.text}"


@dataclass(frozen=True)
class ParagraphItem:
    text: str


@dataclass(frozen=True)
class NoteItem:
    text: str


@dataclass(frozen=True)
class TableItem:
    number: int
    table: Table
    layout: TableLayout

    @property
    def caption(self) -> str:
        return f"表{self.number}　{self.table.caption}"


@dataclass(frozen=True)
class FigureItem:
    number: int
    figure: Figure

    @property
    def caption(self) -> str:
        return f"图{self.number}　{self.figure.caption}"

    @property
    def alt_text(self) -> str:
        return self.figure.alt_text or self.figure.caption


Item = HeadingItem | ParagraphItem | NoteItem | TableItem | FigureItem


class _Counter:
    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0


def _blocks(blocks: tuple[Block, ...], level: int, counter: _Counter) -> Iterator[Item]:
    index = 0
    for block in blocks:
        if isinstance(block, Section):
            if level + 1 > MAX_SECTION_DEPTH:
                raise ValueError(
                    f"章节“{block.heading}”嵌套超过{MAX_SECTION_DEPTH}级 / "
                    f"section {block.heading!r} is nested deeper than {MAX_SECTION_DEPTH} levels"
                )
            label = ""
            if block.numbered:
                index += 1
                label = heading_label(level + 1, index)
            yield HeadingItem(level + 1, label, block.heading)
            yield from _blocks(block.blocks, level + 1, counter)
        elif isinstance(block, Paragraph):
            yield ParagraphItem(block.rendered_text)
        elif isinstance(block, Note):
            yield NoteItem(block.text)
        elif isinstance(block, Table):
            counter.tables += 1
            yield TableItem(counter.tables, block, layout_table(block))
        elif isinstance(block, Figure):
            counter.figures += 1
            yield FigureItem(counter.figures, block)
        else:
            raise TypeError(f"未知的文档块 / unknown block type: {type(block).__name__}")


def flatten(document: Document) -> list[Item]:
    """The document body (after the title, before the 落款) as numbered items in reading order."""
    counter = _Counter()
    items = list(_blocks(document.preamble, 0, counter))
    items.extend(_blocks(document.sections, 0, counter))
    return items


def signature_lines(document: Document) -> list[str]:
    """落款: issuer then date, right-aligned at the end of the document."""
    lines = []
    if document.issuer:
        lines.append(document.issuer)
    if document.date is not None:
        lines.append(chinese_date(document.date))
    return lines
