"""A deliberately naive re-computation of the indicators, firm by firm in Python, from raw rows.

It shares no query with the engine (only the pure forecast arithmetic, tested on its own), so
"stored equals oracle" checks the set-based SQL, the roll-ups and the missing-report logic.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from semicluster.enterprises.models import Enterprise, PeriodValue
from semicluster.monitoring import integrations
from semicluster.monitoring.definitions import IndicatorDef, Period
from semicluster.monitoring.forecast import (
    Forecast,
    YearShare,
    actual_forecast,
    seasonal_forecast,
    share_stats,
    stock_forecast,
    straight_line_forecast,
    with_late_reporters,
)


class Oracle:
    def __init__(self, history_years: int) -> None:
        self.history_years = history_years
        self.firms: dict[int, dict[str, str]] = {}
        for e in Enterprise.objects.select_related("area", "primary_node__segment"):
            self.firms[e.pk] = {
                "city": "",
                "area": e.area.code,
                "segment": e.primary_node.segment.code,
                "node": e.primary_node.code,
            }
        self.values: dict[tuple[int, str, int, str, int], tuple[Decimal, str]] = {}
        self.years_with: dict[tuple[int, str], set[int]] = defaultdict(set)
        for pv in PeriodValue.objects.all():
            self.values[(pv.enterprise_id, pv.measure, pv.year, pv.period_type, pv.period)] = (
                pv.value,
                pv.basis,
            )
            self.years_with[(pv.enterprise_id, pv.measure)].add(pv.year)

    def in_scope(self, firm: int, kind: str, key: str) -> bool:
        return self.firms[firm][kind] == key

    def figure(self, firm: int, measure: str, period: Period) -> Decimal | None:
        if period.is_annual:
            found = self.values.get((firm, measure, period.year, "A", 0))
            return None if found is None else found[0]
        found = self.values.get((firm, measure, period.year, "M", period.month))
        return found[0] if found and found[1] == "ytd" else None

    def stats(self, measure: str, period: Period, kind: str, key: str) -> Any:
        shares = []
        for h in range(period.year - self.history_years, period.year):
            ytd = annual = Decimal(0)
            n = 0
            for firm in self.firms:
                if not self.in_scope(firm, kind, key) or self.figure(firm, measure, period) is None:
                    continue
                hist = self.figure(firm, measure, Period(h, period.month))
                full = self.figure(firm, measure, Period(h, 0))
                if hist is not None and full is not None:
                    ytd, annual, n = ytd + hist, annual + full, n + 1
            if n:
                shares.append(YearShare(h, ytd, annual, n))
        return share_stats(shares)

    def sum(self, d: IndicatorDef, period: Period, kind: str, key: str) -> dict[str, Any]:
        total, reporting, expected = Decimal(0), 0, 0
        late, late_firms = Decimal(0), 0  # not yet reported: counted at last year's same month
        for firm in self.firms:
            if not self.in_scope(firm, kind, key):
                continue
            value = self.figure(firm, d.measure, period)
            if value is not None:
                total += value
                reporting += 1
            elif not period.is_annual:
                last_year = self.figure(firm, d.measure, Period(period.year - 1, period.month))
                if last_year is not None:
                    late += last_year
                    late_firms += 1
            if self.years_with[(firm, d.measure)] & {period.year - 1, period.year}:
                expected += 1
        forecast = (
            actual_forecast(total)
            if period.is_annual
            else with_late_reporters(
                seasonal_forecast(total + late, period.month, self.stats(d.measure, period, kind, key)),
                late_firms,
                late,
            )
        )
        return {"value": total, "reporting": reporting, "missing": expected - reporting, "forecast": forecast}

    def threshold(self, d: IndicatorDef, period: Period, kind: str, key: str) -> dict[str, Any]:
        assert d.threshold is not None
        final = period.is_annual or period.month == 12
        stats = None if final else self.stats(d.measure, period, "city", "")
        if final:
            average = high = low = Decimal(1)
        elif stats is None:
            average = high = low = Decimal(period.month) / 12
        else:
            average, high, low = stats.average, stats.high, stats.low
        crossed = expect = lo = hi = reporting = expected = 0
        for firm in self.firms:
            if not self.in_scope(firm, kind, key):
                continue
            value = self.figure(firm, d.measure, period)
            reporting += value is not None
            expected += bool(self.years_with[(firm, d.measure)] & {period.year - 1, period.year})
            previous = self.figure(firm, d.measure, Period(period.year - 1, 0))
            if value is None or previous is None or previous >= d.threshold:
                continue
            crossed += value >= d.threshold
            expect += value >= d.threshold * average
            lo += value >= d.threshold * high
            hi += value >= d.threshold * low
        forecast = (
            actual_forecast(Decimal(crossed))
            if final
            else Forecast(Decimal(expect), Decimal(lo), Decimal(hi), "", "")
        )
        return {
            "value": Decimal(crossed),
            "reporting": reporting,
            "missing": expected - reporting,
            "forecast": forecast,
        }

    def leaders(self, d: IndicatorDef, period: Period, kind: str, key: str) -> dict[str, Any]:
        members = integrations.leader_member_ids(period.end) or set()
        count = Decimal(sum(1 for firm in members if firm in self.firms and self.in_scope(firm, kind, key)))
        return {"value": count, "reporting": None, "missing": None, "forecast": stock_forecast(count)}

    def investment(
        self, d: IndicatorDef, period: Period, kind: str, key: str, nodes_of: dict[str, list[str]]
    ) -> dict[str, Any]:
        areas = [key] if kind == "area" else None
        nodes = [key] if kind == "node" else nodes_of[key] if kind == "segment" else None
        found = integrations.project_investment(
            year=period.year, month=period.through_month, area_codes=areas, node_codes=nodes
        )
        total = sum((found or {}).values(), Decimal(0))
        forecast = (
            actual_forecast(total) if period.is_annual else straight_line_forecast(total, period.month, "")
        )
        return {"value": total, "reporting": None, "missing": None, "forecast": forecast}
