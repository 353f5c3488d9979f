from decimal import Decimal

import pytest

from semicluster.charts.spec import ChartKind, ChartSpec, Series, TargetLine


def test_ints_become_decimals_and_none_stays_a_gap():
    s = Series("产值", (1, Decimal("2.5"), None))
    assert s.values == (Decimal(1), Decimal("2.5"), None)


def test_float_values_are_refused_so_money_stays_exact():
    with pytest.raises(TypeError, match="Decimal"):
        Series("产值", (1.5,))  # type: ignore[arg-type]


def test_series_length_must_match_categories():
    with pytest.raises(ValueError, match="2个值"):
        ChartSpec(ChartKind.BAR, "图", ("甲", "乙", "丙"), (Series("a", (1, 2)),))


def test_pie_takes_exactly_one_series_and_no_negative_values():
    with pytest.raises(ValueError, match="exactly one series"):
        ChartSpec(ChartKind.PIE, "图", ("甲",), (Series("a", (1,)), Series("b", (2,))))
    with pytest.raises(ValueError, match="negative"):
        ChartSpec(ChartKind.PIE, "图", ("甲", "乙"), (Series("a", (1, -2)),))


def test_bar_line_draws_first_series_as_bars_and_the_rest_as_lines_unless_told():
    spec = ChartSpec(
        "bar_line",  # type: ignore[arg-type]
        "产值与增速",
        ("1月", "2月"),
        (Series("产值", (1, 2)), Series("增速", (3, 4)), Series("目标产值", (5, 6), type="bar")),
    )
    assert spec.kind is ChartKind.BAR_LINE
    assert [spec.series_type(i) for i in range(3)] == ["bar", "line", "bar"]


def test_spec_is_hashable_so_renders_can_be_cached():
    a = ChartSpec(ChartKind.BAR, "图", ["甲"], [Series("a", [1])], target=TargetLine(Decimal(1)))
    b = ChartSpec(ChartKind.BAR, "图", ("甲",), (Series("a", (1,)),), target=TargetLine(Decimal(1)))
    assert a == b and hash(a) == hash(b)


def test_texts_lists_every_label_the_chart_draws():
    spec = ChartSpec(
        ChartKind.BAR, "标题", ("类别",), (Series("系列", (1,), unit="亿元"),), y_unit="轴", source="来源"
    )
    assert {"标题", "类别", "系列", "亿元", "轴", "来源"} <= set(spec.texts())
