"""Fixture datasets and workbook builders shared by the intake tests: every workbook is generated here."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

import openpyxl
import xlwt

from semicluster.intake.problems import msg
from semicluster.intake.spec import ColumnSpec, DatasetSpec, Kind

TOWNS = [("320583101", "玉山镇"), ("320583102", "巴城镇"), ("320583103", "周市镇"), ("320583104", "张浦镇")]
NODES = [("D", "芯片设计"), ("M", "晶圆制造"), ("P", "封装测试"), ("E", "装备材料")]
CODE_LISTS = {"towns": TOWNS, "chain_nodes": NODES}


def _no_negative_profit_without_revenue(values):
    if values.get("revenue") is None and values.get("profit") is not None:
        yield "revenue", msg("填了利润却没有营业收入", "profit given without revenue")


PERIOD_DATA = DatasetSpec(
    key="period_data",
    title_zh="企业经济指标",
    title_en="Enterprise period data",
    columns=(
        ColumnSpec(
            "credit_code",
            "统一社会信用代码",
            "Credit code",
            Kind.CODE,
            aliases=("信用代码", "社会信用代码"),
            required=True,
            max_length=18,
        ),
        ColumnSpec("name", "企业名称", "Enterprise name", aliases=("单位名称", "企业"), required=True),
        ColumnSpec("town", "所在区镇", "Town", Kind.CODE, aliases=("区镇",), code_list="towns"),
        ColumnSpec(
            "period",
            "统计期",
            "Period",
            Kind.MONTH,
            aliases=("月份", "期间"),
            required=True,
            period_from_title=True,
        ),
        ColumnSpec(
            "revenue",
            "营业收入",
            "Revenue",
            Kind.MONEY,
            aliases=("营业收入|本期", "主营业务收入", "营收"),
            min_value=Decimal(0),
        ),
        ColumnSpec(
            "revenue_yoy", "营业收入同比", "Revenue growth", Kind.PERCENT, aliases=("营业收入|同比", "同比")
        ),
        ColumnSpec("profit", "利润总额", "Profit", Kind.MONEY, aliases=("利润",)),
        ColumnSpec(
            "employees",
            "从业人员",
            "Employees",
            Kind.INT,
            aliases=("从业人数", "职工人数"),
            min_value=Decimal(0),
        ),
        ColumnSpec("listed", "是否上市", "Listed", Kind.BOOL),
        ColumnSpec("founded", "成立日期", "Founded", Kind.DATE, aliases=("注册日期",)),
        ColumnSpec("node", "产业链环节", "Chain node", Kind.CODE, code_list="chain_nodes"),
    ),
    natural_key=("credit_code", "period"),
    row_validator=_no_negative_profit_without_revenue,
    instructions_zh=("每家企业每个统计期一行。",),
)

# Valid 18-character credit codes are not needed here: the Django layer validates the check digit.
CODE_A = "91320583MA1ABCDE0X"
CODE_B = "91320583MA1ABCDE1X"
CODE_C = "91320583MA1ABCDE2X"


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    title: str = "数据",
    extra_sheets: dict[str, Sequence[Sequence[object]]] | None = None,
    errors: dict[str, str] | None = None,
) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for rng in merges:
        ws.merge_cells(rng)
    for ref, code in (errors or {}).items():
        ws[ref] = code  # openpyxl stores "#DIV/0!" etc. as an error cell (t="e")
    for name, sheet_rows in (extra_sheets or {}).items():
        extra = wb.create_sheet(name)
        for row in sheet_rows:
            extra.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls_bytes(rows: Sequence[Sequence[object]], *, merges: Sequence[tuple[int, int, int, int]] = ()) -> bytes:
    """merges: (r1, r2, c1, c2) inclusive, 0-based, as xlwt wants them."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("表1")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    merged_cells = set()
    for r1, r2, c1, c2 in merges:
        ws.write_merge(r1, r2, c1, c2, rows[r1][c1])
        merged_cells |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged_cells or value is None or value == "":
                continue
            if isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


HEADER: list[object] = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "所在区镇",
    "统计期",
    "营业收入（万元）",
    "从业人员",
]


def clean_rows() -> list[list[object]]:
    return [
        HEADER,
        [1, CODE_A, "昆山甲半导体有限公司", "玉山镇", "2025-06", 1234.5, 120],
        [2, CODE_B, "昆山乙微电子有限公司", "巴城镇", "2025-06", 88, 35],
    ]


BIG_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所在区镇",
    "统计期",
    "营业收入（万元）",
    "营业收入同比（%）",
    "利润总额（万元）",
    "从业人员",
    "是否上市",
    "成立日期",
]


def big_xlsx(n_rows: int, seed: int = 7) -> bytes:
    """A period-data workbook of n_rows × 10 columns with a title row, written in streaming mode."""
    import random

    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["2025年1-6月重点企业主要经济指标"])
    ws.append(BIG_HEADER)
    towns = [label for _code, label in TOWNS]
    for i in range(n_rows):
        ws.append(
            [
                f"91320583MA{i:08d}",
                f"昆山测试企业{i}有限公司",
                towns[i % 4],
                "2025-06",
                round(rng.uniform(0, 100000), 2),
                round(rng.uniform(-30, 60), 1),
                round(rng.uniform(-500, 5000), 2),
                rng.randint(5, 3000),
                "是" if i % 10 == 0 else "否",
                dt.date(2000 + i % 25, 1 + i % 12, 1 + i % 28),
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
