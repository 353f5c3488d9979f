"""The chart definition shared by the browser (ECharts) and print (matplotlib) renderers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

# ECharts' default palette, used by both renderers so a series has the same colour on screen and on paper.
PALETTE: tuple[str, ...] = (
    "#5470c6",
    "#91cc75",
    "#fac858",
    "#ee6666",
    "#73c0de",
    "#3ba272",
    "#fc8452",
    "#9a60b4",
    "#ea7ccc",
)


class ChartKind(StrEnum):
    BAR = "bar"
    LINE = "line"
    BAR_LINE = "bar_line"  # bars with one or more lines, e.g. 产值 (bars) and 增速 (line, right axis)
    STACKED_BAR = "stacked_bar"
    PIE = "pie"
    PROGRESS = "progress"  # gauge-like completion of goals, values in percent of target


SeriesType = Literal["bar", "line"]


def _to_decimal(value: object, where: str) -> Decimal | None:
    """Accept Decimal, int or None; refuse float so no binary rounding sneaks into reported figures."""
    if value is None or isinstance(value, Decimal):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"{where}：数值不是有限数 / not a finite number: {value}")
        return value
    if isinstance(value, bool):
        raise TypeError(f"{where}：不接受布尔值 / booleans are not values")
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(
        f"{where}：数值须为 Decimal、int 或 None，收到 {type(value).__name__} / "
        f"values must be Decimal, int or None, got {type(value).__name__}"
    )


@dataclass(frozen=True)
class Series:
    """One data series. ``values`` align with the chart's categories; None means "no data" (a gap)."""

    name: str
    values: tuple[Decimal | None, ...]
    unit: str = ""
    # Only meaningful for bar_line charts: how this series is drawn. Default: first series bars, rest lines.
    type: SeriesType | None = None
    # Draw against the right-hand axis (e.g. a growth rate in % beside amounts in 亿元).
    secondary_axis: bool = False

    def __post_init__(self) -> None:
        values = tuple(
            _to_decimal(v, f"系列“{self.name}”第{i + 1}个值 / series {self.name!r} value {i + 1}")
            for i, v in enumerate(self.values)
        )
        object.__setattr__(self, "values", values)
        if self.type not in (None, "bar", "line"):
            raise ValueError(f"系列类型无效 / invalid series type: {self.type!r}")


@dataclass(frozen=True)
class TargetLine:
    """A horizontal reference line, e.g. the annual target."""

    value: Decimal
    label: str = "目标"

    def __post_init__(self) -> None:
        value = _to_decimal(self.value, "目标线 / target line")
        if value is None:
            raise ValueError("目标线须有数值 / a target line needs a value")
        object.__setattr__(self, "value", value)


@dataclass(frozen=True)
class ChartSpec:
    """A chart, independent of how it is drawn. Frozen and hashable so rendered PNGs can be cached."""

    kind: ChartKind
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    y_unit: str = ""  # label of the (left) value axis, e.g. "亿元"
    y2_unit: str = ""  # label of the right axis when a series uses secondary_axis
    target: TargetLine | None = None
    show_values: bool = False  # print the value on each bar / point
    source: str = field(default="")  # 数据来源 note, printed under the chart in PNG output

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ChartKind(self.kind))
        object.__setattr__(self, "categories", tuple(str(c) for c in self.categories))
        object.__setattr__(self, "series", tuple(self.series))
        if not self.series:
            raise ValueError(f"图表“{self.title}”没有数据系列 / chart {self.title!r} has no series")
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"系列“{s.name}”有{len(s.values)}个值，但有{len(self.categories)}个类别 / "
                    f"series {s.name!r} has {len(s.values)} values for {len(self.categories)} categories"
                )
        if self.kind in (ChartKind.PIE, ChartKind.PROGRESS) and len(self.series) != 1:
            raise ValueError(
                f"{self.kind.value} 图只能有一个系列 / a {self.kind.value} chart takes exactly one series"
            )
        if self.kind is ChartKind.PIE and any(v is not None and v < 0 for v in self.series[0].values):
            raise ValueError("饼图不能有负值 / a pie chart cannot show negative values")

    def series_type(self, index: int) -> SeriesType:
        """How series ``index`` is drawn on an axis chart."""
        s = self.series[index]
        if self.kind is ChartKind.LINE:
            return "line"
        if self.kind is ChartKind.BAR_LINE:
            if s.type is not None:
                return s.type
            return "bar" if index == 0 else "line"
        return "bar"

    @property
    def has_secondary_axis(self) -> bool:
        return self.kind in (ChartKind.BAR, ChartKind.LINE, ChartKind.BAR_LINE) and any(
            s.secondary_axis for s in self.series
        )

    def texts(self) -> Iterator[str]:
        """Every string the chart may draw; used to check the font covers them all."""
        yield self.title
        yield from self.categories
        for s in self.series:
            yield s.name
            yield s.unit
        yield self.y_unit
        yield self.y2_unit
        yield self.source
        if self.target is not None:
            yield self.target.label
        # Digits, separators and signs used in value labels and ticks.
        yield "0123456789.,-%"


def chart(
    kind: ChartKind | str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    **options: object,
) -> ChartSpec:
    """Convenience constructor accepting lists."""
    return ChartSpec(
        kind=ChartKind(kind),
        title=title,
        categories=tuple(categories),
        series=tuple(series),
        **options,  # type: ignore[arg-type]
    )


def series(name: str, values: Sequence[Decimal | int | None], **options: object) -> Series:
    """Convenience constructor accepting a list of values."""
    return Series(name=name, values=tuple(values), **options)  # type: ignore[arg-type]


def chart_to_dict(spec: ChartSpec) -> dict[str, Any]:
    """JSON-ready form of ``spec`` (Decimals as strings, so nothing is rounded), for stored snapshots."""
    return {
        "kind": spec.kind.value,
        "title": spec.title,
        "categories": list(spec.categories),
        "series": [
            {
                "name": s.name,
                "values": [None if v is None else str(v) for v in s.values],
                "unit": s.unit,
                "type": s.type,
                "secondary_axis": s.secondary_axis,
            }
            for s in spec.series
        ],
        "y_unit": spec.y_unit,
        "y2_unit": spec.y2_unit,
        "target": None
        if spec.target is None
        else {"value": str(spec.target.value), "label": spec.target.label},
        "show_values": spec.show_values,
        "source": spec.source,
    }


def chart_from_dict(data: dict[str, Any]) -> ChartSpec:
    """Inverse of chart_to_dict."""
    target = data.get("target")
    return ChartSpec(
        kind=ChartKind(data["kind"]),
        title=data["title"],
        categories=tuple(data["categories"]),
        series=tuple(
            Series(
                name=s["name"],
                values=tuple(None if v is None else Decimal(v) for v in s["values"]),
                unit=s.get("unit", ""),
                type=s.get("type"),
                secondary_axis=s.get("secondary_axis", False),
            )
            for s in data["series"]
        ),
        y_unit=data.get("y_unit", ""),
        y2_unit=data.get("y2_unit", ""),
        target=None if target is None else TargetLine(Decimal(target["value"]), target.get("label", "目标")),
        show_values=data.get("show_values", False),
        source=data.get("source", ""),
    )
