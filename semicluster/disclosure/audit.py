"""LP interval audit (区间审计) of a suppression pattern.

For every primary-suppressed cell, find the smallest and largest value it can take given everything
published: the published cells, the additive relations of the table and non-negativity. This is the
attacker's best inference from the table alone. The pattern is safe when each interval reaches at
least the cell's protection level below and above its true value, and is never a single point.

With ``singleton_protection`` the audit also takes the view of each respondent that is the only one
in some suppressed cell: it knows that cell exactly, so the LP fixes it (the classic "two
single-respondent cells must not be paired" problem). Such an intruder also knows any cell it
contributes to is at least its own part, so for those cells the interval need only reach down to
that part. To keep the number of LPs down, each cell is first tested against all those respondents
at once (:data:`COALITION`, a stronger attacker than any one of them); only when that fails are
the public and the one-respondent scenarios solved separately, and they decide.

Floats live only inside this module: values are scaled to at most 1 for HiGHS and compared with a
relative tolerance; the report converts results back to Decimal.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy.optimize import linprog

from .rules import CellAssessment
from .tables import CellKey, Table

#: Relative tolerance (of the largest cell value) for comparing LP bounds with protection levels.
#: HiGHS works to ~1e-7 on the scaled problem; a miss smaller than this is solver noise.
RELATIVE_TOLERANCE = 1e-6

#: ``CellInterval.intruder`` of the scenario where every single-respondent suppressed cell is known.
COALITION = "*"

_Bound = tuple[float, float | None]


@dataclass(frozen=True, slots=True)
class _Optimum:
    value: float | None  # None: unbounded
    solution: np.ndarray | None


@dataclass(frozen=True, slots=True)
class CellInterval:
    """The feasible range of one suppressed cell as seen by one attacker (internal only)."""

    key: CellKey
    value: Decimal
    lower: Decimal
    upper: Decimal | None  # None: unbounded above
    required_lower: Decimal
    required_upper: Decimal
    # Respondent whose own knowledge was added; None for the general public; COALITION for all of them.
    intruder: str | None
    passed: bool

    @property
    def width(self) -> Decimal | None:
        return None if self.upper is None else self.upper - self.lower


@dataclass(frozen=True, slots=True)
class AuditReport:
    intervals: tuple[CellInterval, ...]

    @property
    def passed(self) -> bool:
        return all(interval.passed for interval in self.intervals)

    @property
    def failures(self) -> tuple[CellInterval, ...]:
        return tuple(interval for interval in self.intervals if not interval.passed)


class _LinearSystem:
    """The published equations over the suppressed cells, scaled for the solver."""

    def __init__(self, table: Table, suppressed: Collection[CellKey]) -> None:
        self.keys = [key for key in table.cells if key in suppressed]
        self.index = {key: i for i, key in enumerate(self.keys)}
        largest = max((cell.value for cell in table.cells.values()), default=Decimal(0))
        self.scale = largest if largest > 0 else Decimal(1)
        scale = float(self.scale)
        rows: list[np.ndarray] = []
        rhs: list[float] = []
        for relation in table.relations:
            hidden = [key for key in relation.cells if key in self.index]
            if not hidden:
                continue
            row = np.zeros(len(self.keys))
            known = Decimal(0)
            for key in relation.parts:
                if key in self.index:
                    row[self.index[key]] += 1.0
                else:
                    known -= table.value(key)
            if relation.total in self.index:
                row[self.index[relation.total]] -= 1.0
            else:
                known += table.value(relation.total)
            rows.append(row)
            rhs.append(float(known) / scale)
        self.a_eq = np.array(rows) if rows else None
        self.b_eq = np.array(rhs) if rows else None
        self.scaled_values = [float(table.value(key)) / scale for key in self.keys]

    def bounds(self, fixed: Collection[CellKey]) -> list[_Bound]:
        return [
            (self.scaled_values[i], self.scaled_values[i]) if key in fixed else (0.0, None)
            for i, key in enumerate(self.keys)
        ]

    def extremes(self, target: CellKey, bounds: list[_Bound]) -> tuple[_Optimum, _Optimum]:
        """Scaled minimum and maximum of the target, each with the solution that reaches it."""
        objective = np.zeros(len(self.keys))
        objective[self.index[target]] = 1.0
        low = linprog(objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=bounds, method="highs")
        if low.status != 0 or high.status not in (0, 3):
            # The true values always satisfy the system, so anything else is a solver failure.
            raise RuntimeError(
                f"线性规划求解失败 / LP audit failed for {target}: {low.message} {high.message}"
            )
        unbounded = _Optimum(None, None)
        return _Optimum(float(low.fun), low.x), (
            unbounded if high.status == 3 else _Optimum(-float(high.fun), high.x)
        )

    def respects(self, solution: np.ndarray | None, fixed: Collection[CellKey]) -> bool:
        """Whether a solution already gives the fixed cells their true values."""
        if solution is None:
            return False
        return all(abs(solution[self.index[k]] - self.scaled_values[self.index[k]]) <= 1e-9 for k in fixed)

    def to_decimal(self, scaled: float) -> Decimal:
        # Keep nine significant digits of the largest cell: the rest is the solver's noise
        # (499.99999928 for 500), far below any protection level.
        quantum = Decimal(1).scaleb(self.scale.adjusted() - 9)
        return (Decimal(repr(scaled)) * self.scale).quantize(quantum)


def _intruders(
    suppressed: Collection[CellKey], assessments: Mapping[CellKey, CellAssessment]
) -> dict[str, frozenset[CellKey]]:
    """Respondents that alone make up some suppressed cell, with the cells each one knows."""
    known: dict[str, set[CellKey]] = {}
    for key in suppressed:
        respondent = assessments[key].sole_respondent
        if respondent is not None:
            known.setdefault(respondent, set()).add(key)
    return {respondent: frozenset(keys) for respondent, keys in known.items()}


def _own_part(table: Table, key: CellKey, respondent: str) -> Decimal:
    return sum((c.value for c in table.cells[key].contributions if c.respondent == respondent), Decimal(0))


def audit_suppression(
    table: Table,
    suppressed: Collection[CellKey],
    assessments: Mapping[CellKey, CellAssessment],
    *,
    singleton_protection: bool = True,
    stop_at_first_failure: bool = False,
    known_safe: Collection[tuple[CellKey, str | None]] = (),
) -> AuditReport:
    """Audit every sensitive suppressed cell; see the module docstring for the attacker model.

    ``known_safe``: (cell, intruder) pairs that passed on a subset of this pattern. Hiding more cells
    only widens intervals, so they still pass and are skipped (the report then omits them). A pass
    against :data:`COALITION` stands for every scenario of the cell.
    """
    suppressed = frozenset(suppressed)
    targets = [key for key in table.cells if key in suppressed and assessments[key].sensitive]
    if not targets:
        return AuditReport(())
    system = _LinearSystem(table, suppressed)
    scale = float(system.scale)
    intruders = sorted(_intruders(suppressed, assessments).items()) if singleton_protection else []
    public_bounds = system.bounds(frozenset())
    intervals: list[CellInterval] = []

    def check(
        key: CellKey,
        intruder: str | None,
        fixed: frozenset[CellKey],
        public: tuple[_Optimum, _Optimum] | None,
    ) -> tuple[CellInterval, tuple[_Optimum, _Optimum]]:
        assessment = assessments[key]
        value = assessment.total
        required_lower = value - assessment.lower_protection
        if intruder is not None and intruder != COALITION:
            # A respondent of the cell knows the cell is at least its own part; the protection
            # level already allows for that insider (it is what the p% rule is about), so only
            # ask the interval to reach down to the intruder's own contribution.
            required_lower = max(required_lower, _own_part(table, key, intruder))
        required_upper = value + assessment.upper_protection
        if public is not None and all(system.respects(optimum.solution, fixed) for optimum in public):
            # Extra knowledge only narrows the interval; when the public optima already agree with
            # it, they stay optimal and the LPs need not run again.
            low, high = public
        else:
            low, high = system.extremes(key, system.bounds(fixed) if fixed else public_bounds)
        assert low.value is not None  # a minimum always exists: the cell is bounded below by 0
        passed = (
            low.value <= float(required_lower) / scale + RELATIVE_TOLERANCE
            and (high.value is None or high.value >= float(required_upper) / scale - RELATIVE_TOLERANCE)
            and (high.value is None or high.value - low.value > RELATIVE_TOLERANCE)
        )
        interval = CellInterval(
            key=key,
            value=value,
            lower=system.to_decimal(low.value),
            upper=None if high.value is None else system.to_decimal(high.value),
            required_lower=required_lower,
            required_upper=required_upper,
            intruder=intruder,
            passed=passed,
        )
        intervals.append(interval)
        return interval, (low, high)

    for key in targets:
        sole = assessments[key].sole_respondent
        # A respondent's own figures are no disclosure to itself.
        relevant = [(who, fixed) for who, fixed in intruders if key not in fixed and who != sole]
        if (key, COALITION) in known_safe:
            continue
        if relevant:
            # All single-respondent cells known at once is a stronger attacker than any one of them:
            # when the cell survives it (the common case) the separate scenarios cannot fail.
            coalition = frozenset().union(*(fixed for _, fixed in relevant))
            if check(key, COALITION, coalition, None)[0].passed:
                continue
            intervals.pop()  # too strong a test to report; the separate scenarios decide
        public: tuple[_Optimum, _Optimum] | None = None
        for who, fixed in [(None, frozenset()), *relevant]:
            if (key, who) in known_safe:
                continue
            verdict, optima = check(key, who, fixed, public)
            if who is None:
                public = optima
            if stop_at_first_failure and not verdict.passed:
                return AuditReport(tuple(intervals))
    return AuditReport(tuple(intervals))
