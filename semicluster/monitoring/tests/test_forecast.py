from __future__ import annotations

from decimal import Decimal

from semicluster.monitoring.forecast import (
    StatusThresholds,
    YearShare,
    change_percent,
    seasonal_forecast,
    share_stats,
    status_for,
)

T = StatusThresholds(on_track=Decimal("1.0"), at_risk=Decimal("0.9"))


def status(value: str, forecast: str | None, *, final: bool = False, comparison: str = "gte") -> str:
    return status_for(
        value=Decimal(value),
        forecast=None if forecast is None else Decimal(forecast),
        target=Decimal(100),
        comparison=comparison,
        thresholds=T,
        final=final,
    )


def test_status_lights_follow_the_configured_thresholds() -> None:
    assert status("100", "100") == "achieved"
    assert status("99", "100") == "on_track"
    assert status("80", "99.99") == "at_risk"
    assert status("80", "90") == "at_risk"
    assert status("80", "89.99") == "off_track"
    assert status("80", None) == "no_data"


def test_more_than_targets_are_achieved_only_above_the_target() -> None:
    assert status("100", "100", comparison="gt") == "on_track"
    assert status("100.01", "100", comparison="gt") == "achieved"


def test_a_finished_year_short_of_target_is_off_track_whatever_the_forecast() -> None:
    assert status("99", "99", final=True) == "off_track"


def test_stricter_thresholds_change_the_light() -> None:
    strict = StatusThresholds(on_track=Decimal("1.05"), at_risk=Decimal("1.0"))
    result = status_for(
        value=Decimal(1),
        forecast=Decimal(102),
        target=Decimal(100),
        comparison="gte",
        thresholds=strict,
        final=False,
    )
    assert result == "at_risk"


def test_thresholds_are_read_from_the_plan_without_float_noise() -> None:
    assert StatusThresholds.from_plan(
        {"status_thresholds": {"on_track": 1.0, "at_risk": 0.9}}
    ).at_risk == Decimal("0.9")


def test_seasonal_forecast_arithmetic_and_range() -> None:
    stats = share_stats(
        [YearShare(2022, Decimal(60), Decimal(100), 1), YearShare(2023, Decimal(80), Decimal(100), 1)]
    )
    forecast = seasonal_forecast(Decimal(70), 9, stats)
    assert forecast.value == Decimal("100.00")  # 70 / 0.7
    assert forecast.low == Decimal("87.50")  # 70 / 0.8
    assert forecast.high == Decimal("116.67")  # 70 / 0.6


def test_forecast_falls_back_to_a_straight_line_without_history_and_says_so() -> None:
    forecast = seasonal_forecast(Decimal(50), 4, share_stats([]))
    assert forecast.value == Decimal("150.00")
    assert forecast.low is None and forecast.high is None
    assert "no history" in forecast.note


def test_december_is_the_full_year() -> None:
    assert seasonal_forecast(Decimal(123), 12, None).value == Decimal(123)


def test_year_on_year_change() -> None:
    assert change_percent(Decimal(110), Decimal(100)) == Decimal("10.00")
    assert change_percent(Decimal(-5), Decimal(-10)) == Decimal("50.00")
    assert change_percent(Decimal(1), Decimal(0)) is None
