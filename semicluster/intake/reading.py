"""Read an uploaded file into plain cell grids: .xlsx and .xls through python-calamine, .csv by hand.

The grid keeps the sheet's absolute layout (grid[0] is Excel row 1, grid[r][0] is column A) so every
problem can name the row the clerk sees in Excel. Cells are '' (empty), str, int, float, bool,
datetime.date / datetime.datetime / datetime.time / datetime.timedelta.

python-calamine turns Excel error cells (#DIV/0!, #N/A …) into '' — which would silently read a broken
formula as "missing" — so they are recovered separately (from the sheet XML for .xlsx, with xlrd for
.xls) into ``Sheet.errors``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

import python_calamine
from defusedxml import ElementTree as SafeET

from .problems import msg
from .safety import UploadRefused, sniff_format

Cell = Any  # '' | str | int | float | bool | date | datetime | time | timedelta


@dataclass
class Sheet:
    name: str
    grid: list[list[Cell]]
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # 0-based (r1, c1, r2, c2) inclusive
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # 0-based (row, col) -> "#DIV/0!"
    hidden: bool = False

    @property
    def n_rows(self) -> int:
        return len(self.grid)

    def rows(self, start: int = 0) -> Iterator[tuple[int, list[Cell]]]:
        """(Excel row number, cells) from the 0-based grid index ``start`` on."""
        for r in range(start, len(self.grid)):
            yield r + 1, self.grid[r]

    def cell(self, r: int, c: int) -> Cell:
        row = self.grid[r] if 0 <= r < len(self.grid) else ()
        return row[c] if 0 <= c < len(row) else ""


@dataclass
class Workbook:
    format: str  # "xlsx" | "xls" | "csv"
    sheets: list[Sheet]
    encoding: str | None = None  # for csv: the encoding that was detected


def read_workbook(
    filename: str, data: bytes, *, max_rows: int | None = None, max_cells: int | None = None
) -> Workbook:
    """Read every sheet of an .xlsx, .xls or .csv file; raise UploadRefused when it cannot be read.

    Call safety.check_upload first (parse_upload does): it is what bounds an .xlsx before the reader
    allocates its sheets.
    """
    fmt = sniff_format(filename, data)
    if fmt == "csv":
        return _read_csv(data, max_rows)
    return _read_excel(fmt, data, max_rows, max_cells)


# --- Excel -------------------------------------------------------------------------------------------


def _read_excel(fmt: str, data: bytes, max_rows: int | None, max_cells: int | None) -> Workbook:
    xls_errors = _xls_scan(data, max_cells) if fmt == "xls" else {}
    try:
        book = python_calamine.CalamineWorkbook.from_object(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise UploadRefused(
            msg("文件设有密码，请取消密码后再上传", "the workbook is password-protected; remove the password")
        ) from exc
    except BaseException as exc:  # calamine can panic (pyo3 PanicException derives from BaseException)
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise UploadRefused(_corrupt_message()) from exc
    try:
        error_cells = _xlsx_error_cells(data) if fmt == "xlsx" else xls_errors
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            if max_rows is not None and sheet.total_height > max_rows + 50:  # a little room for title rows
                raise UploadRefused(_too_many_rows(meta.name, sheet.total_height, max_rows))
            grid = sheet.to_python(skip_empty_area=False)
            merged = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []]
            sheets.append(
                Sheet(
                    name=meta.name,
                    grid=grid,
                    merged=merged,
                    errors=error_cells.get(meta.name, {}),
                    hidden=meta.visible != python_calamine.SheetVisibleEnum.Visible,
                )
            )
    except UploadRefused:
        raise
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise UploadRefused(_corrupt_message()) from exc
    finally:
        book.close()
    return Workbook(format=fmt, sheets=sheets)


def _corrupt_message() -> str:
    return msg(
        "文件已损坏或不完整，无法读取，请在 Excel 中重新保存后再上传",
        "the file is damaged or incomplete and cannot be read; save it again in Excel and re-upload",
    )


def _too_many_rows(sheet: str, n: int, limit: int) -> str:
    return msg(
        f"工作表「{sheet}」有 {n} 行，超过单次导入上限 {limit} 行，请拆分成多个文件",
        f"sheet '{sheet}' has {n} rows, more than the {limit} allowed in one import; split the file",
    )


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ERROR_CELL = re.compile(rb"<c\s([^>]*?\bt=\"e\"[^>]*)>(.*?)</c>", re.DOTALL)
_REF = re.compile(rb"\br=\"([A-Z]+)([0-9]+)\"")
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _xlsx_error_cells(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Find error cells (t="e") in each worksheet's XML. safety.check_upload has already bounded and
    scanned these members, and defusedxml parses the small workbook parts."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
            return out
        workbook: Element = SafeET.fromstring(zf.read("xl/workbook.xml"))
        rels: Element = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
        for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_NS_REL}id"), "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if path not in names:
                continue
            xml = zf.read(path)
            if b't="e"' not in xml:
                continue
            found: dict[tuple[int, int], str] = {}
            for m in _ERROR_CELL.finditer(xml):
                ref, value = _REF.search(m.group(1)), _VALUE.search(m.group(2))
                if ref and value:
                    found[(int(ref.group(2)) - 1, _column_index(ref.group(1).decode()))] = value.group(
                        1
                    ).decode()
            out[sheet.get("name", "")] = found
    return out


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _xls_scan(data: bytes, max_cells: int | None) -> dict[str, dict[tuple[int, int], str]]:
    """One xlrd pass over an .xls: bound each sheet's extent before calamine allocates it, and
    collect the error cells calamine would blank."""
    import xlrd  # only .xls needs it; .xls sheets are at most 65,536 × 256, so the pass is cheap

    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        # ragged_rows: xlrd keeps only the cells that exist instead of padding every row.
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    except Exception:  # calamine may still read it; its .xls extent is bounded by the format
        return out
    try:
        for index in range(book.nsheets):
            sheet = book.get_sheet(index)
            width = max((sheet.row_len(r) for r in range(sheet.nrows)), default=0)
            if max_cells is not None and sheet.nrows * width > max_cells:
                raise UploadRefused(_too_wide(sheet.name, sheet.nrows, width))
            found = {}
            for r in range(sheet.nrows):
                for c, ctype in enumerate(sheet.row_types(r)):
                    if ctype == xlrd.XL_CELL_ERROR:
                        found[(r, c)] = xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#ERROR!")
            if found:
                out[sheet.name] = found
    except UploadRefused:
        raise
    except Exception:
        return out  # error recovery is best effort; calamine decides whether the file is readable
    finally:
        book.release_resources()
    return out


def _too_wide(sheet: str, rows: int, cols: int) -> str:
    return msg(
        f"工作表「{sheet}」范围过大（{rows} 行 × {cols} 列），请删除表格右侧和下方多余的内容后再上传",
        f"sheet '{sheet}' spans {rows} rows × {cols} columns; delete stray content around the table",
    )


# --- CSV ---------------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 with or without BOM, UTF-16 with BOM ("Unicode text" from Excel),
    otherwise GBK or its superset GB18030, which is what Chinese Excel saves as "CSV"."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gbk", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UploadRefused(
        msg(
            "无法识别文件编码（支持 UTF-8、GBK、GB18030），请在 Excel 中另存为 .xlsx 后上传",
            "cannot tell the text encoding (UTF-8, GBK and GB18030 are supported); save as .xlsx instead",
        )
    )


def _read_csv(data: bytes, max_rows: int | None) -> Workbook:
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise UploadRefused(
            msg("文件不是文本格式的 CSV，请检查文件类型", "the file is not a text CSV; check the file type")
        )
    sample = text[:20_000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    csv.field_size_limit(1_000_000)
    grid: list[list[Cell]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            grid.append(row)
            if max_rows is not None and len(grid) > max_rows + 50:
                raise UploadRefused(_too_many_rows("CSV", len(grid), max_rows))
    except csv.Error as exc:
        raise UploadRefused(
            msg(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}"),
        ) from exc
    return Workbook(format="csv", sheets=[Sheet(name="CSV", grid=grid)], encoding=encoding)
