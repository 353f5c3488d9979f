"""Year-end forecasts and status lights: pure arithmetic on Decimals, no database.

The default forecast (``seasonal_share``) divides the year-to-date figure by the average share of
the full year that the same firms had reached by the same month in the previous years. The range
uses the lowest and highest of those shares. Without any history the forecast falls back to a
straight line (YTD × 12 ÷ month) and says so; it then has no range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from semicluster.core.formatting import money
from semicluster.monitoring.models import ForecastMethod, Status

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (2 places), or None when ``whole`` is missing or zero."""
    if whole is None or whole == 0:
        return None
    return q2(part * HUNDRED / whole)


def change_percent(current: Decimal, previous: Decimal | None) -> Decimal | None:
    """Year-on-year change in percent; None without a (non-zero) previous figure."""
    if previous is None or previous == 0:
        return None
    return q2((current - previous) * HUNDRED / abs(previous))


@dataclass(frozen=True)
class YearShare:
    """How much of its full year the matched firms had reached by the month, in one history year."""

    year: int
    ytd: Decimal
    annual: Decimal
    firms: int

    @property
    def share(self) -> Decimal | None:
        return None if self.annual <= 0 else self.ytd / self.annual


@dataclass(frozen=True)
class ShareStats:
    years: tuple[int, ...]
    average: Decimal
    low: Decimal
    high: Decimal


def share_stats(history: Sequence[YearShare]) -> ShareStats | None:
    usable = [h for h in history if h.share is not None and h.share > 0]
    if not usable:
        return None
    shares = [h.share for h in usable if h.share is not None]
    return ShareStats(
        years=tuple(sorted(h.year for h in usable)),
        average=sum(shares, Decimal(0)) / len(shares),
        low=min(shares),
        high=max(shares),
    )


@dataclass(frozen=True)
class Forecast:
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    method: str
    note: str


def _years(years: Sequence[int]) -> str:
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"


def seasonal_forecast(ytd: Decimal, month: int, stats: ShareStats | None) -> Forecast:
    """Year-end forecast of a flow (revenue, investment …) from its year-to-date figure."""
    if month == 12:
        return Forecast(
            ytd, ytd, ytd, ForecastMethod.ACTUAL, "1–12月累计即全年 / January–December is the full year"
        )
    if stats is None:
        value = q2(ytd * 12 / month)
        return Forecast(
            value,
            None,
            None,
            ForecastMethod.STRAIGHT_LINE,
            f"缺少往年同期数据，按直线外推：1–{month}月累计 × 12 ÷ {month}，无区间 / "
            f"no history for this month: straight line, YTD × 12 ÷ {month}, no range",
        )
    pct = q2(stats.average * HUNDRED)
    low_pct, high_pct = q2(stats.low * HUNDRED), q2(stats.high * HUNDRED)
    span = _years(stats.years)
    return Forecast(
        q2(ytd / stats.average),
        q2(ytd / stats.high),
        q2(ytd / stats.low),
        ForecastMethod.SEASONAL_SHARE,
        f"1–{month}月累计 ÷ 同一批企业{span}年同期累计占全年比重均值 {pct}%"
        f"（区间 {low_pct}%–{high_pct}%） / YTD ÷ the average share of the full year the same firms "
        f"had reached by month {month} in {span} ({pct}%, range {low_pct}%–{high_pct}%)",
    )


def with_late_reporters(forecast: Forecast, firms: int, estimated: Decimal) -> Forecast:
    """Say that the forecast counts ``firms`` not-yet-reported firms at ``estimated`` (their combined
    same-month year-to-date figure of last year); unchanged when every expected firm has reported."""
    if not firms:
        return forecast
    zh, _, en = forecast.note.partition(" / ")
    note = (
        f"{zh}；另有 {firms} 家企业本月尚未报送，按其上年同期累计 {money(estimated)} 计入预测 / "
        f"{en}; {firms} firm(s) yet to report counted at last year's same-month YTD ({money(estimated)})"
    )
    return replace(forecast, note=note)


def straight_line_forecast(ytd: Decimal, month: int, what: str) -> Forecast:
    """For flows without seasonal history by design (project investment, milestones)."""
    if month == 12:
        return Forecast(ytd, ytd, ytd, ForecastMethod.ACTUAL, "全年实际 / full-year actual")
    value = q2(ytd * 12 / month)
    return Forecast(
        value,
        None,
        None,
        ForecastMethod.STRAIGHT_LINE,
        f"{what}按直线外推：1–{month}月 × 12 ÷ {month} / straight line: YTD × 12 ÷ {month}",
    )


def actual_forecast(value: Decimal) -> Forecast:
    return Forecast(value, value, value, ForecastMethod.ACTUAL, "全年实际 / full-year actual")


def stock_forecast(value: Decimal) -> Forecast:
    return Forecast(
        value,
        None,
        None,
        ForecastMethod.STOCK,
        "存量指标，以当前数为年末预计 / a stock: the current count is the year-end expectation",
    )


@dataclass(frozen=True)
class StatusThresholds:
    """Forecast ÷ target at or above ``on_track`` is on track; at or above ``at_risk`` at risk; else off."""

    on_track: Decimal = Decimal("1.0")
    at_risk: Decimal = Decimal("0.9")

    @classmethod
    def from_plan(cls, monitoring: dict[str, object] | None) -> StatusThresholds:
        raw = (monitoring or {}).get("status_thresholds") or {}
        assert isinstance(raw, dict)
        # Plan files give these as YAML numbers; str() keeps 0.9 as 0.9, not its binary neighbour.
        return cls(
            on_track=Decimal(str(raw.get("on_track", "1.0"))), at_risk=Decimal(str(raw.get("at_risk", "0.9")))
        )


def status_for(
    *,
    value: Decimal,
    forecast: Decimal | None,
    target: Decimal,
    comparison: str,
    thresholds: StatusThresholds,
    final: bool,
) -> str:
    """The light of a goal: achieved once the value meets the target; for a finished year anything
    else is off track; otherwise the forecast decides, against the configurable thresholds."""
    met = value > target if comparison == "gt" else value >= target
    if met:
        return Status.ACHIEVED
    if final:
        return Status.OFF_TRACK
    if forecast is None:
        return Status.NO_DATA
    if target == 0:
        return Status.ON_TRACK
    ratio = forecast / target
    if ratio >= thresholds.on_track:
        return Status.ON_TRACK
    if ratio >= thresholds.at_risk:
        return Status.AT_RISK
    return Status.OFF_TRACK
