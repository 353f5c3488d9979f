"""Chart options for the enterprise page (ECharts options built on the server, rendered by charts.js)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from semicluster.core.formatting import to_wan
from semicluster.enterprises.models import Measure
from semicluster.enterprises.selectors import PeriodTable

MONEY_SERIES = (Measure.REVENUE, Measure.OUTPUT, Measure.PROFIT, Measure.RD)


def _num(value: Decimal | None) -> float | None:
    # Chart coordinates only: stored and displayed figures stay Decimal.
    return None if value is None else float(to_wan(value) or 0)


def annual_chart(table: PeriodTable) -> dict[str, Any]:
    labels = dict(Measure.choices)
    return {
        "title": {"text": _("Annual figures (10k yuan)"), "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 24},
        "grid": {"top": 60, "left": 70, "right": 20, "bottom": 30},
        "xAxis": {"type": "category", "data": [str(y) for y in table.annual_years]},
        "yAxis": {"type": "value", "name": _("10k yuan")},
        "series": [
            {
                "name": str(labels[m]),
                "type": "bar" if m == Measure.REVENUE else "line",
                "data": [_num(table.annual.get(m, {}).get(y)) for y in table.annual_years],
            }
            for m in MONEY_SERIES
            if m in table.annual
        ],
    }


def monthly_chart(table: PeriodTable) -> dict[str, Any]:
    labels = dict(Measure.choices)
    months = table.months
    series = []
    for measure in (Measure.REVENUE, Measure.OUTPUT):
        if measure not in table.monthly_ytd:
            continue
        series.append(
            {
                "name": f"{labels[measure]} · {_('year to date')}",
                "type": "line",
                "data": [_num(table.monthly_ytd[measure].get(m)) for m in months],
            }
        )
        series.append(
            {
                "name": f"{labels[measure]} · {_('single month')}",
                "type": "bar",
                "data": [_num(table.monthly_single[measure].get(m)) for m in months],
            }
        )
    return {
        "title": {
            "text": _("%(year)s monthly (10k yuan)") % {"year": table.monthly_year},
            "textStyle": {"fontSize": 13},
        },
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 24},
        "grid": {"top": 60, "left": 70, "right": 20, "bottom": 30},
        "xAxis": {"type": "category", "data": [_("%(m)s月") % {"m": m} for m in months]},
        "yAxis": {"type": "value", "name": _("10k yuan")},
        "series": series,
    }
