"""Supply-chain survey analysis (上游供应链摸排分析, SPEC §3.6).

Measures, each carrying the ids of the survey answers it was computed from (drill-down):

- local supply rate (本地配套率) by value: Kunshan suppliers' share of purchase value, and the
  Suzhou-inclusive variant, by chain node, area, input category and overall;
- breakpoints (断点): an input item with no domestic qualified source (every supplier abroad and
  no qualified domestic alternative reported), or a single source overall (one supplier for the
  whole city);
- weak points (薄弱环节): items that are not breakpoints but depend mostly on abroad, on one
  supplier, or on long lead times, with the reasons;
- supplier-country concentration (HHI, 0–10,000) by value, per input item and per category;
- critical suppliers: the suppliers most local firms depend on.

Value-based figures use only the answers that report a purchase value; the answers that do not
are listed beside each figure (``unvalued_answer_ids``) so nothing silently disappears.
Aggregation runs on integer fen in int64 numpy arrays (exact); only the per-group results —
a few thousand at province scale — are turned into Decimal in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from .links import (
    ABROAD,
    CATEGORIES,
    CATEGORY_LABELS,
    KUNSHAN,
    LEVELS,
    PPM,
    SUZHOU,
    SurveyLinks,
)
from .reasons import Reason

RATE_PLACES = Decimal("0.000001")
HHI_PLACES = Decimal("0.01")

NO_DOMESTIC_SOURCE = "no_domestic_source"
SINGLE_SOURCE = "single_source"
ABROAD_DEPENDENT = "abroad_dependent"
DOMINANT_SUPPLIER = "dominant_supplier"
FIRMS_ON_ONE_SUPPLIER = "firms_on_one_supplier"
LONG_LEAD_TIME = "long_lead_time"


def _yuan(fen: int) -> Decimal:
    return Decimal(int(fen)).scaleb(-2)


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return (Decimal(int(numerator)) / Decimal(int(denominator))).quantize(
        RATE_PLACES, rounding=ROUND_HALF_EVEN
    )


def _percent(rate: Decimal | Fraction) -> str:
    if isinstance(rate, Fraction):
        rate = Decimal(rate.numerator) / Decimal(rate.denominator)
    return f"{rate * 100:.1f}%"


def _share(value: Any) -> Decimal:
    """A threshold from config or plan (0–1; YAML may hand us a float) as an exact Decimal."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class AnalysisConfig:
    """Thresholds of the breakpoint and weak-point rules; the plan's ``supply_survey.thresholds``."""

    weak_abroad_value_share: Decimal = Decimal("0.8")
    weak_top_supplier_share: Decimal = Decimal("0.7")
    # An item is also weak when at least this share of its dependent firms each buy ≥
    # weak_top_supplier_share of it from one supplier with no qualified alternative.
    weak_exposed_firm_share: Decimal = Decimal("0.5")
    weak_lead_time_days: int | None = 180
    # The brief's single-source rule stands alone; a plan may let a reported alternative clear it.
    single_source_alternative_clears: bool = False
    critical_supplier_top_n: int = 20

    @classmethod
    def from_plan(cls, section: Mapping[str, Any] | None) -> AnalysisConfig:
        """Read ``supply_survey.thresholds`` (validated against plan_schema.json by the caller)."""
        thresholds = dict((section or {}).get("thresholds") or {})
        kwargs: dict[str, Any] = {}
        for name in ("weak_abroad_value_share", "weak_top_supplier_share", "weak_exposed_firm_share"):
            if name in thresholds:
                kwargs[name] = _share(thresholds[name])
        if "weak_lead_time_days" in thresholds:
            kwargs["weak_lead_time_days"] = thresholds["weak_lead_time_days"]
        if "single_source_alternative_clears" in thresholds:
            kwargs["single_source_alternative_clears"] = bool(thresholds["single_source_alternative_clears"])
        if "critical_supplier_top_n" in thresholds:
            kwargs["critical_supplier_top_n"] = int(thresholds["critical_supplier_top_n"])
        return cls(**kwargs)


@dataclass(frozen=True)
class SupplyRate:
    """本地配套率 for one group. Rates are 0–1 (None when no answer in the group has a value)."""

    key: Any
    total_value: Decimal
    value_by_level: dict[str, Decimal]
    local_value: Decimal
    suzhou_value: Decimal  # Kunshan plus the rest of Suzhou
    local_rate: Decimal | None
    suzhou_rate: Decimal | None
    answer_ids: tuple[Any, ...]  # the valued answers: their values add up to total_value
    local_answer_ids: tuple[Any, ...]  # the subset from Kunshan suppliers (numerator)
    suzhou_answer_ids: tuple[Any, ...]  # the subset from Kunshan or the rest of Suzhou
    unvalued_answer_ids: tuple[Any, ...]  # in the group, but without a value


@dataclass(frozen=True)
class ItemFinding:
    """A breakpoint or weak point on one input item, with the firms that depend on it."""

    category: str
    item: str
    kinds: tuple[str, ...]
    reasons: tuple[Reason, ...]
    firm_ids: tuple[Any, ...]
    node_codes: tuple[Any, ...]
    area_codes: tuple[Any, ...]
    supplier_ids: tuple[Any, ...]
    countries: tuple[str, ...]
    total_value: Decimal
    abroad_value_share: Decimal | None
    top_supplier_id: Any
    top_supplier_share: Decimal | None
    median_lead_time_days: Decimal | None
    answer_ids: tuple[Any, ...]

    @property
    def firm_count(self) -> int:
        return len(self.firm_ids)


@dataclass(frozen=True)
class Concentration:
    """Supplier-country HHI by value (0–10,000) for an item, or a whole category when item is None."""

    category: str
    item: str | None
    hhi: Decimal | None
    country_values: tuple[tuple[str, Decimal], ...]  # largest first
    country_shares: tuple[tuple[str, Decimal], ...]
    answer_ids: tuple[Any, ...]
    unvalued_answer_ids: tuple[Any, ...]


@dataclass(frozen=True)
class CriticalSupplier:
    rank: int
    supplier_id: Any
    name: str
    levels: tuple[str, ...]
    countries: tuple[str, ...]
    firm_ids: tuple[Any, ...]
    items: tuple[tuple[str, str], ...]
    total_value: Decimal
    answer_ids: tuple[Any, ...]

    @property
    def firm_count(self) -> int:
        return len(self.firm_ids)


@dataclass(frozen=True)
class SupplyAnalysis:
    overall: SupplyRate
    by_node: dict[Any, SupplyRate]
    by_area: dict[Any, SupplyRate]
    by_category: dict[str, SupplyRate]
    breakpoints: list[ItemFinding]
    weak_points: list[ItemFinding]
    item_concentration: list[Concentration]
    category_concentration: list[Concentration]
    critical_suppliers: list[CriticalSupplier]
    node_breakpoints: dict[Any, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def breakpoint_count_by_node(self) -> dict[Any, int]:
        """Feeds ``classification.NodeFacts.breakpoint_count``."""
        return {node: len(items) for node, items in self.node_breakpoints.items()}


class _Grouping:
    """Rows sorted by group code (stable, so input order holds within a group), with bounds."""

    def __init__(self, codes: np.ndarray, n_groups: int):
        self.order = np.argsort(codes, kind="stable")
        counts = np.bincount(codes, minlength=n_groups) if len(codes) else np.zeros(n_groups, dtype=np.int64)
        self.bounds = np.zeros(n_groups + 1, dtype=np.int64)
        np.cumsum(counts, out=self.bounds[1:])
        self.n_groups = n_groups

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Exact int64 sum per group (cumsum differences handle empty groups, unlike reduceat)."""
        running = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(values[self.order], out=running[1:])
        return running[self.bounds[1:]] - running[self.bounds[:-1]]

    def rows(self, group: int) -> np.ndarray:
        return self.order[self.bounds[group] : self.bounds[group + 1]]


def _labels_in_order(codes: np.ndarray, labels: list[Any]) -> tuple[Any, ...]:
    """The distinct labels behind ``codes``, first-seen first (a dict is faster than np.unique here)."""
    return tuple(labels[c] for c in dict.fromkeys(codes.tolist()))


def _median_twice(item: np.ndarray, lead: np.ndarray, n_items: int) -> np.ndarray:
    """Twice the median lead time per item (an integer, so exact), -1 where none was reported."""
    out = np.full(n_items, -1, dtype=np.int64)
    reported = lead >= 0
    it, ld = item[reported], lead[reported].astype(np.int64)
    if not len(it):
        return out
    ordered = ld[np.lexsort((ld, it))]
    counts = np.bincount(it, minlength=n_items)
    starts = np.cumsum(counts) - counts
    has = counts > 0
    low = starts[has] + (counts[has] - 1) // 2
    high = starts[has] + counts[has] // 2
    out[has] = ordered[low] + ordered[high]
    return out


def _distinct_pairs_per_group(
    group: np.ndarray, member: np.ndarray, n_groups: int, n_members: int
) -> np.ndarray:
    """How many distinct members (firms, suppliers) each group has."""
    if not len(group):
        return np.zeros(n_groups, dtype=np.int64)
    pairs = np.unique(group.astype(np.int64) * max(n_members, 1) + member)
    return np.bincount(pairs // max(n_members, 1), minlength=n_groups)


# --- local supply rate (本地配套率) --------------------------------------------------------------


def _rates(links: SurveyLinks, codes: np.ndarray, labels: list[Any]) -> dict[Any, SupplyRate]:
    grouping = _Grouping(codes, len(labels))
    valued = links.valued
    value = np.where(valued, links.value_fen, 0)
    by_level = [grouping.sum(np.where(links.level == lv, value, 0)) for lv in range(len(LEVELS))]
    ids = links.answer_ids
    out: dict[Any, SupplyRate] = {}
    for g, label in enumerate(labels):
        rows = grouping.rows(g)
        if not len(rows):
            continue
        levels = {name: int(by_level[lv][g]) for lv, name in enumerate(LEVELS)}
        total = sum(levels.values())
        local = levels["kunshan"]
        suzhou = local + levels["suzhou"]
        valued_rows = rows[valued[rows]]
        row_levels = links.level[valued_rows]
        out[label] = SupplyRate(
            key=label,
            total_value=_yuan(total),
            value_by_level={name: _yuan(v) for name, v in levels.items()},
            local_value=_yuan(local),
            suzhou_value=_yuan(suzhou),
            local_rate=_ratio(local, total),
            suzhou_rate=_ratio(suzhou, total),
            answer_ids=tuple(ids[valued_rows]),
            local_answer_ids=tuple(ids[valued_rows[row_levels == KUNSHAN]]),
            suzhou_answer_ids=tuple(ids[valued_rows[row_levels <= SUZHOU]]),
            unvalued_answer_ids=tuple(ids[rows[~valued[rows]]]),
        )
    return out


def local_supply_rates(links: SurveyLinks, by: str) -> dict[Any, SupplyRate]:
    """本地配套率 per chain node (``by='node'``), area (``'area'``) or input category (``'category'``)."""
    if by == "node":
        return _rates(links, links.node, links.node_labels)
    if by == "area":
        return _rates(links, links.area, links.area_labels)
    if by == "category":
        return _rates(links, links.category.astype(np.int32), list(CATEGORIES))
    raise ValueError(f"未知分组{by!r} / unknown grouping {by!r}")


def overall_supply_rate(links: SurveyLinks) -> SupplyRate:
    rates = _rates(links, np.zeros(len(links), dtype=np.int32), [None])
    if None in rates:
        return rates[None]
    zero = _yuan(0)
    return SupplyRate(None, zero, dict.fromkeys(LEVELS, zero), zero, zero, None, None, (), (), (), ())


# --- per-item facts shared by breakpoints and weak points ------------------------------------


@dataclass(frozen=True)
class _ItemFacts:
    grouping: _Grouping
    links_n: np.ndarray
    domestic_n: np.ndarray
    alt_n: np.ndarray
    alt_domestic_n: np.ndarray
    suppliers_n: np.ndarray
    firms_n: np.ndarray
    exposed_firms_n: np.ndarray
    total_fen: np.ndarray
    abroad_fen: np.ndarray
    top_supplier: np.ndarray  # supplier code with the largest value (-1 when no value)
    top_fen: np.ndarray
    median_lead_twice: np.ndarray  # twice the median lead time in days, -1 when none reported


def _item_facts(links: SurveyLinks, config: AnalysisConfig) -> _ItemFacts:
    n_items, n_sup, n_firms = len(links.item_labels), len(links.supplier_labels), len(links.firm_labels)
    item = links.item
    grouping = _Grouping(item, n_items)
    value = np.where(links.valued, links.value_fen, 0)
    top_ppm = int(config.weak_top_supplier_share * PPM)
    exposed = (links.share_ppm >= top_ppm) & ~links.has_alternative

    # Value per (item, supplier) pair, then the largest pair per item.
    top_supplier = np.full(n_items, -1, dtype=np.int64)
    top_fen = np.zeros(n_items, dtype=np.int64)
    if len(item):
        pair_keys, pair_of_row = np.unique(
            item.astype(np.int64) * n_sup + links.supplier, return_inverse=True
        )
        pair_fen = _Grouping(pair_of_row.ravel(), len(pair_keys)).sum(value)
        pair_item = pair_keys // n_sup
        best = np.lexsort((-pair_fen, pair_item))  # by item, largest value first
        first = np.ones(len(best), dtype=bool)
        first[1:] = pair_item[best][1:] != pair_item[best][:-1]
        chosen = best[first]
        has_value = pair_fen[chosen] > 0
        top_supplier[pair_item[chosen][has_value]] = (pair_keys[chosen] % n_sup)[has_value]
        top_fen[pair_item[chosen]] = pair_fen[chosen]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(item[mask], minlength=n_items)

    return _ItemFacts(
        grouping=grouping,
        links_n=np.bincount(item, minlength=n_items),
        domestic_n=count(links.domestic),
        alt_n=count(links.has_alternative),
        alt_domestic_n=count(links.alternative_domestic),
        suppliers_n=_distinct_pairs_per_group(item, links.supplier, n_items, n_sup),
        firms_n=_distinct_pairs_per_group(item, links.firm, n_items, n_firms),
        exposed_firms_n=_distinct_pairs_per_group(item[exposed], links.firm[exposed], n_items, n_firms),
        total_fen=grouping.sum(value),
        abroad_fen=grouping.sum(np.where(links.level == ABROAD, value, 0)),
        top_supplier=top_supplier,
        top_fen=top_fen,
        median_lead_twice=_median_twice(item, links.lead_time_days, n_items),
    )


def _finding(
    links: SurveyLinks, facts: _ItemFacts, i: int, kinds: list[str], reasons: list[Reason]
) -> ItemFinding:
    rows = facts.grouping.rows(i)
    category, name = links.item_labels[i]
    total, abroad, top = int(facts.total_fen[i]), int(facts.abroad_fen[i]), int(facts.top_fen[i])
    median2 = int(facts.median_lead_twice[i])
    top_code = int(facts.top_supplier[i])
    return ItemFinding(
        category=category,
        item=name,
        kinds=tuple(kinds),
        reasons=tuple(reasons),
        firm_ids=_labels_in_order(links.firm[rows], links.firm_labels),
        node_codes=_labels_in_order(links.node[rows], links.node_labels),
        area_codes=_labels_in_order(links.area[rows], links.area_labels),
        supplier_ids=_labels_in_order(links.supplier[rows], links.supplier_labels),
        countries=_labels_in_order(links.country[rows], links.country_labels),
        total_value=_yuan(total),
        abroad_value_share=_ratio(abroad, total),
        top_supplier_id=links.supplier_labels[top_code] if top_code >= 0 else None,
        top_supplier_share=_ratio(top, total),
        median_lead_time_days=Decimal(median2) / 2 if median2 >= 0 else None,
        answer_ids=tuple(links.answer_ids[rows]),
    )


def _item_label(links: SurveyLinks, i: int) -> tuple[str, str]:
    category, name = links.item_labels[i]
    zh, en = CATEGORY_LABELS[category]
    return f"{zh}「{name}」", f"{en} '{name}'"


def _breakpoint_items(links: SurveyLinks, facts: _ItemFacts, config: AnalysisConfig) -> dict[int, list[str]]:
    present = facts.links_n > 0
    no_domestic = present & (facts.domestic_n == 0) & (facts.alt_domestic_n == 0)
    single = present & (facts.suppliers_n == 1)
    if config.single_source_alternative_clears:
        single &= facts.alt_n == 0
    out: dict[int, list[str]] = {}
    for i in np.flatnonzero(no_domestic | single).tolist():
        out[i] = [k for k, hit in ((NO_DOMESTIC_SOURCE, no_domestic[i]), (SINGLE_SOURCE, single[i])) if hit]
    return out


def find_breakpoints(
    links: SurveyLinks, config: AnalysisConfig | None = None, facts: _ItemFacts | None = None
) -> list[ItemFinding]:
    """断点, most dependent firms first."""
    config = config or AnalysisConfig()
    facts = facts or _item_facts(links, config)
    findings = []
    for i, kinds in _breakpoint_items(links, facts, config).items():
        zh_item, en_item = _item_label(links, i)
        firms = int(facts.firms_n[i])
        reasons = []
        if NO_DOMESTIC_SOURCE in kinds:
            reasons.append(
                Reason(
                    NO_DOMESTIC_SOURCE,
                    f"{zh_item}全部由境外供应，且无合格国内替代来源；{firms}家本地企业依赖",
                    f"{en_item} comes only from abroad with no qualified domestic alternative; "
                    f"{firms} local firms depend on it",
                )
            )
        if SINGLE_SOURCE in kinds:
            supplier = links.supplier_names[int(links.supplier[facts.grouping.rows(i)[0]])]
            alt = int(facts.alt_n[i])
            alt_zh = f"，{alt}条答卷报有合格替代" if alt else "，无合格替代"
            alt_en = (
                f"; {alt} answers report a qualified alternative" if alt else "; no qualified alternative"
            )
            reasons.append(
                Reason(
                    SINGLE_SOURCE,
                    f"{zh_item}全市唯一供应商为{supplier}{alt_zh}；{firms}家本地企业依赖",
                    f"{en_item} has a single supplier city-wide, {supplier}{alt_en}; "
                    f"{firms} local firms depend on it",
                )
            )
        findings.append(_finding(links, facts, i, kinds, reasons))
    findings.sort(key=lambda f: (-f.firm_count, -f.total_value, f.category, f.item))
    return findings


def find_weak_points(
    links: SurveyLinks, config: AnalysisConfig | None = None, facts: _ItemFacts | None = None
) -> list[ItemFinding]:
    """薄弱环节: items that are not breakpoints but meet a weak-point rule; most dependent firms first."""
    config = config or AnalysisConfig()
    facts = facts or _item_facts(links, config)
    breakpoints = _breakpoint_items(links, facts, config)
    abroad_ppm = int(config.weak_abroad_value_share * PPM)
    top_ppm = int(config.weak_top_supplier_share * PPM)
    exposed_ppm = int(config.weak_exposed_firm_share * PPM)
    findings = []
    for i in np.flatnonzero(facts.links_n > 0).tolist():
        if i in breakpoints:
            continue
        total, abroad, top = int(facts.total_fen[i]), int(facts.abroad_fen[i]), int(facts.top_fen[i])
        firms, exposed = int(facts.firms_n[i]), int(facts.exposed_firms_n[i])
        zh_item, en_item = _item_label(links, i)
        kinds: list[str] = []
        reasons: list[Reason] = []
        if total > 0 and abroad * PPM >= abroad_ppm * total and facts.alt_domestic_n[i] == 0:
            share = _percent(Fraction(abroad, total))
            kinds.append(ABROAD_DEPENDENT)
            reasons.append(
                Reason(
                    ABROAD_DEPENDENT,
                    f"{zh_item}采购额{share}来自境外，且无合格国内替代",
                    f"{share} of the value of {en_item} comes from abroad, "
                    "with no qualified domestic alternative",
                )
            )
        if total > 0 and top * PPM >= top_ppm * total and facts.alt_n[i] == 0:
            share = _percent(Fraction(top, total))
            supplier = links.supplier_names[int(facts.top_supplier[i])]
            kinds.append(DOMINANT_SUPPLIER)
            reasons.append(
                Reason(
                    DOMINANT_SUPPLIER,
                    f"{zh_item}采购额{share}来自单一供应商{supplier}，且无合格替代",
                    f"{share} of the value of {en_item} comes from one supplier, {supplier}, "
                    "with no qualified alternative",
                )
            )
        if firms and exposed * PPM >= exposed_ppm * firms:
            limit = _percent(config.weak_top_supplier_share)
            kinds.append(FIRMS_ON_ONE_SUPPLIER)
            reasons.append(
                Reason(
                    FIRMS_ON_ONE_SUPPLIER,
                    f"{firms}家依赖企业中有{exposed}家向单一供应商采购{zh_item}达{limit}以上且无合格替代",
                    f"{exposed} of {firms} dependent firms buy at least {limit} of {en_item} "
                    "from one supplier with no qualified alternative",
                )
            )
        if config.weak_lead_time_days is not None:
            median2 = int(facts.median_lead_twice[i])
            if median2 >= 0 and median2 >= 2 * config.weak_lead_time_days:
                median = Decimal(median2) / 2
                kinds.append(LONG_LEAD_TIME)
                reasons.append(
                    Reason(
                        LONG_LEAD_TIME,
                        f"{zh_item}交货周期中位数{median}天，不少于{config.weak_lead_time_days}天",
                        f"median lead time of {en_item} is {median} days, "
                        f"at least {config.weak_lead_time_days}",
                    )
                )
        if kinds:
            findings.append(_finding(links, facts, i, kinds, reasons))
    findings.sort(key=lambda f: (-len(f.kinds), -f.firm_count, -f.total_value, f.category, f.item))
    return findings


def node_breakpoints(
    links: SurveyLinks, breakpoints: list[ItemFinding]
) -> dict[Any, tuple[tuple[str, str], ...]]:
    """The breakpoint items that firms on each chain node depend on (nodes without one are left out)."""
    index = {label: i for i, label in enumerate(links.item_labels)}
    codes = np.array([index[(b.category, b.item)] for b in breakpoints], dtype=np.int64)
    mask = np.isin(links.item, codes)
    if not mask.any():
        return {}
    pairs = np.unique(links.node[mask].astype(np.int64) * len(links.item_labels) + links.item[mask])
    out: dict[Any, list[tuple[str, str]]] = {}
    for node, item in zip(
        (pairs // len(links.item_labels)).tolist(), (pairs % len(links.item_labels)).tolist(), strict=True
    ):
        out.setdefault(links.node_labels[node], []).append(links.item_labels[item])
    return {node: tuple(sorted(items)) for node, items in out.items()}


# --- supplier-country concentration (HHI) ----------------------------------------------------


def _hhi(values: list[int]) -> Decimal | None:
    """Σ (100·sᵢ)² with sᵢ = vᵢ/Σv, exactly, rounded to 0.01; None when there is no value."""
    total = sum(values)
    if total <= 0:
        return None
    exact = Fraction(10_000 * sum(v * v for v in values), total * total)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        HHI_PLACES, rounding=ROUND_HALF_EVEN
    )


def _concentration(links: SurveyLinks, group: np.ndarray, n_groups: int, label: Any) -> list[Concentration]:
    n_countries = max(len(links.country_labels), 1)
    grouping = _Grouping(group, n_groups)
    valued = links.valued
    value = np.where(valued, links.value_fen, 0)
    pair = _Grouping(group.astype(np.int64) * n_countries + links.country, n_groups * n_countries)
    pair_fen = pair.sum(value).reshape(n_groups, n_countries) if n_groups else np.zeros((0, n_countries))
    ids = links.answer_ids
    out = []
    for g in range(n_groups):
        rows = grouping.rows(g)
        if not len(rows):
            continue
        per_country = [(links.country_labels[c], int(v)) for c, v in enumerate(pair_fen[g].tolist()) if v > 0]
        per_country.sort(key=lambda cv: (-cv[1], cv[0]))
        total = sum(v for _, v in per_country)
        category, item = label(g)
        out.append(
            Concentration(
                category=category,
                item=item,
                hhi=_hhi([v for _, v in per_country]),
                country_values=tuple((c, _yuan(v)) for c, v in per_country),
                country_shares=tuple((c, _ratio(v, total) or Decimal(0)) for c, v in per_country),
                answer_ids=tuple(ids[rows[valued[rows]]]),
                unvalued_answer_ids=tuple(ids[rows[~valued[rows]]]),
            )
        )
    return out


def item_concentration(links: SurveyLinks) -> list[Concentration]:
    """HHI of supplier countries per input item, highest first."""
    out = _concentration(links, links.item, len(links.item_labels), lambda g: links.item_labels[g])
    return sorted(out, key=lambda c: (-(c.hhi if c.hhi is not None else -1), c.category, c.item or ""))


def category_concentration(links: SurveyLinks) -> list[Concentration]:
    """HHI of supplier countries per input category, in the order of CATEGORIES."""
    return _concentration(
        links, links.category.astype(np.int32), len(CATEGORIES), lambda g: (CATEGORIES[g], None)
    )


# --- critical suppliers ----------------------------------------------------------------------


def critical_suppliers(links: SurveyLinks, top_n: int = 20) -> list[CriticalSupplier]:
    """The suppliers most local firms depend on: ranked by dependent firms, then purchase value."""
    n_sup, n_firms = len(links.supplier_labels), len(links.firm_labels)
    if not n_sup or top_n <= 0:
        return []
    grouping = _Grouping(links.supplier, n_sup)
    firms = _distinct_pairs_per_group(links.supplier, links.firm, n_sup, n_firms)
    fen = grouping.sum(np.where(links.valued, links.value_fen, 0))
    # lexsort: last key is primary; the supplier code breaks ties in first-reported order.
    ranked = np.lexsort((np.arange(n_sup), -fen, -firms))[:top_n]
    out = []
    for rank, s in enumerate(ranked.tolist(), start=1):
        rows = grouping.rows(s)
        out.append(
            CriticalSupplier(
                rank=rank,
                supplier_id=links.supplier_labels[s],
                name=links.supplier_names[s],
                levels=tuple(LEVELS[lv] for lv in sorted(set(links.level[rows].tolist()))),
                countries=_labels_in_order(links.country[rows], links.country_labels),
                firm_ids=_labels_in_order(links.firm[rows], links.firm_labels),
                items=_labels_in_order(links.item[rows], links.item_labels),
                total_value=_yuan(int(fen[s])),
                answer_ids=tuple(links.answer_ids[rows]),
            )
        )
    return out


# --- everything at once ----------------------------------------------------------------------


def analyze(links: SurveyLinks, config: AnalysisConfig | None = None) -> SupplyAnalysis:
    config = config or AnalysisConfig()
    facts = _item_facts(links, config)
    breakpoints = find_breakpoints(links, config, facts)
    return SupplyAnalysis(
        overall=overall_supply_rate(links),
        by_node=local_supply_rates(links, "node"),
        by_area=local_supply_rates(links, "area"),
        by_category=local_supply_rates(links, "category"),
        breakpoints=breakpoints,
        weak_points=find_weak_points(links, config, facts),
        item_concentration=item_concentration(links),
        category_concentration=category_concentration(links),
        critical_suppliers=critical_suppliers(links, config.critical_supplier_top_n),
        node_breakpoints=node_breakpoints(links, breakpoints),
    )
