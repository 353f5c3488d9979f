"""Chart options for the enterprise page: ChartSpecs drawn by the shared builder
(``semicluster.charts.to_echarts_option``: title on top, legend at the bottom, every category label
shown), rendered in the browser by charts.js."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from semicluster.charts import ChartKind, ChartSpec, Series, to_echarts_option
from semicluster.core.formatting import month_label, to_wan
from semicluster.enterprises.models import Measure
from semicluster.enterprises.selectors import PeriodTable

MONEY_SERIES = (Measure.REVENUE, Measure.OUTPUT, Measure.PROFIT, Measure.RD)


def annual_chart_spec(table: PeriodTable) -> ChartSpec:
    labels = dict(Measure.choices)
    years = table.annual_years
    return ChartSpec(
        kind=ChartKind.BAR_LINE,
        title=_("Annual figures (10k yuan)"),
        categories=tuple(str(y) for y in years),
        series=tuple(
            Series(
                str(labels[m]),
                tuple(to_wan(table.annual.get(m, {}).get(y)) for y in years),
                type="bar" if m == Measure.REVENUE else "line",
            )
            for m in MONEY_SERIES
            if m in table.annual
        )
        or (Series(str(labels[Measure.REVENUE]), tuple(None for _y in years)),),
        y_unit=_("10k yuan"),
    )


def monthly_chart_spec(table: PeriodTable) -> ChartSpec:
    """Revenue and output value this year: the year-to-date line and the single-month bars."""
    labels = dict(Measure.choices)
    months = table.months
    series = []
    for measure in (Measure.REVENUE, Measure.OUTPUT):
        if measure not in table.monthly_ytd:
            continue
        name = str(labels[measure])
        series.append(
            Series(
                _("%(measure)s, year to date") % {"measure": name},
                tuple(to_wan(table.monthly_ytd[measure].get(m)) for m in months),
                type="line",
            )
        )
        series.append(
            Series(
                _("%(measure)s, single month") % {"measure": name},
                tuple(to_wan(table.monthly_single[measure].get(m)) for m in months),
                type="bar",
            )
        )
    return ChartSpec(
        kind=ChartKind.BAR_LINE,
        title=_("%(year)s monthly (10k yuan)") % {"year": table.monthly_year},
        categories=tuple(month_label(m) for m in months),
        series=tuple(series) or (Series(str(labels[Measure.REVENUE]), tuple(None for _m in months)),),
        y_unit=_("10k yuan"),
    )


def annual_chart(table: PeriodTable) -> dict[str, Any]:
    return to_echarts_option(annual_chart_spec(table))


def monthly_chart(table: PeriodTable) -> dict[str, Any]:
    return to_echarts_option(monthly_chart_spec(table))
