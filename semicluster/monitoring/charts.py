"""Cockpit charts as ChartSpecs: the browser renders them with ECharts (to_echarts_option) and the
report generator can render the same specs to PNG (semicluster.charts.render.render_png)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from semicluster.charts import ChartKind, ChartSpec, Series, TargetLine
from semicluster.core.formatting import month_label, to_yi
from semicluster.monitoring.models import IndicatorValue
from semicluster.monitoring.selectors import GoalPanel


def _amount(value: Decimal | None, unit: str) -> Decimal | None:
    if value is None:
        return None
    return to_yi(value) if unit == "yuan" else value.normalize()


def axis_unit(unit: str) -> str:
    return {
        "yuan": _("100m yuan (亿元)"),
        "enterprises": pgettext("count of enterprises", "firms"),
        "projects": pgettext("count of projects", "projects"),
    }.get(unit, unit)


def trend_chart(panel: GoalPanel, year: int) -> ChartSpec:
    """Monthly year-to-date figure this year against last year, with the annual target."""
    unit = panel.goal.unit
    months = range(1, 13)
    target = _amount(panel.goal.target, unit)
    return ChartSpec(
        kind=ChartKind.LINE,
        title=panel.goal.display_name,
        categories=tuple(month_label(m) for m in months),
        series=(
            Series(
                _("%(year)s year to date") % {"year": year},
                tuple(_amount(getattr(panel.this_year.get(m), "value", None), unit) for m in months),
            ),
            Series(
                _("%(year)s year to date") % {"year": year - 1},
                tuple(_amount(getattr(panel.last_year.get(m), "value", None), unit) for m in months),
            ),
        ),
        y_unit=axis_unit(unit),
        target=None if target is None else TargetLine(target, _("target")),
    )


def breakdown_chart(
    panel: GoalPanel, rows: list[IndicatorValue], labels: dict[str, str], title: str
) -> ChartSpec:
    unit = panel.goal.unit
    return ChartSpec(
        kind=ChartKind.BAR,
        title=title,
        categories=tuple(labels.get(r.scope_key, r.scope_key) for r in rows),
        series=(Series(panel.goal.display_name, tuple(_amount(r.value, unit) for r in rows)),),
        y_unit=axis_unit(unit),
        show_values=True,
    )


def progress_chart(panels: list[GoalPanel]) -> ChartSpec:
    return ChartSpec(
        kind=ChartKind.PROGRESS,
        title=_("Progress to target (%)"),
        categories=tuple(p.goal.display_name for p in panels),
        series=(
            Series(
                pgettext("toward target", "progress"),
                tuple(
                    p.current.progress if p.current and p.current.progress is not None else None
                    for p in panels
                ),
            ),
        ),
        y_unit="%",
    )
