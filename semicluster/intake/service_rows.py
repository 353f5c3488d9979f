"""Rows written through a domain service: what the adapters of the domain apps share.

An adapter whose rows go through the app's service (``services.need_import_row``,
``services.work_item_decompose`` …) tries each row through that service in the preview, in a savepoint
that is always rolled back, so a row the service would refuse is an error naming the row (and, where the
refusal names a field, its column) before anything is written. At commit the same service call runs for
real; a refusal then becomes ``ImportFailed`` naming the row, and the commit's own transaction rolls the
whole batch back.

``ServiceRowsAdapter`` puts this together for an ``Adapter`` subclass: set ``spec``, ``field_columns``
(a service's field → the dataset column to name) and, where the service refuses with other exceptions,
``refusals``; then ``self.attempt(row, call)`` (or ``self.checked(change, call)``) in ``plan_row`` and
``self.save_through(change, call)`` in ``save``. An adapter with its own way of naming a column
overrides ``refusal_column``. It also refuses rows of an import without a named user (``named_user``:
the services record who acted) and rounds money to the cent with a warning (``cents``). The plain
functions serve code that is not an adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, ClassVar, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from .adapters import Adapter, Change, scope_problem
from .problems import msg
from .rows import ParsedRow
from .spec import DatasetSpec

if TYPE_CHECKING:  # intake.services (its models, the dataset registry) is imported only where it is used
    from .services import ImportFailed

T = TypeVar("T")

_CENT = Decimal("0.01")

Refusals = tuple[type[Exception], ...]
# What the domain services raise to refuse a row: a rule of the model, or a role or scope they forbid.
REFUSALS: Refusals = (ValidationError, PermissionError)


def validation_text(exc: ValidationError) -> str:
    """Every message of the error, joined with "；" (those of each field in turn, for a field error)."""
    if hasattr(exc, "message_dict"):
        return "；".join(m for messages in exc.message_dict.values() for m in messages)
    return "；".join(exc.messages)


def refusal_text(exc: Exception) -> str:
    """What a refusal says: a ValidationError's messages, any other exception's text."""
    return validation_text(exc) if isinstance(exc, ValidationError) else str(exc)


def refused_field(exc: ValidationError, fields: Container[str]) -> str | None:
    """The first field of the error's ``message_dict`` that is one of ``fields`` (never the non-field
    errors); None for an error without fields or naming none of them."""
    for name in getattr(exc, "message_dict", {}):
        if name != NON_FIELD_ERRORS and name in fields:
            return name
    return None


def refusal_column(
    exc: ValidationError, columns: Mapping[str, str], header: Callable[[str], str] | None = None
) -> str | None:
    """The column of the first field the error names, by ``columns`` (field → column), passed through
    ``header`` (for instance the file's own header of a column key) when given."""
    name = refused_field(exc, columns)
    if name is None:
        return None
    column = columns[name]
    return header(column) if header is not None else column


class _DryRun(Exception):
    """Raised to roll a preview savepoint back."""


def try_in_savepoint(call: Callable[[], object], refusals: Refusals = REFUSALS) -> Exception | None:
    """Run ``call`` in a savepoint that is always rolled back: None when it went through, else the
    refusal (one of ``refusals``) it raised. Any other exception propagates."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        return None
    except refusals as exc:
        return exc


def refused(change: Change, exc: Exception) -> ImportFailed:
    """The refusal of the service at commit, as the ImportFailed that names the row and the record."""
    from .services import ImportFailed

    row = change.row
    return ImportFailed(
        msg(
            f"「{row.sheet}」第{row.row_number}行（{change.label}）：{refusal_text(exc)}",
            f"sheet '{row.sheet}' row {row.row_number} ({change.label}) was refused",
        )
    )


class ServiceRowsAdapter(Adapter):
    """An adapter whose rows are written through a domain service: the dry run in the preview, the
    refusal at commit, and the column a refusal names."""

    spec: ClassVar[DatasetSpec]
    # What the service raises to refuse a row (caught in the dry run and at commit).
    refusals: ClassVar[Refusals] = REFUSALS
    # The service's field (a key of a ValidationError's message_dict) -> the dataset column it is.
    field_columns: ClassVar[Mapping[str, str]] = {}
    # Why the service needs a named user, as the message refusing an import without one ends.
    named_user_reason_zh: ClassVar[str] = "以便记录操作人"

    def header(self, row: ParsedRow, key: str) -> str:
        """The column's header as the clerk's file spells it (else the template's label)."""
        for sheet in self.result.sheets if self.result else ():
            if sheet.sheet == row.sheet and key in sheet.columns:
                return sheet.columns[key].header
        return self.spec.column(key).label_zh

    def named_user(self, row: ParsedRow) -> bool:
        """The services record who acted: an import without a user (the command line without --user) is
        refused row by row rather than written anonymously."""
        if self.ctx.user is not None:
            return True
        self.error(
            row,
            msg(
                f"此数据集须以具体用户身份导入（命令行请加 --user），{self.named_user_reason_zh}",
                "this dataset is imported as a named user (--user on the command line)",
            ),
        )
        return False

    def cents(self, row: ParsedRow, key: str, value: Decimal) -> Decimal:
        """A money cell to the cent, as the models keep it; a warning names the column when it rounds."""
        rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
        if rounded != value:
            self.warn(
                row,
                msg(f"金额精确到分，按 {rounded} 元保存", f"stored to the cent: {rounded}"),
                self.header(row, key),
            )
        return rounded

    def refusal_column(self, row: ParsedRow, exc: ValidationError) -> str | None:
        """The column to name for the service's ValidationError: by ``field_columns``, as the file
        heads it."""
        return refusal_column(exc, self.field_columns, lambda key: self.header(row, key))

    def refuse(self, row: ParsedRow, exc: Exception) -> None:
        """The service's refusal as an error on the row (a ValidationError with the column it names)."""
        if isinstance(exc, ValidationError):
            self.error(row, validation_text(exc), self.refusal_column(row, exc))
        else:
            self.error(row, str(exc))

    def attempt(self, row: ParsedRow, call: Callable[[], object]) -> bool:
        """Try the row through the service in a savepoint that is always rolled back; a refusal is an
        error on the row (and False)."""
        exc = try_in_savepoint(call, self.refusals)
        if exc is None:
            return True
        self.refuse(row, exc)
        return False

    def checked(self, change: Change, call: Callable[[], object]) -> Change | None:
        """The change, once the service accepts it in a dry run. A row outside the user's scope is left
        to the framework, which names the scope (the service would only say the record is not found)."""
        if scope_problem(change, self.ctx) is not None:
            return change
        return change if self.attempt(change.row, call) else None

    def save_through(self, change: Change, call: Callable[[], T]) -> T:
        """What ``call`` (the service) returns; its refusal becomes ImportFailed naming the row."""
        try:
            return call()
        except self.refusals as exc:
            raise refused(change, exc) from exc
