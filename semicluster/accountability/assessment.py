"""Year-end target-responsibility assessment (目标责任考核, clause 三、1) — a pure engine.

Units (or areas) are scored on criteria configured in the plan's ``assessment`` section. For each
criterion the breakdown keeps the raw value, the normalised score (0–100) and the weighted points,
and the points add up exactly to the total shown: every number on the ranking can be explained.

Normalisation per criterion (``scale`` in the plan):

* ``fixed`` (default, bounds 0–100): linear between ``min`` and ``max``, clamped — for rates in
  percent such as task completion or on-time reporting.
* ``relative``: the best subject scores 100 and the worst 0 (min–max over the subjects assessed);
  if every subject has the same value, all score 100 (nobody is behind anybody).

``direction: lower_better`` reverses either scale (e.g. number of red project lights).
Weighted points = score × weight ÷ Σ weights, so totals are on a 0–100 scale whatever the weights;
they are apportioned to 0.01 by largest remainder so the breakdown adds up to the total exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from semicluster.accountability.engine import Message

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def apportion(values: list[Decimal]) -> list[Decimal]:
    """Round each value to 0.01 so that the rounded parts add up to the rounded whole.

    Rounding each share on its own can make a perfect score show 100.01 (three shares of
    16.666…, 16.666…, 66.666… round to 16.67 + 16.67 + 66.67). Largest-remainder apportionment
    rounds every value down, then gives the missing cents to the largest remainders (ties to the
    earlier value), so a breakdown always adds up to the total it explains.
    """
    target = sum(values, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    floors = [v.quantize(CENT, rounding=ROUND_FLOOR) for v in values]
    missing_cents = int((target - sum(floors, Decimal(0))) / CENT)
    by_remainder = sorted(range(len(values)), key=lambda i: values[i] - floors[i], reverse=True)
    for i in by_remainder[:missing_cents]:
        floors[i] += CENT
    return floors


def to_decimal(value: object) -> Decimal:
    """Plan numbers are integers or decimal strings; floats are refused (they are not exact)."""
    if isinstance(value, bool | float):
        raise TypeError(f"expected an integer or decimal string, got {value!r}")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value)
    raise TypeError(f"expected an integer or decimal string, got {value!r}")


class Direction(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"


class ScaleKind(StrEnum):
    FIXED = "fixed"
    RELATIVE = "relative"


# Measures the platform knows how to compute; the plan's schema enumerates the same codes.
MEASURES: dict[str, Message] = {
    "task_completion_rate": Message("任务完成率（%）", "task completion rate (%)"),
    "update_timeliness": Message("进展报送及时率（%）", "on-time progress reporting (%)"),
    "goal_contribution": Message("目标贡献度（%）", "contribution to plan goals (%)"),
    "project_lights": Message(
        "项目亮灯得分（绿=100，黄=50，红=0）", "project lights (green 100, yellow 50, red 0)"
    ),
}


@dataclass(frozen=True)
class Criterion:
    code: str
    name_zh: str
    name_en: str
    weight: Decimal
    measure: str
    direction: Direction = Direction.HIGHER_BETTER
    scale: ScaleKind = ScaleKind.FIXED
    min: Decimal = Decimal(0)
    max: Decimal = HUNDRED

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise ValueError(f"criterion {self.code}: negative weight")
        if self.scale == ScaleKind.FIXED and self.max == self.min:
            raise ValueError(f"criterion {self.code}: min and max must differ")


def criteria_from_plan(section: Mapping[str, Any]) -> list[Criterion]:
    """Criteria from a validated plan ``assessment`` section."""
    criteria: list[Criterion] = []
    for raw in section["criteria"]:
        scale = raw.get("scale", {})
        criteria.append(
            Criterion(
                code=raw["code"],
                name_zh=raw["name_zh"],
                name_en=raw["name_en"],
                weight=to_decimal(raw["weight"]),
                measure=raw["measure"],
                direction=Direction(raw.get("direction", Direction.HIGHER_BETTER)),
                scale=ScaleKind(scale.get("kind", ScaleKind.FIXED)),
                min=to_decimal(scale.get("min", 0)),
                max=to_decimal(scale.get("max", 100)),
            )
        )
    if not criteria:
        raise ValueError("assessment needs at least one criterion")
    if sum(c.weight for c in criteria) <= 0:
        raise ValueError("assessment weights must not all be zero")
    return criteria


@dataclass(frozen=True)
class CriterionScore:
    criterion: Criterion
    raw: Decimal | None
    score: Decimal  # normalised 0–100
    points: Decimal  # weighted contribution to the total
    note: Message | None = None


@dataclass(frozen=True)
class SubjectResult:
    subject: str  # unit or area code
    total: Decimal
    rank: int
    breakdown: tuple[CriterionScore, ...]


@dataclass(frozen=True)
class Ranking:
    results: tuple[SubjectResult, ...]

    def for_subject(self, subject: str) -> SubjectResult:
        return next(r for r in self.results if r.subject == subject)

    def tied_with(self, subject: str) -> list[str]:
        rank = self.for_subject(subject).rank
        return [r.subject for r in self.results if r.rank == rank and r.subject != subject]


def _linear(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    share = (value - low) / (high - low)
    return min(max(share, Decimal(0)), Decimal(1)) * HUNDRED


def normalise(criterion: Criterion, raw: Decimal, observed: Iterable[Decimal]) -> Decimal:
    """Score 0–100 for one raw value (unrounded)."""
    if criterion.scale == ScaleKind.RELATIVE:
        values = list(observed)
        low, high = min(values), max(values)
        if high == low:
            return HUNDRED
    else:
        low, high = criterion.min, criterion.max
    score = _linear(raw, low, high)
    return HUNDRED - score if criterion.direction == Direction.LOWER_BETTER else score


def assess(raw_values: Mapping[str, Mapping[str, Decimal | None]], criteria: Iterable[Criterion]) -> Ranking:
    """Score every subject (unit or area) and rank them.

    ``raw_values[subject][measure]`` is the raw value; a missing or None value scores 0 with a note
    (a unit that produced no data is not rewarded for it). Ties share a rank and the next rank is
    skipped (1, 2, 2, 4); tied subjects are listed by code so the order is stable.
    """
    criteria = list(criteria)
    weight_sum = sum((c.weight for c in criteria), Decimal(0))
    if weight_sum <= 0:
        raise ValueError("assessment weights must not all be zero")
    unranked: list[tuple[str, Decimal, tuple[CriterionScore, ...]]] = []
    for subject in raw_values:
        rows: list[tuple[Criterion, Decimal | None, Decimal]] = []
        for criterion in criteria:
            raw = raw_values[subject].get(criterion.measure)
            if raw is None:
                rows.append((criterion, None, Decimal("0.00")))
                continue
            observed = [v for s in raw_values.values() if (v := s.get(criterion.measure)) is not None]
            rows.append((criterion, Decimal(raw), _q(normalise(criterion, Decimal(raw), observed))))
        # Points are apportioned so the breakdown adds up exactly to the total shown.
        points = apportion([score * criterion.weight / weight_sum for criterion, _, score in rows])
        no_data = Message("无数据，记0分", "no data, scored 0")
        breakdown = tuple(
            CriterionScore(criterion, raw, score, share, None if raw is not None else no_data)
            for (criterion, raw, score), share in zip(rows, points, strict=True)
        )
        unranked.append((subject, sum(points, Decimal(0)), breakdown))
    unranked.sort(key=lambda row: (-row[1], row[0]))
    results: list[SubjectResult] = []
    for position, (subject, total, breakdown) in enumerate(unranked, start=1):
        rank = results[-1].rank if results and results[-1].total == total else position
        results.append(SubjectResult(subject, total, rank, breakdown))
    return Ranking(tuple(results))


# --------------------------------------------------------------------------- raw-value helpers


def completion_rate(done: int, due: int) -> Decimal | None:
    """Share of items due in the year that are done, in percent; None when nothing was due."""
    if due == 0:
        return None
    return Decimal(done * 100) / Decimal(due)


def lights_score(green: int, yellow: int, red: int) -> Decimal | None:
    """Average light of a unit's projects: green 100, yellow 50, red 0; None without projects."""
    count = green + yellow + red
    if count == 0:
        return None
    return Decimal(green * 100 + yellow * 50) / Decimal(count)
