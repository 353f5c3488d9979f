"""Validate a plan file: YAML syntax, the JSON Schema, then cross-references.

Every problem is reported as ``FILE:LINE: field.path: message`` so an editor can jump to it. Line
numbers come from the YAML node tree (PyYAML's composer keeps marks), mapped onto the path of each
JSON Schema error.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from semicluster.plans.schema import load_schema

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class PlanProblem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path or '(document)'}: {self.message}"


@dataclass
class ValidationResult:
    file: str
    document: dict[str, Any] | None
    text: str
    problems: list[PlanProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys instead of silently keeping the last one, and
    keeps dates as text so an impossible date (2025-13-45) is a schema error with its line, not a crash."""


_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_map(node: yaml.Node | None, path: PathKey = (), out: dict[PathKey, int] | None = None) -> dict:
    out = {} if out is None else out
    if node is None:
        return out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, str(key_node.value))
            out[child] = key_node.start_mark.line + 1
            _line_map(value_node, child, out)
            out[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), out)
    return out


def _line_for(lines: dict[PathKey, int], path: PathKey) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _dotted(path: PathKey) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts)


def _jsonable(value: Any) -> Any:
    """YAML gives dates as date objects; the schema speaks JSON, so dates become ISO strings."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validate_text(text: str, file: str) -> ValidationResult:
    result = ValidationResult(file=file, document=None, text=text)
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        result.problems.append(PlanProblem(file, line, "", f"YAML syntax error: {exc.problem or exc}"))
        return result
    if not isinstance(raw, dict):
        result.problems.append(PlanProblem(file, 1, "", "a plan file must be a mapping of sections"))
        return result
    document = _jsonable(raw)
    lines = _line_map(node)
    validator = Draft202012Validator(load_schema(), format_checker=FormatChecker())
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            for extra in (k for k in error.instance if k not in known):
                extra_path = (*path, extra)
                result.problems.append(
                    PlanProblem(file, _line_for(lines, extra_path), _dotted(extra_path), "unknown field")
                )
            continue
        result.problems.append(PlanProblem(file, _line_for(lines, path), _dotted(path), error.message))
    if not result.problems:
        for path, message in _cross_reference_problems(document):
            result.problems.append(PlanProblem(file, _line_for(lines, path), _dotted(path), message))
    result.problems.sort(key=lambda p: (p.line, p.path))
    if not result.problems:
        result.document = document
    return result


def validate_file(path: Path | str) -> ValidationResult:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ValidationResult(str(path), None, "", [PlanProblem(str(path), 1, "", "file not found")])
    except UnicodeDecodeError as exc:
        return ValidationResult(
            str(path), None, "", [PlanProblem(str(path), 1, "", f"the file is not UTF-8 text ({exc.reason})")]
        )
    return validate_text(text, str(path))


def _duplicates(items: list[dict[str, Any]], key: str, base: PathKey) -> Iterator[tuple[PathKey, str]]:
    counts = Counter(item.get(key) for item in items)
    for index, item in enumerate(items):
        if counts[item.get(key)] > 1:
            yield (*base, index, key), f"duplicate {key} {item.get(key)!r}"


def _cross_reference_problems(doc: dict[str, Any]) -> Iterator[tuple[PathKey, str]]:
    """Checks a JSON Schema cannot express: unique codes and references between sections."""
    segments = doc["chain"]["segments"]
    yield from _duplicates(segments, "code", ("chain", "segments"))
    node_codes: set[str] = set()
    node_counts = Counter(n["code"] for s in segments for n in s["nodes"])
    for s_index, segment in enumerate(segments):
        for n_index, node in enumerate(segment["nodes"]):
            node_codes.add(node["code"])
            if node_counts[node["code"]] > 1:
                yield (
                    ("chain", "segments", s_index, "nodes", n_index, "code"),
                    (f"duplicate chain node code {node['code']!r}"),
                )
    segment_codes = {s["code"] for s in segments}
    unit_codes = {u["code"] for u in doc["units"]}
    yield from _duplicates(doc["units"], "code", ("units",))
    area_codes = {a["code"] for a in doc["areas"]}
    yield from _duplicates(doc["areas"], "code", ("areas",))
    town_counts = Counter(t["code"] for a in doc["areas"] for t in a["towns"])
    goal_codes = {g["code"] for g in doc["goals"]}
    yield from _duplicates(doc["goals"], "code", ("goals",))
    designation_codes = {d["code"] for d in doc.get("designations", [])}
    year = doc["plan"]["year"]

    def nodes_exist(codes: list[str], base: PathKey) -> Iterator[tuple[PathKey, str]]:
        for index, code in enumerate(codes):
            if code not in node_codes:
                yield (*base, index), f"unknown chain node {code!r}"

    for a_index, area in enumerate(doc["areas"]):
        for t_index, town in enumerate(area["towns"]):
            if town_counts[town["code"]] > 1:
                yield (
                    ("areas", a_index, "towns", t_index, "code"),
                    f"town {town['code']} is in more than one area",
                )
        yield from nodes_exist(area["focus_nodes"], ("areas", a_index, "focus_nodes"))
    for section in ("focus_fields", "chain_priorities", "key_technologies"):
        for index, item in enumerate(doc.get(section, [])):
            yield from nodes_exist(item["nodes"], (section, index, "nodes"))
    for index, platform in enumerate(doc.get("innovation_platforms", [])):
        if "area" in platform and platform["area"] not in area_codes:
            yield ("innovation_platforms", index, "area"), f"unknown area {platform['area']!r}"
        yield from nodes_exist(platform.get("fields", []), ("innovation_platforms", index, "fields"))
    for index, goal in enumerate(doc["goals"]):
        base: PathKey = ("goals", index)
        if not goal["deadline"].startswith(str(year)):
            yield (*base, "deadline"), f"the deadline {goal['deadline']} is outside the plan year {year}"
        indicator = goal["indicator"]
        kind = indicator["kind"]
        if kind in ("sum", "threshold_crossing") and "measure" not in indicator:
            yield (*base, "indicator"), f"a {kind} indicator needs a measure"
        if kind == "threshold_crossing" and "threshold" not in indicator:
            yield (*base, "indicator"), "a threshold_crossing indicator needs a threshold"
        if kind == "count" and "condition" not in indicator:
            yield (*base, "indicator"), "a count indicator needs a condition"
        if kind == "project_milestones" and "milestone" not in indicator:
            yield (*base, "indicator"), "a project_milestones indicator needs a milestone"
        scope = indicator.get("scope", {})
        for key, known in (
            ("areas", area_codes),
            ("segments", segment_codes),
            ("nodes", node_codes),
            ("designations", designation_codes),
        ):
            for s_index, code in enumerate(scope.get(key, [])):
                if code not in known:
                    yield (*base, "indicator", "scope", key, s_index), f"unknown {key[:-1]} {code!r}"
    yield from _duplicates(doc["tasks"], "code", ("tasks",))
    for index, task in enumerate(doc["tasks"]):
        base = ("tasks", index)
        if task["lead_unit"] not in unit_codes:
            yield (*base, "lead_unit"), f"unknown unit {task['lead_unit']!r}"
        for c_index, code in enumerate(task.get("co_units", [])):
            if code not in unit_codes:
                yield (*base, "co_units", c_index), f"unknown unit {code!r}"
        for g_index, code in enumerate(task.get("goals", [])):
            if code not in goal_codes:
                yield (*base, "goals", g_index), f"unknown goal {code!r}"
        for m_index, milestone in enumerate(task.get("milestones", [])):
            if milestone["date"] > task["deadline"]:
                yield (*base, "milestones", m_index, "date"), "a milestone falls after the task deadline"
