"""Find and understand the header of a sheet.

Government workbooks put title and note rows above the header, split headers over two or three rows
with merged cells (``营业收入`` over ``本期`` / ``同比``), rename columns from year to year, and state units
in the header (``营业收入（万元）``) or in a title row (``单位：亿元``). This module scores every candidate
header band near the top of the sheet against the dataset's alias table and keeps the best one.

Matching is greedy by precision: a header path that equals an alias exactly (``营业收入|本期``) wins over
one matched by its last part (``本期``… rarely) or its first part (``营业收入``), so a dataset that names
the exact two-row path takes it, and a dataset that only knows ``营业收入`` still finds it when it is
unambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from .cells import is_blank, month_of
from .problems import Problem, Severity, msg
from .reading import Sheet
from .spec import MONEY_UNITS, PERCENT_UNIT, ColumnSpec, DatasetSpec, Kind

SCAN_ROWS = 40  # header bands are looked for in the first rows only
MAX_DEPTH = 3
# Row counters and the columns our own error workbook adds: never a problem when unmatched.
IGNORED_HEADERS = frozenset({"序号", "no", "no.", "原行号", "错误说明"})

_UNIT_WORDS = "百万元|千元|万元|亿元|元|万美元|美元|%|‰"
_OTHER_UNITS = frozenset(
    {
        "个",
        "人",
        "家",
        "项",
        "亩",
        "平方米",
        "m2",
        "万平方米",
        "吨",
        "台",
        "套",
        "片",
        "万片",
        "岁",
        "年",
        "月",
        "天",
    }
)
_BRACKETS = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")
_UNIT_NOTE = re.compile(r"单位[:：]?(" + _UNIT_WORDS + r")")
_UNIT_PREFIX = re.compile(r"^(?:金额)?单位[:：]?")
_UNIT_SUFFIX = re.compile(r"(百万元|千元|万元|亿元|%|‰)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MARKERS = re.compile(r"[*＊※:：\"'“”‘’]")
_TITLE_PERIOD = re.compile(
    r"(\d{4})年(?:(?:1|一|01)?[-~—–至到]?\d{1,2}月|上半年|前三季度|[一二三四1-4]季度|第[一二三四]季度|全年)"
)
FOREIGN = frozenset({"美元", "万美元"})


@dataclass(frozen=True)
class HeaderName:
    """One header cell reduced to what matching needs."""

    full: str  # normalised name, bracket content kept ("营业收入本期")
    short: str  # normalised name, bracket content dropped ("营业收入")
    unit: str | None  # a money unit, "%" or a foreign currency found in the text


def normalise_name(text: str) -> HeaderName:
    """'＊营业收入（万元）' -> full='营业收入', unit='万元' (full-width folded, whitespace, markers gone)."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    folded = _MARKERS.sub("", _CONTROL.sub("", folded)).casefold()  # \x00 is our placeholder below
    unit = None
    kept: list[str] = []

    def bracket(m: re.Match[str]) -> str:
        nonlocal unit
        inner = _UNIT_PREFIX.sub("", m.group(1))
        if inner in MONEY_UNITS or inner in FOREIGN or inner in (PERCENT_UNIT, "‰"):
            unit = inner
            return ""
        if inner in _OTHER_UNITS or not inner:
            return ""
        kept.append(inner)
        return "\x00"  # placeholder: kept in `full`, dropped in `short`

    body = _BRACKETS.sub(bracket, folded)
    note = _UNIT_NOTE.search(body)
    if note:
        unit = unit or note.group(1)
        body = body[: note.start()] + body[note.end() :]
    bare = _UNIT_PREFIX.sub("", body)
    if bare in MONEY_UNITS or bare in FOREIGN or bare == PERCENT_UNIT:
        return HeaderName("", "", bare)
    suffix = _UNIT_SUFFIX.search(body)
    if suffix and suffix.start() > 0:
        unit = unit or suffix.group(1)
        body = body[: suffix.start()]
    parts = iter(kept)
    full = re.sub("\x00", lambda _m: next(parts), body)
    short = body.replace("\x00", "")
    return HeaderName(full, short, unit)


@dataclass
class ColumnMatch:
    key: str
    col: int  # 0-based column index
    header: str  # the header text as the clerk sees it, parts joined with "|"
    unit: str | None  # money unit for money columns (from header, title or default)
    unit_source: str  # "header" | "title" | "cell" | "default"
    percent_points: bool = False
    level: int = 0


@dataclass
class HeaderResult:
    sheet: str
    first_row: int = -1  # 0-based index of the first header row; -1 when no header was found
    depth: int = 0
    columns: dict[str, ColumnMatch] = field(default_factory=dict)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    ambiguous: dict[str, list[int]] = field(default_factory=dict)
    missing_required: list[str] = field(default_factory=list)
    title_unit: str | None = None
    title_period: dt.date | None = None
    title_text: str = ""
    score: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.first_row >= 0

    @property
    def data_start(self) -> int:
        """0-based index of the first row below the header band."""
        return self.first_row + self.depth

    def header_map(self) -> dict[str, str]:
        """Dataset column key -> the header text it was read from."""
        return {key: m.header for key, m in self.columns.items()}


class AliasIndex:
    """Normalised alias path -> column key, built once per dataset."""

    def __init__(self, spec: DatasetSpec) -> None:
        self.spec = spec
        self.index: dict[str, str] = {}
        exact: dict[str, str] = {}
        for column in spec.columns:
            for name in column.names:
                full, short = _alias_variants(name)
                # Two columns claiming the same header text is a mistake in the declaration, not in
                # the clerk's file: fail at start-up. A bracket-stripped form may be shared: first wins.
                if exact.setdefault(full, column.key) != column.key:
                    raise ValueError(f"{spec.key}: header {name!r} names both {exact[full]} and {column.key}")
                self.index[full] = column.key
                self.index.setdefault(short, column.key)

    def get(self, name: str) -> str | None:
        return self.index.get(name)


def _alias_variants(alias: str) -> tuple[str, str]:
    """(bracket content kept, bracket content dropped) forms of an alias, parts joined with '|'."""
    parts = [normalise_name(p) for p in alias.split("|")]
    full = "|".join(p.full for p in parts if p.full)
    short = "|".join(p.short for p in parts if p.short)
    return full, short


def _candidates(parts: list[HeaderName]) -> list[str]:
    """Names to try for one header path, most precise first."""
    n = len(parts)
    spans = [(0, n)]
    spans += [(i, n) for i in range(1, n)]  # suffixes: the lower, more specific rows
    spans += [(0, j) for j in range(n - 1, 0, -1)]  # prefixes: the group header
    out: list[str] = []
    for i, j in spans:
        for attr in ("full", "short"):
            name = "|".join(getattr(p, attr) for p in parts[i:j] if getattr(p, attr))
            if name and name not in out:
                out.append(name)
    return out


def _text(value: object) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _filled_top(sheet: Sheet, n_rows: int) -> list[list[str]]:
    """The first rows as text, with every merged range filled from its top-left cell."""
    width = max((len(sheet.grid[r]) for r in range(n_rows)), default=0)
    rows = [[_text(sheet.cell(r, c)) for c in range(width)] for r in range(n_rows)]
    for r1, c1, r2, c2 in sheet.merged:
        if r1 >= n_rows:
            continue
        value = rows[r1][c1] if c1 < width else ""
        for r in range(r1, min(r2, n_rows - 1) + 1):
            for c in range(c1, min(c2, width - 1) + 1):
                rows[r][c] = value
    return rows


def _band_paths(rows: list[list[str]], start: int, depth: int) -> list[tuple[list[str], list[HeaderName]]]:
    """Per column: the raw header parts and their normalised names, for a band of `depth` rows."""
    band = [list(rows[start + i]) for i in range(depth)]
    width = len(band[0]) if band else 0
    # Unmerged group headers (CSV, or a clerk who typed the group once): a blank upper cell over a
    # labelled lower cell belongs to the nearest group label on its left, if that label is a group too.
    for i in range(depth - 1):
        upper, below = band[i], band[i + 1 :]
        for c in range(width):
            if upper[c] or not any(row[c] for row in below):
                continue
            left = c - 1
            while left >= 0 and not upper[left]:
                left -= 1
            if left >= 0 and any(row[left] for row in below):
                upper[c] = upper[left]
    out = []
    for c in range(width):
        raw: list[str] = []
        for row in band:
            if row[c] and (not raw or raw[-1] != row[c]):  # a vertical merge repeats the same text
                raw.append(row[c])
        out.append((raw, [normalise_name(t) for t in raw]))
    return out


@dataclass
class _Band:
    start: int
    depth: int
    columns: dict[str, tuple[int, int]]  # key -> (col, level)
    ambiguous: dict[str, list[int]]
    paths: list[tuple[list[str], list[HeaderName]]]
    score: int


def _match_band(
    index: AliasIndex, paths: list[tuple[list[str], list[HeaderName]]], start: int, depth: int
) -> _Band:
    candidates = [_candidates(names) for _raw, names in paths]
    assigned: dict[str, tuple[int, int]] = {}
    taken: set[int] = set()
    ambiguous: dict[str, list[int]] = {}
    levels = max((len(c) for c in candidates), default=0)
    for level in range(levels):
        proposals: dict[str, list[int]] = {}
        for col, names in enumerate(candidates):
            if col in taken or level >= len(names):
                continue
            key = index.get(names[level])
            if key and key not in assigned and key not in ambiguous:
                proposals.setdefault(key, []).append(col)
        for key, cols in proposals.items():
            if len(cols) == 1:
                assigned[key] = (cols[0], level)
                taken.add(cols[0])
            else:
                ambiguous[key] = cols
    score = sum(max(1, 8 - level) for _col, level in assigned.values())
    return _Band(start, depth, assigned, ambiguous, paths, score)


def locate_header(sheet: Sheet, spec: DatasetSpec, index: AliasIndex | None = None) -> HeaderResult:
    """Find the header band of one sheet and map its columns to the dataset's columns."""
    index = index or AliasIndex(spec)
    n_scan = min(sheet.n_rows, SCAN_ROWS + MAX_DEPTH)
    rows = _filled_top(sheet, n_scan)
    best: _Band | None = None
    for start in range(min(sheet.n_rows, SCAN_ROWS)):
        if sum(1 for v in rows[start] if v) == 0:
            continue
        for depth in range(1, MAX_DEPTH + 1):
            if start + depth > n_scan:
                break
            band = _match_band(index, _band_paths(rows, start, depth), start, depth)
            # On a tie the thinner band wins: a title or unit row above a header adds nothing.
            if band.score and (
                best is None or band.score > best.score or (band.score == best.score and depth < best.depth)
            ):
                best = band
    result = HeaderResult(sheet=sheet.name)
    if best is None:
        return result
    result.first_row, result.depth, result.score = best.start, best.depth, best.score
    result.ambiguous = best.ambiguous
    title_cells = [v for r in range(best.start) for v in rows[r] if v]
    result.title_text = " ".join(title_cells)
    for text in title_cells:
        note = _UNIT_NOTE.search(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
        if note and result.title_unit is None:
            result.title_unit = note.group(1)
        period = _TITLE_PERIOD.search(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
        if period and result.title_period is None:
            result.title_period = month_of(period.group(0))
    matched_cols = {col for col, _level in best.columns.values()}
    matched_cols |= {col for cols in best.ambiguous.values() for col in cols}  # reported as ambiguous
    for col, (raw, names) in enumerate(best.paths):
        if col in matched_cols or not raw:
            continue
        unit_only = all(not n.full for n in names)
        if unit_only:  # a "单位：万元" note sitting in the header row
            result.title_unit = result.title_unit or next((n.unit for n in names if n.unit), None)
            continue
        if any(n.short in IGNORED_HEADERS for n in names) and len(names) == 1:
            continue
        result.unknown.append((col, "|".join(raw)))
    for key, (col, level) in best.columns.items():
        raw, names = best.paths[col]
        header_unit = next((n.unit for n in reversed(names) if n.unit), None)
        result.columns[key] = ColumnMatch(
            key=key,
            col=col,
            header="|".join(raw),
            unit=header_unit,
            unit_source="header" if header_unit else "",
            level=level,
        )
    _resolve_units(result, spec)
    _report(result, spec)
    return result


def _resolve_units(result: HeaderResult, spec: DatasetSpec) -> None:
    for key, match in result.columns.items():
        column = spec.column(key)
        if column.kind is Kind.MONEY:
            if match.unit in FOREIGN or (match.unit is None and result.title_unit in FOREIGN):
                continue  # reported by _report
            if match.unit in MONEY_UNITS:
                continue
            if result.title_unit in MONEY_UNITS:
                match.unit, match.unit_source = result.title_unit, "title"
            else:
                match.unit, match.unit_source = column.default_unit, "default"
        elif column.kind is Kind.PERCENT:
            match.percent_points = match.unit == PERCENT_UNIT
        else:
            match.unit, match.unit_source = None, ""


def _report(result: HeaderResult, spec: DatasetSpec) -> None:
    sheet = result.sheet
    header_row = result.first_row + 1

    def add(
        message: str, column: ColumnSpec | None = None, label: str | None = None, warn: bool = False
    ) -> None:
        result.problems.append(
            Problem(
                sheet=sheet,
                row=header_row,
                column_label=label or (column.label_zh if column else None),
                message=message,
                severity=Severity.WARNING if warn else Severity.ERROR,
                column_key=column.key if column else None,
            )
        )

    for key, cols in result.ambiguous.items():
        column = spec.column(key)
        letters = "、".join(column_letter(c) for c in cols)
        add(
            msg(
                f"有多列（{letters}列）都可能是「{column.label_zh}」，请修改表头使其唯一",
                f"several columns ({letters}) could be '{column.label_en}'; make the header unique",
            ),
            column,
        )
    for key, match in result.columns.items():
        column = spec.column(key)
        foreign = match.unit if match.unit in FOREIGN else None
        foreign = foreign or (
            result.title_unit if match.unit is None and result.title_unit in FOREIGN else None
        )
        if column.kind is Kind.MONEY and foreign:
            add(
                msg(
                    f"金额单位为{foreign}，本系统以人民币记账，请换算为人民币后再导入",
                    f"amounts are in {foreign}; convert them to RMB before importing",
                ),
                column,
                match.header,
            )
        elif column.kind is Kind.PERCENT and not match.percent_points:
            add(
                msg(
                    "表头未注明“%”，数值按比例读取（0.125 即 12.5%）；如填的是百分数，请在表头加“（%）”",
                    "no '%' in the header: numbers read as ratios (0.125 = 12.5%); add '(%)' for percents",
                ),
                column,
                match.header,
                warn=True,
            )
        elif column.kind is Kind.MONEY and match.unit_source == "default":
            add(
                msg(
                    f"表头和标题都未注明金额单位，按{match.unit}处理；如不是，请在表头写明单位（如“（万元）”）",
                    f"no unit in the header or title; read as {match.unit}. State it, e.g. '（万元）'",
                ),
                column,
                match.header,
                warn=True,
            )
    for _col, text in result.unknown:
        add(
            msg(f"「{text}」不是本数据集的列，已忽略", f"'{text}' is not a column of this dataset; ignored"),
            label=text,
            warn=True,
        )
    for column in spec.columns:
        if column.key in result.columns or column.key in result.ambiguous:
            continue
        if column.period_from_title and result.title_period is not None:
            continue
        if column.required:
            result.missing_required.append(column.key)
            examples = "、".join(dict.fromkeys([column.label_zh, *column.aliases[:3]]))
            add(
                msg(
                    f"缺少必填列「{column.label_zh}」（可用的列名：{examples}）",
                    f"required column '{column.label_en}' is missing",
                ),
                column,
            )


def column_letter(col: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def no_header_problem(sheet: str, spec: DatasetSpec) -> Problem:
    names = "、".join(c.label_zh for c in spec.columns[:4])
    return Problem(
        sheet=sheet,
        row=None,
        column_label=None,
        message=msg(
            f"前{SCAN_ROWS}行中找不到表头（应包含 {names} 等列名），请使用导入模板",
            f"no header in the first {SCAN_ROWS} rows (expected columns such as {names}); use the template",
        ),
    )
