"""The one entry point for publishers: :func:`protect_table`.

The result keeps two views apart. The **public view** (:meth:`ProtectedTable.public_value`,
:meth:`~ProtectedTable.public_cells`, :meth:`~ProtectedTable.public_rows`) shows each cell's exact
Decimal value or the single symbol :data:`SUPPRESSION_SYMBOL`, the same for primary and secondary
suppressions, so a reader learns neither which cells are sensitive nor which rule fired. The
**internal view** (:attr:`ProtectedCell.kind`, :attr:`ProtectedCell.reasons`, the audit) is for the
bureau's own edition and for persisting the suppression pattern of a release, so that a later release
does not reveal a cell hidden in an earlier one (pass it back as ``carried``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .audit import AuditReport
from .rules import CellAssessment, DisclosureParameters, SensitivityReason, assess_cell
from .secondary import secure_suppression
from .tables import TOTAL, CellKey, Table

#: The public marker of every withheld figure.
SUPPRESSION_SYMBOL = "x"
#: The footnote that goes under any public table containing the marker.
PUBLIC_FOOTNOTE = (
    f"{SUPPRESSION_SYMBOL}：为保护企业商业秘密，部分数据不予公布。 / "
    f"{SUPPRESSION_SYMBOL}: withheld to protect enterprises' confidential data."
)


class SuppressionKind(StrEnum):
    PRIMARY = "primary"  # failed a primary rule itself
    SECONDARY = "secondary"  # hidden so a primary cell cannot be recomputed (or carried from a release)


@dataclass(frozen=True, slots=True)
class ProtectedCell:
    """One cell after protection. ``value``, ``kind`` and ``reasons`` are internal."""

    key: CellKey
    value: Decimal
    kind: SuppressionKind | None
    reasons: tuple[SensitivityReason, ...]

    @property
    def suppressed(self) -> bool:
        return self.kind is not None

    @property
    def public(self) -> Decimal | str:
        """What may be published: the exact value, or the suppression symbol."""
        return SUPPRESSION_SYMBOL if self.suppressed else self.value


@dataclass(frozen=True, slots=True)
class ProtectedTable:
    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...] | None
    cells: dict[CellKey, ProtectedCell]
    audit: AuditReport

    # Public view ---------------------------------------------------------------------------------

    def public_value(self, key: CellKey) -> Decimal | str:
        return self.cells[key].public

    def public_cells(self) -> dict[CellKey, Decimal | str]:
        return {key: cell.public for key, cell in self.cells.items()}

    def public_rows(self) -> list[tuple[str, list[Decimal | str]]]:
        """Row label and the row's public values, margins last (a one-way table is one column)."""
        if self.columns is None:
            return [(label, [self.public_value((label,))]) for label in (*self.rows, TOTAL)]
        columns = (*self.columns, TOTAL)
        return [(r, [self.public_value((r, c)) for c in columns]) for r in (*self.rows, TOTAL)]

    @property
    def has_suppressions(self) -> bool:
        """Whether the public table needs :data:`PUBLIC_FOOTNOTE`."""
        return any(cell.suppressed for cell in self.cells.values())

    # Internal view -------------------------------------------------------------------------------

    @property
    def suppression_pattern(self) -> frozenset[CellKey]:
        """Every hidden cell: persist it with the release and pass it as ``carried`` next time."""
        return frozenset(key for key, cell in self.cells.items() if cell.suppressed)

    @property
    def primary(self) -> frozenset[CellKey]:
        return frozenset(key for key, cell in self.cells.items() if cell.kind is SuppressionKind.PRIMARY)

    @property
    def secondary(self) -> frozenset[CellKey]:
        return frozenset(key for key, cell in self.cells.items() if cell.kind is SuppressionKind.SECONDARY)


def assess_table(table: Table, params: DisclosureParameters) -> dict[CellKey, CellAssessment]:
    """The primary rules on every cell, totals included."""
    return {key: assess_cell(cell.contributions, params) for key, cell in table.cells.items()}


def protect_table(
    table: Table, params: DisclosureParameters, carried: Collection[CellKey] = ()
) -> ProtectedTable:
    """Primary rules, complementary suppression and a passing LP audit, in one call.

    ``carried``: cells hidden in an earlier release of this table; they stay hidden (as secondary).
    Keys that no longer exist in the table are ignored, because the table's categories may change.
    """
    assessments = assess_table(table, params)
    primary = frozenset(key for key, assessment in assessments.items() if assessment.sensitive)
    carried_here = frozenset(key for key in carried if key in table.cells)
    hidden, report = secure_suppression(table, primary, assessments, params, carried_here)
    cells = {}
    for key, cell in table.cells.items():
        if key in primary:
            kind: SuppressionKind | None = SuppressionKind.PRIMARY
        elif key in hidden:
            kind = SuppressionKind.SECONDARY
        else:
            kind = None
        cells[key] = ProtectedCell(key, cell.value, kind, assessments[key].reasons)
    return ProtectedTable(table.title, table.rows, table.columns, cells, report)
