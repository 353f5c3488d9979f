"""Export of the application list to xlsx and csv, with spreadsheet formula injection neutralised.

A cell that begins with = + - @ TAB or CR is read as a formula by Excel and WPS; such text (a product
name, a foundry typed by an applicant) is written with a leading apostrophe so it stays text. Numbers
stay numbers; money is exact (Decimal → the cell's number, two decimals).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from semicluster.support.models import Application
from semicluster.support.selectors import programs_for

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

HEADER = [
    "申请编号 Application",
    "企业 Enterprise",
    "统一社会信用代码 Credit code",
    "区域 Area",
    "支持项目 Program",
    "年度 Year",
    "状态 Status",
    "产品 Product",
    "代工厂 Foundry",
    "境内/境外 Foundry location",
    "工艺节点nm Node (nm)",
    "MPW/全掩膜 Mask",
    "晶圆尺寸mm Wafer (mm)",
    "片数 Wafers",
    "流片日期 Tape-out date",
    "申报费用(元) Costs claimed (yuan)",
    "计算奖励(元) Computed award (yuan)",
    "核定奖励(元) Award (yuan)",
    "一事一议 Case-by-case",
    "已拨付(元) Disbursed (yuan)",
    "申请日期 Applied on",
]


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def rows(applications: Iterable[Application]) -> Iterable[list[Any]]:
    english = (get_language() or "").startswith("en")
    applications = list(applications)
    programs = programs_for(applications)
    for a in applications:
        program = programs.get(a.program_code)
        name = (program.name_en if english else program.name) if program else a.program_code
        yield [
            str(a),
            a.enterprise.name,
            a.enterprise.credit_code,
            a.enterprise.area.name,
            name,
            a.year,
            a.get_status_display(),
            a.product,
            a.foundry,
            a.get_foundry_location_display(),
            a.process_node_nm,
            a.get_mask_display(),
            a.wafer_size_mm,
            a.wafer_count,
            a.tapeout_date,
            getattr(a, "requested", None),
            a.computed_amount,
            a.award_amount,
            "是 yes" if a.override_amount is not None else "",
            a.disbursed_amount,
            a.applied_on,
        ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(applications: Iterable[Application]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows(applications):
        writer.writerow([neutralise(_text(v)) for v in row])
    # UTF-8 with BOM: Excel on Chinese Windows opens it with the right encoding.
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(applications: Iterable[Application]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "支持项目申请"
    sheet.append(HEADER)
    for row in rows(applications):
        cells: list[Any] = []
        for value in row:
            if isinstance(value, Decimal | date | int) or value is None:
                cells.append(value)
            else:
                cells.append(neutralise(str(value)))
        sheet.append(cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in ("P", "Q", "R", "T"):
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
