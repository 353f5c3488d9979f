"""Secondary (complementary) suppression (二次隐藏).

A suppressed cell alone in a row is recovered by subtracting the published cells from the published
total. :func:`complementary_suppression` is a greedy heuristic run to a fixed point over every line
of the table (margins included, since totals are cells):

* a line holding exactly one suppressed cell gets a complement;
* a line holding exactly two suppressed cells that are single-respondent cells of *different*
  respondents gets a third, since each respondent could otherwise recover the other's cell;
* the complement is the least informative publishable cell of the line: one at least as large as the
  protection the line's primary cells need (a smaller complement cannot give them room), an inner
  cell before a total, the smallest value first, and half price when it also completes another line.

The heuristic is necessary but not sufficient in two-way tables (suppressed cells can still be pinned
by combining several lines), so :func:`secure_suppression` audits the result with the LP of
:mod:`.audit` and keeps adding complements next to the failing cell until the audit passes. That
always ends: suppressing every non-empty cell passes, because the true values can then be scaled
up and down along the margins.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal

from .audit import AuditReport, audit_suppression
from .rules import CellAssessment, DisclosureParameters
from .tables import CellKey, Relation, Table


def _needs_complement(
    relation: Relation, suppressed: Collection[CellKey], assessments: Mapping[CellKey, CellAssessment]
) -> bool:
    hidden = [key for key in relation.cells if key in suppressed]
    if len(hidden) == 1:
        return True
    if len(hidden) == 2:
        first, second = (assessments[key].sole_respondent for key in hidden)
        return first is not None and second is not None and first != second
    return False


def _choose(
    table: Table,
    candidates: list[CellKey],
    needed: Decimal,
    suppressed: Collection[CellKey],
    assessments: Mapping[CellKey, CellAssessment],
    order: Mapping[CellKey, int],
    serving: Relation | None = None,
) -> CellKey | None:
    """The cheapest candidate; ``serving`` is the line being completed (no bonus for it)."""
    if not candidates:
        return None

    def cost(key: CellKey) -> tuple[bool, bool, Decimal, int]:
        cell = table.cells[key]
        value = cell.value
        also_completes = any(
            other is not serving and _needs_complement(other, suppressed, assessments)
            for other in table.relations_of(key)
        )
        if also_completes:
            value /= 2
        return (cell.value < needed, cell.is_total, value, order[key])

    return min(candidates, key=cost)


def complementary_suppression(
    table: Table,
    suppressed: Collection[CellKey],
    assessments: Mapping[CellKey, CellAssessment],
) -> frozenset[CellKey]:
    """Grow ``suppressed`` (primary plus any carried cells) until every line is covered."""
    hidden = set(suppressed)
    order = {key: i for i, key in enumerate(table.cells)}
    progress = True
    while progress:
        progress = False
        for relation in table.relations:
            if not _needs_complement(relation, hidden, assessments):
                continue
            candidates = [
                key for key in relation.cells if key not in hidden and not table.cells[key].is_empty
            ]
            needed = max(
                (assessments[key].upper_protection for key in relation.cells if key in hidden),
                default=Decimal(0),
            )
            choice = _choose(table, candidates, needed, hidden, assessments, order, relation)
            if choice is not None:
                hidden.add(choice)
                progress = True
    return frozenset(hidden)


def _augment(
    table: Table,
    hidden: Collection[CellKey],
    failing: CellKey,
    assessments: Mapping[CellKey, CellAssessment],
) -> CellKey | None:
    """One more cell to suppress for a cell that failed the audit: nearest lines first."""
    order = {key: i for i, key in enumerate(table.cells)}
    needed = assessments[failing].upper_protection
    near = [key for relation in table.relations_of(failing) for key in relation.cells]
    around = [key for h in hidden for relation in table.relations_of(h) for key in relation.cells]
    for pool in (near, around, list(table.cells)):
        candidates = sorted({key for key in pool if key not in hidden and not table.cells[key].is_empty})
        choice = _choose(table, candidates, needed, hidden, assessments, order)
        if choice is not None:
            return choice
    # Only empty cells are left; hiding them still widens the intervals.
    remaining = [key for key in table.cells if key not in hidden]
    return remaining[0] if remaining else None


def secure_suppression(
    table: Table,
    primary: Collection[CellKey],
    assessments: Mapping[CellKey, CellAssessment],
    params: DisclosureParameters,
    carried: Collection[CellKey] = (),
) -> tuple[frozenset[CellKey], AuditReport]:
    """Heuristic complements, then audit-driven additions until the LP audit passes.

    Returns every suppressed cell (primary, carried and secondary) and the full, passing audit.
    """
    hidden = set(complementary_suppression(table, {*primary, *carried}, assessments))
    passed: set[tuple[CellKey, str | None]] = set()
    rounds = 0
    while True:
        rounds += 1
        # Stopping at the first failure keeps each round cheap, and what passed stays passed.
        report = audit_suppression(
            table,
            hidden,
            assessments,
            singleton_protection=params.singleton_protection,
            stop_at_first_failure=True,
            known_safe=passed,
        )
        passed.update((i.key, i.intruder) for i in report.intervals if i.passed)
        if report.passed:
            break
        extra = _augment(table, hidden, report.failures[0].key, assessments)
        if extra is None:
            raise RuntimeError(
                f"无法保护表“{table.title}” / cannot protect table {table.title!r} even fully suppressed"
            )
        hidden.add(extra)
        hidden = set(complementary_suppression(table, hidden, assessments))
    if rounds > 1:
        # Earlier rounds' intervals were skipped; report the final pattern in full.
        report = audit_suppression(
            table, hidden, assessments, singleton_protection=params.singleton_protection
        )
    return frozenset(hidden), report
