"""Workbooks the platform writes: import templates, error workbooks and list exports.

Everything written that came from a user (an uploaded cell, an enterprise name in an export) goes
through :func:`neutralise` first: a cell starting with ``= + - @`` or a control character is a formula
to Excel or LibreOffice ("CSV injection"), so it is prefixed with ``'`` and stays text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .headers import HeaderResult
from .pipeline import ParseResult
from .problems import Severity
from .spec import CodeLists, DatasetSpec, Kind

_FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_ERROR_FILL = PatternFill("solid", fgColor="FCE4E4")
_WARN_FILL = PatternFill("solid", fgColor="FFF2CC")
CODE_SHEET = "代码表"
INSTRUCTIONS_SHEET = "填表说明"
ERROR_COLUMN = "错误说明"
ROW_COLUMN = "原行号"
EXCEL_MAX_ROW = 1_048_576
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: object) -> object:
    """Make a value safe to put in a spreadsheet cell: text that Excel would run as a formula gets a
    leading apostrophe. Numbers, dates and booleans are data, not text, and pass unchanged."""
    if isinstance(value, str) and value and (value[0] in _FORMULA_START or ord(value[0]) < 0x20):
        return "'" + value
    return value


def _sheet_title(text: str) -> str:
    return _BAD_SHEET_CHARS.sub("_", text)[:31] or "Sheet"


# --- templates ---------------------------------------------------------------------------------------

_KIND_HELP = {
    Kind.TEXT: "文本",
    Kind.DECIMAL: "数字",
    Kind.MONEY: "金额（数字，单位见表头）",
    Kind.INT: "整数",
    Kind.PERCENT: "百分数（填 12.5 表示 12.5%）",
    Kind.DATE: "日期，如 2025-06-30",
    Kind.MONTH: "月份，如 2025-06",
    Kind.BOOL: "是 / 否",
    Kind.CODE: "代码或名称",
}
_TEXT_FORMAT = "@"


def build_template(spec: DatasetSpec, code_lists: CodeLists | None = None, *, rows: int = 1000) -> bytes:
    """An .xlsx import template: a locked header row over unlocked data cells, drop-downs fed by a
    hidden code sheet, and an instructions sheet in Chinese. Parsing the template back gives no
    problem, so it is also the reference file for the dataset."""
    code_lists = code_lists or {}
    missing = spec.code_lists - set(code_lists)
    if missing:
        raise ValueError(f"template for {spec.key} needs code lists {sorted(missing)}")
    wb = Workbook()
    data = wb.active
    data.title = _sheet_title(spec.title_zh)
    codes = wb.create_sheet(CODE_SHEET)
    ranges = _write_code_sheet(codes, spec, code_lists)
    codes.sheet_state = "hidden"
    codes.protection.sheet = True

    unlocked = Protection(locked=False)
    last_row = rows + 1
    for c, column in enumerate(spec.columns, start=1):
        cell = data.cell(row=1, column=c, value=column.template_header())
        cell.fill = _HEADER_FILL
        cell.font = _REQUIRED_FONT if column.required else Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(c)
        data.column_dimensions[letter].width = max(12, min(40, 2.2 * len(column.template_header()) + 2))
        number_format = {
            Kind.TEXT: _TEXT_FORMAT,
            Kind.CODE: _TEXT_FORMAT,
            Kind.MONTH: _TEXT_FORMAT,  # keeps "2025-06" as typed instead of a date Excel invents
            Kind.DATE: "yyyy-mm-dd",
            Kind.MONEY: "#,##0.00##",
        }.get(column.kind)
        # Unlocked and formatted twice: the column default covers rows a clerk adds beyond the prepared
        # ones (Excel applies a column's style to new cells), the cells cover readers that ignore it.
        dimension = data.column_dimensions[letter]
        dimension.protection = unlocked
        if number_format:
            dimension.number_format = number_format
        for r in range(2, last_row + 1):
            target = data.cell(row=r, column=c)
            target.protection = unlocked
            if number_format:
                target.number_format = number_format
        area = f"{letter}2:{letter}{EXCEL_MAX_ROW}"
        if column.code_list:
            dv = DataValidation(type="list", formula1=ranges[column.code_list], allow_blank=True)
        elif column.kind is Kind.BOOL:
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        else:
            dv = DataValidation(type="custom", formula1="TRUE", allow_blank=True)  # carries the prompt only
            dv.showErrorMessage = False
        if dv.type == "list":
            dv.showErrorMessage = True
            dv.errorTitle = "无效值"
            dv.error = "请从下拉列表中选择"
        dv.promptTitle = column.label_zh[:32]
        dv.prompt = (column.help_zh or _KIND_HELP[column.kind])[:255]
        dv.showInputMessage = True
        dv.add(area)
        data.add_data_validation(dv)
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 30
    # Sheet protection keeps the header intact; no password, since it guards against accidents, not
    # against people. Inserting and deleting rows, sorting and filtering stay allowed.
    protection = data.protection
    protection.sheet = True
    protection.insertRows = False
    protection.deleteRows = False
    protection.sort = False
    protection.autoFilter = False
    protection.formatColumns = False
    protection.formatCells = False
    _write_instructions(wb.create_sheet(INSTRUCTIONS_SHEET, index=1), spec, code_lists)
    wb.active = 0
    return _save(wb)


def _write_code_sheet(ws, spec: DatasetSpec, code_lists: CodeLists) -> dict[str, str]:
    ranges: dict[str, str] = {}
    col = 1
    for name in sorted(spec.code_lists):
        pairs = [(str(code), str(label)) for code, label in code_lists[name]]
        ws.cell(row=1, column=col, value=f"{name}:代码")
        ws.cell(row=1, column=col + 1, value=f"{name}:名称")
        for r, (code, label) in enumerate(pairs, start=2):
            ws.cell(row=r, column=col, value=neutralise(code))
            ws.cell(row=r, column=col + 1, value=neutralise(label))
        letter = get_column_letter(col + 1)
        ranges[name] = f"'{CODE_SHEET}'!${letter}$2:${letter}${max(2, len(pairs) + 1)}"
        col += 2
    return ranges


def _write_instructions(ws, spec: DatasetSpec, code_lists: CodeLists) -> None:
    lines = [
        f"{spec.title_zh}导入模板 填表说明",
        "",
        "1. 请在第一个工作表中填写数据，每行一条记录；不要修改、删除或移动表头（第1行已锁定）。",
        "2. 表头为红色的列为必填项。",
        "3. 金额请按表头括号中的单位填写数字，不要带“万元”等文字；百分数填数字，如 12.5 表示 12.5%。",
        "4. 无数据请留空或填“—”，不要填 0（0 表示确有数值为零）。",
        "5. 日期填 2025-06-30，月份填 2025-06；带下拉箭头的列请从列表中选择。",
        "6. 不要添加“合计”“小计”行；系统会识别并跳过这些行。",
        "7. 保存为 .xlsx 后上传；系统先显示预览和问题清单，确认后才写入。",
        *[f"{i}. {line}" for i, line in enumerate(spec.instructions_zh, start=8)],
        "",
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["列名", "是否必填", "填写格式", "可选值", "说明"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for column in spec.columns:
        choices = ""
        if column.code_list:
            labels = [str(label) for _code, label in code_lists[column.code_list]]
            choices = "、".join(labels[:12]) + ("…（见下拉列表）" if len(labels) > 12 else "")
        elif column.kind is Kind.BOOL:
            choices = "是、否"
        ws.append(
            [
                column.template_header().lstrip("*"),
                "必填" if column.required else "",
                _KIND_HELP[column.kind],
                choices,
                column.help_zh,
            ]
        )
    for letter, width in zip("ABCDE", (28, 10, 28, 40, 40), strict=True):
        ws.column_dimensions[letter].width = width


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- error workbook ----------------------------------------------------------------------------------


def build_error_workbook(result: ParseResult, *, only_problem_rows: bool = False) -> bytes:
    """The uploaded rows again, each with an added 错误说明 column, plus a 汇总 summary sheet.

    With ``only_problem_rows`` the clerk gets just the rows to fix; the file can be corrected and
    uploaded again as it is (原行号 and 错误说明 are ignored on re-import).
    """
    wb = Workbook(write_only=True)
    _write_summary(wb.create_sheet("汇总"), result)
    notes: dict[tuple[str, int], tuple[str, Severity | None]] = {}
    for row in result.rows:
        if row.problems:
            worst = Severity.ERROR if not row.ok else Severity.WARNING
            notes[(row.sheet, row.row_number)] = ("；".join(_row_note(p) for p in row.problems), worst)
        else:
            notes[(row.sheet, row.row_number)] = ("", None)
    for skipped in result.skipped:
        notes[(skipped.sheet, skipped.row_number)] = (skipped.describe(), Severity.WARNING)
    sheets = {s.name: s for s in result.workbook.sheets} if result.workbook else {}
    for header in result.sheets:
        sheet = sheets.get(header.sheet)
        if sheet is None or not header.found:
            continue
        ws = wb.create_sheet(_sheet_title(header.sheet))
        labels = _header_labels(sheet, header)
        ws.append(
            [_styled(ws, ROW_COLUMN, _HEADER_FILL)]
            + [_styled(ws, neutralise(text), _HEADER_FILL) for text in labels]
            + [_styled(ws, ERROR_COLUMN, _HEADER_FILL)]
        )
        width = len(labels)
        for r in range(header.data_start, sheet.n_rows):
            note = notes.get((header.sheet, r + 1))
            if note is None or (only_problem_rows and note[1] is None):
                continue
            text, severity = note
            grid_row = sheet.grid[r]
            values = [
                sheet.errors.get((r, c), grid_row[c]) if c < len(grid_row) else "" for c in range(width)
            ]
            fill = _ERROR_FILL if severity is Severity.ERROR else _WARN_FILL if severity else None
            ws.append([r + 1, *(_cell_value(v) for v in values), _styled(ws, text, fill) if fill else text])
    return _save(wb)


def _row_note(problem) -> str:
    label = f"「{problem.column_label}」" if problem.column_label else ""
    return f"{label}{problem.message}"


def _header_labels(sheet, header: HeaderResult) -> list[str]:
    width = max((len(sheet.grid[r]) for r in range(header.first_row, header.data_start)), default=0)
    labels = []
    for c in range(width):
        parts: list[str] = []
        for r in range(header.first_row, header.data_start):
            text = str(sheet.cell(r, c)).strip()
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append("|".join(parts))
    matched = {m.col: m.header for m in header.columns.values()}
    return [matched.get(c, label) for c, label in enumerate(labels)]


def _cell_value(value: object) -> object:
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return neutralise(value)


def _styled(ws, value: object, fill: PatternFill | None = None, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if fill is not None:
        cell.fill = fill
    if bold or fill is _HEADER_FILL:
        cell.font = Font(bold=True)
    return cell


def _write_summary(ws, result: ParseResult) -> None:
    problems = list(result.all_problems())
    errors = sum(1 for p in problems if p.is_error)
    ws.append([_styled(ws, "导入检查结果 / Import check", bold=True)])
    facts = [
        ("文件 / file", result.filename),
        ("数据集 / dataset", result.dataset),
        ("数据行 / data rows", len(result.rows)),
        ("可导入行 / valid rows", len(result.valid_rows)),
        ("有错误的行 / rows with errors", len(result.error_rows)),
        ("跳过的合计行 / total rows skipped", result.skipped_totals),
        ("空行 / blank rows", result.blank_rows),
        ("错误数 / errors", errors),
        ("提示数 / warnings", len(problems) - errors),
    ]
    for key, (unit, source) in result.units.items():
        facts.append((f"单位 / unit: {key}", f"{unit}（{source}）"))
    for label, value in facts:
        ws.append([label, neutralise(value)])
    ws.append([])
    ws.append([_styled(ws, t, _HEADER_FILL) for t in ("工作表", "行", "列", "级别", "说明")])
    for p in problems:
        ws.append(
            [
                neutralise(p.sheet or ""),
                p.row or "",
                neutralise(p.column_label or ""),
                "错误" if p.is_error else "提示",
                neutralise(p.message),
            ]
        )


# --- exports -----------------------------------------------------------------------------------------


def _export_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal | dt.date | dt.datetime):
        return value
    return neutralise(str(value))


def export_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, sheet_title: str = "导出"
) -> bytes:
    """A list view as .xlsx, streamed (write-only) so large lists stay within memory."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(sheet_title))
    ws.append([_styled(ws, neutralise(h), _HEADER_FILL) for h in headers])
    for row in rows:
        ws.append([_export_value(v) for v in row])
    return _save(wb)


def export_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A list view as CSV in UTF-8 with BOM, which Excel opens with Chinese intact."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(_export_value(v)) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def _csv_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def export_rows(
    headers: Sequence[str], rows: Iterable[Sequence[object]], fmt: str, *, sheet_title: str = "导出"
) -> bytes:
    if fmt == "xlsx":
        return export_xlsx(headers, rows, sheet_title=sheet_title)
    if fmt == "csv":
        return export_csv(headers, rows)
    raise ValueError(f"unknown export format {fmt!r}")
