import datetime as dt
import io

import pytest

from semicluster.intake.reading import decode_text, read_workbook
from semicluster.intake.safety import UploadRefused

from .builders import csv_bytes, xls_bytes, xlsx_bytes

ROWS = [["企业名称", "营业收入"], ["昆山甲公司", 12.5], ["昆山乙公司", 3]]


def test_xlsx_grid_keeps_excel_row_numbers_and_merged_ranges():
    data = xlsx_bytes([["标题"], [], *ROWS], merges=["A1:B1"])
    sheet = read_workbook("a.xlsx", data).sheets[0]
    assert sheet.name == "数据"
    assert sheet.cell(0, 0) == "标题"  # grid[0] is Excel row 1
    assert sheet.cell(3, 0) == "昆山甲公司"  # Excel row 4
    assert sheet.merged == [(0, 0, 0, 1)]


def test_xlsx_error_cells_are_recovered_although_calamine_blanks_them():
    data = xlsx_bytes(ROWS, errors={"B2": "#DIV/0!", "B3": "#N/A"})
    sheet = read_workbook("a.xlsx", data).sheets[0]
    assert sheet.cell(1, 1) == ""
    assert sheet.errors == {(1, 1): "#DIV/0!", (2, 1): "#N/A"}


def test_xls_is_read_with_merges_dates_and_error_cells():
    import xlwt

    rows = [
        ["2025年报表", "", ""],
        ["企业名称", "营业收入", "成立日期"],
        ["昆山甲公司", 12.5, dt.date(2020, 5, 1)],
    ]
    data = bytearray(xls_bytes(rows, merges=[(0, 0, 0, 2)]))
    book = read_workbook("old.xls", bytes(data))
    sheet = book.sheets[0]
    assert book.format == "xls"
    assert sheet.cell(2, 1) == 12.5
    assert sheet.cell(2, 2) == dt.date(2020, 5, 1)
    assert sheet.merged == [(0, 0, 0, 2)]
    wb = xlwt.Workbook()
    ws = wb.add_sheet("s")
    ws.write(0, 0, "营业收入")
    ws.row(1).set_cell_error(0, "#DIV/0!")
    ws.row(2).set_cell_error(0, 0x2A)  # #N/A by its BIFF code
    buf = io.BytesIO()
    wb.save(buf)
    sheet = read_workbook("f.xls", buf.getvalue()).sheets[0]
    assert sheet.errors == {(1, 0): "#DIV/0!", (2, 0): "#N/A"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_every_encoding_chinese_excel_writes(encoding):
    data = csv_bytes(ROWS, encoding=encoding)
    book = read_workbook("a.csv", data)
    assert book.sheets[0].grid[1] == ["昆山甲公司", "12.5"]
    assert book.sheets[0].grid[0][0] == "企业名称"  # no BOM left on the first header


def test_gb18030_only_characters_are_detected_as_gb18030():
    text = "企业名称\n䶮芯科技\n"  # 䶮 is outside GBK
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    decoded, encoding = decode_text(text.encode("gb18030"))
    assert decoded == text
    assert encoding == "gb18030"


def test_gbk_is_named_gbk_and_utf8_is_named_utf8():
    assert decode_text("昆山".encode("gbk"))[1] == "gbk"
    assert decode_text("昆山".encode())[1] == "utf-8"


def test_tab_and_semicolon_separated_text_is_sniffed():
    assert read_workbook("a.csv", csv_bytes(ROWS, delimiter="\t")).sheets[0].grid[2] == ["昆山乙公司", "3"]
    assert read_workbook("a.txt", csv_bytes(ROWS, delimiter=";")).sheets[0].grid[2] == ["昆山乙公司", "3"]


def test_undecodable_text_is_refused_with_the_supported_encodings_named():
    with pytest.raises(UploadRefused, match="GB18030"):
        read_workbook("a.csv", b"\xff\xff\xff\x81\x20 abc")


def test_hidden_sheets_are_marked():
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["a"])
    hidden = wb.create_sheet("代码表")
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    sheets = read_workbook("a.xlsx", buf.getvalue()).sheets
    assert [s.hidden for s in sheets] == [False, True]
