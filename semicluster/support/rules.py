"""Support programs (专项支持, clause 二、8) as data: parse a plan-file program into frozen dataclasses.

A program dict comes from the plan file's ``support_programs`` list (YAML, so dates may be ``date``
objects or ISO strings, money may be ints or decimal strings). ``parse_program`` checks it on its own,
without the JSON Schema, so that every problem names its field path (``support_programs.0.rules.1.
rate_percent``) and the award engine never meets half-valid data. ``schema_errors`` runs the JSON
Schema of ``plan_schema.json`` for callers that hold a whole section.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).with_name("plan_schema.json")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
_CODE = re.compile(r"^[a-z][a-z0-9_-]*$")


class MaskKind(StrEnum):
    MPW = "mpw"  # 多项目晶圆
    FULL_MASK = "full_mask"  # 全掩膜


class FoundryLocation(StrEnum):
    DOMESTIC = "domestic"  # 境内
    OVERSEAS = "overseas"  # 境外


class Substrate(StrEnum):
    SILICON = "silicon"  # 硅基
    COMPOUND = "compound"  # 化合物


class Basis(StrEnum):
    COST_SHARE = "cost_share"  # share of the eligible cost
    PER_WAFER = "per_wafer"  # yuan per wafer-equivalent (e.g. Chengdu's fab subsidy)


class RuleSelection(StrEnum):
    FIRST = "first"  # first rule in order whose conditions hold (the default)
    BEST = "best"  # of the rules that hold, the one giving most after its own caps


@dataclass(frozen=True)
class FieldProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProgramError(ValueError):
    """Invalid program data; ``problems`` lists every field at fault, each with its path."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class NamedItem:
    code: str
    name: str
    name_en: str
    note: str = ""


@dataclass(frozen=True)
class Period:
    """Inclusive date range."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Applicants:
    chain_nodes: tuple[str, ...] = ()
    registered_in_region: bool = False
    areas: tuple[str, ...] = ()
    designations_any_of: tuple[str, ...] = ()
    designations_all_of: tuple[str, ...] = ()
    mask_kinds: tuple[MaskKind, ...] = ()
    first_tapeout_only: bool = False
    sensor_only: bool = False
    tapeout_period: Period | None = None
    text: str = ""


@dataclass(frozen=True)
class NodeCondition:
    """Process node in nm: at or below ``lte`` and/or above ``gt``."""

    lte: Decimal | None = None
    gt: Decimal | None = None

    def holds(self, node_nm: Decimal) -> bool:
        if self.lte is not None and not node_nm <= self.lte:
            return False
        return not (self.gt is not None and not node_nm > self.gt)

    def describe(self) -> str:
        parts = []
        if self.gt is not None:
            parts.append(f"> {self.gt} nm")
        if self.lte is not None:
            parts.append(f"≤ {self.lte} nm")
        return " 且 / and ".join(parts)


@dataclass(frozen=True)
class Conditions:
    """All given conditions must hold; ``None`` means the rule does not look at that fact."""

    process_node_nm: NodeCondition | None = None
    foundry: FoundryLocation | None = None
    priority_field: bool | None = None
    local_fab: bool | None = None
    mask: MaskKind | None = None
    sensor_first_tapeout: bool | None = None
    first_tapeout: bool | None = None
    substrate: Substrate | None = None


@dataclass(frozen=True)
class AwardRule:
    code: str
    name: str
    name_en: str
    when: Conditions
    basis: Basis = Basis.COST_SHARE
    rate_percent: Decimal | None = None
    yuan_per_wafer: Decimal | None = None
    wafer_base_mm: int | None = None
    cap_per_item: Decimal | None = None
    cap_per_firm_year: Decimal | None = None
    source_text: str = ""


@dataclass(frozen=True)
class Caps:
    per_item: Decimal | None = None
    per_firm_program_year: Decimal | None = None
    per_firm_all_programs_year: Decimal | None = None


@dataclass(frozen=True)
class SupportProgram:
    code: str
    name: str
    name_en: str
    source: str
    source_text: str
    example_values: bool
    applicants: Applicants
    eligible_cost_items: tuple[NamedItem, ...]
    rules: tuple[AwardRule, ...]
    caps: Caps
    annual_budget: Decimal
    application_window: Period
    example_note: str = ""
    year: int | None = None
    priority_fields: tuple[NamedItem, ...] = ()
    rule_selection: RuleSelection = RuleSelection.FIRST
    note: str = ""

    @property
    def eligible_cost_codes(self) -> frozenset[str]:
        return frozenset(item.code for item in self.eligible_cost_items)

    @property
    def priority_field_codes(self) -> frozenset[str]:
        return frozenset(item.code for item in self.priority_fields)


# ---------------------------------------------------------------------------------------------------
# Parsing


_MISSING = object()


class _Reader:
    """Reads fields of nested mappings, collecting problems (with paths) instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def fail(self, path: str, zh: str, en: str) -> None:
        self.problems.append(FieldProblem(path, f"{zh} / {en}"))

    def mapping(self, value: object, path: str) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.fail(path, "应为映射", "expected a mapping")
            return None
        return value

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail(_join(path, str(key)), "未知字段", "unknown field")

    def get(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> Any:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.fail(_join(path, key), "缺少必填字段", "required field missing")
            return _MISSING
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = self.get(data, key, path, required=required)
        if value is _MISSING:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(_join(path, key), "应为非空文本", "expected non-empty text")
            return ""
        return value

    def code(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = self.text(data, key, path)
        if value and not _CODE.match(value):
            self.fail(
                _join(path, key),
                f"代码格式不符：{value!r}",
                f"bad code {value!r} (lower-case, digits, - or _)",
            )
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> bool | None:
        value = self.get(data, key, path, required=required)
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            self.fail(_join(path, key), "应为 true 或 false", "expected true or false")
            return None
        return value

    def decimal(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        money: bool = False,
        maximum: Decimal | None = None,
    ) -> Decimal | None:
        value = self.get(data, key, path, required=required)
        if value is _MISSING:
            return None
        number = to_decimal(value)
        where = _join(path, key)
        if number is None:
            self.fail(
                where, f"应为数字或数字字符串：{value!r}", f"expected a number or decimal string: {value!r}"
            )
            return None
        if number < 0:
            self.fail(where, f"不能为负数：{value}", f"must not be negative: {value}")
            return None
        if money and number != number.quantize(CENT):
            self.fail(
                where, f"金额最多两位小数（分）：{value}", f"money has at most two decimals (fen): {value}"
            )
            return None
        if maximum is not None and number > maximum:
            self.fail(where, f"不能大于 {maximum}：{value}", f"must be at most {maximum}: {value}")
            return None
        return number

    def date(self, data: Mapping[str, Any], key: str, path: str) -> dt.date | None:
        value = self.get(data, key, path, required=True)
        if value is _MISSING:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(
            _join(path, key), f"应为日期 YYYY-MM-DD：{value!r}", f"expected a date YYYY-MM-DD: {value!r}"
        )
        return None

    def choice(self, data: Mapping[str, Any], key: str, path: str, enum: type[StrEnum]) -> Any:
        value = self.get(data, key, path, required=False)
        if value is _MISSING:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            self.fail(
                _join(path, key), f"取值无效：{value!r}", f"invalid value {value!r} (allowed: {allowed})"
            )
            return None

    def codes(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = self.get(data, key, path, required=False)
        if value is _MISSING:
            return ()
        if not isinstance(value, list):
            self.fail(_join(path, key), "应为代码列表", "expected a list of codes")
            return ()
        out: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not _CODE.match(item):
                self.fail(_join(path, key, index), f"代码格式不符：{item!r}", f"bad code {item!r}")
            elif item in out:
                self.fail(_join(path, key, index), f"重复代码：{item}", f"duplicate code {item}")
            else:
                out.append(item)
        return tuple(out)

    def period(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> Period | None:
        value = self.get(data, key, path, required=required)
        if value is _MISSING:
            return None
        where = _join(path, key)
        body = self.mapping(value, where)
        if body is None:
            return None
        self.unknown_keys(body, {"start", "end"}, where)
        start, end = self.date(body, "start", where), self.date(body, "end", where)
        if start is None or end is None:
            return None
        if end < start:
            self.fail(_join(where, "end"), "结束日期早于开始日期", "end is before start")
            return None
        return Period(start, end)


def _join(path: str, *parts: str | int) -> str:
    return ".".join([path, *(str(p) for p in parts)]) if path else ".".join(str(p) for p in parts)


def to_decimal(value: object) -> Decimal | None:
    """Ints, Decimals and decimal strings convert exactly. A float (YAML ``12.5``) converts through its
    shortest repr, which is the literal written in the file; bools, NaN and infinities are refused."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


_PROGRAM_KEYS = {
    "code", "name", "name_en", "source", "source_text", "example_values", "example_note", "year",
    "applicants", "eligible_cost_items", "priority_fields", "rule_selection", "rules", "caps",
    "annual_budget_yuan", "application_window", "note",
}  # fmt: skip
_APPLICANT_KEYS = {
    "chain_nodes", "registered_in_region", "areas", "designations_any_of", "designations_all_of",
    "mask_kinds", "first_tapeout_only", "sensor_only", "tapeout_period", "text",
}  # fmt: skip
_RULE_KEYS = {
    "code", "name", "name_en", "when", "basis", "rate_percent", "yuan_per_wafer", "wafer_base_mm",
    "cap_per_item_yuan", "cap_per_firm_year_yuan", "source_text",
}  # fmt: skip
_CONDITION_KEYS = {
    "process_node_nm", "foundry", "priority_field", "local_fab", "mask", "sensor_first_tapeout",
    "first_tapeout", "substrate",
}  # fmt: skip
_CAP_KEYS = {"per_item_yuan", "per_firm_program_year_yuan", "per_firm_all_programs_year_yuan"}


def _named_items(r: _Reader, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> tuple:
    value = r.get(data, key, path, required=required)
    if value is _MISSING:
        return ()
    where = _join(path, key)
    if not isinstance(value, list) or (required and not value):
        r.fail(where, "应为非空列表", "expected a non-empty list")
        return ()
    items: list[NamedItem] = []
    for index, raw in enumerate(value):
        item_path = _join(where, index)
        body = r.mapping(raw, item_path)
        if body is None:
            continue
        r.unknown_keys(body, {"code", "name", "name_en", "note"}, item_path)
        code = r.code(body, "code", item_path)
        if code and any(i.code == code for i in items):
            r.fail(_join(item_path, "code"), f"重复代码：{code}", f"duplicate code {code}")
        items.append(
            NamedItem(
                code,
                r.text(body, "name", item_path),
                r.text(body, "name_en", item_path),
                r.text(body, "note", item_path, required=False),
            )
        )
    return tuple(items)


def _applicants(r: _Reader, data: Mapping[str, Any], path: str) -> Applicants:
    value = r.get(data, "applicants", path, required=True)
    where = _join(path, "applicants")
    body = r.mapping(value, where) if value is not _MISSING else None
    if body is None:
        return Applicants()
    r.unknown_keys(body, _APPLICANT_KEYS, where)
    mask_kinds: list[MaskKind] = []
    raw_kinds = r.get(body, "mask_kinds", where, required=False)
    if raw_kinds is not _MISSING:
        if not isinstance(raw_kinds, list) or not raw_kinds:
            r.fail(_join(where, "mask_kinds"), "应为非空列表", "expected a non-empty list")
        else:
            for index, kind in enumerate(raw_kinds):
                try:
                    mask_kinds.append(MaskKind(kind))
                except ValueError:
                    r.fail(
                        _join(where, "mask_kinds", index), f"取值无效：{kind!r}", f"invalid value {kind!r}"
                    )
    return Applicants(
        chain_nodes=r.codes(body, "chain_nodes", where),
        registered_in_region=bool(r.boolean(body, "registered_in_region", where)),
        areas=r.codes(body, "areas", where),
        designations_any_of=r.codes(body, "designations_any_of", where),
        designations_all_of=r.codes(body, "designations_all_of", where),
        mask_kinds=tuple(mask_kinds),
        first_tapeout_only=bool(r.boolean(body, "first_tapeout_only", where)),
        sensor_only=bool(r.boolean(body, "sensor_only", where)),
        tapeout_period=r.period(body, "tapeout_period", where, required=False),
        text=r.text(body, "text", where, required=False),
    )


def _conditions(r: _Reader, data: Mapping[str, Any], path: str) -> Conditions:
    value = r.get(data, "when", path, required=False)
    if value is _MISSING:
        return Conditions()
    where = _join(path, "when")
    body = r.mapping(value, where)
    if body is None:
        return Conditions()
    r.unknown_keys(body, _CONDITION_KEYS, where)
    node: NodeCondition | None = None
    raw_node = r.get(body, "process_node_nm", where, required=False)
    if raw_node is not _MISSING:
        node_path = _join(where, "process_node_nm")
        node_body = r.mapping(raw_node, node_path)
        if node_body is not None:
            r.unknown_keys(node_body, {"lte", "gt"}, node_path)
            lte, gt = r.decimal(node_body, "lte", node_path), r.decimal(node_body, "gt", node_path)
            if lte is None and gt is None:
                r.fail(node_path, "需要 lte 或 gt", "needs lte or gt")
            elif lte is not None and gt is not None and gt >= lte:
                r.fail(
                    node_path,
                    "gt 必须小于 lte，否则无工艺节点满足",
                    "gt must be below lte, else no node matches",
                )
            else:
                node = NodeCondition(lte=lte, gt=gt)
    return Conditions(
        process_node_nm=node,
        foundry=r.choice(body, "foundry", where, FoundryLocation),
        priority_field=r.boolean(body, "priority_field", where),
        local_fab=r.boolean(body, "local_fab", where),
        mask=r.choice(body, "mask", where, MaskKind),
        sensor_first_tapeout=r.boolean(body, "sensor_first_tapeout", where),
        first_tapeout=r.boolean(body, "first_tapeout", where),
        substrate=r.choice(body, "substrate", where, Substrate),
    )


def _rule(r: _Reader, raw: object, path: str) -> AwardRule | None:
    body = r.mapping(raw, path)
    if body is None:
        return None
    r.unknown_keys(body, _RULE_KEYS, path)
    basis = r.choice(body, "basis", path, Basis) or Basis.COST_SHARE
    rate = r.decimal(body, "rate_percent", path, maximum=HUNDRED)
    per_wafer = r.decimal(body, "yuan_per_wafer", path, money=True)
    base_mm: int | None = None
    raw_base = r.get(body, "wafer_base_mm", path, required=False)
    if raw_base is not _MISSING:
        if isinstance(raw_base, bool) or not isinstance(raw_base, int) or raw_base < 1:
            r.fail(_join(path, "wafer_base_mm"), "应为正整数（毫米）", "expected a positive integer (mm)")
        else:
            base_mm = raw_base
    if basis is Basis.COST_SHARE:
        if rate is None and "rate_percent" not in body:
            r.fail(_join(path, "rate_percent"), "按比例规则缺少比例", "cost_share rule needs rate_percent")
        for key in ("yuan_per_wafer", "wafer_base_mm"):
            if key in body:
                r.fail(_join(path, key), "仅用于按片规则", "only for basis per_wafer")
    else:
        for key in ("yuan_per_wafer", "wafer_base_mm"):
            if key not in body:
                r.fail(_join(path, key), "按片规则缺少该字段", "per_wafer rule needs this field")
        if "rate_percent" in body:
            r.fail(_join(path, "rate_percent"), "按片规则不用比例", "per_wafer rule takes no rate_percent")
    return AwardRule(
        code=r.code(body, "code", path),
        name=r.text(body, "name", path),
        name_en=r.text(body, "name_en", path),
        when=_conditions(r, body, path),
        basis=basis,
        rate_percent=rate,
        yuan_per_wafer=per_wafer,
        wafer_base_mm=base_mm,
        cap_per_item=r.decimal(body, "cap_per_item_yuan", path, money=True),
        cap_per_firm_year=r.decimal(body, "cap_per_firm_year_yuan", path, money=True),
        source_text=r.text(body, "source_text", path, required=False),
    )


def parse_program(data: object, path: str = "support_programs.0") -> SupportProgram:
    """Parse one plan-file program; raise ``ProgramError`` listing every invalid field by path."""
    r = _Reader()
    body = r.mapping(data, path)
    if body is None:
        raise ProgramError(r.problems)
    r.unknown_keys(body, _PROGRAM_KEYS, path)
    example_values = r.boolean(body, "example_values", path, required=True)
    example_note = r.text(body, "example_note", path, required=bool(example_values))
    year: int | None = None
    raw_year = r.get(body, "year", path, required=False)
    if raw_year is not _MISSING:
        if isinstance(raw_year, bool) or not isinstance(raw_year, int) or not 2000 <= raw_year <= 2100:
            r.fail(_join(path, "year"), f"年份无效：{raw_year!r}", f"invalid year {raw_year!r}")
        else:
            year = raw_year
    rules: list[AwardRule] = []
    raw_rules = r.get(body, "rules", path, required=True)
    if raw_rules is not _MISSING:
        if not isinstance(raw_rules, list) or not raw_rules:
            r.fail(_join(path, "rules"), "应为非空规则列表", "expected a non-empty list of rules")
        else:
            for index, raw in enumerate(raw_rules):
                rule = _rule(r, raw, _join(path, "rules", index))
                if rule is None:
                    continue
                if rule.code and any(x.code == rule.code for x in rules):
                    r.fail(
                        _join(path, "rules", index, "code"),
                        f"重复规则代码：{rule.code}",
                        "duplicate rule code",
                    )
                rules.append(rule)
    caps = Caps()
    raw_caps = r.get(body, "caps", path, required=True)
    if raw_caps is not _MISSING:
        caps_path = _join(path, "caps")
        caps_body = r.mapping(raw_caps, caps_path)
        if caps_body is not None:
            r.unknown_keys(caps_body, _CAP_KEYS, caps_path)
            caps = Caps(
                per_item=r.decimal(caps_body, "per_item_yuan", caps_path, money=True),
                per_firm_program_year=r.decimal(
                    caps_body, "per_firm_program_year_yuan", caps_path, money=True
                ),
                per_firm_all_programs_year=r.decimal(
                    caps_body, "per_firm_all_programs_year_yuan", caps_path, money=True
                ),
            )
    program = SupportProgram(
        code=r.code(body, "code", path),
        name=r.text(body, "name", path),
        name_en=r.text(body, "name_en", path),
        source=r.text(body, "source", path),
        source_text=r.text(body, "source_text", path),
        example_values=bool(example_values),
        example_note=example_note,
        year=year,
        applicants=_applicants(r, body, path),
        eligible_cost_items=_named_items(r, body, "eligible_cost_items", path, required=True),
        priority_fields=_named_items(r, body, "priority_fields", path, required=False),
        rule_selection=r.choice(body, "rule_selection", path, RuleSelection) or RuleSelection.FIRST,
        rules=tuple(rules),
        caps=caps,
        annual_budget=r.decimal(body, "annual_budget_yuan", path, required=True, money=True) or Decimal(0),
        application_window=r.period(body, "application_window", path, required=True) or _NO_PERIOD,
        note=r.text(body, "note", path, required=False),
    )
    if r.problems:
        raise ProgramError(r.problems)
    return program


_NO_PERIOD = Period(dt.date.min, dt.date.min)  # never returned: a missing window is a problem above


def parse_programs(data: object, path: str = "support_programs") -> tuple[SupportProgram, ...]:
    """Parse the whole section; program codes must be unique. Problems of all programs are reported."""
    if not isinstance(data, list):
        raise ProgramError([FieldProblem(path, "应为列表 / expected a list")])
    programs: list[SupportProgram] = []
    problems: list[FieldProblem] = []
    for index, raw in enumerate(data):
        try:
            program = parse_program(raw, _join(path, index))
        except ProgramError as exc:
            problems.extend(exc.problems)
            continue
        if any(p.code == program.code for p in programs):
            problems.append(
                FieldProblem(
                    _join(path, index, "code"), f"重复项目代码 / duplicate program code {program.code}"
                )
            )
        programs.append(program)
    if problems:
        raise ProgramError(problems)
    return tuple(programs)


@cache
def plan_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _jsonable(value: Any) -> Any:
    # Same conversion as semicluster.plans.validation: the schema speaks JSON, YAML gives date objects.
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def schema_errors(programs: object) -> list[str]:
    """JSON Schema problems of a ``support_programs`` list, each as ``dotted.path: message``."""
    validator = Draft202012Validator(plan_schema(), format_checker=FormatChecker())
    document = {"support_programs": _jsonable(programs)}
    return [
        f"{'.'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    ]


def cross_reference_problems(
    programs: Iterable[SupportProgram],
    *,
    chain_nodes: Iterable[str],
    areas: Iterable[str],
    designations: Iterable[str],
    path: str = "support_programs",
) -> list[FieldProblem]:
    """Codes a program names that the plan file does not define (for the plan validator to call)."""
    known = {"chain_nodes": set(chain_nodes), "areas": set(areas)}
    known_designations = set(designations)
    problems: list[FieldProblem] = []
    for index, program in enumerate(programs):
        a = program.applicants
        lists = {
            "chain_nodes": (a.chain_nodes, known["chain_nodes"]),
            "areas": (a.areas, known["areas"]),
            "designations_any_of": (a.designations_any_of, known_designations),
            "designations_all_of": (a.designations_all_of, known_designations),
        }
        for key, (codes, valid) in lists.items():
            for position, code in enumerate(codes):
                if code not in valid:
                    problems.append(
                        FieldProblem(
                            _join(path, index, "applicants", key, position),
                            f"计划文件中无此代码 / unknown code {code!r}",
                        )
                    )
    return problems
