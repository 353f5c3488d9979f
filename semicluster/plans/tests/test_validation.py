"""The plan validator reports each problem as FILE:LINE: field.path: message."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from semicluster.core.testing import KUNSHAN_PLAN
from semicluster.plans.validation import validate_file, validate_text

ORIGINAL = KUNSHAN_PLAN.read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    assert old in ORIGINAL, f"fixture text not found: {old!r}"
    return ORIGINAL.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_the_kunshan_plan_is_valid():
    result = validate_file(KUNSHAN_PLAN)
    assert result.ok, [str(p) for p in result.problems]


LEADERS_GOAL = (
    "source_text: 创新领航企业库入库企业达 80 家\n    target: 80\n    unit: enterprises\n"
    "    comparison: gte\n    deadline: "
)

CASES = [
    # (description, old, new, needle for the line, path, message fragment)
    (
        "negative target",
        "target: 35000000000",
        "target: -5",
        "target: -5",
        "goals[0].target",
        "is not valid under any",
    ),
    (
        "float money",
        "target: 5000000000\n",
        "target: 5000000000.5\n",
        "target: 5000000000.5",
        "goals[4].target",
        "is not valid under any",
    ),
    (
        "unknown unit",
        "unit: enterprises\n    comparison: gte\n    deadline: 2025-12-31\n    indicator: {kind: count",
        "unit: companies\n    comparison: gte\n    deadline: 2025-12-31\n    indicator: {kind: count",
        "unit: companies",
        "goals[1].unit",
        "'companies' is not one of",
    ),
    (
        "missing source text",
        "    source_text: 新增营业收入额超 10 亿元企业 3 家\n",
        "",
        "code: new-firms-above-1bn",
        "goals[2]",
        "'source_text' is a required property",
    ),
    (
        "bad clause",
        "source: 二、2\n    source_text: 力争",
        "source: 二.2\n    source_text: 力争",
        "source: 二.2",
        "goals[4].source",
        "does not match",
    ),
    (
        "unknown field",
        "  year: 2025\n",
        "  year: 2025\n  colour: blue\n",
        "colour: blue",
        "plan.colour",
        "unknown field",
    ),
    (
        "bad date",
        "deadline: 2025-12-31\n    indicator: {kind: sum",
        "deadline: 2025-13-45\n    indicator: {kind: sum",
        "deadline: 2025-13-45",
        "goals[0].deadline",
        "",
    ),
    (
        "unknown focus node",
        "focus_nodes: [data-converter-ic, iot-asic, eda-ip]",
        "focus_nodes: [data-converter-ic, iot-chips]",
        "focus_nodes: [data-converter-ic, iot-chips]",
        "areas[2].focus_nodes[1]",
        "unknown chain node 'iot-chips'",
    ),
    (
        "unknown lead unit",
        "    lead_unit: swj\n",
        "    lead_unit: shangwu\n",
        "lead_unit: shangwu",
        "tasks[1].lead_unit",
        "unknown unit 'shangwu'",
    ),
    (
        "duplicate node code",
        "{code: memory-ic,",
        "{code: eda-ip,",
        "{code: eda-ip, name: 存储芯片设计",
        "chain.segments[0].nodes[6].code",
        "duplicate chain node code 'eda-ip'",
    ),
    (
        "town in two areas",
        '{code: "320583108", name: 千灯镇',
        '{code: "320583104", name: 千灯镇',
        '{code: "320583104", name: 千灯镇',
        "areas[4].towns[4].code",
        "town 320583104 is in more than one area",
    ),
    (
        "threshold crossing without threshold",
        "{kind: threshold_crossing, measure: revenue, threshold: 5000000000}",
        "{kind: threshold_crossing, measure: revenue}",
        "{kind: threshold_crossing, measure: revenue}",
        "goals[3].indicator",
        "needs a threshold",
    ),
    (
        "deadline outside the plan year",
        LEADERS_GOAL + "2025-12-31",
        LEADERS_GOAL + "2026-06-30",
        "deadline: 2026-06-30",
        "goals[1].deadline",
        "outside the plan year 2025",
    ),
    (
        "milestone after deadline",
        "{date: 2025-04-30, description: 发布产业链招商图谱",
        "{date: 2026-04-30, description: 发布产业链招商图谱",
        "{date: 2026-04-30",
        "tasks[1].milestones[0].date",
        "after the task deadline",
    ),
    (
        "duplicate YAML key",
        "  year: 2025\n",
        "  year: 2025\n  year: 2026\n",
        "year: 2026",
        "",
        "duplicate key 'year'",
    ),
]


@pytest.mark.parametrize(
    ("description", "old", "new", "needle", "path", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_a_broken_plan_file_names_file_line_field_and_problem(description, old, new, needle, path, message):
    text = broken(old, new)
    result = validate_text(text, "plan.yaml")
    assert not result.ok
    rendered = [str(p) for p in result.problems]
    expected_line = line_of(text, needle)
    matching = [p for p in result.problems if p.path == path and message in p.message]
    assert matching, f"{description}: no problem at {path!r} containing {message!r} in {rendered}"
    assert matching[0].line == expected_line, rendered
    assert str(matching[0]).startswith(f"plan.yaml:{expected_line}: ")


def test_yaml_syntax_errors_give_the_line():
    text = ORIGINAL.replace("  year: 2025\n", "  year: [2025\n", 1)
    problems = validate_text(text, "p.yaml").problems
    assert len(problems) == 1 and "YAML syntax error" in problems[0].message
    assert problems[0].line >= line_of(text, "year: [2025")


def test_a_document_that_is_not_a_mapping_is_refused():
    assert "must be a mapping" in validate_text("- just\n- a list\n", "x.yaml").problems[0].message


def test_plan_validate_command_prints_one_line_per_problem_and_exits_1(tmp_path: Path, capsys):
    plan = tmp_path / "bad.yaml"
    plan.write_text(
        broken("target: 35000000000", "target: -1").replace(
            "    lead_unit: swj\n", "    lead_unit: nobody\n"
        ),
        "utf-8",
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("plan", "validate", str(plan))
    assert excinfo.value.returncode == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert any(line.startswith(f"{plan}:") and "goals[0].target" in line for line in err)


def test_plan_validate_command_accepts_the_kunshan_plan(capsys):
    call_command("plan", "validate", str(KUNSHAN_PLAN))
    assert capsys.readouterr().out.strip().endswith("OK")
