import pytest
from hypothesis import given
from hypothesis import strategies as st

from semicluster.enterprises.credit_code import ALPHABET, check_character, make_valid_code, validate


def test_the_worked_example_of_the_standard_is_valid():
    # GB 32100-2015: weighted sum 1640, 1640 mod 31 = 28, 31 - 28 = 3.
    assert check_character("91350100M000100Y4") == "3"
    assert validate("91350100M000100Y43").is_valid


@pytest.mark.parametrize(
    "code", ["91110000600037341L", "121200004013590816", "91620105L015101280", "92340602MA2PBMEM24"]
)
def test_published_codes_are_valid_and_pass_the_organisation_check(code):
    result = validate(code)
    assert result.is_valid and result.warning is None


def test_a_wrong_check_character_names_position_18_and_the_expected_character():
    result = validate("91110000600037341N")
    assert not result.is_valid
    assert "第18位" in result.error and "'L'" in result.error


def test_a_forbidden_letter_names_its_position():
    result = validate("91350100M000100Y4Z")
    assert not result.is_valid and "character 18 'Z'" in result.error
    assert "character 14 'I'" in validate("9111000060003IOZSV").error


def test_a_bad_registration_area_is_refused():
    assert (
        "characters 3–8" in validate("A1110000600037341L").error
        or not validate("A1110000600037341L").is_valid
    )
    assert "3–8" in validate("91AB0000600037341L").error


def test_the_length_is_checked():
    assert "18" in validate("9111000060003734").error


def test_full_width_characters_and_spaces_are_normalised():
    assert validate(" ９１１１００００６０００３７３４１Ｌ ").code == "91110000600037341L"


def test_a_code_failing_only_the_organisation_check_is_valid_with_a_warning():
    first17 = "91320583MA1234567"
    org_bad = first17[:16] + ("0" if first17[16] != "0" else "1")
    code = org_bad + check_character(org_bad)
    result = validate(code)
    assert result.is_valid
    assert result.warning and "GB 11714" in result.warning


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
def test_generated_demo_codes_are_always_valid_without_warnings(body):
    code = make_valid_code("91320583" + body)
    result = validate(code)
    assert result.is_valid and result.warning is None
    assert set(code) <= set(ALPHABET)


@given(st.integers(min_value=0, max_value=16), st.sampled_from(list(ALPHABET)))
def test_changing_any_single_character_breaks_the_check(position, replacement):
    code = "91350100M000100Y43"
    if code[position] == replacement:
        return
    mutated = code[:position] + replacement + code[position + 1 :]
    assert not validate(mutated).is_valid
