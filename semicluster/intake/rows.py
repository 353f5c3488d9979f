"""Walk the data rows under a located header and parse each into values and problems.

Blank rows are skipped silently (counted). ``合计``/``小计``/``总计`` rows and footer notes (``填表人：…``)
are recognised and reported as skipped, never imported: importing a total row would double the data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .cells import CellParser, CodeLookup, excel_error_message, fold, make_parser
from .headers import HeaderResult
from .problems import Problem, Severity, msg
from .reading import Sheet
from .spec import DatasetSpec, Kind

__all__ = ["ParsedRow", "Problem", "SheetRows", "SkippedRow", "parse_sheet_rows"]

_TOTAL = re.compile(r"^.{0,8}(合计|小计|总计|共计)(数)?$")
_NOTE = re.compile(r"^(注|备注|说明|填表|制表|审核|负责人|联系人|联系电话|填报|数据来源|资料来源)")


@dataclass(slots=True)
class ParsedRow:
    sheet: str
    row_number: int  # 1-based, as Excel shows it
    values: dict[str, object]  # column key -> parsed value; None means missing (not 0)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


@dataclass(frozen=True, slots=True)
class SkippedRow:
    sheet: str
    row_number: int
    reason: str  # "total" | "note"
    text: str  # the cell that gave it away, e.g. "合计"

    def describe(self) -> str:
        if self.reason == "total":
            return msg(f"「{self.text}」行为汇总行，未导入", f"'{self.text}' is a total row; not imported")
        return msg(f"「{self.text}」为表尾说明，未导入", f"'{self.text}' is a footnote; not imported")


@dataclass
class SheetRows:
    rows: list[ParsedRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    blank_rows: int = 0


def _classify(row: list[object]) -> tuple[str, str] | None:
    """('total', text) for a 合计 row, ('note', text) for a footer note, else None."""
    count = 0
    only: object = None
    for value in row:
        if type(value) is str:
            if not value or value.isspace():
                continue
            if "计" in value and len(value) <= 24:
                text = fold(value)
                if _TOTAL.match(text):
                    return "total", text
        elif value == "" or value is None:
            continue
        count += 1
        only = value
    if count == 1 and type(only) is str and _NOTE.match(fold(only)):
        text = only.strip()
        return "note", text if len(text) <= 30 else text[:29] + "…"
    return None


def parse_sheet_rows(
    sheet: Sheet,
    header: HeaderResult,
    spec: DatasetSpec,
    code_lookups: Mapping[str, CodeLookup],
) -> SheetRows:
    """Parse every data row of one sheet. Never raises on cell content: problems are collected."""
    columns: list[tuple[str, int, CellParser, str]] = []
    for key, match in header.columns.items():
        column = spec.column(key)
        parser = make_parser(
            column,
            unit=match.unit if column.kind is Kind.MONEY else None,
            percent_points=match.percent_points,
            codes=code_lookups.get(column.code_list) if column.code_list else None,
        )
        columns.append((key, match.col, parser, match.header))
    from_title = {
        c.key: header.title_period
        for c in spec.columns
        if c.period_from_title and c.key not in header.columns and header.title_period is not None
    }
    required = [(c.key, c.label_zh, c.label_en) for c in spec.columns if c.required]
    absent = {c.key: None for c in spec.columns if c.key not in header.columns and c.key not in from_title}
    mapped_cols = [col for _key, col, _parser, _label in columns]
    errors = sheet.errors
    validator = spec.row_validator
    out = SheetRows()
    name = sheet.name
    grid = sheet.grid
    for r in range(header.data_start, len(grid)):
        row = grid[r]
        width = len(row)
        blank = True
        for col in mapped_cols:
            if col < width:
                v = row[col]
                if v != "" and v is not None and not (type(v) is str and v.isspace()):
                    blank = False
                    break
                if errors and (r, col) in errors:
                    blank = False
                    break
        kind = _classify(row) if not blank or any(v != "" and v is not None for v in row) else None
        if kind is None and blank:
            out.blank_rows += 1
            continue
        if kind is not None:
            out.skipped.append(SkippedRow(name, r + 1, kind[0], kind[1]))
            continue
        values: dict[str, object] = {}
        problems: list[Problem] = []
        for key, col, parser, label in columns:
            if errors and (r, col) in errors:
                values[key] = None
                problems.append(
                    Problem(name, r + 1, label, excel_error_message(errors[(r, col)]), column_key=key)
                )
                continue
            value, problem = parser(row[col] if col < width else "")
            values[key] = value
            if problem is not None:
                problems.append(Problem(name, r + 1, label, problem, column_key=key))
        values.update(from_title)
        values.update(absent)
        failed = {p.column_key for p in problems}
        for key, label_zh, label_en in required:
            if values.get(key) is None and key not in failed and key in header.columns:
                problems.append(
                    Problem(
                        name,
                        r + 1,
                        header.columns[key].header,
                        msg(f"必填项「{label_zh}」为空", f"required value '{label_en}' is empty"),
                        column_key=key,
                    )
                )
        if validator is not None:
            for issue in validator(values):
                target, message = issue[0], issue[1]
                severity = issue[2] if len(issue) > 2 else Severity.ERROR  # type: ignore[misc]
                where = header.columns[target].header if target in header.columns else None
                problems.append(Problem(name, r + 1, where, message, Severity(severity), target))
        out.rows.append(ParsedRow(name, r + 1, values, problems))
    return out
