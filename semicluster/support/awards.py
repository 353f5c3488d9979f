"""Award computation for a support-program application (专项支持奖励核定) — a pure engine.

``compute_award`` turns a parsed program (``rules.SupportProgram``) and the facts of one application
into an ``AwardComputation`` whose ``steps`` the UI shows one by one:

1. 资格审查 eligibility — applicant (chain node, location, designations) and tape-out (kind, first
   tape-out, sensor, tape-out period, application window). An ineligible application gets 0 and stops.
2. 合格费用 eligible cost — the sum of cost lines whose item the program lists; others are shown as
   excluded.
3. 适用规则 rule matched — with the program's ``rule_selection``: ``first`` (default) takes the first
   rule in plan order whose conditions all hold, so the plan file orders rules from the most specific
   to the fallback; ``best`` takes, of the rules that hold, the one giving most after its own caps
   (the earliest on a tie). A condition whose fact is unknown does not hold.
4. 比例 rate — rate × eligible cost (or yuan per wafer-equivalent), rounded to the fen.
5. Caps in this order, each only if configured: the rule's cap per item, the rule's cap per firm and
   year, the program's cap per item, per firm per program per year, per firm across all programs per
   year. A yearly cap leaves room = cap − prior awards (never below 0).
6. 预算余额 budget remaining — annual budget − committed. An award above it is cut to what remains
   and flagged ``over_budget`` (partial award), so the reviewer sees it before approval.
7. 核定金额 final amount.

All money is Decimal, rounded to the fen with ROUND_HALF_UP. A 一事一议 (one case, one decision)
override replaces the final amount but keeps the computed one beside it, with reason and approver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from semicluster.support.rules import (
    HUNDRED,
    AwardRule,
    Basis,
    Conditions,
    FoundryLocation,
    MaskKind,
    RuleSelection,
    Substrate,
    SupportProgram,
    to_decimal,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def fen(value: Decimal) -> Decimal:
    """Round half up to the fen (0.01 yuan)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _money(value: object, what: str) -> Decimal:
    # Runtime money (costs, prior awards, decisions) must be exact: floats are refused here, unlike
    # plan-file numbers, where a YAML float is the literal the editor wrote.
    number = None if isinstance(value, float) else to_decimal(value)
    if number is None or number < 0:
        raise ValueError(f"{what} 应为非负金额：{value!r} / {what} must be a non-negative amount: {value!r}")
    return fen(number)


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


@dataclass(frozen=True)
class CostLine:
    """One cost of the tape-out, with its invoice (发票) and contract (合同) references."""

    item: str
    amount: Decimal
    invoice_no: str = ""
    contract_no: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _money(self.amount, f"费用 {self.item} / cost {self.item}"))


@dataclass(frozen=True)
class ApplicationFacts:
    """What an application states about the firm and the tape-out. ``None`` means unknown."""

    firm_id: str  # 统一社会信用代码
    chain_nodes: tuple[str, ...] = ()
    registered_in_region: bool | None = None
    area: str | None = None
    designations: frozenset[str] = frozenset()
    foundry: str = ""
    foundry_location: FoundryLocation | None = None
    local_fab: bool | None = None  # done at a fab in the plan's region
    process_node_nm: Decimal | None = None
    mask: MaskKind | None = None
    substrate: Substrate | None = None
    wafer_size_mm: int | None = None
    wafer_count: int | None = None
    tapeout_date: dt.date | None = None
    product: str = ""
    is_sensor: bool | None = None
    first_tapeout: bool | None = None
    product_field: str | None = None  # a code of the program's priority_fields, if the product is in one
    priority_field: bool | None = None  # an explicit reviewer finding; wins over product_field
    applied_on: dt.date | None = None
    costs: tuple[CostLine, ...] = ()

    def __post_init__(self) -> None:
        if self.process_node_nm is not None:
            node = to_decimal(self.process_node_nm)
            if node is None or node <= 0:
                raise ValueError(f"工艺节点无效：{self.process_node_nm!r} / invalid process node")
            object.__setattr__(self, "process_node_nm", node)
        # Callers may pass plain strings ("domestic"); the engine compares enum members.
        for name, enum in (
            ("foundry_location", FoundryLocation),
            ("mask", MaskKind),
            ("substrate", Substrate),
        ):
            value = getattr(self, name)
            if value is not None:
                try:
                    object.__setattr__(self, name, enum(value))
                except ValueError:
                    raise ValueError(f"{name} 取值无效：{value!r} / invalid {name}: {value!r}") from None
        object.__setattr__(self, "costs", tuple(self.costs))
        object.__setattr__(self, "chain_nodes", tuple(self.chain_nodes))
        object.__setattr__(self, "designations", frozenset(self.designations))


@dataclass(frozen=True)
class Check:
    """One eligibility check with its bilingual explanation."""

    code: str
    ok: bool
    zh: str
    en: str


@dataclass(frozen=True)
class RuleEvaluation:
    rule: AwardRule
    matched: bool
    reasons: tuple[Check, ...]  # one per condition, so the UI can say why a rule did not apply
    amount: Decimal | None = None  # before rule caps, when matched


@dataclass(frozen=True)
class Step:
    """One explained step: a label, a sentence in Chinese and English, the numbers it used, and the
    running amount after it. ``applied`` says whether a cap actually cut the amount."""

    code: str
    label_zh: str
    label_en: str
    text_zh: str
    text_en: str
    numbers: Mapping[str, Decimal | str] = field(default_factory=dict)
    amount: Decimal | None = None
    applied: bool = False


@dataclass(frozen=True)
class AwardOverride:
    """一事一议: an amount decided case by case, with the reason and who approved it."""

    amount: Decimal
    reason: str
    approver: str
    decided_on: dt.date | None = None
    exceeds_budget: bool = False


@dataclass(frozen=True)
class AwardComputation:
    program_code: str
    eligible: bool
    eligibility: tuple[Check, ...]
    eligible_cost: Decimal
    excluded_costs: tuple[CostLine, ...]
    rule: AwardRule | None
    rule_evaluations: tuple[RuleEvaluation, ...]
    gross_amount: Decimal  # rate × cost, before caps
    computed_amount: Decimal  # after caps and budget
    budget_remaining: Decimal  # before this application
    over_budget: bool  # the capped award was more than the budget remaining, so it was cut
    budget_shortfall: Decimal  # how much the budget could not cover
    steps: tuple[Step, ...]
    override_decision: AwardOverride | None = None

    @property
    def final_amount(self) -> Decimal:
        return self.override_decision.amount if self.override_decision else self.computed_amount

    def override(
        self, amount: object, reason: str, approver: str, *, decided_on: dt.date | None = None
    ) -> AwardComputation:
        """Return a copy whose final amount is decided 一事一议; the computed amount stays as it was."""
        if not reason or not reason.strip():
            raise ValueError("一事一议须写明理由 / a case-by-case decision needs a reason")
        if not approver or not approver.strip():
            raise ValueError("一事一议须记录批准人 / a case-by-case decision needs its approver")
        number = None if isinstance(amount, float) else to_decimal(amount)
        if number is None or number < 0 or number != number.quantize(CENT):
            raise ValueError(
                f"核定金额应为非负且最多两位小数：{amount!r} / the amount must be non-negative with at most "
                f"two decimals: {amount!r}"
            )
        value = fen(number)
        exceeds = value > self.budget_remaining
        decision = AwardOverride(value, reason.strip(), approver.strip(), decided_on, exceeds)
        step = Step(
            "override",
            "一事一议",
            "case-by-case decision",
            f"经{decision.approver}批准，核定金额由计算值 {_yuan(self.computed_amount)} 元"
            f"改为 {_yuan(value)} 元。"
            f"理由：{decision.reason}" + ("（超出预算余额）" if exceeds else ""),
            f"approved by {decision.approver}: amount set to {_yuan(value)} yuan instead of the computed "
            f"{_yuan(self.computed_amount)} yuan. Reason: {decision.reason}"
            + (" (exceeds the budget remaining)" if exceeds else ""),
            {"computed": self.computed_amount, "override": value, "budget_remaining": self.budget_remaining},
            amount=value,
            applied=True,
        )
        return replace(self, override_decision=decision, steps=(*self.steps, step))


# ---------------------------------------------------------------------------------------------------
# Eligibility


# Chinese names of the coded facts, for the explanations.
_ZH: dict[object, str] = {
    MaskKind.MPW: "多项目晶圆（MPW）",
    MaskKind.FULL_MASK: "全掩膜",
    FoundryLocation.DOMESTIC: "境内",
    FoundryLocation.OVERSEAS: "境外",
    Substrate.SILICON: "硅基",
    Substrate.COMPOUND: "化合物",
}


def _check(code: str, ok: bool, zh: str, en: str) -> Check:
    return Check(code, ok, zh, en)


def check_eligibility(program: SupportProgram, facts: ApplicationFacts) -> tuple[Check, ...]:
    """Every requirement the program sets, each passed or failed; unknown facts fail."""
    a = program.applicants
    checks: list[Check] = []
    window = program.application_window
    if facts.applied_on is None:
        checks.append(_check("window", False, "缺少申请日期", "application date unknown"))
    else:
        ok = facts.applied_on in window
        checks.append(
            _check(
                "window",
                ok,
                f"申请日期 {facts.applied_on} {'在' if ok else '不在'}申报期 {window.start}至{window.end} 内",
                f"applied on {facts.applied_on}, {'inside' if ok else 'outside'} the window "
                f"{window.start} to {window.end}",
            )
        )
    if a.registered_in_region:
        ok = facts.registered_in_region is True
        checks.append(
            _check(
                "registered_in_region",
                ok,
                "注册地在本市" if ok else "注册地不在本市或未知",
                "registered in the region" if ok else "not registered in the region, or unknown",
            )
        )
    if a.areas:
        ok = facts.area in a.areas
        checks.append(
            _check(
                "area",
                ok,
                f"所在区域 {facts.area or '未知'}{'' if ok else '不'}属于 {'、'.join(a.areas)}",
                f"area {facts.area or 'unknown'} is {'' if ok else 'not '}one of {', '.join(a.areas)}",
            )
        )
    if a.chain_nodes:
        hits = sorted(set(facts.chain_nodes) & set(a.chain_nodes))
        checks.append(
            _check(
                "chain_nodes",
                bool(hits),
                f"产业链环节符合：{'、'.join(hits)}" if hits else "企业不在本项目支持的产业链环节",
                f"chain node fits: {', '.join(hits)}"
                if hits
                else "the firm is on none of the program's chain nodes",
            )
        )
    if a.designations_any_of:
        hits = sorted(facts.designations & set(a.designations_any_of))
        checks.append(
            _check(
                "designations_any_of",
                bool(hits),
                f"具备认定：{'、'.join(hits)}"
                if hits
                else f"须具备以下认定之一：{'、'.join(a.designations_any_of)}",
                f"holds {', '.join(hits)}" if hits else f"needs one of: {', '.join(a.designations_any_of)}",
            )
        )
    if a.designations_all_of:
        missing = [d for d in a.designations_all_of if d not in facts.designations]
        checks.append(
            _check(
                "designations_all_of",
                not missing,
                "具备全部所需认定" if not missing else f"缺少认定：{'、'.join(missing)}",
                "holds every required designation" if not missing else f"lacks: {', '.join(missing)}",
            )
        )
    if a.mask_kinds:
        ok = facts.mask in a.mask_kinds
        kinds_zh = "、".join(_ZH[k] for k in a.mask_kinds)
        kinds = ", ".join(k.value for k in a.mask_kinds)
        checks.append(
            _check(
                "mask",
                ok,
                f"流片方式 {_ZH.get(facts.mask, '未知')} {'' if ok else '不'}在本项目支持范围（{kinds_zh}）",
                f"tape-out kind {facts.mask or 'unknown'} is {'' if ok else 'not '}covered ({kinds})",
            )
        )
    if a.first_tapeout_only:
        ok = facts.first_tapeout is True
        checks.append(
            _check(
                "first_tapeout",
                ok,
                "为产品首次流片" if ok else "须为产品首次（首轮）流片",
                "first tape-out of the product" if ok else "must be the product's first tape-out",
            )
        )
    if a.sensor_only:
        ok = facts.is_sensor is True
        checks.append(
            _check(
                "sensor",
                ok,
                "产品为传感器" if ok else "须为传感器产品",
                "a sensor product" if ok else "must be a sensor",
            )
        )
    if a.tapeout_period is not None:
        period = a.tapeout_period
        ok = facts.tapeout_date in period
        checks.append(
            _check(
                "tapeout_period",
                ok,
                f"流片日期 {facts.tapeout_date or '未知'} {'在' if ok else '不在'} "
                f"{period.start}至{period.end} 内",
                f"tape-out date {facts.tapeout_date or 'unknown'} is {'inside' if ok else 'outside'} "
                f"{period.start} to {period.end}",
            )
        )
    return tuple(checks)


# ---------------------------------------------------------------------------------------------------
# Rule matching


def _priority(program: SupportProgram, facts: ApplicationFacts) -> bool | None:
    if facts.priority_field is not None:
        return facts.priority_field
    if facts.product_field is not None and program.priority_fields:
        return facts.product_field in program.priority_field_codes
    return None


def _condition_checks(program: SupportProgram, when: Conditions, facts: ApplicationFacts) -> list[Check]:
    out: list[Check] = []

    def flag(code: str, wanted: bool | None, actual: bool | None, zh: str, en: str) -> None:
        if wanted is None:
            return
        if actual is None:
            out.append(Check(code, False, f"{zh}：未知", f"{en}: unknown"))
        else:
            ok = actual == wanted
            out.append(
                Check(code, ok, f"{zh}：{'是' if actual else '否'}", f"{en}: {'yes' if actual else 'no'}")
            )

    if when.process_node_nm is not None:
        cond = when.process_node_nm
        node = facts.process_node_nm
        if node is None:
            out.append(Check("process_node_nm", False, "工艺节点未知", "process node unknown"))
        else:
            out.append(
                Check(
                    "process_node_nm",
                    cond.holds(node),
                    f"工艺节点 {node} nm，要求 {cond.describe()}",
                    f"process node {node} nm, rule needs {cond.describe()}",
                )
            )
    for code, wanted_enum, actual_enum, zh, en in (
        ("foundry", when.foundry, facts.foundry_location, "代工厂所在地", "foundry location"),
        ("mask", when.mask, facts.mask, "流片方式", "tape-out kind"),
        ("substrate", when.substrate, facts.substrate, "衬底", "substrate"),
    ):
        if wanted_enum is None:
            continue
        if actual_enum is None:
            out.append(Check(code, False, f"{zh}未知", f"{en} unknown"))
        else:
            out.append(
                Check(
                    code,
                    actual_enum == wanted_enum,
                    f"{zh} {_ZH[actual_enum]}，要求 {_ZH[wanted_enum]}",
                    f"{en} {actual_enum.value}, rule needs {wanted_enum.value}",
                )
            )
    flag("priority_field", when.priority_field, _priority(program, facts), "重点领域", "priority field")
    flag("local_fab", when.local_fab, facts.local_fab, "在本地晶圆厂流片", "done at a local fab")
    sensor_first: bool | None = None
    if facts.is_sensor is False or facts.first_tapeout is False:
        sensor_first = False
    elif facts.is_sensor and facts.first_tapeout:
        sensor_first = True
    flag(
        "sensor_first_tapeout",
        when.sensor_first_tapeout,
        sensor_first,
        "传感器首轮流片",
        "sensor first tape-out",
    )
    flag("first_tapeout", when.first_tapeout, facts.first_tapeout, "首次流片", "first tape-out")
    return out


def _wafer_equivalents(rule: AwardRule, facts: ApplicationFacts) -> Decimal | None:
    if facts.wafer_count is None or facts.wafer_size_mm is None or rule.wafer_base_mm is None:
        return None
    # Converted by area: a 300 mm wafer is (300/200)² = 2.25 eight-inch equivalents.
    # One division, so whole-number results stay exact.
    return Decimal(facts.wafer_count * facts.wafer_size_mm**2) / Decimal(rule.wafer_base_mm**2)


def _rule_amount(rule: AwardRule, eligible_cost: Decimal, facts: ApplicationFacts) -> Decimal | None:
    if rule.basis is Basis.PER_WAFER:
        equivalents = _wafer_equivalents(rule, facts)
        if equivalents is None or rule.yuan_per_wafer is None:
            return None
        return fen(equivalents * rule.yuan_per_wafer)
    assert rule.rate_percent is not None  # guaranteed by parse_program
    return fen(eligible_cost * rule.rate_percent / HUNDRED)


def evaluate_rules(
    program: SupportProgram, facts: ApplicationFacts, eligible_cost: Decimal
) -> tuple[RuleEvaluation, ...]:
    """Every rule with its condition checks and, when it matches, the amount before caps."""
    evaluations = []
    for rule in program.rules:
        reasons = _condition_checks(program, rule.when, facts)
        if rule.basis is Basis.PER_WAFER and _wafer_equivalents(rule, facts) is None:
            reasons.append(Check("wafers", False, "晶圆尺寸或片数未知", "wafer size or count unknown"))
        matched = all(c.ok for c in reasons)
        amount = _rule_amount(rule, eligible_cost, facts) if matched else None
        evaluations.append(RuleEvaluation(rule, matched, tuple(reasons), amount))
    return tuple(evaluations)


def _after_rule_caps(evaluation: RuleEvaluation, prior_same_rule: Decimal) -> Decimal:
    assert evaluation.amount is not None
    amount = evaluation.amount
    if evaluation.rule.cap_per_item is not None:
        amount = min(amount, evaluation.rule.cap_per_item)
    if evaluation.rule.cap_per_firm_year is not None:
        amount = min(amount, max(ZERO, evaluation.rule.cap_per_firm_year - prior_same_rule))
    return amount


# ---------------------------------------------------------------------------------------------------
# The computation


def _rule_text(rule: AwardRule) -> tuple[str, str]:
    if rule.basis is Basis.PER_WAFER:
        return (
            f"每片（折合 {rule.wafer_base_mm} mm）{rule.yuan_per_wafer} 元",
            f"{rule.yuan_per_wafer} yuan per {rule.wafer_base_mm} mm-equivalent wafer",
        )
    return f"合格费用的 {rule.rate_percent}%", f"{rule.rate_percent}% of the eligible cost"


class _Cap:
    """Applies one cap and records its step."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps

    def apply(
        self,
        amount: Decimal,
        cap: Decimal | None,
        prior: Decimal | None,
        code: str,
        label_zh: str,
        label_en: str,
        prior_zh: str = "",
        prior_en: str = "",
    ) -> Decimal:
        if cap is None:
            return amount
        room = cap if prior is None else max(ZERO, cap - prior)
        after = min(amount, room)
        numbers: dict[str, Decimal | str] = {"cap": cap, "before": amount, "after": after}
        if prior is None:
            room_zh, room_en = f"上限 {_yuan(cap)} 元", f"cap {_yuan(cap)} yuan"
        else:
            numbers |= {"prior": prior, "room": room}
            room_zh = f"上限 {_yuan(cap)} 元，{prior_zh} {_yuan(prior)} 元，尚余 {_yuan(room)} 元"
            room_en = f"cap {_yuan(cap)} yuan, {prior_en} {_yuan(prior)} yuan, room {_yuan(room)} yuan"
        cut_zh = f"，核减为 {_yuan(after)} 元" if after < amount else "，未触及上限"
        cut_en = f"; cut to {_yuan(after)} yuan" if after < amount else "; not reached"
        self.steps.append(
            Step(code, label_zh, label_en, room_zh + cut_zh, room_en + cut_en, numbers, after, after < amount)
        )
        return after


def compute_award(
    program: SupportProgram,
    application_facts: ApplicationFacts,
    *,
    prior_awards_this_year_same_program: object,
    prior_awards_this_year_all_programs: object,
    budget_committed: object,
    prior_awards_this_year_same_rule: object | None = None,
) -> AwardComputation:
    """Compute the award of one application, explained step by step.

    Prior awards are this firm's awards this year (approved, not this application); ``budget_committed``
    is what the program has already committed this year. A rule's own per-firm cap counts
    ``prior_awards_this_year_same_rule``; without it, the firm's prior awards in the whole program are
    counted, the stricter reading.
    """
    facts = application_facts
    prior_program = _money(prior_awards_this_year_same_program, "本项目已获奖励 / prior awards, program")
    prior_all = _money(prior_awards_this_year_all_programs, "全部项目已获奖励 / prior awards, all programs")
    committed = _money(budget_committed, "已承诺预算 / budget committed")
    prior_rule = (
        prior_program
        if prior_awards_this_year_same_rule is None
        else _money(prior_awards_this_year_same_rule, "本规则已获奖励 / prior awards, rule")
    )
    budget_remaining = max(ZERO, fen(program.annual_budget) - committed)

    steps: list[Step] = []
    checks = check_eligibility(program, facts)
    eligible = all(c.ok for c in checks)
    failed = [c for c in checks if not c.ok]
    steps.append(
        Step(
            "eligibility",
            "资格审查",
            "eligibility",
            "符合申报条件：" + "；".join(c.zh for c in checks)
            if eligible
            else "不符合：" + "；".join(c.zh for c in failed),
            "eligible: " + "; ".join(c.en for c in checks)
            if eligible
            else "not eligible: " + "; ".join(c.en for c in failed),
            {},
            None,
            not eligible,
        )
    )

    included = [c for c in facts.costs if c.item in program.eligible_cost_codes]
    excluded = tuple(c for c in facts.costs if c.item not in program.eligible_cost_codes)
    eligible_cost = fen(sum((c.amount for c in included), ZERO))

    def result(
        rule: AwardRule | None,
        evaluations: tuple[RuleEvaluation, ...],
        gross: Decimal,
        amount: Decimal,
        over: bool,
        shortfall: Decimal,
    ) -> AwardComputation:
        steps.append(
            Step(
                "final",
                "核定金额",
                "final amount",
                f"核定奖励 {_yuan(amount)} 元",
                f"award {_yuan(amount)} yuan",
                {"amount": amount},
                amount,
            )
        )
        return AwardComputation(
            program.code,
            eligible,
            checks,
            eligible_cost,
            excluded,
            rule,
            evaluations,
            gross,
            amount,
            budget_remaining,
            over,
            shortfall,
            tuple(steps),
        )

    if not eligible:
        return result(None, (), ZERO, ZERO, False, ZERO)

    excluded_zh = (
        "；不计入：" + "、".join(f"{c.item} {_yuan(c.amount)} 元" for c in excluded) if excluded else ""
    )
    excluded_en = (
        "; not counted: " + ", ".join(f"{c.item} {_yuan(c.amount)}" for c in excluded) if excluded else ""
    )
    steps.append(
        Step(
            "eligible_cost",
            "合格费用",
            "eligible cost",
            f"合格费用合计 {_yuan(eligible_cost)} 元（{len(included)} 项）{excluded_zh}",
            f"eligible cost {_yuan(eligible_cost)} yuan ({len(included)} item(s)){excluded_en}",
            {"eligible_cost": eligible_cost, "excluded": fen(sum((c.amount for c in excluded), ZERO))},
            eligible_cost,
        )
    )

    evaluations = evaluate_rules(program, facts, eligible_cost)
    matching = [e for e in evaluations if e.matched]
    if not matching:
        why_zh = "；".join(
            f"{e.rule.name}（{'、'.join(c.zh for c in e.reasons if not c.ok)}）" for e in evaluations
        )
        why_en = "; ".join(
            f"{e.rule.name_en} ({', '.join(c.en for c in e.reasons if not c.ok)})" for e in evaluations
        )
        steps.append(
            Step(
                "rule",
                "适用规则",
                "rule matched",
                f"无适用规则：{why_zh}",
                f"no rule applies: {why_en}",
                {},
                ZERO,
                True,
            )
        )
        return result(None, evaluations, ZERO, ZERO, False, ZERO)
    if program.rule_selection is RuleSelection.BEST:
        chosen = max(matching, key=lambda e: (_after_rule_caps(e, prior_rule), -evaluations.index(e)))
        how_zh, how_en = "取金额最高的规则", "the rule giving most"
    else:
        chosen = matching[0]
        how_zh, how_en = "按顺序取第一条符合的规则", "the first rule in order that applies"
    rule = chosen.rule
    met_zh = "、".join(c.zh for c in chosen.reasons) or "无附加条件"
    met_en = ", ".join(c.en for c in chosen.reasons) or "no conditions"
    steps.append(
        Step(
            "rule",
            "适用规则",
            "rule matched",
            f"{rule.name}（{met_zh}；{how_zh}）",
            f"{rule.name_en} ({met_en}; {how_en})",
            {"rule": rule.code},
        )
    )

    gross = chosen.amount
    assert gross is not None  # a matched rule always has an amount
    rate_zh, rate_en = _rule_text(rule)
    rate_numbers: dict[str, Decimal | str] = {"amount": gross}
    if rule.basis is Basis.PER_WAFER:
        equivalents = _wafer_equivalents(rule, facts)
        assert equivalents is not None and rule.yuan_per_wafer is not None
        rate_numbers |= {"wafer_equivalents": equivalents, "yuan_per_wafer": rule.yuan_per_wafer}
        calc_zh = (
            f"{facts.wafer_count} 片 {facts.wafer_size_mm} mm 折合 {equivalents} 片"
            f" × {rule.yuan_per_wafer} 元"
        )
        calc_en = (
            f"{facts.wafer_count} wafers of {facts.wafer_size_mm} mm = {equivalents} equivalents "
            f"× {rule.yuan_per_wafer} yuan"
        )
    else:
        assert rule.rate_percent is not None
        rate_numbers |= {"rate_percent": rule.rate_percent, "eligible_cost": eligible_cost}
        calc_zh = f"{_yuan(eligible_cost)} 元 × {rule.rate_percent}%"
        calc_en = f"{_yuan(eligible_cost)} yuan × {rule.rate_percent}%"
    steps.append(
        Step(
            "rate",
            "比例",
            "rate",
            f"{rate_zh}：{calc_zh} = {_yuan(gross)} 元",
            f"{rate_en}: {calc_en} = {_yuan(gross)} yuan",
            rate_numbers,
            gross,
        )
    )

    cap = _Cap(steps)
    amount = gross
    amount = cap.apply(
        amount, rule.cap_per_item, None, "rule_cap_per_item", "本规则单项上限", "rule cap per item"
    )
    amount = cap.apply(
        amount,
        rule.cap_per_firm_year,
        prior_rule,
        "rule_cap_per_firm_year",
        "本规则单企业年度上限",
        "rule cap per firm and year",
        "本年已获" if prior_awards_this_year_same_rule is not None else "本年本项目已获",
        "awarded this year"
        if prior_awards_this_year_same_rule is not None
        else "awarded this year in the program",
    )
    caps = program.caps
    amount = cap.apply(amount, caps.per_item, None, "cap_per_item", "单项上限", "cap per item")
    amount = cap.apply(
        amount,
        caps.per_firm_program_year,
        prior_program,
        "cap_per_firm_program_year",
        "单企业本项目年度上限",
        "cap per firm, program and year",
        "本年本项目已获",
        "awarded this year in the program",
    )
    amount = cap.apply(
        amount,
        caps.per_firm_all_programs_year,
        prior_all,
        "cap_per_firm_all_programs_year",
        "单企业跨项目年度上限",
        "cap per firm across programs and year",
        "本年各项目已获",
        "awarded this year in all programs",
    )

    over = amount > budget_remaining
    shortfall = amount - budget_remaining if over else ZERO
    after_budget = min(amount, budget_remaining)
    budget_zh = (
        f"年度预算 {_yuan(fen(program.annual_budget))} 元，已承诺 {_yuan(committed)} 元，"
        f"余额 {_yuan(budget_remaining)} 元"
    )
    budget_en = (
        f"annual budget {_yuan(fen(program.annual_budget))} yuan, committed {_yuan(committed)} yuan, "
        f"remaining {_yuan(budget_remaining)} yuan"
    )
    steps.append(
        Step(
            "budget",
            "预算余额",
            "budget remaining",
            budget_zh
            + (
                f"；超出预算 {_yuan(shortfall)} 元，仅可核定 {_yuan(after_budget)} 元"
                if over
                else "；预算充足"
            ),
            budget_en
            + (
                f"; over budget by {_yuan(shortfall)} yuan, only {_yuan(after_budget)} yuan can be awarded"
                if over
                else "; enough"
            ),
            {
                "annual_budget": fen(program.annual_budget),
                "committed": committed,
                "remaining": budget_remaining,
                "shortfall": shortfall,
            },
            after_budget,
            over,
        )
    )
    return result(rule, evaluations, gross, after_budget, over, shortfall)
