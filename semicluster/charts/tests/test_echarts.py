import json
from decimal import Decimal

from semicluster.charts.echarts import to_echarts_option, to_number
from semicluster.charts.spec import ChartKind, ChartSpec, Series, TargetLine

BAR_LINE = ChartSpec(
    ChartKind.BAR_LINE,
    "产值与增速",
    ("1月", "2月", "3月"),
    (
        Series("产值", (Decimal("10.50"), Decimal(20), None), unit="亿元"),
        Series("同比增长", (Decimal("5.5"), Decimal("-2.1"), Decimal(8)), unit="%", secondary_axis=True),
    ),
    y_unit="亿元",
    y2_unit="%",
    target=TargetLine(Decimal(15), "目标"),
)


def test_decimals_become_json_numbers_and_none_becomes_null():
    assert to_number(Decimal("10.50")) == 10.5
    assert to_number(Decimal("20.00")) == 20 and isinstance(to_number(Decimal("20.00")), int)
    assert to_number(None) is None


def test_option_is_json_serialisable_and_carries_the_series_values():
    option = to_echarts_option(BAR_LINE)
    text = json.dumps(option, ensure_ascii=False)
    assert "产值与增速" in text
    bars, line = option["series"]
    assert bars == {**bars, "type": "bar", "data": [10.5, 20, None], "yAxisIndex": 0}
    assert line["type"] == "line" and line["data"] == [5.5, -2.1, 8] and line["yAxisIndex"] == 1
    assert [axis["name"] for axis in option["yAxis"]] == ["亿元", "%"]
    assert option["xAxis"]["data"] == ["1月", "2月", "3月"]
    assert bars["markLine"]["data"] == [{"yAxis": 15, "name": "目标"}]


def test_stacked_bars_share_a_stack():
    spec = ChartSpec(ChartKind.STACKED_BAR, "结构", ("a", "b"), (Series("x", (1, 2)), Series("y", (3, None))))
    option = to_echarts_option(spec)
    assert {s["stack"] for s in option["series"]} == {"total"}
    assert option["series"][1]["data"] == [3, None]


def test_pie_pairs_each_category_with_its_value():
    spec = ChartSpec(ChartKind.PIE, "分布", ("设计", "制造"), (Series("企业数", (10, 5)),))
    (pie,) = to_echarts_option(spec)["series"]
    assert pie["type"] == "pie"
    assert pie["data"] == [{"name": "设计", "value": 10}, {"name": "制造", "value": 5}]


def test_single_goal_progress_is_a_gauge_and_several_are_bars_on_a_track():
    one = ChartSpec(ChartKind.PROGRESS, "进度", ("产业规模",), (Series("完成率", (Decimal("85.3"),)),))
    (gauge,) = to_echarts_option(one)["series"]
    assert gauge["type"] == "gauge" and gauge["data"] == [{"name": "产业规模", "value": 85.3}]
    many = ChartSpec(ChartKind.PROGRESS, "进度", ("a", "b"), (Series("完成率", (Decimal(50), Decimal(130))),))
    option = to_echarts_option(many)
    assert option["series"][0]["type"] == "bar" and option["series"][0]["data"] == [50, 130]
    assert option["xAxis"]["max"] == 130  # an over-achieved goal is not cut off
