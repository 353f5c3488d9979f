"""Turn one spreadsheet cell into an exact value, or say in plain words why it cannot be read.

Rules (issue 3 / ecosystem §1): full-width digits and punctuation are folded (NFKC); thousands
separators are removed; ``—`` ``-`` ``/`` ``无`` and blank mean *missing* (None), which is not 0; Excel
error values are problems; money becomes Decimal yuan with Decimal arithmetic only; percentages are
ratios; dates accept Excel serials, datetimes and the usual Chinese spellings.

Each column gets a parser closure built once (``make_parser``), because the hot loop of a 100,000-row
import calls it a million times.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Context, Decimal, InvalidOperation

from .problems import msg
from .spec import MONEY_UNITS, ColumnSpec, Kind

Parsed = tuple[object, str | None]  # (value or None, problem message or None)
CellParser = Callable[[object], Parsed]

MISSING_TOKENS = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "—",
        "——",
        "–",
        "/",
        "//",
        "\\",
        "无",
        "暂无",
        "空",
        "n/a",
        "na",
        "null",
        "none",
        "nil",
    }
)
_MISSING_MAX = 8  # longer text is never a missing token, even before folding
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#GETTING_DATA",
        "#BLOCKED!",
        "#BUSY!",
        "#CONNECT!",
        "#UNKNOWN!",
        "#PYTHON!",
        "#ERROR!",
    }
)
_WHITESPACE = re.compile(r"\s+")
_ONE = Decimal(1)
_LIMIT = Decimal(10) ** 18  # no cluster figure is near 10^18; larger is a typo or a pasted ID
_EXACT = Context(prec=60)  # scaling a number of at most 18+ digits by 10^8 never rounds here
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Lotus's phantom 1900-02-29 absorbed


def fold(text: str) -> str:
    """Full-width to half-width (NFKC) and all whitespace removed: the form every comparison uses."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def shown(value: object) -> str:
    """The raw value as quoted back to the clerk (short)."""
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def is_missing_text(text: str) -> bool:
    return fold(text).lower() in MISSING_TOKENS


def excel_error_message(code: str) -> str:
    return msg(
        f"单元格是 Excel 错误值 {code}（通常是公式出错），请改为数值或留空",
        f"the cell holds the Excel error {code} (usually a broken formula); enter a value or leave it blank",
    )


# --- numbers -----------------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)[¥$]?(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?P<frac>\.\d*)?(?P<exp>[eE][+-]?\d{1,3})?"
    r"(?P<unit>%|‰|元|千元|万元|百万元|亿元|万|亿)?$"
)
_CELL_UNITS = {"万": "万元", "亿": "亿元"}


def float_to_decimal(value: float) -> Decimal | None:
    """The number as Excel displays it (15 significant digits), so 0.1+0.2 reads as 0.3."""
    if not math.isfinite(value):
        return None
    return _plain(Decimal(format(value, ".15g")))


def _plain(d: Decimal) -> Decimal:
    """Integral values without exponent or trailing '.0' (1E+3 -> 1000, 12.0 -> 12) when small enough."""
    if d == d.to_integral_value() and d.adjusted() < 40:
        return d.quantize(_ONE, context=_EXACT)
    return d


def parse_number_text(text: str) -> tuple[Decimal, str | None] | None:
    """'１,２３４.５万' -> (Decimal('1234.5'), '万元'); None when the text is not a number."""
    folded = fold(text).replace("，", ",")
    m = _NUMBER.match(folded)
    if not m or not (m.group("int") or (m.group("frac") or "").strip(".")):
        return None
    try:
        number = Decimal(
            m.group("sign")
            + (m.group("int") or "0").replace(",", "")
            + (m.group("frac") or "")
            + (m.group("exp") or "")
        )
    except InvalidOperation:
        return None
    if m.group("exp"):
        number = _plain(number)
    unit = m.group("unit")
    return number, _CELL_UNITS.get(unit, unit) if unit else None


def _not_a_number(value: object) -> str:
    return msg(f"「{shown(value)}」不是数字", f"'{shown(value)}' is not a number")


def _numeric(value: object) -> tuple[Decimal | None, str | None, str | None]:
    """(number, unit written in the cell, problem) for any cell value."""
    number, unit, problem = _numeric_unbounded(value)
    if number is not None and abs(number) >= _LIMIT:
        return None, None, _too_large(value)
    return number, unit, problem


def _too_large(value: object) -> str:
    return msg(f"数值「{shown(value)}」过大，请检查", f"the number '{shown(value)}' is implausibly large")


def _numeric_unbounded(value: object) -> tuple[Decimal | None, str | None, str | None]:
    if type(value) is float:
        d = float_to_decimal(value)
        return (d, None, None) if d is not None else (None, None, _not_a_number(value))
    if type(value) is int:
        return Decimal(value), None, None
    if isinstance(value, str):
        parsed = parse_number_text(value)
        if parsed is None:
            return None, None, _not_a_number(value)
        return parsed[0], parsed[1], None
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return None, None, _not_a_number(value)
    return None, None, _not_a_number(value)


def _bounds(column: ColumnSpec, number: Decimal, scale: Decimal = Decimal(1)) -> str | None:
    if column.min_value is not None and number < column.min_value:
        if column.min_value == 0:
            return msg("不能为负数", "must not be negative")
        low = column.min_value / scale
        return msg(f"不能小于 {low}", f"must be at least {low}")
    if column.max_value is not None and number > column.max_value:
        high = column.max_value / scale
        return msg(f"不能大于 {high}", f"must be at most {high}")
    return None


# --- dates -------------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\d:.]*)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:月份?|月末)?(?:累计)?$")
_MONTH_RANGE = re.compile(r"^(\d{4})年?(?:1|一|01)?[-~—–至到](\d{1,2})月(?:份)?(?:累计|末)?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_QUARTERS = {
    "一季度": 3,
    "第一季度": 3,
    "1季度": 3,
    "上半年": 6,
    "二季度": 6,
    "第二季度": 6,
    "2季度": 6,
    "半年": 6,
    "前三季度": 9,
    "三季度": 9,
    "第三季度": 9,
    "3季度": 9,
    "全年": 12,
    "四季度": 12,
    "第四季度": 12,
    "4季度": 12,
    "年度": 12,
}
_PERIOD_WORDS = re.compile(
    r"^(\d{4})年?(" + "|".join(sorted(_QUARTERS, key=len, reverse=True)) + r")(?:累计)?$"
)


def _make_date(y: int, m: int, d: int) -> dt.date | None:
    if not 1900 <= y <= 2200:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _serial_to_date(value: float) -> dt.date | None:
    if not math.isfinite(value) or not 1 <= value < 110_000:  # serial 110000 is in 2201
        return None
    return _make_date_from(_EXCEL_EPOCH + dt.timedelta(days=int(value)))


def _make_date_from(day: dt.date) -> dt.date | None:
    return day if 1900 <= day.year <= 2200 else None


def _bad_date(value: object) -> str:
    return msg(
        f"「{shown(value)}」不是有效日期（示例：2025-06-30）",
        f"'{shown(value)}' is not a valid date (e.g. 2025-06-30)",
    )


def _bad_month(value: object) -> str:
    return msg(
        f"「{shown(value)}」不是有效月份（示例：2025-06 或 2025年6月）",
        f"'{shown(value)}' is not a valid month (e.g. 2025-06 or 2025年6月)",
    )


def parse_date(value: object) -> Parsed:
    if isinstance(value, dt.datetime):
        return _checked(value.date(), value)
    if isinstance(value, dt.date):
        return _checked(value, value)
    if type(value) in (int, float):
        number = float(value)  # type: ignore[arg-type]
        if float(number).is_integer() and 19000101 <= number <= 22001231:
            return _text_date(str(int(number)), value)
        day = _serial_to_date(number)
        return (day, None) if day else (None, _bad_date(value))
    if isinstance(value, str):
        return _text_date(fold(value), value)
    return None, _bad_date(value)


def _checked(day: dt.date, raw: object) -> Parsed:
    return (day, None) if 1900 <= day.year <= 2200 else (None, _bad_date(raw))


def _text_date(text: str, raw: object) -> Parsed:
    m = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if m:
        day = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (day, None) if day else (None, _bad_date(raw))
    if month_of(text) is not None:
        return None, msg(
            f"「{shown(raw)}」只有年月，缺少日（示例：2025-06-30）",
            f"'{shown(raw)}' has a month but no day (e.g. 2025-06-30)",
        )
    return None, _bad_date(raw)


def month_of(text: str) -> dt.date | None:
    """The month a period label names: '2025年6月', '2025-06', '2025年1-6月', '2025年上半年' …"""
    text = fold(text)
    for pattern in (_MONTH_TEXT, _MONTH_RANGE, _MONTH_COMPACT):
        m = pattern.match(text)
        if m:
            return _make_date(int(m.group(1)), int(m.group(2)), 1)
    m = _PERIOD_WORDS.match(text)
    if m:
        return _make_date(int(m.group(1)), _QUARTERS[m.group(2)], 1)
    m = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if m:
        day = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return day.replace(day=1) if day else None
    return None


def parse_month(value: object) -> Parsed:
    if isinstance(value, dt.date):  # datetime is a date too
        return _checked(dt.date(value.year, value.month, 1), value)
    if type(value) is int or (type(value) is float and float(value).is_integer()):
        number = int(value)  # type: ignore[call-overload]
        if 190001 <= number <= 220012:
            month = _make_date(number // 100, number % 100, 1)
            return (month, None) if month else (None, _bad_month(value))
        if 19000101 <= number <= 22001231:
            month = month_of(str(number))
            return (month, None) if month else (None, _bad_month(value))
        day = _serial_to_date(number)
        return (day.replace(day=1), None) if day else (None, _bad_month(value))
    if type(value) is float:
        # "2025.06" typed into Excel becomes the number 2025.06; "2025.10" becomes 2025.1, the same
        # number as "2025.1" (January) — so one-decimal forms are ambiguous and must be asked about.
        text = format(value, ".10g")
        m = re.match(r"^(\d{4})\.(\d+)$", text)
        if m and len(m.group(2)) == 2:
            month = _make_date(int(m.group(1)), int(m.group(2)), 1)
            return (month, None) if month else (None, _bad_month(value))
        if m and len(m.group(2)) == 1:
            year, digit = m.group(1), m.group(2)
            return None, msg(
                f"「{text}」无法区分是{digit}月还是{digit}0月，请写成 {year}-0{digit} 这样的格式",
                f"'{text}' could be month {digit} or {digit}0; write it as {year}-0{digit}",
            )
        return None, _bad_month(value)
    if isinstance(value, str):
        month = month_of(value)
        return (month, None) if month else (None, _bad_month(value))
    return None, _bad_month(value)


# --- booleans, codes, text ---------------------------------------------------------------------------

_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "对", "有"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "x", "不是", "非"})


def parse_bool(value: object) -> Parsed:
    if type(value) is bool:
        return value, None
    key = fold(str(value)).lower() if not isinstance(value, float) else format(value, "g")
    if key in _TRUE:
        return True, None
    if key in _FALSE:
        return False, None
    return None, msg(f"「{shown(value)}」应填“是”或“否”", f"'{shown(value)}' should be 是 (yes) or 否 (no)")


def _as_text(value: object) -> str:
    if type(value) is float:
        d = float_to_decimal(value)
        return str(d) if d is not None else str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if type(value) is bool:
        return "是" if value else "否"
    return str(value)


def code_key(text: str) -> str:
    return fold(text).casefold()


class CodeLookup:
    """Accept a code list member by its code or by its label, in any width or case."""

    def __init__(self, name: str, pairs: Iterable[tuple[str, str]]) -> None:
        self.name = name
        self.pairs = [(str(code), str(label)) for code, label in pairs]
        self.index: dict[str, str] = {}
        for code, label in self.pairs:
            self.index.setdefault(code_key(label), code)
        for code, _label in self.pairs:  # codes win over a label that happens to equal another code
            self.index[code_key(code)] = code

    def resolve(self, text: str) -> str | None:
        return self.index.get(code_key(text))

    def sample(self, n: int = 6) -> str:
        labels = [label for _code, label in self.pairs[:n]]
        return "、".join(labels) + ("…" if len(self.pairs) > n else "")


# --- one parser per column ---------------------------------------------------------------------------


_CACHE_LIMIT = 10_000


def make_parser(
    column: ColumnSpec,
    *,
    unit: str | None = None,
    percent_points: bool = False,
    codes: CodeLookup | None = None,
) -> CellParser:
    """Build the parser for one column.

    ``unit`` is the money unit the header or title gave (None: the column's default); ``percent_points``
    says the header carried "%", so a bare 12.3 means 12.3% rather than the ratio 12.3.
    """
    parser = _make_parser(column, unit=unit, percent_points=percent_points, codes=codes)
    if column.kind is Kind.TEXT:
        return parser
    # Periods, towns, 是/否 … repeat on every row: remember what each distinct text parsed to.
    cache: dict[str, Parsed] = {}

    def cached(value: object) -> Parsed:
        if type(value) is not str:
            return parser(value)
        hit = cache.get(value)
        if hit is None:
            hit = parser(value)
            if len(cache) < _CACHE_LIMIT:
                cache[value] = hit
        return hit

    return cached


def _make_parser(
    column: ColumnSpec,
    *,
    unit: str | None,
    percent_points: bool,
    codes: CodeLookup | None,
) -> CellParser:
    kind = column.kind

    def missing_or_error(value: object) -> Parsed | None:
        """Common prologue: blank and missing tokens -> None, Excel error text -> problem."""
        if value is None or value == "":
            return None, None
        if isinstance(value, str):
            stripped = value.strip()
            if stripped[:1] == "#" and stripped.upper() in EXCEL_ERRORS:
                return None, excel_error_message(stripped.upper())
            if len(stripped) <= _MISSING_MAX and is_missing_text(stripped):  # the tokens are all short
                return None, None
        return None

    if kind is Kind.MONEY:
        column_scale = MONEY_UNITS[unit or column.default_unit]

        def parse_money(value: object) -> Parsed:
            if type(value) is float:  # the hot path: a plain number in a numeric cell
                text = format(value, ".15g")  # as Excel shows it; below 1e15 this never has an exponent
                if "e" in text or "n" in text:  # exponent, nan, inf: the careful path
                    d = float_to_decimal(value)
                    if d is None:
                        return None, _not_a_number(value)
                    if abs(d) >= _LIMIT:
                        return None, _too_large(value)
                    amount = _plain(_EXACT.multiply(d, column_scale))
                else:
                    # At most 15 digits times a power of ten: exact in any context.
                    amount = Decimal(text) * column_scale
                    if "." in text:
                        amount = _plain(amount)  # 1234.5 万元 -> 12345000, not 12345000.0
                if column.min_value is None and column.max_value is None:
                    return amount, None
                return _bounded(amount)
            early = missing_or_error(value)
            if early is not None:
                return early
            number, cell_unit, problem = _numeric(value)
            if problem or number is None:
                return None, problem
            if cell_unit in ("%", "‰"):
                return None, msg(
                    f"金额「{shown(value)}」不应带百分号", f"amount '{shown(value)}' has a % sign"
                )
            return _bounded(
                _plain(_EXACT.multiply(number, MONEY_UNITS[cell_unit] if cell_unit else column_scale))
            )

        def _bounded(amount: Decimal) -> Parsed:
            problem = _bounds(column, amount)
            return (None, problem) if problem else (amount, None)

        return parse_money

    if kind in (Kind.DECIMAL, Kind.INT, Kind.PERCENT):
        bounded = column.min_value is not None or column.max_value is not None

        def parse_numberish(value: object) -> Parsed:
            if kind is Kind.INT and type(value) is float and value.is_integer() and abs(value) < 1e15:
                whole = int(value)  # the hot path for head counts and the like
                limit_problem = _bounds(column, Decimal(whole)) if bounded else None
                return (None, limit_problem) if limit_problem else (whole, None)
            early = missing_or_error(value)
            if early is not None:
                return early
            number, cell_unit, problem = _numeric(value)
            if problem or number is None:
                return None, problem
            if kind is Kind.PERCENT:
                if cell_unit == "%":
                    number = number.scaleb(-2, context=_EXACT)
                elif cell_unit == "‰":
                    number = number.scaleb(-3, context=_EXACT)
                elif cell_unit:
                    return None, msg(f"「{shown(value)}」不是百分比", f"'{shown(value)}' is not a percentage")
                elif percent_points:
                    number = number.scaleb(-2, context=_EXACT)
            elif cell_unit:
                return None, msg(
                    f"「{shown(value)}」带有单位或符号，请只填数字",
                    f"'{shown(value)}' carries a unit; enter a number",
                )
            problem = _bounds(column, number)
            if problem:
                return None, problem
            if kind is Kind.INT:
                if number != number.to_integral_value():
                    return None, msg(
                        f"「{shown(value)}」应为整数", f"'{shown(value)}' should be a whole number"
                    )
                return int(number), None
            return number, None

        return parse_numberish

    if kind is Kind.DATE:

        def parse_date_cell(value: object) -> Parsed:
            early = missing_or_error(value)
            return early if early is not None else parse_date(value)

        return parse_date_cell

    if kind is Kind.MONTH:

        def parse_month_cell(value: object) -> Parsed:
            early = missing_or_error(value)
            return early if early is not None else parse_month(value)

        return parse_month_cell

    if kind is Kind.BOOL:

        def parse_bool_cell(value: object) -> Parsed:
            early = missing_or_error(value)
            return early if early is not None else parse_bool(value)

        return parse_bool_cell

    if kind is Kind.CODE:

        def parse_code(value: object) -> Parsed:
            early = missing_or_error(value)
            if early is not None:
                return early
            text = _as_text(value)
            if codes is not None:
                code = codes.resolve(text)
                if code is None:
                    return None, msg(
                        f"「{shown(value)}」不在「{column.label_zh}」代码表中（可选：{codes.sample()}）",
                        f"'{shown(value)}' is not in the {column.label_en} code list",
                    )
                return code, None
            code = fold(text).upper()
            if column.max_length and len(code) > column.max_length:
                return None, _too_long(column, value)
            return code, None

        return parse_code

    def parse_text(value: object) -> Parsed:
        early = missing_or_error(value)
        if early is not None:
            return early
        text = _as_text(value).strip()
        if column.max_length and len(text) > column.max_length:
            return None, _too_long(column, value)
        return text, None

    return parse_text


def _too_long(column: ColumnSpec, value: object) -> str:
    return msg(
        f"「{shown(value)}」超过 {column.max_length} 个字符",
        f"'{shown(value)}' is longer than {column.max_length}",
    )
