"""Primary sensitivity rules (一次保密规则) on one cell's list of contributions.

Follows the ESSnet *Handbook on Statistical Disclosure Control*, chapter on magnitude tables (the
methodology behind τ-ARGUS). With the contributions of a cell combined per enterprise group and
sorted x₁ ≥ x₂ ≥ … ≥ x_N ≥ 0, X = Σxᵢ, the cell is unsafe when

* minimum frequency: 0 < N < n (an empty cell reveals nobody and stays publishable);
* (n, k) dominance: x₁ + … + xₙ > k/100 · X;
* p% rule: X − x₁ − x₂ < p/100 · x₁ (the runner-up would estimate the leader to within p%).

The inequalities are strict, as in the Handbook: a cell exactly at the limit is safe.

Each unsafe cell also gets the protection level τ-ARGUS derives from the rule that fired: how far the
feasible interval of a suppressed cell must reach above (and below) its true value so the intruder
of that rule learns no more than the rule allows. The secondary suppression and the LP audit use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


class SensitivityReason(StrEnum):
    """Which primary rule made a cell unsafe. Internal only: never shown in a public edition."""

    FREQUENCY = "frequency"
    DOMINANCE = "dominance"
    P_PERCENT = "p_percent"


@dataclass(frozen=True, slots=True)
class Contribution:
    """One enterprise's value in one cell (e.g. its output in 玉山镇 × 封装测试).

    ``group`` is the enterprise group (集团 / holding); contributions of one group count as one
    respondent, because "the largest three might belong to only one company". Without a group the
    enterprise is its own respondent, and several contributions of one enterprise (branches) merge.
    """

    enterprise: str
    value: Decimal
    group: str | None = None

    def __post_init__(self) -> None:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"贡献值须为 Decimal 或整数 / contribution must be Decimal or int, got {value!r}")
        value = Decimal(value)
        if not value.is_finite():
            raise ValueError(f"贡献值无效 / contribution is not a finite number: {value}")
        if value < 0:
            # Dominance and p% are undefined with negative values (Handbook); the tables here are
            # output, revenue, tax and investment, which are never negative.
            raise ValueError(f"贡献值为负 / negative contribution of {self.enterprise}: {value}")
        object.__setattr__(self, "value", value)

    @property
    def respondent(self) -> str:
        """The unit protected by the rules: the enterprise group when known, else the enterprise."""
        return f"group:{self.group}" if self.group else f"enterprise:{self.enterprise}"


def combine_contributions(contributions: Iterable[Contribution]) -> tuple[tuple[str, Decimal], ...]:
    """Respondents and their combined values, largest first (ties broken by respondent id)."""
    combined: dict[str, Decimal] = {}
    for c in contributions:
        combined[c.respondent] = combined.get(c.respondent, _ZERO) + c.value
    return tuple(sorted(combined.items(), key=lambda item: (-item[1], item[0])))


def _decimal_setting(value: Any, name: str) -> Decimal:
    # Parameters are configuration, not money, so a float in settings is tolerated via its repr.
    if isinstance(value, bool):
        raise TypeError(f"参数 {name} 须为数值 / parameter {name} must be a number")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


@dataclass(frozen=True, slots=True)
class DominanceRule:
    """(n, k): unsafe when the n largest respondents hold more than k% of the cell."""

    n: int
    k: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "k", _decimal_setting(self.k, "k"))
        if self.n < 1:
            raise ValueError(f"支配规则 n 须 ≥ 1 / dominance n must be ≥ 1, got {self.n}")
        if not (_ZERO < self.k < _HUNDRED):
            raise ValueError(f"支配规则 k 须在 0 与 100 之间 / dominance k must be in (0, 100), got {self.k}")


@dataclass(frozen=True, slots=True)
class DisclosureParameters:
    """Confidential rule parameters (保密参数). Load them from server settings; never publish them.

    * ``min_frequency``: cells with fewer respondents are unsafe (Handbook: normally 3).
    * ``dominance``: any number of (n, k) rules; the default (1, 85) is the extra guard the
      reference recommends beside the p% rule.
    * ``p_percent``: the p% rule (recommended by the Handbook); ``None`` switches it off.
    * ``frequency_protection_percent``: protection level of a cell that fails only the frequency rule,
      as a % of its value (τ-ARGUS' "frequency safety range", e.g. FREQ(3,10)).
    * ``min_protection_percent``: a floor on every unsafe cell's protection level, % of its value.
    * ``singleton_protection``: also audit against a respondent that is the only one in another
      suppressed cell and so knows that cell exactly ("two single-respondent cells must not be
      paired").
    """

    min_frequency: int = 3
    dominance: tuple[DominanceRule, ...] = (DominanceRule(1, Decimal(85)),)
    p_percent: Decimal | None = Decimal(15)
    frequency_protection_percent: Decimal = Decimal(10)
    min_protection_percent: Decimal = Decimal(0)
    singleton_protection: bool = True

    def __post_init__(self) -> None:
        if self.min_frequency < 1:
            raise ValueError(f"最小频数须 ≥ 1 / min_frequency must be ≥ 1, got {self.min_frequency}")
        object.__setattr__(self, "dominance", tuple(self.dominance))
        if self.p_percent is not None:
            p = _decimal_setting(self.p_percent, "p_percent")
            if not (_ZERO < p <= _HUNDRED):
                raise ValueError(f"p% 规则 p 须在 (0, 100] / p must be in (0, 100], got {p}")
            object.__setattr__(self, "p_percent", p)
        for name in ("frequency_protection_percent", "min_protection_percent"):
            value = _decimal_setting(getattr(self, name), name)
            if not (_ZERO <= value <= _HUNDRED):
                raise ValueError(f"{name} 须在 [0, 100] / {name} must be in [0, 100], got {value}")
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        # Keep the values out of logs, tracebacks and templates: the Handbook insists the parameters
        # of a concentration rule stay confidential.
        return "DisclosureParameters(<confidential>)"

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> DisclosureParameters:
        """Build from a settings dict, e.g. ``{"min_frequency": 3, "dominance": [[1, 85]], "p_percent": 15}``.

        Keys are case-insensitive; unknown keys are an error so a typo cannot silently weaken
        protection.
        """
        known = {
            "min_frequency",
            "dominance",
            "p_percent",
            "frequency_protection_percent",
            "min_protection_percent",
            "singleton_protection",
        }
        lowered = {str(key).lower(): value for key, value in settings.items()}
        unknown = sorted(set(lowered) - known)
        if unknown:
            raise ValueError(f"未知的保密参数 / unknown disclosure parameters: {', '.join(unknown)}")
        kwargs: dict[str, Any] = {}
        if "min_frequency" in lowered:
            kwargs["min_frequency"] = int(lowered["min_frequency"])
        if "dominance" in lowered:
            kwargs["dominance"] = tuple(
                rule if isinstance(rule, DominanceRule) else DominanceRule(int(rule[0]), rule[1])
                for rule in lowered["dominance"]
            )
        if "p_percent" in lowered:
            kwargs["p_percent"] = lowered["p_percent"]
        for name in ("frequency_protection_percent", "min_protection_percent"):
            if name in lowered:
                kwargs[name] = lowered[name]
        if "singleton_protection" in lowered:
            kwargs["singleton_protection"] = bool(lowered["singleton_protection"])
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class CellAssessment:
    """The verdict of the primary rules on one cell.

    ``upper_protection`` / ``lower_protection``: how far above / below the true value the feasible
    interval of the cell must reach once it is suppressed (zero for a safe cell).
    ``sole_respondent`` is the respondent when there is exactly one (it knows the cell exactly).
    """

    total: Decimal
    respondents: int
    reasons: tuple[SensitivityReason, ...]
    upper_protection: Decimal
    lower_protection: Decimal
    sole_respondent: str | None

    @property
    def sensitive(self) -> bool:
        return bool(self.reasons)


def assess_cell(contributions: Iterable[Contribution], params: DisclosureParameters) -> CellAssessment:
    """Apply every configured primary rule to one cell's contributions."""
    ranked = combine_contributions(contributions)
    values = [value for _, value in ranked]
    total = sum(values, _ZERO)
    count = len(values)
    reasons: list[SensitivityReason] = []
    protection = _ZERO

    if 0 < count < params.min_frequency:
        reasons.append(SensitivityReason.FREQUENCY)
        protection = max(protection, params.frequency_protection_percent * total / _HUNDRED)

    # Concentration rules are meaningless on an all-zero cell (nothing to estimate).
    if total > 0:
        for rule in params.dominance:
            top = sum(values[: rule.n], _ZERO)
            if top * _HUNDRED > rule.k * total:
                if SensitivityReason.DOMINANCE not in reasons:
                    reasons.append(SensitivityReason.DOMINANCE)
                # τ-ARGUS: the cell total would have to reach top·100/k for the rule to be met.
                protection = max(protection, top * _HUNDRED / rule.k - total)
        if params.p_percent is not None:
            x1 = values[0]
            x2 = values[1] if count > 1 else _ZERO
            remainder = total - x1 - x2
            if remainder * _HUNDRED < params.p_percent * x1:
                reasons.append(SensitivityReason.P_PERCENT)
                # The runner-up's upper estimate of x₁ must overshoot it by p% of x₁.
                protection = max(protection, params.p_percent * x1 / _HUNDRED - remainder)

    if reasons:
        protection = max(protection, params.min_protection_percent * total / _HUNDRED)
    return CellAssessment(
        total=total,
        respondents=count,
        reasons=tuple(reasons),
        upper_protection=protection,
        # Non-negativity caps how far below the value an interval can reach.
        lower_protection=min(protection, total),
        sole_respondent=ranked[0][0] if count == 1 else None,
    )
