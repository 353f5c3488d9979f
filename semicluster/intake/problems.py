"""Problems reported to the person who uploaded a file.

Every message is bilingual, Chinese first (the clerk's language) then English, joined by `` / ``
as the project convention asks; the location (sheet, Excel row, column) is kept in separate fields
so the preview can sort and group them and the error workbook can place them next to the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # the row (or file) cannot be imported as it is
    WARNING = "warning"  # imported, but the clerk should look (an ignored column, an assumed unit)


def msg(zh: str, en: str) -> str:
    """Join the Chinese and the English text of one message."""
    return f"{zh} / {en}"


@dataclass(frozen=True, slots=True)
class Problem:
    sheet: str | None
    row: int | None  # 1-based Excel row number, None for sheet- or file-level problems
    column_label: str | None  # the header text as the clerk sees it in their file
    message: str
    severity: Severity = Severity.ERROR
    column_key: str | None = None  # the dataset column it concerns, when known

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column_label:
            parts.append(f"「{self.column_label}」列")
        return "".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}：{self.message}" if where else self.message
