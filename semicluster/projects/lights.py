"""Traffic lights (红黄绿灯) for library projects, from the plan file's ``risk_rules``.

A rule names a measure (see ``measures.Measure``), a comparison and a threshold (two for ``between``), the
light it gives (red or yellow) and the reason shown to users in Chinese and English. ``evaluate`` applies
every rule to one project's measures:

- the worst colour among the rules that fire wins; with none firing the light is green, with the reason
  "all measures within rules";
- a rule whose measure cannot be computed (no annual plan, no planned start …) stays silent, unless it
  says ``missing: yellow`` (or red): then the light states that the measure is missing;
- when several rules on the *same* measure fire (Wuhan: < 0.6 red and < 0.8 yellow), only the most
  severe speaks for that measure, so a red light does not also list the yellow reason it supersedes.

The rules of real cities (domain-facts §6.4: Yinchuan 2025, Wuhan) are plan data, not code; see the tests.
``KUNSHAN_DEFAULT_RULES`` is the platform's default set for a plan that names no thresholds.
"""

from __future__ import annotations

import copy
import json
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from semicluster.projects.measures import RATIO_PLACES, Measure, ProjectMeasures

SCHEMA_PATH = Path(__file__).with_name("plan_schema.json")


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @property
    def label_zh(self) -> str:
        return {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[self.value]


_SEVERITY = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}


class Comparison(StrEnum):
    LT = "lt"
    LTE = "lte"
    GT = "gt"
    GTE = "gte"
    EQ = "eq"
    BETWEEN = "between"  # inclusive at both ends

    def holds(self, value: Decimal, thresholds: tuple[Decimal, ...]) -> bool:
        if self is Comparison.BETWEEN:
            low, high = thresholds
            return low <= value <= high
        (threshold,) = thresholds
        match self:
            case Comparison.LT:
                return value < threshold
            case Comparison.LTE:
                return value <= threshold
            case Comparison.GT:
                return value > threshold
            case Comparison.GTE:
                return value >= threshold
            case _:
                return value == threshold


class RuleError(ValueError):
    """A risk rule in the plan file that cannot be used; the message names the rule."""


# Names a reason text may use; attribute or index access ({value.__class__}) is refused on purpose,
# because plan files are edited by people and str.format would otherwise reach into Python objects.
PLACEHOLDERS: frozenset[str] = frozenset(
    {m.value for m in Measure}
    | {"value", "abs_value", "threshold", "threshold_low", "threshold_high", "month"}
)


@dataclass(frozen=True)
class Rule:
    code: str
    measure: Measure
    comparison: Comparison
    thresholds: tuple[Decimal, ...]
    light: Colour
    reason_zh: str
    reason_en: str
    source: str
    source_text: str
    missing: Colour | None = None
    missing_reason_zh: str | None = None
    missing_reason_en: str | None = None
    note: str = ""

    def fires(self, value: Decimal | int) -> bool:
        return self.comparison.holds(Decimal(value), self.thresholds)


@dataclass(frozen=True)
class Reason:
    code: str  # the rule's code, or ALL_WITHIN_RULES for a green light
    colour: Colour
    text_zh: str
    text_en: str
    measure: Measure | None = None
    value: Decimal | int | None = None
    missing: bool = False
    source: str = ""

    @property
    def text(self) -> str:
        return f"{self.text_zh} / {self.text_en}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "colour": self.colour.value,
            "measure": self.measure.value if self.measure else None,
            "value": None if self.value is None else str(self.value),
            "missing": self.missing,
            "text_zh": self.text_zh,
            "text_en": self.text_en,
            "source": self.source,
        }


ALL_WITHIN_RULES = "all_within_rules"


@dataclass(frozen=True)
class Light:
    colour: Colour
    reasons: list[Reason] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; two lights with equal dicts are the same light (the app stores a change only)."""
        return {"colour": self.colour.value, "reasons": [r.as_dict() for r in self.reasons]}


# --- rules from plan data ------------------------------------------------------------------------------


def parse_rule(data: Mapping[str, Any], *, position: int | None = None) -> Rule:
    """Turn one plan-file rule (a mapping as loaded from YAML) into a Rule, or raise RuleError."""
    where = _where(data, position)
    try:
        code = str(data["code"])
        measure = Measure(data["measure"])
        comparison = Comparison(data["comparison"])
        light = Colour(data["light"])
        reason_zh = str(data["reason_zh"])
        reason_en = str(data["reason_en"])
        source = str(data["source"])
        source_text = str(data["source_text"])
    except KeyError as exc:
        raise RuleError(
            f"{where[0]}缺少字段{exc.args[0]} / {where[1]}: field {exc.args[0]} is missing"
        ) from None
    except ValueError as exc:
        raise RuleError(f"{where[0]}取值无效 / {where[1]}: {exc}") from None
    if light is Colour.GREEN:
        raise RuleError(
            f"{where[0]}的灯色只能是red或yellow / {where[1]}: a rule gives red or yellow, green is implied"
        )

    if comparison is Comparison.BETWEEN:
        raw = data.get("thresholds")
        if "threshold" in data or not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) != 2:
            raise RuleError(
                f"{where[0]}：between须给出thresholds: [下限, 上限] / "
                f"{where[1]}: between needs thresholds: [low, high]"
            )
        thresholds: tuple[Decimal, ...] = (_decimal(raw[0], where), _decimal(raw[1], where))
        if thresholds[0] > thresholds[1]:
            raise RuleError(f"{where[0]}：下限大于上限 / {where[1]}: the low threshold exceeds the high one")
    else:
        if "threshold" not in data or "thresholds" in data:
            raise RuleError(
                f"{where[0]}：{comparison.value}须给出一个threshold / "
                f"{where[1]}: {comparison.value} needs exactly one threshold"
            )
        thresholds = (_decimal(data["threshold"], where),)

    missing = None
    if data.get("missing") is not None:
        try:
            missing = Colour(data["missing"])
        except ValueError:
            missing = Colour.GREEN  # reported just below
        if missing is Colour.GREEN:
            raise RuleError(
                f"{where[0]}：missing只能是red或yellow / {where[1]}: missing must be red or yellow"
            )

    texts = [reason_zh, reason_en]
    texts += [str(data[k]) for k in ("missing_reason_zh", "missing_reason_en") if data.get(k)]
    for text in texts:
        _check_placeholders(text, where)

    return Rule(
        code=code,
        measure=measure,
        comparison=comparison,
        thresholds=thresholds,
        light=light,
        reason_zh=reason_zh,
        reason_en=reason_en,
        source=source,
        source_text=source_text,
        missing=missing,
        missing_reason_zh=data.get("missing_reason_zh") or None,
        missing_reason_en=data.get("missing_reason_en") or None,
        note=str(data.get("note") or ""),
    )


def parse_rules(data: Iterable[Mapping[str, Any] | Rule]) -> list[Rule]:
    rules: list[Rule] = []
    seen: set[str] = set()
    for position, item in enumerate(data, start=1):
        rule = item if isinstance(item, Rule) else parse_rule(item, position=position)
        if rule.code in seen:
            raise RuleError(f"规则代码{rule.code}重复 / rule code {rule.code} appears twice")
        seen.add(rule.code)
        rules.append(rule)
    return rules


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def plan_schema() -> dict[str, Any]:
    """The JSON Schema fragment for ``project_library`` and ``risk_rules`` (a fresh copy)."""
    return copy.deepcopy(_schema())


def schema_errors(sections: Mapping[str, Any]) -> list[str]:
    """Validate a mapping holding ``project_library`` and/or ``risk_rules`` against the fragment.

    Returns one message per error, each naming the path (``risk_rules/2/threshold``); empty when valid.
    """
    from jsonschema import Draft202012Validator  # imported here: only plan loading needs it

    validator = Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(dict(sections)), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]


# --- evaluation ----------------------------------------------------------------------------------------


def evaluate(measures: ProjectMeasures, rules: Iterable[Rule | Mapping[str, Any]]) -> Light:
    """The light for one project and month: worst colour wins, every reason listed."""
    fired: list[Reason] = []
    for rule in parse_rules(rules):
        value = measures.value(rule.measure)
        if value is None:
            if rule.missing is not None:
                fired.append(_missing_reason(rule, measures))
            continue
        if rule.fires(value):
            fields = _placeholder_values(measures, rule, value)
            fired.append(
                Reason(
                    code=rule.code,
                    colour=rule.light,
                    text_zh=rule.reason_zh.format_map(fields),
                    text_en=rule.reason_en.format_map(fields),
                    measure=rule.measure,
                    value=value,
                    source=rule.source,
                )
            )

    reasons = _worst_per_measure(_dedupe(fired))
    if not reasons:
        return Light(
            Colour.GREEN,
            [Reason(ALL_WITHIN_RULES, Colour.GREEN, "各项指标均在规则范围内", "all measures within rules")],
        )
    reasons.sort(key=lambda r: -r.colour.severity)  # stable: rule order within a colour
    return Light(reasons[0].colour, reasons)


def _missing_reason(rule: Rule, measures: ProjectMeasures) -> Reason:
    assert rule.missing is not None
    fields = _placeholder_values(measures, rule, None)
    zh = (rule.missing_reason_zh or f"缺少数据：{rule.measure.label_zh}无法计算").format_map(fields)
    en = (rule.missing_reason_en or f"missing data: {rule.measure.label_en} cannot be computed").format_map(
        fields
    )
    return Reason(rule.code, rule.missing, zh, en, measure=rule.measure, missing=True, source=rule.source)


def _dedupe(reasons: list[Reason]) -> list[Reason]:
    # Several rules on one measure may all say ``missing: yellow``; the user needs to read it once.
    out: list[Reason] = []
    seen: set[tuple[str, str, str]] = set()
    for reason in reasons:
        key = (reason.colour.value, reason.text_zh, reason.text_en)
        if reason.missing and key in seen:
            continue
        seen.add(key)
        out.append(reason)
    return out


def _worst_per_measure(reasons: list[Reason]) -> list[Reason]:
    worst: dict[Measure | None, int] = {}
    for reason in reasons:
        worst[reason.measure] = max(worst.get(reason.measure, 0), reason.colour.severity)
    return [r for r in reasons if r.colour.severity == worst[r.measure]]


def _placeholder_values(measures: ProjectMeasures, rule: Rule, value: Decimal | int | None) -> dict[str, str]:
    values = {m.value: format_measure(m, measures.value(m)) for m in Measure}
    values["value"] = format_measure(rule.measure, value)
    magnitude = None if value is None else abs(Decimal(value))
    values["abs_value"] = format_measure(rule.measure, magnitude)
    values["threshold"] = _plain(rule.thresholds[0])
    values["threshold_low"] = _plain(rule.thresholds[0])
    values["threshold_high"] = _plain(rule.thresholds[-1])
    values["month"] = f"{measures.reporting_month:%Y-%m}"
    return values


def format_measure(measure: Measure, value: Decimal | int | None) -> str:
    """How a value reads in a reason text: percentages keep their one decimal (37.5, 50.0), the ratio
    drops trailing zeros but keeps two places (0.75, 0.60), counts are whole numbers; missing is "—"."""
    if value is None:
        return "—"
    if measure is Measure.COMPLETION_RATIO:
        text = _plain(Decimal(value).quantize(RATIO_PLACES))
        whole, _, frac = text.partition(".")
        return f"{whole}.{frac.ljust(2, '0')}"
    return str(value)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def _decimal(raw: Any, where: tuple[str, str]) -> Decimal:
    # YAML gives floats for 12.5; str() of a float is its shortest round-trip text, so "12.5" is exact.
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise RuleError(f"{where[0]}：阈值应为数字 / {where[1]}: a threshold must be a number")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise RuleError(
            f"{where[0]}：阈值{raw!r}不是数字 / {where[1]}: threshold {raw!r} is not a number"
        ) from None
    if not value.is_finite():
        raise RuleError(f"{where[0]}：阈值应为有限数 / {where[1]}: a threshold must be finite")
    return value


def _check_placeholders(text: str, where: tuple[str, str]) -> None:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise RuleError(
            f"{where[0]}：原因文字的花括号有误 / {where[1]}: braces in the reason text: {exc}"
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            allowed = ", ".join(sorted(PLACEHOLDERS))
            raise RuleError(
                f"{where[0]}：原因文字中的占位符{{{name}}}无效 / {where[1]}: unknown placeholder {{{name}}} "
                f"in the reason text (allowed: {allowed}; no format spec)"
            )


def _where(data: Mapping[str, Any], position: int | None) -> tuple[str, str]:
    code = data.get("code") if isinstance(data, Mapping) else None
    label_zh = f"第{position}条规则" if position else "规则"
    label_en = f"rule {position}" if position else "rule"
    if code:
        return f"{label_zh}（{code}）", f"{label_en} ({code})"
    return label_zh, label_en


# --- the platform's default rule set for Kunshan ---------------------------------------------------------

DEFAULT_RULE_SET_LABEL = (
    "平台默认规则：规划原文要求“完善项目督查推进机制”“预先防范项目风险”，未规定具体阈值；阈值由平台设定，"
    "可在规划文件的risk_rules中修改 / platform default rules: the plan asks for project supervision and risk "
    "prevention but sets no thresholds; these are the platform's and can be changed in the plan's risk_rules"
)
_NOTE = "平台默认阈值（非规划原文） / platform default threshold (not from the plan text)"
_SRC_22 = "二、2"
_TEXT_22 = "编制半导体产业重大项目推进计划，强化重大项目管理，建立 5000 万元以上项目库，完善项目督查推进机制"
_SRC_28 = "二、8"
_TEXT_28 = (
    "建立电子信息产业项目库，对项目进行分类管理，密切跟进项目建设投产管理指标，"
    "加强项目推进工作服务前置，预先防范项目风险"
)

# Thresholds follow the most detailed real rule found (Yinchuan 2025, domain-facts §6.4) where one exists:
# start overdue 1 month yellow / 3 months red, 10 points behind schedule yellow / more than 30 red. Overdue
# problems and stale data have no published model; a monthly reporting cycle with a fortnight's grace
# (45 days) and two missed cycles (75 days) are our choice.
KUNSHAN_DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    {
        "code": "start_overdue",
        "measure": "start_overdue_months",
        "comparison": "gte",
        "threshold": 1,
        "light": "yellow",
        "reason_zh": "已到计划开工月份仍未开工（第{start_overdue_months}个月）",
        "reason_en": "planned start reached without a start (month {start_overdue_months})",
        "note": _NOTE,
        "source": _SRC_22,
        "source_text": _TEXT_22,
    },
    {
        "code": "start_overdue_long",
        "measure": "start_overdue_months",
        "comparison": "gte",
        "threshold": 3,
        "light": "red",
        "reason_zh": "连续{start_overdue_months}个月未按计划开工",
        "reason_en": "not started for {start_overdue_months} months after the planned start",
        "note": _NOTE,
        "source": _SRC_22,
        "source_text": _TEXT_22,
    },
    {
        "code": "behind_schedule",
        "measure": "gap_points",
        "comparison": "lte",
        "threshold": -10,
        "light": "yellow",
        "reason_zh": "年度计划完成{ytd_completion_pct}%，落后序时进度{abs_value}个百分点",
        "reason_en": "{ytd_completion_pct}% of the annual plan done, {abs_value} points behind schedule",
        "note": _NOTE,
        "source": _SRC_22,
        "source_text": _TEXT_22,
    },
    {
        "code": "behind_schedule_far",
        "measure": "gap_points",
        "comparison": "lt",
        "threshold": -30,
        "light": "red",
        "reason_zh": "年度计划完成{ytd_completion_pct}%，落后序时进度{abs_value}个百分点（超过30个百分点）",
        "reason_en": "{ytd_completion_pct}% of annual plan done, {abs_value} points behind schedule (> 30)",
        "note": _NOTE,
        "source": _SRC_22,
        "source_text": _TEXT_22,
    },
    {
        "code": "problems_overdue",
        "measure": "overdue_problems",
        "comparison": "gte",
        "threshold": 1,
        "light": "yellow",
        "reason_zh": "{overdue_problems}个问题逾期未解决",
        "reason_en": "{overdue_problems} problem(s) past their deadline",
        "note": _NOTE,
        "source": _SRC_28,
        "source_text": _TEXT_28,
    },
    {
        "code": "problems_overdue_many",
        "measure": "overdue_problems",
        "comparison": "gte",
        "threshold": 3,
        "light": "red",
        "reason_zh": "{overdue_problems}个问题逾期未解决（3个及以上）",
        "reason_en": "{overdue_problems} problems past their deadline (3 or more)",
        "note": _NOTE,
        "source": _SRC_28,
        "source_text": _TEXT_28,
    },
    {
        "code": "data_not_updated",
        "measure": "days_since_update",
        "comparison": "gt",
        "threshold": 45,
        "light": "yellow",
        "reason_zh": "进度数据{days_since_update}天未更新",
        "reason_en": "progress data not updated for {days_since_update} days",
        "missing": "yellow",
        "missing_reason_zh": "尚未报送进度数据",
        "missing_reason_en": "no progress data reported yet",
        "note": _NOTE,
        "source": _SRC_28,
        "source_text": _TEXT_28,
    },
    {
        "code": "data_not_updated_long",
        "measure": "days_since_update",
        "comparison": "gt",
        "threshold": 75,
        "light": "red",
        "reason_zh": "进度数据{days_since_update}天未更新（超过两个报送周期）",
        "reason_en": "progress data not updated for {days_since_update} days (two reporting cycles missed)",
        "note": _NOTE,
        "source": _SRC_28,
        "source_text": _TEXT_28,
    },
)


def kunshan_default_rules() -> list[dict[str, Any]]:
    """The platform's default rule set, plan-shaped (a fresh copy the caller may change)."""
    return copy.deepcopy(list(KUNSHAN_DEFAULT_RULES))


__all__ = [
    "ALL_WITHIN_RULES",
    "DEFAULT_RULE_SET_LABEL",
    "KUNSHAN_DEFAULT_RULES",
    "PLACEHOLDERS",
    "Colour",
    "Comparison",
    "Light",
    "Reason",
    "Rule",
    "RuleError",
    "evaluate",
    "format_measure",
    "kunshan_default_rules",
    "parse_rule",
    "parse_rules",
    "plan_schema",
    "schema_errors",
]
