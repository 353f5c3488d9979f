"""Enterprise tiers from annual revenue (培育壮大龙头企业, clause 二、4) — a pure engine.

The plan wants 以 50 亿元级企业为龙头、10 亿元级企业为主体 and counts firms that *newly* pass 10 亿 /
50 亿 in the year (goal 一: 新增营业收入额超 10 亿元企业 3 家、超 50 亿元企业 1 家). Thresholds come
from the plan's ``tiers`` section; revenue is the full-year figure in yuan (Decimal), i.e. the
December year-to-date value, never a sum of cumulative months.

Boundary conventions (pinned by the tests):

* A firm is in a tier when revenue ≥ the tier's threshold: exactly 1,000,000,000 is 10亿级.
* Crossing threshold X in year Y: revenue(Y) ≥ X and revenue(Y−1) < X. Without a Y−1 figure no
  crossing is claimed (nothing shows it was below), unless the caller says new entrants count.
* "The year the tier was reached" is the first year of the current unbroken run of years at that
  tier or above; a year without data breaks the run.
* Decline warning: revenue down by at least ``decline_warning_pct`` percent year on year, or a tier
  held last year and lost this year.
* Close below: within ``close_below_pct`` percent under a threshold (X × (1 − p%) ≤ revenue < X).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from semicluster.cultivation.numbers import Message, to_decimal

HUNDRED = Decimal(100)


class TierCode(StrEnum):
    # Same codes as semicluster.enterprises.models.Tier and the plan schema's goal scopes.
    LEADER = "leader"
    BACKBONE = "backbone"
    GROWTH = "growth"


@dataclass(frozen=True)
class TierLevel:
    code: TierCode
    name: str
    name_en: str
    min_revenue: Decimal  # yuan, inclusive

    @property
    def label(self) -> Message:
        return Message(self.name, self.name_en)


@dataclass(frozen=True)
class TierModel:
    """The plan's ``tiers`` section, levels ordered from the highest threshold down."""

    levels: tuple[TierLevel, ...]
    decline_warning_pct: Decimal = Decimal(10)
    close_below_pct: Decimal = Decimal(20)
    crossing_levels: tuple[TierCode, ...] = (TierCode.LEADER, TierCode.BACKBONE)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.levels, key=lambda level: level.min_revenue, reverse=True))
        if len({level.min_revenue for level in ordered}) != len(ordered):
            raise ValueError("tier thresholds must differ")
        object.__setattr__(self, "levels", ordered)

    @classmethod
    def from_plan(cls, section: Mapping[str, Any]) -> TierModel:
        levels = tuple(
            TierLevel(TierCode(raw["code"]), raw["name"], raw["name_en"], to_decimal(raw["min_revenue"]))
            for raw in section["levels"]
        )
        crossing = section.get("crossing_levels")
        return cls(
            levels=levels,
            decline_warning_pct=to_decimal(section.get("decline_warning_pct", 10)),
            close_below_pct=to_decimal(section.get("close_below_pct", 20)),
            crossing_levels=tuple(TierCode(c) for c in crossing)
            if crossing is not None
            else (TierCode.LEADER, TierCode.BACKBONE),
        )

    def level(self, code: TierCode | str) -> TierLevel:
        return next(level for level in self.levels if level.code == code)

    def rank(self, tier: TierLevel | None) -> int:
        """0 for no tier, higher for higher tiers: tiers compare by rank."""
        return 0 if tier is None else len(self.levels) - self.levels.index(tier)


def tier_for(revenue: Decimal, model: TierModel) -> TierLevel | None:
    """The highest tier whose threshold the revenue reaches (≥), or None."""
    return next((level for level in model.levels if revenue >= level.min_revenue), None)


@dataclass(frozen=True)
class TierYear:
    year: int
    revenue: Decimal
    tier: TierLevel | None


def tier_history(revenues: Mapping[int, Decimal], model: TierModel) -> list[TierYear]:
    return [TierYear(year, revenues[year], tier_for(revenues[year], model)) for year in sorted(revenues)]


@dataclass(frozen=True)
class CurrentTier:
    tier: TierLevel | None
    since: int | None  # the year the current tier was reached
    year: int | None  # the latest year with data


def current_tier(revenues: Mapping[int, Decimal], model: TierModel, as_of: int | None = None) -> CurrentTier:
    """Tier in the latest year with data (up to ``as_of``) and the year it was reached."""
    history = [row for row in tier_history(revenues, model) if as_of is None or row.year <= as_of]
    if not history:
        return CurrentTier(None, None, None)
    latest = history[-1]
    if latest.tier is None:
        return CurrentTier(None, None, latest.year)
    rank = model.rank(latest.tier)
    since = latest.year
    for row in reversed(history[:-1]):
        if row.year != since - 1 or model.rank(row.tier) < rank:
            break
        since = row.year
    return CurrentTier(latest.tier, since, latest.year)


@dataclass(frozen=True)
class CrossingEvent:
    """Revenue reached ``level``'s threshold in ``year`` having been below it the year before."""

    year: int
    level: TierLevel
    revenue: Decimal
    previous_revenue: Decimal | None

    @property
    def message(self) -> Message:
        previous = "无上年数据" if self.previous_revenue is None else f"上年{yi(self.previous_revenue)}亿元"
        previous_en = (
            "no figure last year"
            if self.previous_revenue is None
            else f"{yi(self.previous_revenue)} (100 m yuan) last year"
        )
        return Message(
            f"{self.year}年营业收入{yi(self.revenue)}亿元，首次达到{self.level.name}门槛"
            f"{yi(self.level.min_revenue)}亿元（{previous}）",
            f"{self.year} revenue {yi(self.revenue)} (100 m yuan) reached the {self.level.name_en} threshold "
            f"of {yi(self.level.min_revenue)} (100 m yuan) ({previous_en})",
        )


def yi(amount: Decimal) -> str:
    """Yuan shown in 亿元 (100 million yuan) with two decimals, as Chinese statistics show it."""
    return str((amount / Decimal(100_000_000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def crossing_events(
    revenues: Mapping[int, Decimal],
    model: TierModel,
    year: int | None = None,
    new_entrants_count: bool = False,
) -> list[CrossingEvent]:
    """Threshold crossings of one firm, for every year or for ``year`` only.

    A firm that drops below and climbs back crosses again; a firm jumping from below 10亿 to
    above 50亿 crosses both thresholds in the same year.
    """
    events: list[CrossingEvent] = []
    for current in sorted(revenues):
        if year is not None and current != year:
            continue
        previous = revenues.get(current - 1)
        if previous is None and not new_entrants_count:
            continue
        for code in model.crossing_levels:
            level = model.level(code)
            revenue = revenues[current]
            if revenue >= level.min_revenue and (previous is None or previous < level.min_revenue):
                events.append(CrossingEvent(current, level, revenue, previous))
    return events


def crossings_in_year(
    firms: Mapping[str, Mapping[int, Decimal]], model: TierModel, year: int, new_entrants_count: bool = False
) -> dict[TierCode, list[tuple[str, CrossingEvent]]]:
    """Firms crossing each threshold in ``year``: the goal indicator 新增超 10 亿 / 50 亿 企业."""
    result: dict[TierCode, list[tuple[str, CrossingEvent]]] = {code: [] for code in model.crossing_levels}
    for firm in sorted(firms):
        for event in crossing_events(firms[firm], model, year, new_entrants_count):
            result[event.level.code].append((firm, event))
    return result


class WarningKind(StrEnum):
    REVENUE_DECLINE = "revenue_decline"
    TIER_LOST = "tier_lost"


@dataclass(frozen=True)
class DeclineWarning:
    kind: WarningKind
    year: int
    revenue: Decimal
    previous_revenue: Decimal
    change_pct: Decimal  # negative for a decline, 2 decimals
    message: Message
    lost_tier: TierLevel | None = None


def _change_pct(current: Decimal, previous: Decimal) -> Decimal:
    return ((current - previous) * HUNDRED / previous).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def decline_warnings(revenues: Mapping[int, Decimal], model: TierModel, year: int) -> list[DeclineWarning]:
    """Warnings for ``year`` against the year before (both years' figures needed)."""
    if year not in revenues or year - 1 not in revenues:
        return []
    current, previous = revenues[year], revenues[year - 1]
    warnings: list[DeclineWarning] = []
    if previous > 0:
        # Compare the exact drop (not the rounded percentage) with the threshold.
        drop = (previous - current) * HUNDRED
        change = _change_pct(current, previous)
        if drop >= model.decline_warning_pct * previous:
            warnings.append(
                DeclineWarning(
                    WarningKind.REVENUE_DECLINE,
                    year,
                    current,
                    previous,
                    change,
                    Message(
                        f"{year}年营业收入{yi(current)}亿元，同比下降{-change}%"
                        f"（预警线{model.decline_warning_pct}%）",
                        f"{year} revenue {yi(current)} (100 m yuan), down {-change}% year on year "
                        f"(warning at {model.decline_warning_pct}%)",
                    ),
                )
            )
    held, now = tier_for(previous, model), tier_for(current, model)
    if held is not None and model.rank(now) < model.rank(held):
        change = _change_pct(current, previous) if previous > 0 else Decimal(0)
        now_label = now.label if now else Message("无层级", "no tier")
        warnings.append(
            DeclineWarning(
                WarningKind.TIER_LOST,
                year,
                current,
                previous,
                change,
                Message(
                    f"{year}年营业收入{yi(current)}亿元，低于上年所在{held.name}门槛"
                    f"{yi(held.min_revenue)}亿元，降至{now_label.zh}",
                    f"{year} revenue {yi(current)} (100 m yuan) fell below the {held.name_en} threshold "
                    f"{yi(held.min_revenue)} held last year; now {now_label.en}",
                ),
                lost_tier=held,
            )
        )
    return warnings


@dataclass(frozen=True)
class CloseBelow:
    """A cultivation candidate: revenue within ``close_below_pct`` under a threshold."""

    level: TierLevel
    revenue: Decimal
    gap: Decimal  # yuan still missing
    gap_pct: Decimal  # gap as a percentage of the threshold, 2 decimals

    @property
    def message(self) -> Message:
        return Message(
            f"营业收入{yi(self.revenue)}亿元，距{self.level.name}门槛还差{yi(self.gap)}亿元（{self.gap_pct}%）",
            f"revenue {yi(self.revenue)} (100 m yuan), {yi(self.gap)} short of the {self.level.name_en} "
            f"threshold ({self.gap_pct}%)",
        )


def close_below(revenue: Decimal, model: TierModel) -> CloseBelow | None:
    """The nearest threshold the firm is close under, or None.

    Every level counts (growth too: a small firm close to the growth floor is a candidate); the
    lowest threshold above the revenue is the one that matters, as it is the next step up.
    """
    for level in reversed(model.levels):
        if revenue >= level.min_revenue:
            continue
        floor = level.min_revenue * (HUNDRED - model.close_below_pct) / HUNDRED
        if revenue >= floor:
            gap = level.min_revenue - revenue
            gap_pct = (gap * HUNDRED / level.min_revenue).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return CloseBelow(level, revenue, gap, gap_pct)
        return None
    return None


def watch_list(
    firms: Mapping[str, Mapping[int, Decimal]], model: TierModel, year: int
) -> tuple[list[tuple[str, CloseBelow]], list[tuple[str, DeclineWarning]]]:
    """Candidates close below a threshold and firms with decline warnings in ``year``."""
    close: list[tuple[str, CloseBelow]] = []
    declining: list[tuple[str, DeclineWarning]] = []
    for firm in sorted(firms):
        revenues = firms[firm]
        if year in revenues and (candidate := close_below(revenues[year], model)) is not None:
            close.append((firm, candidate))
        declining.extend((firm, warning) for warning in decline_warnings(revenues, model, year))
    return close, declining


def tier_counts(firms: Iterable[Mapping[int, Decimal]], model: TierModel, year: int) -> dict[TierCode, int]:
    counts = {level.code: 0 for level in model.levels}
    for revenues in firms:
        if year in revenues and (tier := tier_for(revenues[year], model)) is not None:
            counts[tier.code] += 1
    return counts
