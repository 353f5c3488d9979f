import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from semicluster.intake.cells import CodeLookup, make_parser, month_of, parse_number_text
from semicluster.intake.spec import ColumnSpec, Kind

MONEY = ColumnSpec("revenue", "营业收入", "Revenue", Kind.MONEY, min_value=Decimal(0))
PROFIT = ColumnSpec("profit", "利润", "Profit", Kind.MONEY)
PERCENT = ColumnSpec("yoy", "同比", "Growth", Kind.PERCENT)
INT = ColumnSpec("staff", "从业人员", "Staff", Kind.INT)
DATE = ColumnSpec("founded", "成立日期", "Founded", Kind.DATE)
MONTH = ColumnSpec("period", "统计期", "Period", Kind.MONTH)
BOOL = ColumnSpec("listed", "是否上市", "Listed", Kind.BOOL)
TEXT = ColumnSpec("name", "企业名称", "Name", max_length=10)
CODE = ColumnSpec("code", "信用代码", "Code", Kind.CODE)
TOWN = ColumnSpec("town", "区镇", "Town", Kind.CODE, code_list="towns")
TOWNS = CodeLookup("towns", [("320583101", "玉山镇"), ("320583102", "巴城镇")])


def value(column, raw, **kw):
    parsed, problem = make_parser(column, **kw)(raw)
    assert problem is None, problem
    return parsed


def problem(column, raw, **kw):
    parsed, message = make_parser(column, **kw)(raw)
    assert parsed is None
    assert message, f"{raw!r} should be a problem"
    assert " / " in message  # Chinese / English
    return message


@pytest.mark.parametrize("raw", ["", "  ", "—", "——", "-", "/", "无", "／", "N/A", None])
def test_missing_markers_read_as_missing_not_zero(raw):
    assert value(MONEY, raw) is None
    assert value(PERCENT, raw) is None
    assert value(TEXT, raw) is None


def test_zero_stays_zero():
    assert value(MONEY, 0.0, unit="万元") == Decimal(0)
    assert value(MONEY, "0", unit="万元") == Decimal(0)


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (1234.5, "万元", Decimal("12345000")),
        ("１,２３４.５", "万元", Decimal("12345000")),
        ("1,234,567.89", "元", Decimal("1234567.89")),
        (0.55, "亿元", Decimal("55000000")),
        ("1.2亿", "万元", Decimal("120000000")),  # a unit written in the cell wins over the column's
        ("3500万元", "元", Decimal("35000000")),
        ("¥1,000", "元", Decimal("1000")),
        (0.1 + 0.2, "元", Decimal("0.3")),  # as Excel shows it, not the binary float
        ("1.5E+3", "元", Decimal("1500")),
        (12, "千元", Decimal("12000")),
    ],
)
def test_money_is_exact_decimal_yuan_after_scaling(raw, unit, expected):
    result = value(MONEY, raw, unit=unit)
    assert isinstance(result, Decimal)
    assert result == expected


def test_money_uses_the_column_default_unit_when_none_is_given():
    assert value(MONEY, 2.0) == Decimal("20000")  # default 万元


def test_negative_amount_is_refused_when_the_column_forbids_it():
    assert "不能为负数" in problem(MONEY, "-5")
    assert value(PROFIT, "-5", unit="万元") == Decimal("-50000")


@pytest.mark.parametrize("raw", ["abc", "12,34", "1.2.3", "12元5", "%", "1e999999"])
def test_text_that_is_not_a_number_is_a_problem(raw):
    problem(MONEY, raw)


def test_implausibly_large_numbers_are_a_problem_not_a_crash():
    assert "过大" in problem(MONEY, 1e300)
    assert "过大" in problem(MONEY, "9" * 40)
    problem(MONEY, float("nan"))
    problem(MONEY, float("inf"))


@pytest.mark.parametrize("code", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", " #n/a "])
def test_excel_error_text_is_a_problem(code):
    assert "Excel 错误值" in problem(MONEY, code)
    assert "Excel 错误值" in problem(TEXT, code)


@pytest.mark.parametrize(
    ("raw", "points", "expected"),
    [
        ("12.5%", False, Decimal("0.125")),
        ("１２．５％", False, Decimal("0.125")),
        (0.125, False, Decimal("0.125")),  # an Excel percent-formatted cell holds the ratio
        (12.5, True, Decimal("0.125")),  # header says (%): the number is in percent
        ("-3‰", False, Decimal("-0.003")),
    ],
)
def test_percentages_become_ratios(raw, points, expected):
    assert value(PERCENT, raw, percent_points=points) == expected


def test_integers_refuse_fractions():
    assert value(INT, 120.0) == 120
    assert value(INT, "1,200") == 1200
    assert "整数" in problem(INT, 12.5)


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2025, 6, 30),
        dt.datetime(2025, 6, 30, 14, 5),
        45838.0,  # Excel serial
        45838,
        "2025-06-30",
        "2025/6/30",
        "2025.6.30",
        "2025年6月30日",
        "２０２５－０６－３０",
        "20250630",
        20250630,
        "2025-06-30 00:00:00",
    ],
)
def test_dates_in_every_usual_spelling(raw):
    assert value(DATE, raw) == dt.date(2025, 6, 30)


@pytest.mark.parametrize("raw", ["2025-02-30", "30/06/2025", "明天", 3_000_000.0, "2025-13-01", dt.time(12)])
def test_impossible_or_foreign_dates_are_problems(raw):
    problem(DATE, raw)


def test_a_month_is_not_a_date():
    assert "缺少日" in problem(DATE, "2025年6月")


@pytest.mark.parametrize(
    "raw",
    [
        "2025年6月",
        "2025年06月",
        "2025-06",
        "2025/6",
        "2025.06",
        "202506",
        202506,
        2025.06,  # "2025.06" typed into Excel is this number
        dt.date(2025, 6, 30),
        dt.datetime(2025, 6, 1),
        45838.0,
        "2025年1-6月",
        "2025年1—6月累计",
        "2025年上半年",
        "2025-06-30",
    ],
)
def test_months_in_every_usual_spelling(raw):
    assert value(MONTH, raw) == dt.date(2025, 6, 1)


def test_a_one_decimal_month_number_is_ambiguous_and_says_so():
    message = problem(MONTH, 2025.1)
    assert "1月还是10月" in message


def test_month_of_quarter_words():
    assert month_of("2025年一季度") == dt.date(2025, 3, 1)
    assert month_of("2025年前三季度") == dt.date(2025, 9, 1)
    assert month_of("第三季度") is None


@pytest.mark.parametrize(
    ("raw", "expected"), [("是", True), ("否", False), ("Y", True), ("√", True), (True, True)]
)
def test_booleans(raw, expected):
    assert value(BOOL, raw) is expected


def test_boolean_nonsense_is_a_problem():
    assert "是" in problem(BOOL, "也许")


def test_codes_are_folded_and_upper_cased_and_numbers_lose_their_point_zero():
    assert value(CODE, " ９１３２０５８３ma1abcde0x ") == "91320583MA1ABCDE0X"
    assert value(CODE, 320583.0) == "320583"


def test_code_lists_accept_code_or_label_and_list_choices_when_wrong():
    assert value(TOWN, "巴城镇", codes=TOWNS) == "320583102"
    assert value(TOWN, "320583101", codes=TOWNS) == "320583101"
    assert value(TOWN, 320583101.0, codes=TOWNS) == "320583101"
    assert "玉山镇、巴城镇" in problem(TOWN, "火星镇", codes=TOWNS)


def test_text_keeps_full_width_brackets_and_checks_length():
    assert value(TEXT, " 昆山（中国）公司 ") == "昆山（中国）公司"
    assert "超过 10 个字符" in problem(TEXT, "很" * 11)


def test_number_text_reports_a_unit_written_in_the_cell():
    assert parse_number_text("1.2亿") == (Decimal("1.2"), "亿元")
    assert parse_number_text("12,3") is None


cell_values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.sampled_from(["#N/A", "#DIV/0!", "—", "１２％", "2025.1", "1,234", "2025年13月", "1e400"]),
)
ALL = [MONEY, PROFIT, PERCENT, INT, DATE, MONTH, BOOL, TEXT, CODE, TOWN]


@given(cell_values)
def test_any_cell_value_gives_a_value_or_a_message_never_an_exception(raw):
    for column in ALL:
        parser = make_parser(column, codes=TOWNS if column.code_list else None, unit="万元")
        parsed, message = parser(raw)
        assert parsed is None or message is None
        if message is not None:
            assert isinstance(message, str) and " / " in message
        if column.kind is Kind.MONEY and parsed is not None:
            assert isinstance(parsed, Decimal)
