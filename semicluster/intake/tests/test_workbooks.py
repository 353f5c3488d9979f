import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from semicluster.intake.pipeline import parse_upload
from semicluster.intake.workbooks import (
    CODE_SHEET,
    ERROR_COLUMN,
    INSTRUCTIONS_SHEET,
    build_error_workbook,
    build_template,
    export_csv,
    export_rows,
    export_xlsx,
    neutralise,
)

from .builders import CODE_A, CODE_B, CODE_LISTS, HEADER, NODES, PERIOD_DATA, TOWNS, csv_bytes, xlsx_bytes


def load(data):
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def template():
    return load(build_template(PERIOD_DATA, CODE_LISTS, rows=50))


def test_template_header_is_locked_and_data_cells_are_not(template):
    ws = template.worksheets[0]
    assert ws.protection.sheet is True
    assert [c.value for c in ws[1]][:5] == [
        "*统一社会信用代码",
        "*企业名称",
        "所在区镇",
        "*统计期",
        "营业收入（万元）",
    ]
    assert all(c.protection.locked for c in ws[1])
    assert not ws["A2"].protection.locked and not ws["K51"].protection.locked
    assert not ws.column_dimensions["A"].protection.locked  # rows added beyond the prepared ones too
    assert ws.freeze_panes == "A2"
    assert ws["A2"].number_format == "@"  # credit codes stay text


def test_template_code_columns_have_drop_downs_fed_by_a_hidden_code_sheet(template):
    ws = template.worksheets[0]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists["I2:I1048576"] == '"是,否"'
    codes = template[CODE_SHEET]
    assert codes.sheet_state == "hidden"

    def listed(formula):
        sheet, cells = formula.split("!")
        assert sheet == f"'{CODE_SHEET}'"
        return [c.value for row in codes[cells.replace("$", "")] for c in row]

    assert listed(lists["C2:C1048576"]) == [label for _code, label in TOWNS]
    assert listed(lists["K2:K1048576"]) == [label for _code, label in NODES]


def test_template_has_chinese_instructions_listing_every_column(template):
    ws = template[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "填表说明" in text and "不要修改" in text and "每家企业每个统计期一行" in text
    for column in PERIOD_DATA.columns:
        assert column.label_zh in text
    assert template.sheetnames.index(INSTRUCTIONS_SHEET) == 1


def test_template_needs_its_code_lists():
    with pytest.raises(ValueError, match="towns"):
        build_template(PERIOD_DATA, {})


def test_a_filled_in_template_reads_back_without_any_problem(template):
    ws = template.worksheets[0]
    ws.append([CODE_A, "昆山甲", "巴城镇", "2025-06", 12.5, 3, -1, 10, "是", dt.date(2020, 1, 2), "晶圆制造"])
    buf = io.BytesIO()
    template.save(buf)
    result = parse_upload("filled.xlsx", buf.getvalue(), PERIOD_DATA, code_lists=CODE_LISTS)
    assert list(result.all_problems()) == []
    values = result.rows[0].values
    assert values["revenue"] == Decimal("125000") and values["revenue_yoy"] == Decimal("0.03")
    assert values["node"] == "M" and values["listed"] is True


def test_error_workbook_repeats_rows_with_an_error_column_and_a_summary():
    rows = [
        ["月报"],
        HEADER,
        [1, CODE_A, "甲", "玉山镇", "2025-06", '=HYPERLINK("http://x")', 10],
        [2, CODE_B, "乙", "火星镇", "2025-06", 5, 10],
        ["合计", "", "", "", "", 5, 20],
    ]
    # CSV, because an xlsx would store the "=…" text as a formula rather than as the clerk's text.
    result = parse_upload("月报.csv", csv_bytes(rows), PERIOD_DATA, code_lists=CODE_LISTS)
    book = load(build_error_workbook(result))
    assert book.sheetnames == ["汇总", "CSV"]
    data = book["CSV"]
    header = [c.value for c in data[1]]
    assert header[0] == "原行号" and header[-1] == ERROR_COLUMN
    body = [[c.value for c in row] for row in data.iter_rows(min_row=2)]
    assert [r[0] for r in body] == [3, 4, 5]
    assert body[0][6] == '\'=HYPERLINK("http://x")'  # the uploaded formula text is neutralised
    assert "不是数字" in body[0][-1]
    assert "火星镇" in body[1][-1]
    assert "汇总行" in body[2][-1]
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    facts = {r[0]: r[1] for r in summary if r and r[0]}
    assert facts["数据行 / data rows"] == 2 and facts["有错误的行 / rows with errors"] == 2
    assert facts["跳过的合计行 / total rows skipped"] == 1
    assert any(r[:3] == ["CSV", 4, "所在区镇"] for r in summary)


def test_error_workbook_with_only_problem_rows_can_be_fixed_and_uploaded_again():
    rows = [
        HEADER,
        [1, CODE_A, "甲", "玉山镇", "2025-06", 1, 10],
        [2, CODE_B, "乙", "火星镇", "2025-06", 5, 10],
    ]
    result = parse_upload("a.xlsx", xlsx_bytes(rows), PERIOD_DATA, code_lists=CODE_LISTS)
    book = load(build_error_workbook(result, only_problem_rows=True))
    ws = book["数据"]
    assert ws.max_row == 2 and ws["A2"].value == 3
    ws["E2"] = "巴城镇"  # the clerk fixes the town
    buf = io.BytesIO()
    book.save(buf)
    again = parse_upload("fixed.xlsx", buf.getvalue(), PERIOD_DATA, code_lists=CODE_LISTS)
    assert [r.values["town"] for r in again.rows] == ["320583102"]
    assert not again.has_errors
    assert list(again.all_problems()) == []  # 原行号 and 错误说明 are known, not "unknown columns"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86 512", "'+86 512"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1", "'＝1"),
        ("昆山=公司", "昆山=公司"),
        (-5, -5),
        (Decimal("-1.5"), Decimal("-1.5")),
        ("", ""),
    ],
)
def test_formula_injection_is_neutralised(raw, safe):
    assert neutralise(raw) == safe


def test_xlsx_export_writes_text_not_formulas_and_keeps_numbers_exact():
    rows = [["=cmd|' /C calc'!A0", Decimal("12345678.90"), dt.date(2025, 6, 30), None, True]]
    ws = load(export_xlsx(["名称", "金额", "日期", "空", "上市"], rows)).active
    name, amount, day, empty, listed = (c for c in ws[2])
    assert name.data_type == "s" and name.value == "'=cmd|' /C calc'!A0"
    assert amount.value == 12345678.9
    assert day.value.date() == dt.date(2025, 6, 30)
    assert empty.value is None and listed.value == "是"


def test_csv_export_is_utf8_with_bom_and_neutralised():
    data = export_csv(["企业名称", "金额"], [["@evil", Decimal("1.10")], ["昆山甲", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["企业名称", "金额"], ["'@evil", "1.10"], ["昆山甲", ""]]


def test_export_rows_dispatches_on_format():
    assert export_rows(["a"], [[1]], "csv").startswith(b"\xef\xbb\xbf")
    assert export_rows(["a"], [[1]], "xlsx").startswith(b"PK")
    with pytest.raises(ValueError, match="pdf"):
        export_rows(["a"], [[1]], "pdf")
