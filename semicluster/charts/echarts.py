"""Build an ECharts option dict (JSON-serialisable) from a ChartSpec, for the browser.

Only data and declarative settings go in: no JavaScript functions, so the option can travel in a
``<script type="application/json">`` block under a CSP that forbids inline scripts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from semicluster.charts.spec import PALETTE, ChartKind, ChartSpec

# System font stack only: the intranet has no web fonts to download.
FONT_STACK = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Kurinto Sans SC", sans-serif'


def to_number(value: Decimal | None) -> int | float | None:
    """Decimal to a JSON number for display (ints stay exact); None stays null (a gap in the chart)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# Category axes show every label: ECharts' default (interval "auto") silently drops labels that would
# overlap, so a reader cannot tell which bar is which. Labels that would not fit side by side are
# turned instead. Widths are counted in half-em units (a Chinese character is 2, a Latin letter or
# digit 1); the budget is what a narrow chart (half a laptop screen, about 360 px) fits flat.
FLAT_LABELS_MAX = 8  # more categories than this are turned whatever their length
FLAT_WIDTH_BUDGET = 60  # half-em units, including a gap of 2 between labels
LONG_LABEL = 24  # half-em units; longer turned labels are cut with "…" (the tooltip has them whole)
LONG_LABEL_PX = 150


def label_width(text: str) -> int:
    """Width of ``text`` in half-em units: wide (CJK) characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def category_labels(categories: Sequence[str]) -> dict[str, Any]:
    """``axisLabel`` settings for a category axis: every label shown, turned when many or long."""
    label: dict[str, Any] = {"interval": 0}
    count = len(categories)
    widest = max((label_width(c) for c in categories), default=0)
    if count > FLAT_LABELS_MAX or count * (widest + 2) > FLAT_WIDTH_BUDGET:
        label["rotate"] = 30 if count <= 16 else 45 if count <= 32 else 90
        if widest > LONG_LABEL:
            label |= {"width": LONG_LABEL_PX, "overflow": "truncate", "ellipsis": "…"}
    return label


def category_axis(categories: Sequence[str]) -> dict[str, Any]:
    """A category axis whose labels all show (see :func:`category_labels`)."""
    return {"type": "category", "data": list(categories), "axisLabel": category_labels(categories)}


def _base(spec: ChartSpec) -> dict[str, Any]:
    return {
        "color": list(PALETTE),
        "textStyle": {"fontFamily": FONT_STACK},
        "aria": {"enabled": True},
        "title": {"text": spec.title, "left": "center"},
        "animation": False,
    }


def _axis_option(spec: ChartSpec) -> dict[str, Any]:
    option = _base(spec)
    option["tooltip"] = {"trigger": "axis"}
    # The legend sits at the bottom, on one line (scrolling when it is too long), so it never runs
    # into the title above or the axis labels (the grid keeps room for it).
    option["legend"] = {"type": "scroll", "data": [s.name for s in spec.series], "bottom": 0}
    option["grid"] = {"left": "3%", "right": "4%", "bottom": 40, "containLabel": True}
    option["xAxis"] = category_axis(spec.categories)
    y_axes: list[dict[str, Any]] = [{"type": "value", "name": spec.y_unit}]
    if spec.has_secondary_axis:
        y_axes.append({"type": "value", "name": spec.y2_unit, "splitLine": {"show": False}})
    option["yAxis"] = y_axes
    series: list[dict[str, Any]] = []
    for i, s in enumerate(spec.series):
        kind = spec.series_type(i)
        entry: dict[str, Any] = {
            "name": s.name,
            "type": kind,
            "data": [to_number(v) for v in s.values],
            "yAxisIndex": 1 if (s.secondary_axis and spec.has_secondary_axis) else 0,
        }
        if kind == "line":
            entry["connectNulls"] = False
        if spec.kind is ChartKind.STACKED_BAR:
            entry["stack"] = "total"
        if spec.show_values:
            entry["label"] = {"show": True, "position": "inside" if "stack" in entry else "top"}
        series.append(entry)
    if spec.target is not None:
        # A markLine does not stretch the axis: make room for the target, or a target above this
        # year's figures (the usual case before year end) would be drawn off the chart.
        primary = [
            float(v)
            for s in spec.series
            if not (s.secondary_axis and spec.has_secondary_axis)
            for v in s.values
            if v is not None
        ]
        target_value = float(spec.target.value)
        if not primary or target_value > max(primary):
            headroom = Decimal("1.1") if target_value > 0 else Decimal(1)
            y_axes[0]["max"] = to_number(spec.target.value * headroom)
        series[0]["markLine"] = {
            "symbol": "none",
            "lineStyle": {"type": "dashed", "color": "#c23531"},
            # Inside the plot: at the end of the line a label runs off the chart's right edge.
            "label": {"position": "insideEndTop", "formatter": f"{spec.target.label} {spec.target.value}"},
            "data": [{"yAxis": to_number(spec.target.value), "name": spec.target.label}],
        }
    option["series"] = series
    return option


def _pie_option(spec: ChartSpec) -> dict[str, Any]:
    option = _base(spec)
    s = spec.series[0]
    option["tooltip"] = {"trigger": "item"}
    option["legend"] = {"bottom": 0}
    option["series"] = [
        {
            "name": s.name,
            "type": "pie",
            "radius": ["35%", "65%"],
            "data": [
                {"name": c, "value": to_number(v)} for c, v in zip(spec.categories, s.values, strict=True)
            ],
            "label": {"formatter": "{b}\n{d}%"},
        }
    ]
    return option


def _progress_option(spec: ChartSpec) -> dict[str, Any]:
    option = _base(spec)
    s = spec.series[0]
    if len(spec.categories) == 1:
        # A single goal: a gauge with a progress arc, the usual cockpit widget.
        option["series"] = [
            {
                "name": s.name,
                "type": "gauge",
                "min": 0,
                "max": 100,
                "progress": {"show": True, "width": 14},
                "axisLine": {"lineStyle": {"width": 14}},
                "pointer": {"show": False},
                "detail": {"valueAnimation": False, "formatter": "{value}%"},
                "data": [{"name": spec.categories[0], "value": to_number(s.values[0])}],
            }
        ]
        return option
    # Several goals: horizontal bars against a 100% track, same as the printed version.
    option["tooltip"] = {"trigger": "axis"}
    option["grid"] = {"left": "3%", "right": "8%", "containLabel": True}
    top = max([100] + [to_number(v) or 0 for v in s.values])
    option["xAxis"] = {"type": "value", "max": top, "name": spec.y_unit or "%"}
    option["yAxis"] = {
        "type": "category",
        "data": list(spec.categories),
        "inverse": True,
        "axisLabel": {"interval": 0},
    }
    option["series"] = [
        {
            "name": s.name,
            "type": "bar",
            "showBackground": True,
            "label": {"show": True, "position": "right", "formatter": "{c}%"},
            "data": [to_number(v) for v in s.values],
        }
    ]
    return option


def to_echarts_option(spec: ChartSpec) -> dict[str, Any]:
    """The ECharts option for ``spec``; ``json.dumps`` accepts it as is."""
    if spec.kind is ChartKind.PIE:
        return _pie_option(spec)
    if spec.kind is ChartKind.PROGRESS:
        return _progress_option(spec)
    return _axis_option(spec)
