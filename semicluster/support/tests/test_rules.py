import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from semicluster.support import examples
from semicluster.support.rules import (
    Basis,
    MaskKind,
    ProgramError,
    RuleSelection,
    cross_reference_problems,
    parse_program,
    parse_programs,
    plan_schema,
    schema_errors,
)
from semicluster.support.tests.factories import program_dict

REPO = Path(__file__).resolve().parents[3]
PLAN_FILE = REPO / "plans" / "kunshan-semiconductor-2025.yaml"


def test_kunshan_example_programs_validate_against_the_schema():
    assert schema_errors(examples.SUPPORT_PROGRAMS) == []


def test_kunshan_example_programs_are_the_three_of_clause_2_8_and_labelled_as_examples():
    programs = parse_programs(examples.SUPPORT_PROGRAMS)
    assert [p.code for p in programs] == [
        "kunshan-2025-mpw",
        "kunshan-2025-full-mask",
        "kunshan-2025-sensor-first-tapeout",
    ]
    for program in programs:
        assert program.source == "二、8"
        assert program.example_values is True
        assert "示例" in program.example_note and "example values" in program.example_note
        assert "Beijing" in program.example_note and "Chengdu" in program.example_note
    mpw, full_mask, sensor = programs
    assert mpw.applicants.mask_kinds == (MaskKind.MPW,)
    assert full_mask.applicants.first_tapeout_only and full_mask.applicants.mask_kinds == (
        MaskKind.FULL_MASK,
    )
    assert sensor.applicants.sensor_only and sensor.applicants.first_tapeout_only
    assert mpw.caps.per_firm_program_year == Decimal(3_000_000)
    assert full_mask.caps.per_firm_program_year == Decimal(10_000_000)
    assert sensor.caps.per_firm_program_year == Decimal(5_000_000)


def test_each_example_program_quotes_phrases_of_the_plan_clause():
    for program in examples.SUPPORT_PROGRAMS:
        phrases = [p for p in program["source_text"].split("……") if p]
        assert len(phrases) >= 2
        assert all(phrase in examples.CLAUSE_TEXT for phrase in phrases)


def test_kunshan_examples_only_name_codes_the_plan_file_defines():
    plan = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))
    problems = cross_reference_problems(
        parse_programs(examples.SUPPORT_PROGRAMS),
        chain_nodes=[n["code"] for s in plan["chain"]["segments"] for n in s["nodes"]],
        areas=[a["code"] for a in plan["areas"]],
        designations=[d["code"] for d in plan["designations"]],
    )
    assert problems == []


def test_cross_reference_names_the_unknown_code_by_path():
    program = parse_program(program_dict(applicants={"chain_nodes": ["wafer-fab", "moon-fab"]}))
    problems = cross_reference_problems([program], chain_nodes=["wafer-fab"], areas=[], designations=[])
    assert [p.path for p in problems] == ["support_programs.0.applicants.chain_nodes.1"]


def test_examples_survive_a_yaml_round_trip_as_the_lead_will_paste_them():
    text = yaml.safe_dump(
        {"support_programs": examples.SUPPORT_PROGRAMS}, allow_unicode=True, sort_keys=False
    )
    loaded = yaml.safe_load(text)["support_programs"]
    assert schema_errors(loaded) == []
    assert parse_programs(loaded) == parse_programs(examples.SUPPORT_PROGRAMS)


def test_yaml_dates_and_decimal_strings_parse():
    program = parse_program(
        program_dict(
            annual_budget_yuan="12345678.90",
            application_window={"start": dt.date(2025, 3, 1), "end": "2025-11-30"},
            rules=[{"code": "r", "name": "r", "name_en": "r", "rate_percent": 12.5}],
        )
    )
    assert program.annual_budget == Decimal("12345678.90")
    assert program.application_window.start == dt.date(2025, 3, 1)
    assert program.rules[0].rate_percent == Decimal("12.5")
    assert program.rule_selection is RuleSelection.FIRST
    assert program.rules[0].basis is Basis.COST_SHARE


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"code": "Bad Code"}, "support_programs.0.code"),
        ({"annual_budget_yuan": "lots"}, "support_programs.0.annual_budget_yuan"),
        ({"annual_budget_yuan": -1}, "support_programs.0.annual_budget_yuan"),
        ({"annual_budget_yuan": "1.005"}, "support_programs.0.annual_budget_yuan"),
        ({"example_values": True}, "support_programs.0.example_note"),
        ({"example_values": "yes"}, "support_programs.0.example_values"),
        ({"rules": []}, "support_programs.0.rules"),
        (
            {"rules": [{"code": "r", "name": "r", "name_en": "r", "rate_percent": 101}]},
            "support_programs.0.rules.0.rate_percent",
        ),
        ({"rules": [{"code": "r", "name": "r", "name_en": "r"}]}, "support_programs.0.rules.0.rate_percent"),
        (
            {
                "rules": [
                    {"code": "r", "name": "r", "name_en": "r", "basis": "per_wafer", "yuan_per_wafer": 100}
                ]
            },
            "support_programs.0.rules.0.wafer_base_mm",
        ),
        (
            {
                "rules": [
                    {"code": "r", "name": "r", "name_en": "r", "rate_percent": 5, "when": {"foundry": "mars"}}
                ]
            },
            "support_programs.0.rules.0.when.foundry",
        ),
        (
            {
                "rules": [
                    {
                        "code": "r",
                        "name": "r",
                        "name_en": "r",
                        "rate_percent": 5,
                        "when": {"process_node_nm": {"lte": 14, "gt": 28}},
                    }
                ]
            },
            "support_programs.0.rules.0.when.process_node_nm",
        ),
        (
            {
                "rules": [
                    {"code": "r", "name": "r", "name_en": "r", "rate_percent": 5, "when": {"colour": "red"}}
                ]
            },
            "support_programs.0.rules.0.when.colour",
        ),
        ({"caps": {"per_firm_year_yuan": 5}}, "support_programs.0.caps.per_firm_year_yuan"),
        ({"caps": {"per_item_yuan": "3m"}}, "support_programs.0.caps.per_item_yuan"),
        (
            {"application_window": {"start": "2025-12-01", "end": "2025-01-01"}},
            "support_programs.0.application_window.end",
        ),
        (
            {"application_window": {"start": "2025-13-01", "end": "2025-12-31"}},
            "support_programs.0.application_window.start",
        ),
        ({"applicants": {"mask_kinds": ["euv"]}}, "support_programs.0.applicants.mask_kinds.0"),
        ({"applicants": {"chain_nodes": ["ok", "ok"]}}, "support_programs.0.applicants.chain_nodes.1"),
        ({"eligible_cost_items": []}, "support_programs.0.eligible_cost_items"),
        (
            {"eligible_cost_items": [{"code": "x", "name": "x"}]},
            "support_programs.0.eligible_cost_items.0.name_en",
        ),
        ({"budget": 5}, "support_programs.0.budget"),
    ],
)
def test_invalid_program_data_names_the_field(overrides, path):
    with pytest.raises(ProgramError) as caught:
        parse_program(program_dict(**overrides))
    assert path in [p.path for p in caught.value.problems]
    assert path in str(caught.value)
    assert all(" / " in p.message for p in caught.value.problems)  # Chinese / English


def test_the_schema_also_refuses_what_the_parser_refuses():
    bad = program_dict(
        rules=[{"code": "r", "name": "r", "name_en": "r", "rate_percent": 101}], example_values=True
    )
    errors = schema_errors([bad])
    assert any(e.startswith("support_programs.0.rules.0.rate_percent") for e in errors)
    assert any(e.startswith("support_programs.0:") and "example_note" in e for e in errors)


def test_a_missing_required_field_is_named():
    data = program_dict()
    del data["annual_budget_yuan"]
    with pytest.raises(ProgramError) as caught:
        parse_program(data, path="support_programs.3")
    assert [p.path for p in caught.value.problems] == ["support_programs.3.annual_budget_yuan"]


def test_duplicate_program_and_rule_codes_are_refused():
    rule = {"code": "r", "name": "r", "name_en": "r", "rate_percent": 5}
    with pytest.raises(ProgramError) as caught:
        parse_programs([program_dict(), program_dict(rules=[rule, rule])])
    assert [p.path for p in caught.value.problems] == ["support_programs.1.rules.1.code"]
    with pytest.raises(ProgramError) as caught:
        parse_programs([program_dict(), program_dict()])
    assert [p.path for p in caught.value.problems] == ["support_programs.1.code"]


def test_schema_fragment_adds_one_section_and_prefixes_its_definitions():
    schema = plan_schema()
    assert list(schema["properties"]) == ["support_programs"]
    assert all(name.startswith("support_") for name in schema["$defs"])
    others = [p for p in (REPO / "semicluster").glob("*/plan_schema.json") if p.parent.name != "support"]
    for other in others:
        fragment = json.loads(other.read_text(encoding="utf-8"))
        assert not set(fragment.get("$defs", {})) & set(schema["$defs"]), other
        assert "support_programs" not in fragment.get("properties", {}), other


def test_the_notes_shown_to_officials_name_no_internal_documents():
    plan = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))
    for program in (*plan["support_programs"], *examples.SUPPORT_PROGRAMS):
        for key in ("example_note", "note"):
            assert "domain-facts" not in program.get(key, "") and "§" not in program.get(key, ""), key
    assert [p["example_note"] for p in plan["support_programs"]] == [examples.EXAMPLE_NOTE] * 3
    assert "正式数值以市里发布的实施细则为准" in examples.EXAMPLE_NOTE
