"""Hand-built tables where one suppression alone would give a cell away."""

from decimal import Decimal

from semicluster.disclosure import (
    COALITION,
    TOTAL,
    Contribution,
    DisclosureParameters,
    Table,
    audit_suppression,
    complementary_suppression,
    secure_suppression,
)
from semicluster.disclosure.publish import assess_table

from .helpers import firms, safe

PARAMS = DisclosureParameters()


def primaries(table: Table) -> tuple[dict, frozenset]:
    assessments = assess_table(table, PARAMS)
    return assessments, frozenset(k for k, a in assessments.items() if a.sensitive)


def one_way_with_a_single_firm() -> Table:
    # A: one firm of 500 (needs 500·100/85 − 500 = 88.2 of protection); C is smaller than that.
    return Table.one_way(
        "t", ["A", "B", "C", "D"], {"A": firms(500), "B": safe(1000), "C": safe(60), "D": safe(200)}
    )


def test_a_lone_suppression_in_a_line_is_recovered_from_the_total() -> None:
    table = one_way_with_a_single_firm()
    assessments, primary = primaries(table)
    assert primary == {("A",)}
    report = audit_suppression(table, primary, assessments)
    [interval] = report.intervals
    assert not report.passed
    assert interval.lower == interval.upper == Decimal(500)


def test_the_complement_is_the_smallest_cell_big_enough_to_protect() -> None:
    table = one_way_with_a_single_firm()
    assessments, primary = primaries(table)
    hidden = complementary_suppression(table, primary, assessments)
    # C (60) is smaller but could move A by 60 only; D (200) is the cheapest sufficient complement.
    assert hidden == {("A",), ("D",)}
    [interval] = audit_suppression(table, hidden, assessments).intervals
    assert (interval.lower, interval.upper) == (Decimal(0), Decimal(700))
    assert interval.passed


def two_way_with_one_single_firm_cell() -> Table:
    values = {
        ("R1", "C1"): firms(500),
        ("R1", "C2"): safe(300),
        ("R1", "C3"): safe(900),
        ("R2", "C1"): safe(600),
        ("R2", "C2"): safe(120),
        ("R2", "C3"): safe(450),
        ("R3", "C1"): safe(330),
        ("R3", "C2"): safe(210),
        ("R3", "C3"): safe(150),
    }
    return Table.two_way("t", ["R1", "R2", "R3"], ["C1", "C2", "C3"], values)


def test_row_and_column_complements_close_into_a_rectangle() -> None:
    table = two_way_with_one_single_firm_cell()
    assessments, primary = primaries(table)
    assert primary == {("R1", "C1")}
    hidden = complementary_suppression(table, primary, assessments)
    assert hidden == {("R1", "C1"), ("R1", "C2"), ("R3", "C1"), ("R3", "C2")}
    [interval] = audit_suppression(table, hidden, assessments).intervals
    # R1C1 = 500 + t with t limited by R1C2 = 300 − t ≥ 0 and R3C2 = 210 + t ≥ 0.
    assert (interval.lower, interval.upper) == (Decimal(290), Decimal(800))
    assert interval.passed


def test_a_row_complement_alone_leaves_the_cell_recoverable_from_its_column() -> None:
    table = two_way_with_one_single_firm_cell()
    assessments, _ = primaries(table)
    report = audit_suppression(table, {("R1", "C1"), ("R1", "C2")}, assessments)
    assert not report.passed
    assert report.failures[0].upper == Decimal(500)


def test_two_single_firm_cells_are_not_left_as_each_others_only_complement() -> None:
    table = Table.one_way(
        "t", ["A", "B", "C", "D"], {"A": firms(500), "B": firms(400), "C": safe(900), "D": safe(300)}
    )
    assessments, primary = primaries(table)
    assert primary == {("A",), ("B",)}
    # Published total − C − D = A + B: the firm behind B knows B, so it learns A exactly.
    paired = audit_suppression(table, primary, assessments)
    assert not paired.passed
    assert {f.intruder for f in paired.failures} == {a.sole_respondent for a in assessments.values()} - {None}
    assert audit_suppression(table, primary, assessments, singleton_protection=False).passed
    hidden = complementary_suppression(table, primary, assessments)
    assert hidden == {("A",), ("B",), ("D",)}
    assert audit_suppression(table, hidden, assessments).passed


def lopsided_rectangle() -> Table:
    # The heuristic's rectangle uses a complement of 10 for a cell of 90 that needs 15.9 below.
    return Table.two_way(
        "t",
        ["r0", "r1"],
        ["c0", "c1"],
        {
            ("r0", "c0"): firms(20, 70, 50),
            ("r0", "c1"): firms(90),
            ("r1", "c0"): firms(10),
            ("r1", "c1"): firms(20, 40, 20),
        },
    )


def test_the_audit_catches_a_rectangle_whose_small_corner_pins_the_cell() -> None:
    table = lopsided_rectangle()
    assessments, primary = primaries(table)
    hidden = complementary_suppression(table, primary, assessments)
    assert hidden == {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    report = audit_suppression(table, hidden, assessments, singleton_protection=False)
    failure = report.failures[0]
    assert failure.key == ("r0", "c1")
    assert (failure.lower, failure.upper) == (Decimal(80), Decimal(170))
    assert failure.required_lower == Decimal(90) - (Decimal(9000) / 85 - 90)


def test_failed_audits_add_suppressions_until_the_pattern_passes() -> None:
    table = lopsided_rectangle()
    assessments, primary = primaries(table)
    hidden, report = secure_suppression(table, primary, assessments, PARAMS)
    assert report.passed
    assert hidden == {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1"), (TOTAL, "c0"), (TOTAL, "c1")}
    public = audit_suppression(table, hidden, assessments, singleton_protection=False)
    assert {(i.key, i.lower, i.upper) for i in public.intervals} == {
        (("r0", "c1"), Decimal(0), Decimal(230)),
        (("r1", "c0"), Decimal(0), Decimal(90)),
    }


def test_totals_are_suppressed_when_nothing_else_in_the_line_can_hide_a_cell() -> None:
    # Row r has one firm in one cell: the cell equals the row total, so the total must go too.
    table = Table.two_way(
        "t",
        ["r", "s", "u"],
        ["x", "y"],
        {
            ("r", "x"): firms(50),
            ("s", "x"): safe(90),
            ("s", "y"): safe(60),
            ("u", "x"): safe(120),
            ("u", "y"): safe(30),
        },
    )
    assessments, primary = primaries(table)
    hidden, report = secure_suppression(table, primary, assessments, PARAMS)
    assert {("r", "x"), ("r", TOTAL)} <= hidden
    assert report.passed


def test_nothing_is_hidden_when_no_cell_is_sensitive() -> None:
    table = Table.one_way("t", ["a", "b"], {"a": safe(30), "b": safe(60)})
    assessments, primary = primaries(table)
    hidden, report = secure_suppression(table, primary, assessments, PARAMS)
    assert hidden == frozenset()
    assert report.passed
    assert report.intervals == ()


def test_an_intruder_inside_a_total_needs_the_interval_to_reach_down_to_its_own_part_only() -> None:
    # Found by hypothesis: E4 alone makes up r1×c1 (105) and knows the r1 total is at least 105; the
    # total (107) cannot be pushed below that whatever is hidden, and need not be.
    def c(firm: str, value: int, group: str | None = None) -> Contribution:
        return Contribution(firm, Decimal(value), group)

    table = Table.two_way(
        "t",
        ["r0", "r1"],
        ["c0", "c1", "c2"],
        {
            ("r0", "c0"): [c("E8", 1), c("E0", 5, "G0")],
            ("r0", "c1"): [c("E0", 5, "G0"), c("E2", 0, "G0")],
            ("r0", "c2"): [c("E7", 1), c("E5", 100)],
            ("r1", "c0"): [c("E7", 0), c("E0", 0, "G0")],
            ("r1", "c1"): [c("E4", 5), c("E4", 100)],
            ("r1", "c2"): [c("E2", 1, "G0"), c("E2", 1, "G0")],
        },
    )
    assessments, primary = primaries(table)
    _, report = secure_suppression(table, primary, assessments, PARAMS)
    assert report.passed
    everything = audit_suppression(table, set(table.cells), assessments)
    assert everything.passed
    as_e4 = [i for i in everything.intervals if i.key == ("r1", TOTAL) and i.intruder == "enterprise:E4"]
    assert all(i.required_lower == Decimal(105) for i in as_e4)


def test_a_cell_safe_from_all_single_firms_at_once_is_reported_against_the_coalition() -> None:
    table = two_way_with_one_single_firm_cell()
    assessments, primary = primaries(table)
    hidden = complementary_suppression(table, primary, assessments)
    # No other suppressed cell has a single respondent, so only the public scenario applies.
    assert [i.intruder for i in audit_suppression(table, hidden, assessments).intervals] == [None]
    paired = Table.one_way(
        "t", ["A", "B", "C", "D"], {"A": firms(500), "B": firms(400), "C": safe(900), "D": safe(300)}
    )
    assessments, primary = primaries(paired)
    hidden = complementary_suppression(paired, primary, assessments)
    report = audit_suppression(paired, hidden, assessments)
    assert report.passed
    assert {i.intruder for i in report.intervals} == {COALITION}
