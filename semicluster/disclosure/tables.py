"""Additive magnitude tables (汇总表) with margins, built from per-cell contribution lists.

A one-way table is categories plus a total; a two-way table is rows × columns plus row totals,
column totals and the grand total. Totals are cells like any other: they get the primary rules
(a district total may hold two firms only) and can be suppressed. The additive structure is kept as
:class:`Relation` objects, one per line of the table (total = Σ parts), which is all the secondary
suppression and the LP audit need to know about the shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .rules import Contribution

#: Label of the margins. A category may not be called this.
TOTAL = "合计"

#: ``(category,)`` in a one-way table, ``(row, column)`` in a two-way table; totals use :data:`TOTAL`.
CellKey = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    key: CellKey
    contributions: tuple[Contribution, ...]
    is_total: bool
    value: Decimal = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", sum((c.value for c in self.contributions), Decimal(0)))

    @property
    def is_empty(self) -> bool:
        """No respondent at all: publishing its zero reveals nobody."""
        return not self.contributions


@dataclass(frozen=True, slots=True)
class Relation:
    """One additive line of the table: ``total = Σ parts``."""

    total: CellKey
    parts: tuple[CellKey, ...]

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return (*self.parts, self.total)


def _check_labels(labels: Sequence[str], what: str) -> tuple[str, ...]:
    labels = tuple(labels)
    if not labels:
        raise ValueError(f"{what}为空 / no {what} labels")
    if len(set(labels)) != len(labels):
        raise ValueError(f"{what}标签重复 / duplicate {what} labels")
    if TOTAL in labels:
        raise ValueError(f"标签不可为“{TOTAL}” / a label may not be {TOTAL!r}: it names the margins")
    return labels


class Table:
    """A one- or two-way magnitude table. Build it with :meth:`one_way` or :meth:`two_way`."""

    def __init__(
        self,
        title: str,
        rows: tuple[str, ...],
        columns: tuple[str, ...] | None,
        cells: dict[CellKey, Cell],
        relations: tuple[Relation, ...],
    ) -> None:
        self.title = title
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.relations = relations
        lines: dict[CellKey, list[int]] = {key: [] for key in cells}
        for index, relation in enumerate(relations):
            for key in relation.cells:
                lines[key].append(index)
        self._lines = {key: tuple(indexes) for key, indexes in lines.items()}

    @property
    def is_two_way(self) -> bool:
        return self.columns is not None

    @classmethod
    def one_way(
        cls, title: str, categories: Sequence[str], contributions: Mapping[str, Iterable[Contribution]]
    ) -> Table:
        """Categories and their total, e.g. output by chain segment (产业链环节)."""
        labels = _check_labels(categories, "分类 category")
        unknown = set(contributions) - set(labels)
        if unknown:
            raise ValueError(f"未知分类 / unknown categories: {sorted(unknown)}")
        parts = {label: tuple(contributions.get(label, ())) for label in labels}
        cells: dict[CellKey, Cell] = {(label,): Cell((label,), parts[label], False) for label in labels}
        everything = tuple(c for label in labels for c in parts[label])
        cells[(TOTAL,)] = Cell((TOTAL,), everything, True)
        relation = Relation((TOTAL,), tuple((label,) for label in labels))
        return cls(title, labels, None, cells, (relation,))

    @classmethod
    def two_way(
        cls,
        title: str,
        rows: Sequence[str],
        columns: Sequence[str],
        contributions: Mapping[tuple[str, str], Iterable[Contribution]],
    ) -> Table:
        """Rows × columns with row totals, column totals and the grand total (e.g. 区镇 × 环节)."""
        row_labels = _check_labels(rows, "行 row")
        col_labels = _check_labels(columns, "列 column")
        unknown = [key for key in contributions if key[0] not in row_labels or key[1] not in col_labels]
        if unknown:
            raise ValueError(f"未知单元格 / cells outside the table: {sorted(unknown)}")
        inner = {(r, c): tuple(contributions.get((r, c), ())) for r in row_labels for c in col_labels}
        cells: dict[CellKey, Cell] = {key: Cell(key, values, False) for key, values in inner.items()}
        for r in row_labels:
            cells[(r, TOTAL)] = Cell((r, TOTAL), tuple(x for c in col_labels for x in inner[(r, c)]), True)
        for c in col_labels:
            cells[(TOTAL, c)] = Cell((TOTAL, c), tuple(x for r in row_labels for x in inner[(r, c)]), True)
        cells[(TOTAL, TOTAL)] = Cell(
            (TOTAL, TOTAL), tuple(x for values in inner.values() for x in values), True
        )

        all_rows = (*row_labels, TOTAL)
        all_cols = (*col_labels, TOTAL)
        relations = [Relation((r, TOTAL), tuple((r, c) for c in col_labels)) for r in all_rows]
        relations += [Relation((TOTAL, c), tuple((r, c) for r in row_labels)) for c in all_cols]
        # Display order: rows top to bottom, each left to right, margins last.
        ordered: dict[CellKey, Cell] = {(r, c): cells[(r, c)] for r in all_rows for c in all_cols}
        return cls(title, row_labels, col_labels, ordered, tuple(relations))

    @classmethod
    def from_records(
        cls,
        title: str,
        records: Iterable[tuple[CellKey, Contribution]],
        rows: Sequence[str],
        columns: Sequence[str] | None = None,
    ) -> Table:
        """Group ``(cell key, contribution)`` records (e.g. one per enterprise row of a query)."""
        grouped: dict[CellKey, list[Contribution]] = {}
        for key, contribution in records:
            grouped.setdefault(tuple(key), []).append(contribution)
        if columns is None:
            bad = [key for key in grouped if len(key) != 1]
            if bad:
                raise ValueError(f"一维表的键须为一元组 / one-way keys must be 1-tuples: {bad[:3]}")
            return cls.one_way(title, rows, {key[0]: values for key, values in grouped.items()})
        bad = [key for key in grouped if len(key) != 2]
        if bad:
            raise ValueError(f"二维表的键须为二元组 / two-way keys must be 2-tuples: {bad[:3]}")
        return cls.two_way(title, rows, columns, {(k[0], k[1]): v for k, v in grouped.items()})

    def value(self, key: CellKey) -> Decimal:
        return self.cells[key].value

    def relations_of(self, key: CellKey) -> tuple[Relation, ...]:
        """The lines (additive relations) the cell takes part in."""
        return tuple(self.relations[index] for index in self._lines[key])

    def __repr__(self) -> str:
        shape = f"{len(self.rows)}×{len(self.columns)}" if self.columns is not None else f"{len(self.rows)}"
        return f"Table({self.title!r}, {shape})"
