"""Dataset declarations: what columns a dataset has, how each is read, and which columns identify a row.

A new dataset (project progress, supply survey, applications …) is a new :class:`DatasetSpec`, never a
new code path: reading, header matching, cell parsing, templates and error workbooks all work from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    DECIMAL = "decimal"  # a plain number, never scaled
    MONEY = "money"  # stored in yuan (元); 千元/万元/亿元 in a header, title or cell scale it
    INT = "int"
    PERCENT = "percent"  # stored as a ratio: 12.3% -> Decimal("0.123")
    DATE = "date"
    MONTH = "month"  # a statistical period, stored as the first day of the month
    BOOL = "bool"  # 是/否
    CODE = "code"  # an identifier or a member of a code list (areas, towns, chain nodes …)


# Money units seen in Chinese statistical tables, as multiples of the stored unit (元).
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10_000),
    "百万元": Decimal(1_000_000),
    "亿元": Decimal(100_000_000),
}
PERCENT_UNIT = "%"

# A row validator looks at the parsed values of one row (None = missing or unreadable, so it must cope
# with None) and yields (column key or None, message) or (column key or None, message, "warning");
# the message follows the bilingual convention of problems.msg.
RowIssue = tuple[str | None, str] | tuple[str | None, str, str]
RowValidator = Callable[[Mapping[str, object]], Iterable[RowIssue]]


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label_zh: str
    label_en: str
    kind: Kind = Kind.TEXT
    aliases: tuple[
        str, ...
    ] = ()  # other header texts seen in real files; "营业收入|本期" for two-row headers
    required: bool = False
    code_list: str | None = None  # name of a code list passed to parse_upload / the template writer
    # Money: the unit assumed (with a warning) when neither the header nor the title names one, and the
    # unit the template asks for. Government tables are mostly in 万元.
    default_unit: str = "万元"
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    max_length: int | None = None  # text and code columns
    # Month columns: when the column is absent, take the period from a title row ("2025年1-6月…").
    period_from_title: bool = False
    help_zh: str = ""  # one line for the instructions sheet of the template

    def __post_init__(self) -> None:
        if self.kind is Kind.MONEY and self.default_unit not in MONEY_UNITS:
            raise ValueError(f"{self.key}: unknown money unit {self.default_unit!r}")
        if self.code_list and self.kind is not Kind.CODE:
            raise ValueError(f"{self.key}: only code columns take a code list")

    @property
    def names(self) -> tuple[str, ...]:
        """Every header text that names this column, the labels first."""
        return (self.label_zh, self.label_en, *self.aliases)

    def template_header(self) -> str:
        """The header the template prints: required columns starred, the unit in brackets."""
        star = "*" if self.required else ""
        if self.kind is Kind.MONEY:
            return f"{star}{self.label_zh}（{self.default_unit}）"
        if self.kind is Kind.PERCENT:
            return f"{star}{self.label_zh}（%）"
        return f"{star}{self.label_zh}"


@dataclass(frozen=True)
class DatasetSpec:
    key: str
    title_zh: str
    title_en: str
    columns: tuple[ColumnSpec, ...]
    natural_key: tuple[str, ...] = ()  # columns that identify a row; duplicates in one file are errors
    row_validator: RowValidator | None = None
    instructions_zh: tuple[str, ...] = ()  # dataset-specific lines for the template's instructions sheet
    by_key: dict[str, ColumnSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key = {c.key: c for c in self.columns}
        if len(by_key) != len(self.columns):
            raise ValueError(f"{self.key}: duplicate column keys")
        missing = [k for k in self.natural_key if k not in by_key]
        if missing:
            raise ValueError(f"{self.key}: natural key names unknown columns {missing}")
        object.__setattr__(self, "by_key", by_key)
        from .headers import AliasIndex  # deferred: headers imports this module

        AliasIndex(self)  # a header text claimed by two columns fails here, when the dataset is declared

    def column(self, key: str) -> ColumnSpec:
        return self.by_key[key]

    @property
    def code_lists(self) -> set[str]:
        return {c.code_list for c in self.columns if c.code_list}


CodeLists = Mapping[str, Iterable[tuple[str, str]]]  # name -> (code, label) pairs
