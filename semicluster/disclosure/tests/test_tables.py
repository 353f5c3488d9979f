from decimal import Decimal

import pytest

from semicluster.disclosure import TOTAL, Contribution, Table

from .helpers import firms


def test_one_way_table_adds_a_total_cell_of_all_contributions() -> None:
    table = Table.one_way("产值 by segment", ["设计", "制造"], {"设计": firms(5, 7), "制造": firms("2.5")})
    assert table.value(("设计",)) == Decimal(12)
    assert table.value((TOTAL,)) == Decimal("14.5")
    assert table.cells[(TOTAL,)].is_total
    assert [r.total for r in table.relations] == [(TOTAL,)]
    assert table.relations[0].parts == (("设计",), ("制造",))


def test_missing_categories_are_empty_cells_worth_zero() -> None:
    table = Table.one_way("t", ["a", "b"], {"a": firms(1)})
    assert table.cells[("b",)].is_empty
    assert table.value(("b",)) == 0


def test_two_way_table_has_row_column_and_grand_totals() -> None:
    table = Table.two_way(
        "t",
        ["玉山镇", "花桥"],
        ["设计", "制造", "封测"],
        {("玉山镇", "设计"): firms(1, 2), ("花桥", "封测"): firms(10), ("花桥", "设计"): firms(4)},
    )
    assert table.value(("玉山镇", TOTAL)) == 3
    assert table.value(("花桥", TOTAL)) == 14
    assert table.value((TOTAL, "设计")) == 7
    assert table.value((TOTAL, "制造")) == 0
    assert table.value((TOTAL, TOTAL)) == 17
    assert len(table.cells) == 3 * 4
    # Three row lines (two rows and the total row) and four column lines.
    assert len(table.relations) == 3 + 4
    assert {r.total for r in table.relations_of(("花桥", "封测"))} == {("花桥", TOTAL), (TOTAL, "封测")}


def test_totals_keep_each_enterprise_contribution_so_rules_see_the_firms() -> None:
    same = Contribution("E-1", Decimal(3))
    table = Table.two_way("t", ["r1", "r2"], ["c"], {("r1", "c"): [same], ("r2", "c"): [same]})
    assert len(table.cells[(TOTAL, "c")].contributions) == 2


def test_from_records_groups_rows_of_a_query() -> None:
    records = [(("a", "x"), c) for c in firms(1, 2)] + [(("b", "y"), c) for c in firms(5)]
    table = Table.from_records("t", records, rows=["a", "b"], columns=["x", "y"])
    assert table.value(("a", "x")) == 3
    assert table.value((TOTAL, TOTAL)) == 8


def test_a_category_called_total_is_refused() -> None:
    with pytest.raises(ValueError, match="label"):
        Table.one_way("t", ["a", TOTAL], {})


def test_contributions_outside_the_table_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        Table.two_way("t", ["a"], ["x"], {("a", "y"): firms(1)})


def test_duplicate_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Table.one_way("t", ["a", "a"], {})
