import pytest

from semicluster.intake.headers import locate_header, normalise_name
from semicluster.intake.reading import Sheet
from semicluster.intake.spec import ColumnSpec, DatasetSpec, Kind

from .builders import PERIOD_DATA


def header_of(rows, merged=(), spec=PERIOD_DATA):
    return locate_header(Sheet("s", [list(r) for r in rows], merged=list(merged)), spec)


@pytest.mark.parametrize(
    ("text", "full", "unit"),
    [
        ("营业收入（万元）", "营业收入", "万元"),
        ("＊营业收入 (亿元)", "营业收入", "亿元"),
        ("营业收入万元", "营业收入", "万元"),
        ("同比增长(%)", "同比增长", "%"),
        ("企业名称\n（全称）", "企业名称全称", None),
        ("【单位：千元】利润", "利润", "千元"),
        ("万元", "", "万元"),
        ("Revenue", "revenue", None),
        ("研发单元", "研发单元", None),  # 元 alone is not stripped from a word
        ("营业\x00收入(本期)", "营业收入本期", None),  # control characters are dropped (found by hypothesis)
    ],
)
def test_header_text_is_normalised(text, full, unit):
    name = normalise_name(text)
    assert (name.full, name.unit) == (full, unit)


def test_header_is_found_below_title_and_note_rows():
    header = header_of(
        [
            ["2025年重点企业情况表"],
            ["填报单位：", "", "填报日期："],
            [],
            ["统一社会信用代码", "企业名称", "统计期"],
            ["x", "y", "2025-06"],
        ]
    )
    assert (header.first_row, header.depth, header.data_start) == (3, 1, 4)
    assert set(header.columns) == {"credit_code", "name", "period"}


def test_merged_two_row_header_joins_group_and_sub_labels():
    rows = [
        ["信用代码", "企业名称", "月份", "营业收入（万元）", ""],
        ["", "", "", "本期", "同比（%）"],
        ["x", "y", "2025-06", 1, 2],
    ]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4)]
    header = header_of(rows, merges)
    assert header.depth == 2
    assert header.columns["revenue"].header == "营业收入（万元）|本期"
    assert header.columns["revenue"].unit == "万元"
    assert header.columns["revenue_yoy"].col == 4
    assert header.columns["revenue_yoy"].percent_points
    assert header.columns["name"].header == "企业名称"


def test_unmerged_two_row_header_as_csv_writes_it():
    rows = [
        ["信用代码", "企业名称", "月份", "营业收入", ""],
        ["", "", "", "本期", "同比"],
        ["x", "y", "2025-06", "1", "2"],
    ]
    header = header_of(rows)
    assert header.depth == 2
    assert header.columns["revenue"].col == 3
    assert header.columns["revenue_yoy"].col == 4


def test_drifting_column_names_are_matched_through_aliases():
    header = header_of([["社会信用代码", "单位名称", "期间", "主营业务收入", "职工人数"]])
    assert set(header.columns) == {"credit_code", "name", "period", "revenue", "employees"}


def test_unit_from_a_title_row_applies_to_money_columns_without_their_own():
    header = header_of([["单位：亿元"], ["信用代码", "企业名称", "月份", "营业收入", "利润总额（万元）"]])
    assert header.title_unit == "亿元"
    assert (header.columns["revenue"].unit, header.columns["revenue"].unit_source) == ("亿元", "title")
    assert (header.columns["profit"].unit, header.columns["profit"].unit_source) == ("万元", "header")


def test_a_unit_note_in_the_header_row_is_a_unit_not_an_unknown_column():
    header = header_of([["信用代码", "企业名称", "月份", "营业收入", "", "单位：万元"]])
    assert header.title_unit == "万元"
    assert header.unknown == []


def test_missing_unit_is_assumed_with_a_warning():
    header = header_of([["信用代码", "企业名称", "月份", "营业收入"]])
    assert header.columns["revenue"].unit == "万元"
    warnings = [p for p in header.problems if not p.is_error]
    assert any("未注明金额单位" in p.message for p in warnings)


def test_foreign_currency_is_an_error():
    header = header_of([["信用代码", "企业名称", "月份", "营业收入（万美元）"]])
    assert any(p.is_error and "美元" in p.message for p in header.problems)


def test_unknown_columns_are_warnings_and_missing_required_columns_are_errors():
    header = header_of([["序号", "企业名称", "法人代表", "营业收入（万元）"]])
    messages = [(p.is_error, p.message) for p in header.problems]
    assert (
        False,
        "「法人代表」不是本数据集的列，已忽略 / '法人代表' is not a column of this dataset; ignored",
    ) in messages
    assert any(err and "缺少必填列「统一社会信用代码」" in m for err, m in messages)
    assert not any("序号" in m for _err, m in messages)  # row counters are never noise
    assert header.missing_required == ["credit_code", "period"]


def test_two_columns_claiming_the_same_field_are_reported_as_ambiguous():
    header = header_of([["信用代码", "企业名称", "月份", "营收", "营业收入"]])
    assert "revenue" not in header.columns
    assert any("D、E列" in p.message for p in header.problems)


def test_period_can_come_from_the_title():
    header = header_of([["2025年1-6月主要经济指标"], ["信用代码", "企业名称", "营业收入（万元）"]])
    assert str(header.title_period) == "2025-06-01"
    assert "period" not in header.missing_required


def test_no_header_at_all():
    header = header_of([["a", "b"], [1, 2]])
    assert not header.found


def test_a_one_row_header_over_all_text_data_is_not_mistaken_for_two_rows():
    spec = DatasetSpec(
        "ent",
        "企业",
        "Enterprises",
        (ColumnSpec("name", "企业名称", "Name"), ColumnSpec("town", "区镇", "Town", Kind.TEXT)),
    )
    header = header_of([["企业名称", "区镇", ""], ["昆山甲", "玉山镇", "备注文字"]], spec=spec)
    assert (header.first_row, header.depth) == (0, 1)


def test_a_declaration_giving_one_header_to_two_columns_fails_loudly():
    columns = (
        ColumnSpec("a", "收入", "A", aliases=("营收",)),
        ColumnSpec("b", "营业收入", "B", aliases=("营 收",)),
    )
    with pytest.raises(ValueError, match="names both a and b"):
        DatasetSpec("bad", "坏", "Bad", columns)
