"""The Django side of a dataset: how parsed rows become records.

A dataset is a pure :class:`~semicluster.intake.spec.DatasetSpec` (columns, aliases, code lists, row
validator) plus an :class:`Adapter` subclass that knows its model: how to find the existing record for
a row (its natural key), what would change, which plan area and enterprise the record belongs to (for
scoping), and how to write and un-write it through the owning app's services.

The framework (:func:`plan_rows`) is the same for every dataset: it calls the adapter row by row,
rejects rows outside the user's scope and rows that name the same record twice, and collects what
would be created, updated or left unchanged. Adapters work in bulk (``prepare`` loads everything a
file refers to in a few queries), because a period-data file has 100,000 rows.
"""

from __future__ import annotations

import abc
import datetime as dt
import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from semicluster.accounts.models import Role

from .pipeline import ParseResult
from .problems import Problem, Severity, msg
from .rows import ParsedRow
from .spec import MONEY_UNITS, CodeLists, DatasetSpec


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # model attname
    label: str  # what the clerk reads
    old: object  # raw model values (ids for foreign keys): what revert writes back
    new: object
    old_text: str | None = None  # how the preview shows them, when the raw value is an id
    new_text: str | None = None
    # The unit the preview shows after a number: None infers 元 for a money field of the model
    # (see ``money_field``); "" shows none; an adapter names others (a head count is 人).
    unit: str | None = None

    @property
    def shown_old(self) -> str:
        return self.old_text if self.old_text is not None else display(self.old)

    @property
    def shown_new(self) -> str:
        return self.new_text if self.new_text is not None else display(self.new)

    def unit_of(self, model: type[models.Model] | None) -> str:
        if self.unit is not None:
            return self.unit
        return YUAN if model is not None and money_field(model, self.field) else ""

    def shown_with_unit(
        self, model: type[models.Model] | None, file_unit: str | None = None
    ) -> tuple[str, str]:
        """Old and new as the preview shows them, each number followed by its unit; a money amount
        the file gave in another unit (万元 …) also in that unit, so the clerk finds the file's figure."""
        unit = self.unit_of(model)
        return (
            with_unit(self.shown_old, self.old, unit, file_unit),
            with_unit(self.shown_new, self.new, unit, file_unit),
        )


@dataclass(slots=True)
class Change:
    """What one row would do to one record."""

    row: ParsedRow
    action: Action
    label: str  # the record as the clerk names it: "昆山甲半导体 · 营业收入 2025年6月"
    identity: tuple[object, ...]  # the record's natural key in the database
    instance: Any = None  # the existing record (update, unchanged); the new one after a create is written
    object_id: int | None = None  # set instead of ``instance`` by bulk writers that let the objects go
    values: dict[str, object] = field(default_factory=dict)  # attname -> value to write
    diffs: list[FieldChange] = field(default_factory=list)  # for updates (and the shown fields of a create)
    area_ids: frozenset[int] = frozenset()  # plan areas the record belongs to, before and after
    enterprise_id: int | None = None  # the enterprise the record belongs to (None for a new enterprise)
    unit_ids: frozenset[int] = frozenset()  # responsible units (plans.Unit) the record belongs to


@dataclass
class ImportContext:
    user: Any  # None: the command line without --user, acting city-wide
    batch_id: int | None = None
    area_names: dict[int, str] = field(default_factory=dict)
    suggestions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return f"导入批次 #{self.batch_id} / import batch #{self.batch_id}"

    @property
    def source_ref(self) -> str:
        return str(self.batch_id or "")

    @property
    def city_wide(self) -> bool:
        user = self.user
        return user is None or user.is_superuser or user.role == Role.CITY_ADMIN


def display(value: object) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


YUAN = "元"


def money_field(model: type[models.Model], attname: str) -> bool:
    """A money field by the project's convention: ``DecimalField(max_digits=20, decimal_places=2)``,
    in yuan."""
    try:
        field = model._meta.get_field(attname)
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.DecimalField) and field.max_digits == 20 and field.decimal_places == 2


def exact(value: Decimal) -> str:
    """A decimal with thousands separators and every significant digit (1,234.5678 stays so)."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_unit(text: str, value: object, unit: str, file_unit: str | None = None) -> str:
    """``text`` (the shown ``value``) followed by ``unit`` when the value is a number; a yuan amount
    read from a column in 万元 (or another money unit) gets that figure too: "10,000,000 元（1,000 万元）"."""
    if not unit or isinstance(value, bool) or not isinstance(value, Decimal | int):
        return text
    shown = f"{text} {unit}"
    scale = MONEY_UNITS.get(file_unit or "")
    if unit == YUAN and scale is not None and scale != 1:
        shown += f"（{exact(Decimal(value) / scale)} {file_unit}）"
    return shown


def stored(value: object) -> str | None:
    """A value as an ImportChange keeps it (the model field's to_python reads it back)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dict | list):  # a JSONField's value: kept as JSON so a revert can read it back
        return json.dumps(value, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
    return str(value)


class Adapter(abc.ABC):
    """Base of every dataset adapter. Subclasses set ``model`` and implement ``prepare`` and ``plan_row``
    (and ``save`` or a bulk ``write``); the rest has working defaults."""

    model: ClassVar[type[models.Model]]
    # The field an ImportChange of a created record names (one row per created record, not per field).
    create_field: ClassVar[str] = "pk"

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.result: ParseResult | None = None  # the parsed upload, set before ``prepare``

    def column_unit(self, row: ParsedRow, key: str) -> str | None:
        """The unit the row's sheet gave a money column (header, title or the assumed default)."""
        for header in self.result.sheets if self.result else ():
            if header.sheet == row.sheet and key in header.columns:
                return header.columns[key].unit
        return None

    # -- declared by the dataset --------------------------------------------------------------------
    @classmethod
    def code_lists(cls) -> CodeLists:
        """The code lists the dataset's columns use, read from the database (templates and parsing)."""
        return {}

    @abc.abstractmethod
    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        """Load everything the rows refer to (existing records, reference data) in a few queries."""

    @abc.abstractmethod
    def plan_row(self, row: ParsedRow) -> Change | None:
        """What this row would do; None when it cannot be imported (add the problem to ``row.problems``)."""

    # -- writing ------------------------------------------------------------------------------------
    def write(self, changes: Sequence[Change]) -> None:
        """Write creates and updates; afterwards every change's ``instance`` is the saved record (or its
        ``object_id`` is set, for bulk writers that do not keep 100,000 model objects in memory)."""
        for change in changes:
            change.instance = self.save(change)

    def save(self, change: Change) -> models.Model:
        # Not abstract: a bulk writer overrides ``write`` instead and never saves one change at a time.
        raise TypeError(f"{type(self).__name__} must implement save() or write()")

    def after_commit(self, changes: Sequence[Change]) -> None:
        """Refresh what depends on the written data (cached tiers …); most datasets have nothing."""
        return None

    # -- reverting ----------------------------------------------------------------------------------
    def delete(self, instances: Sequence[models.Model]) -> None:
        for instance in instances:
            instance._history_user = self.ctx.user  # type: ignore[attr-defined]
            instance._change_reason = self.ctx.reason  # type: ignore[attr-defined]
            instance.delete()

    def delete_blockers(self, instances: Sequence[models.Model]) -> list[str]:
        """Records that deleting these would take with them (or that forbid it): a created enterprise
        that has since received period data must not vanish with that data on a revert."""
        from django.db.models.deletion import Collector, ProtectedError, RestrictedError

        if not instances:
            return []
        collector = Collector(using=self.model._default_manager.db)
        try:
            collector.collect(list(instances))
        except (ProtectedError, RestrictedError) as exc:
            return [str(obj) for obj in list(exc.args[1])[:5]]
        found: list[str] = []
        for model, objs in collector.data.items():
            if model is self.model or model._meta.auto_created:  # the records themselves, M2M rows
                continue
            found.extend(f"{model._meta.verbose_name}: {obj}" for obj in list(objs)[:5])
        for queryset in collector.fast_deletes:
            if not queryset.model._meta.auto_created and queryset.exists():
                found.append(f"{queryset.model._meta.verbose_name_plural}")
        return found[:5]

    # Names beyond the model's own fields that an import may change: related sets (an item's co-units,
    # goals, milestones). A diff on such a name carries JSON-able old/new values; a revert compares
    # ``related_value`` with the stored new value and hands the old one to ``restore_related``.
    related_fields: ClassVar[tuple[str, ...]] = ()

    def related_value(self, instance: models.Model, name: str) -> object:
        raise LookupError(f"{type(self).__name__} declares no related field {name!r}")

    def restore_related(self, instance: models.Model, name: str, value: object) -> None:
        raise LookupError(f"{type(self).__name__} declares no related field {name!r}")

    def restore(self, instances: Sequence[models.Model], fields: Iterable[str]) -> None:
        names = sorted(set(fields))
        for instance in instances:
            instance._history_user = self.ctx.user  # type: ignore[attr-defined]
            instance._change_reason = self.ctx.reason  # type: ignore[attr-defined]
            instance.save(update_fields=[self.model._meta.get_field(n).name for n in names])

    # -- helpers for subclasses ---------------------------------------------------------------------
    def error(self, row: ParsedRow, message: str, column: str | None = None) -> None:
        row.problems.append(Problem(row.sheet, row.row_number, column, message, Severity.ERROR))

    def warn(self, row: ParsedRow, message: str, column: str | None = None) -> None:
        row.problems.append(Problem(row.sheet, row.row_number, column, message, Severity.WARNING))

    def diff(
        self, instance: models.Model, values: dict[str, object], labels: dict[str, str]
    ) -> tuple[dict[str, object], list[FieldChange]]:
        """The values that differ from the instance's, and their old → new for the preview."""
        changed: dict[str, object] = {}
        diffs: list[FieldChange] = []
        for attname, new in values.items():
            old = getattr(instance, attname)
            if old != new:
                changed[attname] = new
                diffs.append(FieldChange(attname, labels.get(attname, attname), old, new))
        return changed, diffs


@dataclass(frozen=True)
class NamedRecord:
    pk: int
    name: str
    key: str  # the identifying code shown beside the name (a credit code)


class NameMatcher:
    """Fuzzy name suggestions (difflib): shown to the clerk, never applied."""

    def __init__(self, records: Iterable[NamedRecord]) -> None:
        self.by_name: dict[str, list[NamedRecord]] = {}
        for record in records:
            self.by_name.setdefault(record.name, []).append(record)
        self.names = list(self.by_name)

    def suggest(self, name: str, n: int = 3, cutoff: float = 0.6) -> list[NamedRecord]:
        if not name:
            return []
        exact = self.by_name.get(name, [])
        close = difflib.get_close_matches(name, self.names, n=n, cutoff=cutoff)
        found = list(exact) + [r for m in close if m != name for r in self.by_name[m]]
        return found[:n]


def suggestion_text(records: Sequence[NamedRecord]) -> str:
    return "、".join(f"{r.name}（{r.key}）" for r in records)


def plan_rows(result: ParseResult, adapter: Adapter, ctx: ImportContext) -> list[Change]:
    """Run the adapter over the readable rows: scope, duplicates and the change of each row.

    Rows with errors get them appended to ``row.problems`` (so the error workbook shows them too) and
    produce no change.
    """
    adapter.result = result
    readable = [row for row in result.rows if row.ok]
    adapter.prepare(readable)
    changes: list[Change] = []
    seen: dict[tuple[object, ...], ParsedRow] = {}
    for row in readable:
        change = adapter.plan_row(row)
        if change is None or not row.ok:
            continue
        outside = scope_problem(change, ctx)
        if outside:
            adapter.error(row, outside)
            continue
        first = seen.setdefault(change.identity, row)
        if first is not row:
            where = (
                f"第{first.row_number}行"
                if first.sheet == row.sheet
                else f"「{first.sheet}」第{first.row_number}行"
            )
            adapter.error(
                row,
                msg(
                    f"与{where}是同一条记录（{change.label}），请只保留一行",
                    f"the same record as row {first.row_number} ({change.label}); keep one row",
                ),
            )
            continue
        changes.append(change)
    return changes


def scope_problem(change: Change, ctx: ImportContext) -> str | None:
    """A district officer imports only records of their area; an enterprise user only their firm's; a
    unit officer only records of their responsible unit."""
    if ctx.city_wide:
        return None
    user = ctx.user
    if user.role == Role.DISTRICT_OFFICER:
        others = [a for a in change.area_ids if a != user.area_id]
        if not others and change.area_ids:
            return None
        area = ctx.area_names.get(others[0], "?") if others else "?"
        mine = ctx.area_names.get(user.area_id, "?")
        return msg(
            f"「{change.label}」属于{area}，不在您的辖区（{mine}），不能导入",
            f"'{change.label}' belongs to {area}, outside your area ({mine}); not importable",
        )
    if user.role == Role.ENTERPRISE_USER:
        if change.enterprise_id is not None and change.enterprise_id == user.enterprise_id:
            return None
        return msg(
            f"「{change.label}」不是本企业的数据，不能导入",
            f"'{change.label}' is not your enterprise's data; not importable",
        )
    if user.role == Role.UNIT_OFFICER:
        if change.unit_ids and change.unit_ids == {user.unit_id}:
            return None
        return msg(
            f"「{change.label}」不属于本单位，不能导入",
            f"'{change.label}' does not belong to your unit; not importable",
        )
    return msg("您的角色不能导入数据", "your role may not import data")


@dataclass(frozen=True)
class Dataset:
    """One importable dataset: the pure declaration, its adapter, and who may import it."""

    spec: DatasetSpec
    adapter: type[Adapter]
    roles: tuple[str, ...] = (Role.CITY_ADMIN, Role.DISTRICT_OFFICER)
    order: int = 100
    description_zh: str = ""
    description_en: str = ""
    # The records' services require a named actor (workflow records: who applied, who decided), so a
    # command-line import must say --user; city-wide imports without one are refused up front.
    needs_user: bool = False

    @property
    def key(self) -> str:
        return self.spec.key

    def allows(self, user: Any) -> bool:
        if user is None:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        return bool(user.is_superuser or user.role in self.roles)

    def code_lists(self) -> CodeLists:
        return self.adapter.code_lists()
