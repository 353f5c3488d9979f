"""Property tests on random tables (hypothesis).

The LP check here is written independently of :mod:`semicluster.disclosure.audit`: one variable per
cell (published cells fixed, suppressed cells ≥ 0), one equation per line of the table, in plain
floats with no scaling, so a bug in the engine's own audit cannot hide a disclosure.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from semicluster.disclosure import (
    SUPPRESSION_SYMBOL,
    Contribution,
    DisclosureParameters,
    DominanceRule,
    ProtectedTable,
    Table,
    assess_cell,
    protect_table,
)

# Enterprises 0–5 belong to two groups so that group combination is exercised too.
contribution = st.builds(
    lambda firm, value: Contribution(f"E{firm}", Decimal(value), f"G{firm % 2}" if firm < 6 else None),
    st.integers(0, 24),
    st.one_of(st.integers(0, 1_000_000), st.integers(1, 10**8).map(lambda cents: cents / Decimal(100))),
)
cell_contributions = st.lists(contribution, max_size=5)

parameters = st.builds(
    DisclosureParameters,
    min_frequency=st.integers(1, 4),
    dominance=st.sampled_from([(), (DominanceRule(1, Decimal(85)),), (DominanceRule(2, Decimal(90)),)]),
    p_percent=st.sampled_from([None, Decimal(10), Decimal(15), Decimal(25)]),
    singleton_protection=st.booleans(),
)


@st.composite
def two_way_tables(draw: st.DrawFn) -> Table:
    rows = [f"r{i}" for i in range(draw(st.integers(1, 6)))]
    columns = [f"c{j}" for j in range(draw(st.integers(1, 6)))]
    values = {(r, c): draw(cell_contributions) for r in rows for c in columns}
    return Table.two_way("random", rows, columns, values)


@st.composite
def one_way_tables(draw: st.DrawFn) -> Table:
    labels = [f"k{i}" for i in range(draw(st.integers(1, 8)))]
    return Table.one_way("random", labels, {label: draw(cell_contributions) for label in labels})


tables = st.one_of(two_way_tables(), one_way_tables())


def independent_intervals(
    table: Table, protected: ProtectedTable
) -> dict[tuple[str, ...], tuple[float, float]]:
    keys = list(table.cells)
    index = {key: i for i, key in enumerate(keys)}
    a_eq = np.zeros((len(table.relations), len(keys)))
    for row, relation in enumerate(table.relations):
        for key in relation.parts:
            a_eq[row, index[key]] = 1.0
        a_eq[row, index[relation.total]] = -1.0
    b_eq = np.zeros(len(table.relations))
    bounds = [
        (0.0, None) if protected.cells[key].suppressed else (float(table.value(key)),) * 2 for key in keys
    ]
    intervals = {}
    for key in protected.primary:
        objective = np.zeros(len(keys))
        objective[index[key]] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0 and high.status in (0, 3)
        intervals[key] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return intervals


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables, params=parameters)
def test_random_tables_publish_no_unsafe_cell_and_suppressed_cells_keep_their_protection(
    table: Table, params: DisclosureParameters
) -> None:
    protected = protect_table(table, params)

    for key, cell in protected.cells.items():
        verdict = assess_cell(table.cells[key].contributions, params)
        if verdict.sensitive:
            assert protected.public_value(key) == SUPPRESSION_SYMBOL
        else:
            public = protected.public_value(key)
            assert public == SUPPRESSION_SYMBOL or (type(public) is Decimal and public == cell.value)

    assert protected.audit.passed
    scale = float(max((c.value for c in table.cells.values()), default=Decimal(1)) or 1)
    tolerance = 1e-6 * scale
    for key, (low, high) in independent_intervals(table, protected).items():
        verdict = assess_cell(table.cells[key].contributions, params)
        value = float(verdict.total)
        assert high >= value + float(verdict.upper_protection) - tolerance
        assert low <= value - float(verdict.lower_protection) + tolerance
        assert high - low > tolerance  # never recoverable exactly

    # The heuristic's invariant: no line of the table hides exactly one cell.
    for relation in table.relations:
        assert sum(key in protected.suppression_pattern for key in relation.cells) != 1
