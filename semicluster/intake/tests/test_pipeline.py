"""Each messy pattern of real government workbooks, one at a time, then all together in every format."""

import datetime as dt
from decimal import Decimal

import pytest

from semicluster.intake.pipeline import parse_upload
from semicluster.intake.problems import msg
from semicluster.intake.spec import ColumnSpec, DatasetSpec, Kind

from .builders import (
    CODE_A,
    CODE_B,
    CODE_C,
    CODE_LISTS,
    HEADER,
    PERIOD_DATA,
    csv_bytes,
    xls_bytes,
    xlsx_bytes,
)

JUNE = dt.date(2025, 6, 1)


def parse(rows, name="a.xlsx", **kw):
    data = xlsx_bytes(rows, **kw) if name.endswith(".xlsx") else csv_bytes(rows)
    return parse_upload(name, data, PERIOD_DATA, code_lists=CODE_LISTS)


def row(code=CODE_A, name="昆山甲", town="玉山镇", period="2025-06", revenue=100, staff=10):
    return [1, code, name, town, period, revenue, staff]


def only_row(result):
    assert len(result.rows) == 1, result.rows
    return result.rows[0]


def test_a_clean_template_shaped_file_imports_without_problems():
    result = parse([HEADER, row()])
    parsed = only_row(result)
    assert parsed.ok and not parsed.problems
    assert parsed.values["revenue"] == Decimal("1000000")
    assert parsed.values["town"] == "320583101"
    assert parsed.values["profit"] is None  # a column that is not in the file is missing, not 0
    assert result.header_map["revenue"] == "营业收入（万元）"
    assert not result.has_errors


def test_title_and_note_rows_above_the_header():
    result = parse(
        [["昆山市重点企业月报"], ["填报单位：玉山镇", "", "", "报送日期：2025-07-05"], HEADER, row()]
    )
    assert only_row(result).row_number == 4


def test_merged_two_row_header():
    top = ["序号", "统一社会信用代码", "企业名称", "所在区镇", "统计期", "营业收入（万元）", ""]
    sub = ["", "", "", "", "", "本期", "同比（%）"]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:G1"]
    result = parse([top, sub, [1, CODE_A, "甲", "玉山镇", "2025-06", 100, 12.5]], merges=merges)
    values = only_row(result).values
    assert values["revenue"] == Decimal("1000000")
    assert values["revenue_yoy"] == Decimal("0.125")
    assert result.header_map["revenue_yoy"] == "营业收入（万元）|同比（%）"


def test_drifting_column_names():
    result = parse(
        [
            ["信用代码", "单位名称", "区镇", "月份", "主营业务收入(万元)", "职工人数"],
            [CODE_A, "甲", "巴城镇", "2025-06", 5, 3],
        ]
    )
    assert only_row(result).values["employees"] == 3


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["单位：亿元"], ["信用代码", "企业名称", "统计期", "营业收入"], [CODE_A, "甲", "2025-06", 1.5]],
            Decimal("150000000"),
        ),
        (
            [["信用代码", "企业名称", "统计期", "营业收入(元)"], [CODE_A, "甲", "2025-06", 1.5]],
            Decimal("1.5"),
        ),
        (
            [["信用代码", "企业名称", "统计期", "营业收入(千元)"], [CODE_A, "甲", "2025-06", "1,500"]],
            Decimal("1500000"),
        ),
    ],
)
def test_units_in_title_or_header(rows, expected):
    result = parse(rows)
    assert only_row(result).values["revenue"] == expected
    assert result.units["revenue"][0] in ("亿元", "元", "千元")


def test_full_width_digits_punctuation_and_thousands_separators():
    result = parse([HEADER, row(revenue="１，２３４．５", staff="１２０")])
    assert only_row(result).values["revenue"] == Decimal("12345000")
    assert only_row(result).values["employees"] == 120


@pytest.mark.parametrize("marker", ["—", "/", "无", "", "-"])
def test_missing_markers_are_missing_and_zero_is_zero(marker):
    result = parse([HEADER, row(revenue=marker), row(code=CODE_B, revenue=0)])
    assert [r.values["revenue"] for r in result.rows] == [None, Decimal(0)]
    assert all(r.ok for r in result.rows)


def test_excel_error_values_are_row_problems():
    result = parse([HEADER, row(), row(code=CODE_B)], errors={"F2": "#DIV/0!", "G3": "#N/A"})
    first, second = result.rows
    assert [p.column_label for p in first.problems] == ["营业收入（万元）"]
    assert "#DIV/0!" in first.problems[0].message
    assert "#N/A" in second.problems[0].message


def test_blank_rows_are_skipped_and_counted():
    result = parse([HEADER, row(), [], ["", "  ", None], [7, "", "", "", "", "", ""], row(code=CODE_B)])
    assert [r.row_number for r in result.rows] == [2, 6]
    assert result.blank_rows == 3  # a pre-numbered template row with nothing else is blank too


@pytest.mark.parametrize("label", ["合计", "合  计", "小计", "总计", "玉山镇小计", "全市合计"])
def test_total_rows_are_recognised_and_not_imported(label):
    result = parse([HEADER, row(), [label, "", "", "", "", 100, 10], ["", label, "", "", "", 100, 10]])
    assert len(result.rows) == 1
    assert [(s.row_number, s.reason) for s in result.skipped] == [(3, "total"), (4, "total")]
    assert result.skipped_totals == 2
    assert "未导入" in result.skipped[0].describe()


def test_footnotes_are_skipped():
    result = parse([HEADER, row(), ["注：本表数据为快报数"], ["填表人：张三"]])
    assert [s.reason for s in result.skipped] == ["note", "note"]


@pytest.mark.parametrize(
    "period", [45838, "2025年6月", "2025-06", "2025.06", dt.date(2025, 6, 30), "2025年1-6月"]
)
def test_period_spellings(period):
    assert only_row(parse([HEADER, row(period=period)])).values["period"] == JUNE


def test_period_taken_from_the_title_when_the_column_is_absent():
    result = parse(
        [["2025年1-6月重点企业指标"], ["信用代码", "企业名称", "营业收入（万元）"], [CODE_A, "甲", 1]]
    )
    assert only_row(result).values["period"] == JUNE
    assert any("按标题取为 2025年6月" in p.message for p in result.problems)


def test_bad_cells_are_reported_with_sheet_row_and_column():
    result = parse([HEADER, row(town="火星镇", revenue="约100", period="六月")])
    problems = only_row(result).problems
    assert [(p.sheet, p.row, p.column_label) for p in problems] == [
        ("数据", 2, "所在区镇"),
        ("数据", 2, "统计期"),
        ("数据", 2, "营业收入（万元）"),
    ]
    assert str(problems[0]).startswith("工作表「数据」第2行「所在区镇」列：")


def test_required_values_left_empty_are_errors():
    problems = only_row(parse([HEADER, row(name="")])).problems
    assert [p.message for p in problems] == [
        msg("必填项「企业名称」为空", "required value 'Enterprise name' is empty")
    ]


def test_duplicate_natural_keys_in_one_file_point_at_the_first_row():
    result = parse([HEADER, row(), row(code=CODE_B), row(name="甲（重复）")])
    assert [r.ok for r in result.rows] == [True, True, False]
    assert "与第2行重复" in result.rows[2].problems[0].message


def test_the_row_validator_of_the_dataset_runs_on_every_row():
    result = parse([["信用代码", "企业名称", "统计期", "利润总额（万元）"], [CODE_A, "甲", "2025-06", 5]])
    assert "填了利润却没有营业收入" in only_row(result).problems[0].message


def test_missing_header_is_one_clear_problem_and_no_rows():
    result = parse([["随便", "什么"], [1, 2]])
    assert result.rows == []
    assert "找不到表头" in result.problems[0].message


def test_missing_required_column_stops_the_sheet_with_a_clear_problem():
    result = parse([["企业名称", "统计期", "营业收入"], ["甲", "2025-06", 1]])
    assert result.rows == []
    assert any("缺少必填列「统一社会信用代码」" in p.message for p in result.problems)


def test_every_sheet_with_the_dataset_header_is_read_and_hidden_or_foreign_sheets_are_not():
    data = xlsx_bytes(
        [HEADER, row()], extra_sheets={"巴城镇": [["说明"], HEADER, row(code=CODE_B)], "备注": [["无关"]]}
    )
    result = parse_upload("a.xlsx", data, PERIOD_DATA, code_lists=CODE_LISTS)
    assert [(r.sheet, r.row_number) for r in result.rows] == [("数据", 2), ("巴城镇", 3)]


def test_code_lists_must_be_supplied_by_the_caller():
    with pytest.raises(ValueError, match="towns"):
        parse_upload("a.csv", csv_bytes([HEADER]), PERIOD_DATA, code_lists={})


def test_a_new_dataset_is_only_a_new_declaration():
    progress = DatasetSpec(
        "project_progress",
        "项目进度",
        "Project progress",
        (
            ColumnSpec("project", "项目名称", "Project", required=True),
            ColumnSpec("invested", "累计完成投资", "Invested to date", Kind.MONEY, aliases=("完成投资",)),
            ColumnSpec("started", "是否开工", "Started", Kind.BOOL),
        ),
        natural_key=("project",),
    )
    data = xlsx_bytes([["单位：亿元"], ["项目名称", "完成投资", "是否开工"], ["12英寸晶圆线", 3.2, "是"]])
    parsed = only_row(parse_upload("p.xlsx", data, progress))
    assert parsed.values == {"project": "12英寸晶圆线", "invested": Decimal("320000000"), "started": True}


# --- all the patterns together, in every format --------------------------------------------------------

MESSY_TOP = [
    ["2025年1-6月昆山市半导体重点企业主要经济指标", "", "", "", "", "", "", ""],
    ["填报单位：昆山市工业和信息化局", "", "", "", "", "", "单位：万元", ""],
    ["序号", "企业名称", "社会信用代码", "区镇", "营业收入", "", "从业人数", "成立日期"],
    ["", "", "", "", "本期", "同比(%)", "", ""],
]
MESSY_BODY = [
    [1, "昆山甲半导体有限公司", CODE_A, "玉山镇", "１,２３４.５", "12.5%", "120", "2010年3月8日"],
    ["", "", "", "", "", "", "", ""],
    [2, "昆山乙微电子有限公司", CODE_B, "巴城镇", 88, "—", 35, dt.date(2018, 1, 2)],
    [3, "昆山丙科技有限公司", CODE_C, "火星镇", "#DIV/0!", 3, 12.5, "2019/7/1"],
    ["小计", "", "", "", 1322.5, "", 167, ""],
    ["注：同比为与上年同期相比", "", "", "", "", "", "", ""],
]
MESSY_MERGES_XLSX = ["A1:H1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:G4", "H3:H4"]
MESSY_MERGES_XLS = [(0, 0, 0, 7), (2, 3, 0, 0), (2, 3, 1, 1), (2, 3, 2, 2), (2, 3, 3, 3), (2, 2, 4, 5)]


def messy_file(fmt):
    rows = MESSY_TOP + MESSY_BODY
    if fmt == "xlsx":
        return "报表.xlsx", xlsx_bytes(rows, merges=MESSY_MERGES_XLSX)
    if fmt == "xls":
        return "报表.xls", xls_bytes(rows, merges=MESSY_MERGES_XLS)
    return "报表.csv", csv_bytes(rows, encoding=fmt)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_all_messy_patterns_together_in_every_format(fmt):
    name, data = messy_file(fmt)
    result = parse_upload(name, data, PERIOD_DATA, code_lists=CODE_LISTS)
    assert [r.row_number for r in result.rows] == [5, 7, 8]
    first, second, third = result.rows
    assert first.ok and second.ok and not third.ok
    assert first.values["revenue"] == Decimal("12345000")
    assert first.values["revenue_yoy"] == Decimal("0.125")
    assert first.values["period"] == JUNE  # from the title
    assert first.values["founded"] == dt.date(2010, 3, 8)
    assert second.values["revenue"] == Decimal("880000")
    assert second.values["revenue_yoy"] is None
    assert second.values["founded"] == dt.date(2018, 1, 2)
    assert third.values["revenue_yoy"] == Decimal("0.03")
    assert {p.column_key for p in third.problems} == {"town", "revenue", "employees"}
    assert [(s.row_number, s.reason) for s in result.skipped] == [(9, "total"), (10, "note")]
    assert result.blank_rows == 1
    assert result.detected_unit == "万元"
    assert result.units["revenue"] == ("万元", "title")
    if fmt not in ("xlsx", "xls"):
        # GB18030 is a superset of GBK: text within GBK gives identical bytes and is named gbk.
        assert result.encoding == {"gb18030": "gbk"}.get(fmt, fmt)


def test_a_validator_may_raise_warnings_that_do_not_block_the_row():
    def staff_check(values):
        if (values.get("employees") or 0) > 10_000:
            yield (
                "employees",
                msg("从业人员超过一万，请核实", "more than 10,000 employees; please check"),
                "warning",
            )

    spec = DatasetSpec(
        "p", "项目", "P", PERIOD_DATA.columns, PERIOD_DATA.natural_key, row_validator=staff_check
    )
    result = parse_upload("a.xlsx", xlsx_bytes([HEADER, row(staff=20_000)]), spec, code_lists=CODE_LISTS)
    parsed = only_row(result)
    assert parsed.ok
    assert [(p.severity, p.column_label) for p in parsed.problems] == [("warning", "从业人员")]


def test_file_level_errors_are_separate_from_row_errors():
    result = parse([["信用代码", "企业名称", "统计期", "营收", "营业收入"], [CODE_A, "甲", "2025-06", 1, 2]])
    assert only_row(result).ok
    assert result.has_errors and [p.column_label for p in result.file_errors] == ["营业收入"]
