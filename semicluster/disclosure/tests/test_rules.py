"""Primary rules at their boundaries, with the Handbook's worked examples as known answers."""

from decimal import Decimal

import pytest

from semicluster.disclosure.rules import (
    Contribution,
    DisclosureParameters,
    DominanceRule,
    SensitivityReason,
    assess_cell,
    combine_contributions,
)

FREQUENCY_ONLY = DisclosureParameters(dominance=(), p_percent=None)


def firms(*values: int | str, group: str | None = None) -> list[Contribution]:
    return [Contribution(f"E{i}", Decimal(v), group) for i, v in enumerate(values)]


# Minimum frequency ------------------------------------------------------------------------------


def test_two_firms_fail_the_frequency_rule() -> None:
    verdict = assess_cell(firms(100, 100), FREQUENCY_ONLY)
    assert verdict.reasons == (SensitivityReason.FREQUENCY,)


def test_exactly_three_firms_pass_the_frequency_rule() -> None:
    assert not assess_cell(firms(100, 100, 100), FREQUENCY_ONLY).sensitive


def test_an_empty_cell_reveals_nobody_and_is_safe() -> None:
    verdict = assess_cell([], DisclosureParameters())
    assert not verdict.sensitive
    assert verdict.total == 0


def test_frequency_threshold_is_configurable() -> None:
    params = DisclosureParameters(min_frequency=5, dominance=(), p_percent=None)
    assert assess_cell(firms(1, 1, 1, 1), params).sensitive
    assert not assess_cell(firms(1, 1, 1, 1, 1), params).sensitive


def test_frequency_cell_needs_its_protection_percent_of_value() -> None:
    verdict = assess_cell(firms(300, 200), FREQUENCY_ONLY)
    assert verdict.upper_protection == Decimal(50)  # 10% of 500
    assert verdict.lower_protection == Decimal(50)
    assert verdict.sole_respondent is None


def test_single_firm_cell_names_its_sole_respondent() -> None:
    assert assess_cell(firms(7), FREQUENCY_ONLY).sole_respondent == "enterprise:E0"


# Dominance ---------------------------------------------------------------------------------------

DOMINANCE_1_85 = DisclosureParameters(dominance=(DominanceRule(1, Decimal(85)),), p_percent=None)
DOMINANCE_2_90 = DisclosureParameters(dominance=(DominanceRule(2, Decimal(90)),), p_percent=None)


def test_largest_firm_at_exactly_85_percent_is_safe_under_1_85() -> None:
    assert not assess_cell(firms(85, 5, 5, 5), DOMINANCE_1_85).sensitive


def test_largest_firm_just_above_85_percent_is_dominant() -> None:
    verdict = assess_cell(firms("85.01", "4.99", 5, 5), DOMINANCE_1_85)
    assert verdict.reasons == (SensitivityReason.DOMINANCE,)


def test_two_largest_at_exactly_90_percent_are_safe_under_2_90() -> None:
    assert not assess_cell(firms(50, 40, 5, 5), DOMINANCE_2_90).sensitive


def test_two_largest_above_90_percent_are_dominant_with_tau_argus_protection() -> None:
    verdict = assess_cell(firms(50, 41, 5, 4), DOMINANCE_2_90)
    assert verdict.reasons == (SensitivityReason.DOMINANCE,)
    # The cell would have to reach 91·100/90 = 101.11… for the rule to be met.
    assert verdict.upper_protection == Decimal(91) * 100 / Decimal(90) - 100


def test_several_dominance_rules_apply_together() -> None:
    params = DisclosureParameters(
        dominance=(DominanceRule(1, Decimal(85)), DominanceRule(2, Decimal(90))), p_percent=None
    )
    assert assess_cell(firms(50, 41, 5, 4), params).sensitive  # fails (2,90) only
    assert assess_cell(firms(86, 4, 5, 5), params).sensitive  # fails (1,85)
    assert not assess_cell(firms(40, 30, 20, 10), params).sensitive


def test_all_zero_cell_is_not_dominated() -> None:
    assert not assess_cell(firms(0, 0, 0), DOMINANCE_1_85).sensitive


# p% rule -----------------------------------------------------------------------------------------


def test_handbook_example_1_is_safe_under_1_90_but_fails_p10() -> None:
    """X = 100,000, x1 = 50,000, x2 = 49,000: the runner-up estimates x1 within 2%."""
    cell = firms(50_000, 49_000, 600, 400)
    assert not assess_cell(
        cell, DisclosureParameters(dominance=(DominanceRule(1, Decimal(90)),), p_percent=None)
    ).sensitive
    verdict = assess_cell(cell, DisclosureParameters(dominance=(), p_percent=Decimal(10)))
    assert verdict.reasons == (SensitivityReason.P_PERCENT,)
    # Protection: p% of x1 minus the remainder the runner-up cannot see, 5,000 − 1,000.
    assert verdict.upper_protection == Decimal(4000)


def test_handbook_example_2_is_safe_under_p10_but_fails_the_equivalent_2_k_rule() -> None:
    """X = 110,000, x1 = 52,000, x2 = 50,000: overestimate 15.4% > 10%; but x1+x2 > 100/110·X."""
    cell = firms(52_000, 50_000, 5_000, 3_000)
    assert not assess_cell(cell, DisclosureParameters(dominance=(), p_percent=Decimal(10))).sensitive
    k = Decimal(100) * 100 / 110  # 90.9…
    two_k = DisclosureParameters(dominance=(DominanceRule(2, k),), p_percent=None)
    assert assess_cell(cell, two_k).reasons == (SensitivityReason.DOMINANCE,)


def test_p_percent_exactly_at_the_limit_is_safe() -> None:
    p15 = DisclosureParameters(dominance=(), p_percent=Decimal(15))
    assert not assess_cell(firms(100, 50, 10, 5), p15).sensitive  # remainder 15 = 15% of 100
    verdict = assess_cell(firms(100, 50, 10, 4), p15)  # remainder 14
    assert verdict.reasons == (SensitivityReason.P_PERCENT,)
    assert verdict.upper_protection == Decimal(1)


def test_one_or_two_respondents_always_fail_the_p_percent_rule() -> None:
    p15 = DisclosureParameters(dominance=(), p_percent=Decimal(15), min_frequency=1)
    assert assess_cell(firms(10), p15).reasons == (SensitivityReason.P_PERCENT,)
    assert assess_cell(firms(10, 10), p15).reasons == (SensitivityReason.P_PERCENT,)


def test_default_parameters_combine_frequency_p15_and_1_85() -> None:
    verdict = assess_cell(firms(10, 10), DisclosureParameters())
    assert set(verdict.reasons) == {SensitivityReason.FREQUENCY, SensitivityReason.P_PERCENT}
    # The strongest protection wins: the frequency rule's 10% of 20 = 2 beats p%'s 15% of x1 = 1.5.
    assert verdict.upper_protection == Decimal(2)


def test_lower_protection_never_goes_below_zero() -> None:
    params = DisclosureParameters(dominance=(DominanceRule(1, Decimal(40)),), p_percent=None)
    verdict = assess_cell(firms(90, 5, 5), params)
    assert verdict.upper_protection == Decimal(90) * 100 / 40 - 100  # 125
    assert verdict.lower_protection == Decimal(100)


def test_minimum_protection_percent_raises_every_unsafe_cells_protection() -> None:
    params = DisclosureParameters(min_protection_percent=Decimal(30))
    assert assess_cell(firms(10, 10), params).upper_protection == Decimal(6)
    assert assess_cell(firms(10, 10, 10), params).upper_protection == 0  # safe cells need none


# Enterprise groups -------------------------------------------------------------------------------


def test_firms_of_one_group_count_as_one_respondent() -> None:
    cell = [
        Contribution("A", Decimal(100), group="集团G"),
        Contribution("B", Decimal(100), group="集团G"),
        Contribution("C", Decimal(100)),
    ]
    verdict = assess_cell(cell, FREQUENCY_ONLY)
    assert verdict.respondents == 2
    assert verdict.reasons == (SensitivityReason.FREQUENCY,)


def test_group_members_combined_can_dominate_a_cell() -> None:
    cell = [
        Contribution("A", Decimal(45), group="G"),
        Contribution("B", Decimal(45), group="G"),
        Contribution("C", Decimal(5)),
        Contribution("D", Decimal(5)),
    ]
    assert assess_cell(cell, DOMINANCE_1_85).sensitive
    ungrouped = [Contribution(c.enterprise, c.value) for c in cell]
    assert not assess_cell(ungrouped, DOMINANCE_1_85).sensitive


def test_branches_of_one_enterprise_merge() -> None:
    ranked = combine_contributions(
        [Contribution("A", Decimal(3)), Contribution("A", Decimal(4)), Contribution("B", Decimal(5))]
    )
    assert ranked == (("enterprise:A", Decimal(7)), ("enterprise:B", Decimal(5)))


# Inputs and parameters --------------------------------------------------------------------------


def test_float_contributions_are_refused() -> None:
    with pytest.raises(TypeError):
        Contribution("A", 1.5)  # type: ignore[arg-type]


def test_negative_contributions_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Contribution("A", Decimal(-1))


def test_integer_contributions_become_decimal() -> None:
    assert isinstance(Contribution("A", 3).value, Decimal)  # type: ignore[arg-type]


def test_parameters_load_from_a_settings_mapping() -> None:
    params = DisclosureParameters.from_mapping(
        {"MIN_FREQUENCY": 4, "DOMINANCE": [[1, 85], [2, 90]], "P_PERCENT": 17.5}
    )
    assert params.min_frequency == 4
    assert params.dominance == (DominanceRule(1, Decimal(85)), DominanceRule(2, Decimal(90)))
    assert params.p_percent == Decimal("17.5")


def test_unknown_parameter_names_are_an_error() -> None:
    with pytest.raises(ValueError, match="p_precent"):
        DisclosureParameters.from_mapping({"p_precent": 10})


def test_invalid_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        DominanceRule(1, Decimal(100))
    with pytest.raises(ValueError):
        DisclosureParameters(p_percent=Decimal(0))
    with pytest.raises(ValueError):
        DisclosureParameters(min_frequency=0)


def test_parameters_do_not_show_their_values_when_printed() -> None:
    text = repr(DisclosureParameters(p_percent=Decimal("12.34")))
    assert "12.34" not in text
    assert "confidential" in text
