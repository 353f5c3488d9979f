import json
from decimal import Decimal

from semicluster.disclosure import (
    PUBLIC_FOOTNOTE,
    SUPPRESSION_SYMBOL,
    TOTAL,
    Contribution,
    DisclosureParameters,
    SuppressionKind,
    Table,
    protect_table,
)
from semicluster.disclosure.rules import SensitivityReason

from .helpers import firms, safe

PARAMS = DisclosureParameters()


def test_a_table_with_no_sensitive_cells_publishes_everything_exactly() -> None:
    table = Table.two_way(
        "t",
        ["玉山镇", "花桥"],
        ["设计", "制造"],
        {
            ("玉山镇", "设计"): safe(301),
            ("玉山镇", "制造"): safe(90),
            ("花桥", "设计"): safe(45),
            ("花桥", "制造"): safe(1200),
        },
    )
    protected = protect_table(table, PARAMS)
    assert not protected.has_suppressions
    assert protected.public_cells() == {key: cell.value for key, cell in table.cells.items()}
    assert protected.public_value((TOTAL, TOTAL)) == Decimal(1636)
    assert all(type(v) is Decimal for v in protected.public_cells().values())


def test_one_way_table_hides_a_single_firm_and_a_complement_but_keeps_the_total() -> None:
    table = Table.one_way(
        "产值",
        ["设计", "制造", "封测", "材料"],
        {"设计": firms(500), "制造": safe(1000), "封测": safe(60), "材料": safe(200)},
    )
    protected = protect_table(table, PARAMS)
    assert protected.public_rows() == [
        ("设计", [SUPPRESSION_SYMBOL]),
        ("制造", [Decimal(1000)]),
        ("封测", [Decimal(60)]),
        ("材料", [SUPPRESSION_SYMBOL]),
        (TOTAL, [Decimal(1760)]),
    ]
    assert protected.primary == {("设计",)}
    assert protected.secondary == {("材料",)}
    assert protected.cells[("设计",)].kind is SuppressionKind.PRIMARY
    assert protected.cells[("材料",)].kind is SuppressionKind.SECONDARY
    assert protected.audit.passed


def test_public_output_shows_one_symbol_and_never_the_rule_or_the_kind() -> None:
    table = Table.two_way(
        "t",
        ["a", "b", "c"],
        ["x", "y"],
        {
            ("a", "x"): firms(90),
            ("a", "y"): firms(860, 100, 40),
            ("b", "x"): safe(300),
            ("b", "y"): safe(120),
            ("c", "x"): safe(99),
            ("c", "y"): safe(600),
        },
    )
    protected = protect_table(table, PARAMS)
    assert protected.cells[("a", "y")].reasons  # dominated internally
    public = protected.public_rows()
    text = json.dumps([[label, [str(v) for v in values]] for label, values in public], ensure_ascii=False)
    symbols = {v for _, values in public for v in values if isinstance(v, str)}
    assert symbols == {SUPPRESSION_SYMBOL}
    for word in [*SensitivityReason, *SuppressionKind]:
        assert str(word) not in text


def test_internal_view_keeps_the_reasons_of_primary_cells() -> None:
    table = Table.one_way("t", ["a", "b", "c"], {"a": firms(50, 50), "b": safe(300), "c": safe(90)})
    protected = protect_table(table, PARAMS)
    assert SensitivityReason.FREQUENCY in protected.cells[("a",)].reasons


def test_published_values_are_decimal_never_float() -> None:
    table = Table.one_way("t", ["a", "b"], {"a": firms("1.25", "2.5", "3.75"), "b": firms(9)})
    protected = protect_table(table, PARAMS)
    for value in protected.public_cells().values():
        assert isinstance(value, Decimal | str)
        assert not isinstance(value, float)
    assert protected.public_value(("a",)) == SUPPRESSION_SYMBOL  # b is alone; a is its complement


def test_cells_hidden_in_an_earlier_release_stay_hidden() -> None:
    table = Table.one_way("t", ["a", "b", "c"], {"a": safe(30), "b": safe(60), "c": safe(90)})
    protected = protect_table(table, PARAMS, carried={("b",), ("gone",)})
    # b alone would be recovered from the total, so it brings a complement with it.
    assert protected.suppression_pattern == {("b",), ("a",)}
    assert protected.cells[("b",)].kind is SuppressionKind.SECONDARY


def test_enterprise_group_members_are_protected_as_one_respondent() -> None:
    group = [Contribution("A", Decimal(40), group="集团"), Contribution("B", Decimal(40), group="集团")]
    table = Table.one_way("t", ["g", "o"], {"g": [*group, *firms(40)], "o": safe(300)})
    protected = protect_table(table, PARAMS)
    assert protected.public_value(("g",)) == SUPPRESSION_SYMBOL
    assert protected.public_value(("o",)) == SUPPRESSION_SYMBOL


def test_footnote_is_bilingual_and_names_the_symbol() -> None:
    assert PUBLIC_FOOTNOTE.startswith(SUPPRESSION_SYMBOL)
    assert "商业秘密" in PUBLIC_FOOTNOTE
    assert "confidential" in PUBLIC_FOOTNOTE
