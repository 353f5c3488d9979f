"""Writes for the enterprise library. Each takes the acting user so history records who acted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from semicluster.core.refresh import indicators_stale
from semicluster.enterprises import credit_code
from semicluster.enterprises.models import (
    Basis,
    Designation,
    Enterprise,
    PeriodType,
    PeriodValue,
    Source,
)


def _attribute(instance: Any, actor: Any, reason: str = "") -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason


@dataclass(frozen=True)
class SaveResult:
    instance: Any
    created: bool
    changed: bool
    warnings: tuple[str, ...] = ()


def enterprise_save(*, actor: Any, data: dict[str, Any], instance: Enterprise | None = None) -> SaveResult:
    """Create or update an enterprise from cleaned data; the credit code is normalised and checked."""
    data = dict(data)
    secondary = data.pop("secondary_nodes", None)
    warnings: list[str] = []
    if "credit_code" in data:
        result = credit_code.validate(str(data["credit_code"]))
        if not result.is_valid:
            raise ValidationError({"credit_code": result.error})
        data["credit_code"] = result.code
        if result.warning:
            warnings.append(result.warning)
    created = instance is None
    enterprise = instance or Enterprise()
    changed = created or any(getattr(enterprise, k) != v for k, v in data.items())
    for key, value in data.items():
        setattr(enterprise, key, value)
    with transaction.atomic():
        if changed:
            enterprise.full_clean()
            _attribute(enterprise, actor)
            enterprise.save()
        if secondary is not None:
            current = set(enterprise.secondary_nodes.values_list("pk", flat=True))
            wanted = {node.pk for node in secondary}
            if current != wanted:
                enterprise.secondary_nodes.set(list(secondary))
                changed = True
        if changed:
            indicators_stale()  # area, town and chain node place a firm in the goals' scopes
    return SaveResult(enterprise, created, changed, tuple(warnings))


def period_value_record(
    *,
    actor: Any,
    enterprise: Enterprise,
    measure: str,
    year: int,
    period_type: str,
    period: int,
    value: Decimal,
    basis: str = Basis.YTD,
    source: str = Source.FORM,
    source_ref: str = "",
) -> SaveResult:
    """Store one reported figure as reported; a changed figure keeps its old value in history."""
    if not isinstance(value, Decimal):
        raise TypeError("period values must be Decimal, never float")
    if period_type == PeriodType.YEAR:
        basis = Basis.SINGLE
    existing = PeriodValue.objects.filter(
        enterprise=enterprise, measure=measure, year=year, period_type=period_type, period=period
    ).first()
    if existing is not None and existing.value == value and existing.basis == basis:
        return SaveResult(existing, created=False, changed=False)
    record = existing or PeriodValue(
        enterprise=enterprise, measure=measure, year=year, period_type=period_type, period=period
    )
    record.value = value
    record.basis = basis
    record.source = source
    record.source_ref = source_ref
    record.full_clean(validate_unique=False)
    _attribute(record, actor)
    record.save()
    indicators_stale(tiers=measure == "revenue")  # annual revenue decides the tier
    return SaveResult(record, created=existing is None, changed=True)


def designation_grant(
    *, actor: Any, enterprise: Enterprise, designation_type: Any, granted: Any, **extra: Any
) -> Designation:
    from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

    expires = extra.pop("expires", None)
    if expires is None and designation_type.validity_years:
        expires = granted + relativedelta(years=designation_type.validity_years)
    designation = Designation(
        enterprise=enterprise,
        designation_type=designation_type,
        granted=granted,
        expires=expires,
        level=extra.pop("level", designation_type.level),
        authority=extra.pop("authority", designation_type.authority),
        **extra,
    )
    designation.full_clean()
    _attribute(designation, actor)
    designation.save()
    indicators_stale()  # designations define goal scopes
    return designation


def tiers_refresh() -> int:
    """Recompute every enterprise's cached tier after its period data changed.

    The thresholds (the plan's ``tiers`` section) and the rule for the year a tier was reached belong to
    cultivation, which builds on this app; the import is deferred so that dependency stays one-way.
    """
    from semicluster.cultivation.services import tiers_refresh as cultivation_tiers_refresh

    return cultivation_tiers_refresh()
