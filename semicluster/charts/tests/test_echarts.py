import json
from decimal import Decimal

from semicluster.charts.echarts import category_labels, label_width, to_echarts_option, to_number
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


def test_every_category_label_shows_and_few_short_labels_stay_flat():
    option = to_echarts_option(BAR_LINE)
    assert option["xAxis"]["axisLabel"] == {"interval": 0}


def test_many_categories_are_turned_so_none_is_dropped():
    months = tuple(f"{m}月" for m in range(1, 13))
    spec = ChartSpec(ChartKind.LINE, "趋势", months, (Series("累计", tuple(range(12))),))
    label = to_echarts_option(spec)["xAxis"]["axisLabel"]
    assert label["interval"] == 0 and label["rotate"] == 30


def test_a_few_long_chinese_names_are_turned_too():
    segments = ("芯片设计", "晶圆制造与器件", "封装测试", "专用设备及零部件", "半导体材料")
    spec = ChartSpec(ChartKind.BAR, "按产业链环节", segments, (Series("产业规模", (1, 2, 3, 4, 5)),))
    label = to_echarts_option(spec)["xAxis"]["axisLabel"]
    assert label["interval"] == 0 and label["rotate"] == 30
    assert label_width("专用设备及零部件") == 16 and label_width("2024") == 4


def test_very_long_turned_labels_are_cut_and_crowds_turn_further():
    names = tuple(f"昆山示例半导体科技股份有限公司第{n}分公司" for n in range(40))
    label = category_labels(names)
    assert label["rotate"] == 90 and label["overflow"] == "truncate" and label["width"] > 0


def test_the_progress_bars_show_every_goal_name():
    many = ChartSpec(ChartKind.PROGRESS, "进度", ("a", "b", "c"), (Series("完成率", (1, 2, 3)),))
    assert to_echarts_option(many)["yAxis"]["axisLabel"]["interval"] == 0


def test_the_legend_sits_at_the_bottom_clear_of_the_title_and_the_target_label_inside_the_plot():
    option = to_echarts_option(BAR_LINE)
    assert option["legend"]["bottom"] == 0 and "top" not in option["legend"]
    assert option["grid"]["bottom"] >= 30 and option["grid"]["containLabel"] is True
    assert option["series"][0]["markLine"]["label"]["position"] == "insideEndTop"
