"""One entry point for every dataset: ``parse_upload`` turns an uploaded file into parsed rows and problems.

Nothing is written anywhere: the Django layer shows the result as the preview, and commits it. The
same file always gives the same result, which is what makes a re-import idempotent upstream.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .cells import CodeLookup
from .headers import AliasIndex, HeaderResult, locate_header, no_header_problem
from .problems import Problem, Severity, msg
from .reading import Workbook, read_workbook
from .rows import ParsedRow, SkippedRow, parse_sheet_rows
from .safety import DEFAULT_LIMITS, UploadLimits, UploadRefused, check_upload
from .spec import CodeLists, ColumnSpec, DatasetSpec

__all__ = ["ParseResult", "UploadRefused", "parse_upload"]


@dataclass
class ParseResult:
    dataset: str
    filename: str
    format: str  # "xlsx" | "xls" | "csv"
    encoding: str | None  # csv only
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # file, sheet and header level
    skipped: list[SkippedRow] = field(default_factory=list)  # 合计 rows and footnotes, not imported
    blank_rows: int = 0
    sheets: list[HeaderResult] = field(default_factory=list)  # one per sheet that was read
    workbook: Workbook | None = field(default=None, repr=False)  # kept for the error workbook

    @property
    def header_map(self) -> dict[str, str]:
        """Column key -> header text, for the first imported sheet."""
        return self.sheets[0].header_map() if self.sheets else {}

    @property
    def detected_unit(self) -> str | None:
        """The unit a title row stated (单位：万元), if any, for the first imported sheet."""
        return self.sheets[0].title_unit if self.sheets else None

    @property
    def units(self) -> dict[str, tuple[str | None, str]]:
        """Money and percent column key -> (unit the file used, where from: header | title | default)."""
        if not self.sheets:
            return {}
        return {k: (m.unit, m.unit_source) for k, m in self.sheets[0].columns.items() if m.unit_source}

    @property
    def skipped_totals(self) -> int:
        return sum(1 for s in self.skipped if s.reason == "total")

    def all_problems(self) -> Iterator[Problem]:
        yield from self.problems
        for row in self.rows:
            yield from row.problems

    @property
    def file_errors(self) -> list[Problem]:
        """Errors that concern the whole file or sheet (a missing or ambiguous column, no header):
        with any of these, nothing should be committed even if every row looks fine."""
        return [p for p in self.problems if p.is_error]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.all_problems())

    @property
    def valid_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.ok]

    @property
    def error_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if not r.ok]


def build_code_lookups(spec: DatasetSpec, code_lists: CodeLists) -> dict[str, CodeLookup]:
    missing = spec.code_lists - set(code_lists)
    if missing:
        # A programming error in the Django layer, not the clerk's: fail loudly.
        raise ValueError(f"dataset {spec.key} needs code lists {sorted(missing)}")
    return {name: CodeLookup(name, code_lists[name]) for name in spec.code_lists}


def parse_upload(
    filename: str,
    data: bytes,
    dataset_spec: DatasetSpec,
    *,
    code_lists: CodeLists | None = None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ParseResult:
    """Check, read and parse one upload. Raises UploadRefused (with a clerk-readable reason) for files
    that are unsafe or unreadable; everything wrong *inside* a readable file comes back as problems."""
    lookups = build_code_lookups(dataset_spec, code_lists or {})
    check_upload(filename, data, limits)
    book = read_workbook(filename, data, max_rows=limits.max_rows, max_cells=limits.max_cells)
    result = ParseResult(
        dataset=dataset_spec.key, filename=filename, format=book.format, encoding=book.encoding, workbook=book
    )
    index = AliasIndex(dataset_spec)
    located = [
        (sheet, locate_header(sheet, dataset_spec, index)) for sheet in book.sheets if not sheet.hidden
    ]
    chosen = [(s, h) for s, h in located if _complete(h, dataset_spec)]
    if not chosen:
        # Nothing usable: report the best attempt so the clerk learns what is missing.
        best = max(located, key=lambda sh: sh[1].score, default=None)
        if best is None or not best[1].found:
            result.problems.append(no_header_problem(best[0].name if best else filename, dataset_spec))
        else:
            result.sheets.append(best[1])
            result.problems.extend(best[1].problems)
        return result
    for sheet, header in located:
        if (sheet, header) not in chosen and len(header.columns) >= max(2, len(chosen[0][1].columns) // 2):
            result.problems.append(
                Problem(
                    sheet.name,
                    None,
                    None,
                    msg(
                        f"工作表「{sheet.name}」表头不完整，未导入",
                        f"sheet '{sheet.name}' has an incomplete header; not imported",
                    ),
                    Severity.WARNING,
                )
            )
    for sheet, header in chosen:
        result.sheets.append(header)
        result.problems.extend(header.problems)
        for column in dataset_spec.columns:
            if column.period_from_title and column.key not in header.columns and header.title_period:
                result.problems.append(_period_from_title(sheet.name, header, column))
        parsed = parse_sheet_rows(sheet, header, dataset_spec, lookups)
        result.rows.extend(parsed.rows)
        result.skipped.extend(parsed.skipped)
        result.blank_rows += parsed.blank_rows
    if sum(len(h.columns) for h in result.sheets) and len(result.rows) > limits.max_rows:
        raise UploadRefused(
            msg(
                f"共 {len(result.rows)} 行数据，超过单次导入上限 {limits.max_rows} 行，请拆分成多个文件",
                f"{len(result.rows)} data rows, more than the {limits.max_rows} allowed; split the file",
            )
        )
    _flag_duplicates(result, dataset_spec)
    return result


def _period_from_title(sheet: str, header: HeaderResult, column: ColumnSpec) -> Problem:
    period = header.title_period
    assert period is not None
    return Problem(
        sheet,
        None,
        column.label_zh,
        msg(
            f"表中没有「{column.label_zh}」列，按标题取为 {period.year}年{period.month}月",
            f"no '{column.label_en}' column; taken from the title as {period:%Y-%m}",
        ),
        Severity.WARNING,
        column.key,
    )


def _complete(header: HeaderResult, spec: DatasetSpec) -> bool:
    if not header.found:
        return False
    if header.missing_required:
        return False
    return len(header.columns) >= min(2, len(spec.columns))


def _flag_duplicates(result: ParseResult, spec: DatasetSpec) -> None:
    """Two rows with the same natural key in one file: the later one is an error naming the first."""
    if not spec.natural_key:
        return
    seen: dict[tuple[object, ...], ParsedRow] = {}
    labels = "、".join(spec.column(k).label_zh for k in spec.natural_key)
    for row in result.rows:
        key = tuple(row.values.get(k) for k in spec.natural_key)
        if any(v is None for v in key):
            continue
        first = seen.setdefault(key, row)
        if first is row:
            continue
        where = (
            f"第{first.row_number}行"
            if first.sheet == row.sheet
            else f"工作表「{first.sheet}」第{first.row_number}行"
        )
        where_en = f"row {first.row_number}" + (
            "" if first.sheet == row.sheet else f" of sheet '{first.sheet}'"
        )
        row.problems.append(
            Problem(
                row.sheet,
                row.row_number,
                None,
                msg(
                    f"与{where}重复（{labels}相同）",
                    f"duplicates {where_en} (same {', '.join(spec.natural_key)})",
                ),
            )
        )
