"""Chain-node classification strong / weak / missing (强链 / 弱链 / 缺链, SPEC §3.5).

The rules are plan data (``chain_classification`` in the plan file, schema in plan_schema.json),
so a city can change them without a code change and every class shows the rule that made it:

    chain_classification:
      tiers:                       # highest first
        - {code: leader, name: 50亿级龙头企业, name_en: leader (5 bn yuan)}
        - {code: backbone, name: 10亿级骨干企业, name_en: backbone (1 bn yuan)}
        - {code: growth, name: 成长型企业, name_en: growth firm}
      missing:                     # any condition met → 缺链
        conditions:
          - {metric: firms_with_revenue, op: "<", value: 1}
      weak:                        # else any condition met → 弱链; else 强链
        conditions:
          - {metric: firm_count, op: "<", value: 5}
          - {metric: firms_at_or_above_tier, tier: backbone, op: "<", value: 1}
          - {metric: breakpoint_count, op: ">", value: 0}

A class set can say ``match: all`` to need every condition instead of any one.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from .reasons import Reason

STRONG, WEAK, MISSING = "strong", "weak", "missing"
CLASS_LABELS = {STRONG: ("强链", "strong"), WEAK: ("弱链", "weak"), MISSING: ("缺链", "missing")}

_OPS: dict[str, tuple[Callable[[Any, Any], bool], str, str]] = {
    "<": (operator.lt, "少于", "fewer than"),
    "<=": (operator.le, "不超过", "at most"),
    "==": (operator.eq, "等于", "equal to"),
    ">=": (operator.ge, "不少于", "at least"),
    ">": (operator.gt, "多于", "more than"),
}
# metric → (zh label, en label); tier metrics fill in the tier's names.
_METRICS: dict[str, tuple[str, str]] = {
    "firm_count": ("本地企业数", "local firms"),
    "firms_with_revenue": ("有营业收入的企业数", "firms with revenue"),
    "total_revenue": ("营业收入合计（元）", "total revenue (yuan)"),
    "tier_count": ("{tier}数", "{tier} firms"),
    "firms_at_or_above_tier": ("{tier}及以上企业数", "firms at or above {tier}"),
    "breakpoint_count": ("供应链断点数", "supply-chain breakpoints"),
}
TIER_METRICS = frozenset({"tier_count", "firms_at_or_above_tier"})

SCHEMA_PATH = Path(__file__).with_name("plan_schema.json")


@cache
def plan_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_section(name: str, section: Any) -> None:
    """Validate a plan section (``chain_classification`` / ``supply_survey``); errors name the field."""
    schema = plan_schema()
    validator = jsonschema.Draft202012Validator(schema["properties"][name])
    errors = sorted(validator.iter_errors(section), key=lambda e: list(e.absolute_path))
    if errors:
        lines = []
        for error in errors:
            where = "/".join(str(p) for p in (name, *error.absolute_path))
            lines.append(f"计划文件字段{where}：{error.message} / plan field {where}: {error.message}")
        raise ValueError("\n".join(lines))


@dataclass(frozen=True)
class NodeFacts:
    """What is known about one chain node; tier_counts counts firms at exactly each tier."""

    node: Any
    firm_count: int = 0
    firms_with_revenue: int = 0
    total_revenue: Decimal = Decimal(0)
    tier_counts: Mapping[str, int] = field(default_factory=dict)
    breakpoint_count: int = 0


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class Condition:
    metric: str
    op: str
    value: Decimal
    tier: str | None = None
    name: str | None = None  # the plan's own name for the rule, shown before the figures
    name_en: str | None = None


@dataclass(frozen=True)
class RuleSet:
    conditions: tuple[Condition, ...]
    match: str = "any"


@dataclass(frozen=True)
class ClassificationRules:
    tiers: tuple[Tier, ...]  # highest first
    missing: RuleSet
    weak: RuleSet

    @classmethod
    def from_plan(cls, section: Mapping[str, Any]) -> ClassificationRules:
        validate_section("chain_classification", section)
        tiers = tuple(Tier(t["code"], t["name"], t["name_en"]) for t in section["tiers"])
        known = {t.code for t in tiers}

        def rule_set(data: Mapping[str, Any], kind: str) -> RuleSet:
            conditions = []
            for n, c in enumerate(data["conditions"]):
                where = f"chain_classification/{kind}/conditions/{n}/tier"
                if c.get("tier") is not None and c["tier"] not in known:
                    raise ValueError(
                        f"计划文件字段{where}：未定义的层级{c['tier']} / "
                        f"plan field {where}: undefined tier {c['tier']}"
                    )
                conditions.append(
                    Condition(
                        metric=c["metric"],
                        op=c["op"],
                        value=Decimal(str(c["value"])),
                        tier=c.get("tier"),
                        name=c.get("name"),
                        name_en=c.get("name_en"),
                    )
                )
            return RuleSet(tuple(conditions), data.get("match", "any"))

        return cls(tiers, rule_set(section["missing"], "missing"), rule_set(section["weak"], "weak"))


DEFAULT_RULES_DATA: dict[str, Any] = {
    "tiers": [
        {"code": "leader", "name": "50亿级龙头企业", "name_en": "leader (5 bn yuan)"},
        {"code": "backbone", "name": "10亿级骨干企业", "name_en": "backbone (1 bn yuan)"},
        {"code": "growth", "name": "成长型企业", "name_en": "growth firm"},
    ],
    "missing": {"conditions": [{"metric": "firms_with_revenue", "op": "<", "value": 1}]},
    "weak": {
        "conditions": [
            {"metric": "firm_count", "op": "<", "value": 5},
            {"metric": "firms_at_or_above_tier", "tier": "backbone", "op": "<", "value": 1},
            {"metric": "breakpoint_count", "op": ">", "value": 0},
        ]
    },
}


@dataclass(frozen=True)
class NodeClass:
    node: Any
    status: str  # strong / weak / missing
    reasons: tuple[Reason, ...]

    @property
    def label_zh(self) -> str:
        return CLASS_LABELS[self.status][0]

    @property
    def label_en(self) -> str:
        return CLASS_LABELS[self.status][1]


def _measure(facts: NodeFacts, condition: Condition, rules: ClassificationRules) -> Decimal:
    if condition.metric == "tier_count":
        return Decimal(facts.tier_counts.get(condition.tier or "", 0))
    if condition.metric == "firms_at_or_above_tier":
        codes = [t.code for t in rules.tiers]
        above = codes[: codes.index(condition.tier) + 1] if condition.tier in codes else []
        return Decimal(sum(facts.tier_counts.get(code, 0) for code in above))
    return Decimal(getattr(facts, condition.metric))


def _metric_names(condition: Condition, rules: ClassificationRules) -> tuple[str, str]:
    zh, en = _METRICS[condition.metric]
    tier = next((t for t in rules.tiers if t.code == condition.tier), None)
    if tier is not None:
        zh, en = zh.format(tier=tier.name), en.format(tier=tier.name_en)
    return zh, en


def _reason(code: str, condition: Condition, actual: Decimal, rules: ClassificationRules) -> Reason:
    zh_metric, en_metric = _metric_names(condition, rules)
    _, zh_op, en_op = _OPS[condition.op]
    zh = f"{zh_metric}为{actual}，{zh_op}{condition.value}"
    en = f"{en_metric}: {actual}, {en_op} {condition.value}"
    if condition.name:
        zh = f"{condition.name}（{zh}）"
    if condition.name_en:
        en = f"{condition.name_en} ({en})"
    return Reason(f"{code}:{condition.metric}", zh, en)


def _met(facts: NodeFacts, rule_set: RuleSet, code: str, rules: ClassificationRules) -> list[Reason]:
    """The reasons the rule set holds, or [] when it does not."""
    hits = []
    for condition in rule_set.conditions:
        actual = _measure(facts, condition, rules)
        if _OPS[condition.op][0](actual, condition.value):
            hits.append(_reason(code, condition, actual, rules))
    if rule_set.match == "all" and len(hits) < len(rule_set.conditions):
        return []
    return hits


def classify_node(facts: NodeFacts, rules: ClassificationRules | None = None) -> NodeClass:
    rules = rules or DEFAULT_RULES
    if reasons := _met(facts, rules.missing, MISSING, rules):
        return NodeClass(facts.node, MISSING, tuple(reasons))
    if reasons := _met(facts, rules.weak, WEAK, rules):
        return NodeClass(facts.node, WEAK, tuple(reasons))
    summary = Reason(
        STRONG,
        f"未触发缺链、弱链规则：本地企业{facts.firm_count}家，有营收{facts.firms_with_revenue}家，"
        f"断点{facts.breakpoint_count}个",
        f"no missing or weak rule met: {facts.firm_count} local firms, "
        f"{facts.firms_with_revenue} with revenue, "
        f"{facts.breakpoint_count} breakpoints",
    )
    return NodeClass(facts.node, STRONG, (summary,))


def classify_nodes(
    facts: Iterable[NodeFacts], rules: ClassificationRules | None = None
) -> dict[Any, NodeClass]:
    """Classify every node; a node of the taxonomy with no facts should be passed as NodeFacts(node)."""
    rules = rules or DEFAULT_RULES
    return {f.node: classify_node(f, rules) for f in facts}


DEFAULT_RULES = ClassificationRules.from_plan(DEFAULT_RULES_DATA)
