"""The innovation-leader scoring model (创新领航企业库, clause 二、5) — a pure engine.

The clause names six qualities — 掌握关键核心技术、创新能力强、经济效益好、拥有自主品牌、具有示范带动
作用、凝聚产业集群资源 — and no published numeric criteria exist (domain-facts §5.2), so the plan
file carries the whole model: each criterion is measured by proxies (R&D intensity, invention
patents …); each proxy turns its value into 0–100 points through a curve; proxies are weighted
within their criterion and criteria within the total; each criterion has a minimum bar; and each
proxy says what a missing value means:

* ``zero`` — counts as 0 points (no evidence, no credit);
* ``reweight`` — the proxy is left out and the other proxies of its criterion share its weight;
  if a whole criterion is left without data, the other criteria share its weight and its bar
  is failed unless the bar is 0 (nothing can show it is met);
* ``disqualify`` — the candidate cannot be scored on this model: the card is still computed
  (with 0 points for the proxy) so the evidence is visible, but ``passes_bars`` is False.

Arithmetic, chosen so every number shown adds up exactly: proxy points are rounded to 0.01; a
proxy's weighted points = points × weight ÷ Σ weights of the proxies counted; the criterion score is
their sum; a criterion's points in the total = score × criterion weight ÷ Σ weights of the criteria
counted; the total is their sum (0–100). Weighted points are apportioned to 0.01 by largest
remainder (numbers.apportion), so the parts always add up to the rounded whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from semicluster.cultivation.numbers import Message, apportion, q2, to_decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# Facts a proxy can read; the Django side computes them from records (see derive_facts).
FACTS: dict[str, Message] = {
    "rd_intensity_pct": Message(
        "研发投入强度（研发费用占营业收入%）", "R&D intensity (R&D spend / revenue, %)"
    ),
    "invention_patents": Message("有效发明专利数", "invention patents in force"),
    "rd_staff_pct": Message("研发人员占比（%）", "R&D staff share (%)"),
    "revenue_growth_pct": Message("营业收入增长率（%）", "revenue growth (%)"),
    "profit_margin_pct": Message("利润率（%）", "profit margin (%)"),
    "own_brand_revenue_pct": Message("自主品牌收入占比（%）", "own-brand revenue share (%)"),
    "local_customers": Message("本地客户数", "local customers"),
    "local_suppliers": Message("本地供应商数", "local suppliers"),
    "designations_held": Message("有效资质荣誉数", "designations held"),
    "key_technology_coverage": Message("覆盖关键技术清单项数", "key technologies covered"),
}


class CurveKind(StrEnum):
    LINEAR = "linear"
    STEPS = "steps"


class MissingPolicy(StrEnum):
    ZERO = "zero"
    REWEIGHT = "reweight"
    DISQUALIFY = "disqualify"


@dataclass(frozen=True)
class Curve:
    """Value → points (0–100). Linear: 0 at ``min``, 100 at ``max``, clamped (``min`` > ``max``
    scores falling values). Steps: the points of the highest ``at_least`` the value reaches, else 0."""

    kind: CurveKind
    min: Decimal = ZERO
    max: Decimal = HUNDRED
    steps: tuple[tuple[Decimal, Decimal], ...] = ()

    def __post_init__(self) -> None:
        if self.kind == CurveKind.LINEAR and self.min == self.max:
            raise ValueError("a linear curve needs min ≠ max")
        if self.kind == CurveKind.STEPS:
            if not self.steps:
                raise ValueError("a step curve needs at least one step")
            if any(not ZERO <= points <= HUNDRED for _, points in self.steps):
                raise ValueError("step points must lie within 0–100")
            object.__setattr__(self, "steps", tuple(sorted(self.steps)))

    def points(self, value: Decimal) -> Decimal:
        if self.kind == CurveKind.LINEAR:
            share = (value - self.min) / (self.max - self.min)
            return q2(min(max(share, ZERO), Decimal(1)) * HUNDRED)
        reached = [points for at_least, points in self.steps if value >= at_least]
        return q2(reached[-1]) if reached else q2(ZERO)

    @classmethod
    def from_plan(cls, raw: Mapping[str, Any]) -> Curve:
        kind = CurveKind(raw["kind"])
        if kind == CurveKind.LINEAR:
            return cls(kind, min=to_decimal(raw["min"]), max=to_decimal(raw["max"]))
        steps = tuple((to_decimal(step["at_least"]), to_decimal(step["points"])) for step in raw["steps"])
        return cls(kind, steps=steps)


@dataclass(frozen=True)
class Proxy:
    code: str
    name: str
    name_en: str
    fact: str
    weight: Decimal
    curve: Curve
    missing: MissingPolicy = MissingPolicy.ZERO


@dataclass(frozen=True)
class CriterionModel:
    code: str
    name: str
    name_en: str
    weight: Decimal
    bar: Decimal  # minimum criterion score (0–100)
    proxies: tuple[Proxy, ...]


@dataclass(frozen=True)
class ScoringModel:
    criteria: tuple[CriterionModel, ...]
    target_size: int = 80
    min_total: Decimal | None = None

    def __post_init__(self) -> None:
        if not self.criteria:
            raise ValueError("a scoring model needs criteria")
        if sum(c.weight for c in self.criteria) <= 0:
            raise ValueError("criterion weights must not all be zero")
        for criterion in self.criteria:
            if not criterion.proxies or sum(p.weight for p in criterion.proxies) <= 0:
                raise ValueError(f"criterion {criterion.code} needs proxies with positive weight")
            if not ZERO <= criterion.bar <= HUNDRED:
                raise ValueError(f"criterion {criterion.code}: bar must lie within 0–100")

    @classmethod
    def from_plan(cls, section: Mapping[str, Any]) -> ScoringModel:
        """Build from a validated plan ``innovation_leader_library`` section."""
        criteria = tuple(
            CriterionModel(
                code=raw["code"],
                name=raw["name"],
                name_en=raw["name_en"],
                weight=to_decimal(raw["weight"]),
                bar=to_decimal(raw.get("bar", 0)),
                proxies=tuple(
                    Proxy(
                        code=p["code"],
                        name=p["name"],
                        name_en=p["name_en"],
                        fact=p["fact"],
                        weight=to_decimal(p["weight"]),
                        curve=Curve.from_plan(p["curve"]),
                        missing=MissingPolicy(p.get("missing", MissingPolicy.ZERO)),
                    )
                    for p in raw["proxies"]
                ),
            )
            for raw in section["criteria"]
        )
        min_total = section.get("min_total")
        return cls(
            criteria=criteria,
            target_size=int(section.get("target_size", 80)),
            min_total=to_decimal(min_total) if min_total is not None else None,
        )


# --------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class ProxyEvidence:
    proxy: Proxy
    value: Decimal | None
    counted: bool  # False when left out under the reweight policy
    points: Decimal  # 0–100 from the curve (0 when missing and counted)
    effective_weight_pct: Decimal  # share of the criterion score, after reweighting
    weighted_points: Decimal  # contribution to the criterion score
    note: Message | None = None


@dataclass(frozen=True)
class CriterionEvidence:
    criterion: CriterionModel
    score: Decimal | None  # 0–100; None when no proxy could be counted
    effective_weight_pct: Decimal  # share of the total, after reweighting
    points: Decimal  # contribution to the total
    bar_passed: bool
    proxies: tuple[ProxyEvidence, ...]
    note: Message | None = None


@dataclass(frozen=True)
class ScoreCard:
    total: Decimal
    criteria: tuple[CriterionEvidence, ...]
    passes_bars: bool
    disqualified: bool
    reasons: tuple[Message, ...]  # why the card does not pass (empty when it passes)

    def criterion(self, code: str) -> CriterionEvidence:
        return next(c for c in self.criteria if c.criterion.code == code)

    def proxy(self, code: str) -> ProxyEvidence:
        return next(p for c in self.criteria for p in c.proxies if p.proxy.code == code)


def _fact(facts: Mapping[str, object], key: str) -> Decimal | None:
    value = facts.get(key)
    return None if value is None else to_decimal(value)


def _score_criterion(
    criterion: CriterionModel, facts: Mapping[str, object]
) -> tuple[Decimal | None, list[tuple[Proxy, Decimal | None, bool, Decimal, Message | None]], list[Message]]:
    rows: list[tuple[Proxy, Decimal | None, bool, Decimal, Message | None]] = []
    disqualifications: list[Message] = []
    for proxy in criterion.proxies:
        value = _fact(facts, proxy.fact)
        if value is not None:
            rows.append((proxy, value, True, proxy.curve.points(value), None))
        elif proxy.missing == MissingPolicy.REWEIGHT:
            rows.append(
                (
                    proxy,
                    None,
                    False,
                    q2(ZERO),
                    Message("缺少数据，不计入并重新分配权重", "missing, left out and reweighted"),
                )
            )
        elif proxy.missing == MissingPolicy.DISQUALIFY:
            note = Message(
                f"缺少“{proxy.name}”数据，不具备评分资格", f"{proxy.name_en} missing: disqualifies"
            )
            disqualifications.append(note)
            rows.append((proxy, None, True, q2(ZERO), note))
        else:
            rows.append((proxy, None, True, q2(ZERO), Message("缺少数据，记0分", "missing, scored 0")))
    counted_weight = sum((p.weight for p, _, counted, _, _ in rows if counted), ZERO)
    return (None if counted_weight == 0 else counted_weight), rows, disqualifications


def score(candidate_facts: Mapping[str, object], model: ScoringModel) -> ScoreCard:
    """Score one candidate's facts against the model, keeping the evidence behind each number."""
    partial: list[tuple[CriterionModel, Decimal | None, tuple[ProxyEvidence, ...]]] = []
    reasons: list[Message] = []
    disqualified = False
    for criterion in model.criteria:
        counted_weight, rows, disqualifications = _score_criterion(criterion, candidate_facts)
        if disqualifications:
            disqualified = True
            reasons.extend(disqualifications)
        exact = [
            points * proxy.weight / counted_weight if counted and counted_weight is not None else ZERO
            for proxy, _, counted, points, _ in rows
        ]
        proxy_evidence: list[ProxyEvidence] = []
        for (proxy, value, counted, points, note), weighted in zip(rows, apportion(exact), strict=True):
            share = q2(proxy.weight * HUNDRED / counted_weight) if counted and counted_weight else q2(ZERO)
            proxy_evidence.append(ProxyEvidence(proxy, value, counted, points, share, weighted, note))
        criterion_score = (
            None if counted_weight is None else sum((e.weighted_points for e in proxy_evidence), ZERO)
        )
        partial.append((criterion, criterion_score, tuple(proxy_evidence)))

    scored_weight = sum((c.weight for c, s, _ in partial if s is not None), ZERO)
    contributions = apportion(
        [ZERO if s is None or scored_weight == 0 else s * c.weight / scored_weight for c, s, _ in partial]
    )
    cards: list[CriterionEvidence] = []
    for (criterion, criterion_score, evidence), points in zip(partial, contributions, strict=True):
        if criterion_score is None or scored_weight == 0:
            passed = criterion.bar == 0
            note = Message(
                "本项无任何数据，权重分配给其他标准", "no data for this criterion; weight shared out"
            )
            cards.append(CriterionEvidence(criterion, None, q2(ZERO), q2(ZERO), passed, evidence, note))
        else:
            share = q2(criterion.weight * HUNDRED / scored_weight)
            passed = criterion_score >= criterion.bar
            cards.append(CriterionEvidence(criterion, criterion_score, share, points, passed, evidence))
        if not cards[-1].bar_passed:
            shown = "无数据" if criterion_score is None else str(criterion_score)
            shown_en = "no data" if criterion_score is None else str(criterion_score)
            reasons.append(
                Message(
                    f"“{criterion.name}”得分{shown}，低于最低要求{criterion.bar}",
                    f"“{criterion.name_en}” scored {shown_en}, below its bar of {criterion.bar}",
                )
            )
    total = sum((c.points for c in cards), ZERO)
    if model.min_total is not None and total < model.min_total:
        reasons.append(
            Message(
                f"总分{total}，低于入库最低分{model.min_total}",
                f"total {total} below the minimum {model.min_total}",
            )
        )
    return ScoreCard(
        total=q2(total),
        criteria=tuple(cards),
        passes_bars=not reasons,
        disqualified=disqualified,
        reasons=tuple(reasons),
    )


# --------------------------------------------------------------------------- facts and review


def _pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole <= 0:
        return None
    return q2(part * HUNDRED / whole)


def derive_facts(
    *,
    revenue: Decimal | None,
    previous_revenue: Decimal | None = None,
    rd_expenditure: Decimal | None = None,
    profit: Decimal | None = None,
    employees: int | None = None,
    rd_staff: int | None = None,
    own_brand_revenue: Decimal | None = None,
    invention_patents: int | None = None,
    local_customers: int | None = None,
    local_suppliers: int | None = None,
    designations_held: int | None = None,
    key_technology_coverage: int | None = None,
) -> dict[str, Decimal | None]:
    """Proxy facts from a firm's annual figures (yuan, persons, counts); None where not derivable.

    Percentages are rounded to 0.01 so the value in the evidence is the value that was scored.
    Growth needs a positive previous-year revenue (from nothing, growth is not a percentage).
    """

    def count(value: int | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    growth = None
    if revenue is not None and previous_revenue is not None and previous_revenue > 0:
        growth = q2((revenue - previous_revenue) * HUNDRED / previous_revenue)
    return {
        "rd_intensity_pct": _pct(rd_expenditure, revenue),
        "invention_patents": count(invention_patents),
        "rd_staff_pct": _pct(count(rd_staff), count(employees)),
        "revenue_growth_pct": growth,
        "profit_margin_pct": _pct(profit, revenue),
        "own_brand_revenue_pct": _pct(own_brand_revenue, revenue),
        "local_customers": count(local_customers),
        "local_suppliers": count(local_suppliers),
        "designations_held": count(designations_held),
        "key_technology_coverage": count(key_technology_coverage),
    }


@dataclass(frozen=True)
class ExitFlag:
    """A library member below the bars at the annual review: a proposal, the exit is a decision."""

    member: str
    card: ScoreCard

    @property
    def reasons(self) -> tuple[Message, ...]:
        return self.card.reasons


def annual_review(members: Mapping[str, Mapping[str, object]], model: ScoringModel) -> list[ExitFlag]:
    """Members (id → this year's facts) that no longer pass the bars, with the reasons."""
    flags: list[ExitFlag] = []
    for member in sorted(members):
        card = score(members[member], model)
        if not card.passes_bars:
            flags.append(ExitFlag(member, card))
    return flags


@dataclass(frozen=True)
class LibraryProgress:
    members: int
    target: int

    @property
    def share_pct(self) -> Decimal:
        return q2(Decimal(self.members) * HUNDRED / Decimal(self.target)) if self.target else q2(ZERO)

    @property
    def remaining(self) -> int:
        return max(self.target - self.members, 0)

    @property
    def message(self) -> Message:
        return Message(
            f"创新领航企业库入库{self.members}家，目标{self.target}家，完成{self.share_pct}%",
            f"{self.members} firms in the innovation-leader library against a target of {self.target} "
            f"({self.share_pct}%)",
        )


def library_progress(members: int, model: ScoringModel) -> LibraryProgress:
    return LibraryProgress(members, model.target_size)
