"""Writes for finance (keyword-only, actor first, atomic, validated; failures write nothing).

Enterprise users file and follow their own firm's financing needs; district officers and the city
admin match providers and record outcomes. The listing pipeline is kept by officers only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.enterprises.models import Enterprise
from semicluster.finance.models import FinancingNeed, ListingRecord

NEED_FIELDS = (
    "enterprise",
    "amount",
    "instrument",
    "purpose",
    "submitted_on",
    "status",
    "provider",
    "funded_amount",
    "outcome",
    "closed_on",
)
# Fields an enterprise user may set: the need itself, not its matching or outcome.
ENTERPRISE_NEED_FIELDS = frozenset({"enterprise", "amount", "instrument", "purpose", "submitted_on"})
LISTING_FIELDS = (
    "enterprise",
    "board",
    "stage",
    "sponsor",
    "tutoring_on",
    "filed_on",
    "accepted_on",
    "approved_on",
    "listed_on",
    "stock_code",
    "note",
)


def _attribute(instance: Any, actor: Any) -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor


def _require_visible(actor: Any, enterprise: Enterprise | None) -> None:
    if enterprise is None or not visible_to(Enterprise.objects.filter(pk=enterprise.pk), actor).exists():
        raise PermissionError("该企业不在您的权限范围内 / this enterprise is outside your scope")


def _check_money(data: dict[str, Any], *fields: str) -> None:
    for name in fields:
        if data.get(name) is not None and not isinstance(data[name], Decimal):
            raise TypeError(f"{name} must be Decimal, never float")


def need_save(*, actor: Any, data: dict[str, Any], instance: FinancingNeed | None = None) -> FinancingNeed:
    """Create or update a financing need. Closing statuses stamp ``closed_on`` when it is not given."""
    unknown = set(data) - set(NEED_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "未知字段 / unknown field"})
    _check_money(data, "amount", "funded_amount")
    role = getattr(actor, "role", None)
    if role == Role.ENTERPRISE_USER:
        extra = set(data) - ENTERPRISE_NEED_FIELDS
        if extra:
            raise PermissionError(
                "企业用户不能填写对接结果 / enterprise users cannot record matching or outcome"
            )
        if instance is not None and instance.status != FinancingNeed.Status.SUBMITTED:
            raise PermissionError(
                "对接中的需求不能由企业修改 / a need under matching cannot be changed by the firm"
            )
    elif role not in (Role.DISTRICT_OFFICER, Role.CITY_ADMIN) and not getattr(actor, "is_superuser", False):
        raise PermissionError("您的角色不能修改融资需求 / your role may not change financing needs")
    need = instance or FinancingNeed()
    if instance is not None:
        _require_visible(actor, instance.enterprise)
    for key, value in data.items():
        setattr(need, key, value)
    _require_visible(actor, need.enterprise if need.enterprise_id else None)
    if need.status in FinancingNeed.CLOSED and need.closed_on is None:
        need.closed_on = dt.date.today()
    with transaction.atomic():
        need.full_clean()
        _attribute(need, actor)
        need.save()
    return need


def listing_save(*, actor: Any, data: dict[str, Any], instance: ListingRecord | None = None) -> ListingRecord:
    """Create or update a listing-pipeline record (officers and the city admin only)."""
    unknown = set(data) - set(LISTING_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "未知字段 / unknown field"})
    role = getattr(actor, "role", None)
    if role not in (Role.DISTRICT_OFFICER, Role.CITY_ADMIN) and not getattr(actor, "is_superuser", False):
        raise PermissionError("您的角色不能维护上市梯队 / your role may not keep the listing pipeline")
    record = instance or ListingRecord()
    if instance is not None:
        _require_visible(actor, instance.enterprise)
    for key, value in data.items():
        setattr(record, key, value)
    _require_visible(actor, record.enterprise if record.enterprise_id else None)
    with transaction.atomic():
        record.full_clean()
        _attribute(record, actor)
        record.save()
    return record


def _enterprise(actor: Any, credit_code: str) -> Enterprise:
    found = (
        visible_to(Enterprise.objects.all(), actor).filter(credit_code=credit_code.strip().upper()).first()
    )
    if found is None:
        raise ValidationError(
            {"credit_code": f"未找到统一社会信用代码为 {credit_code} 的企业 / no such enterprise"}
        )
    return found


def need_pick(candidates: Iterable[FinancingNeed], amount: Decimal | None) -> FinancingNeed | None:
    """The need a row names among the firm's needs of the same instrument and date (pure).

    A need is identified by firm + instrument + submission date, so a corrected amount updates it
    rather than filing a second need; when a firm has several such needs, the amount tells them apart.
    """
    found = list(candidates)
    if len(found) <= 1:
        return found[0] if found else None
    same = [n for n in found if amount is not None and n.amount == amount]
    if len(same) == 1:
        return same[0]
    raise ValidationError(
        {
            "amount": f"该企业同日有 {len(found)} 条同类融资需求，无法按金额确定是哪一条，请在系统中修改 / "
            f"the firm has {len(found)} needs of this instrument on this date and the amount does not "
            "tell which; change it in the platform"
        }
    )


def need_find(
    *, enterprise: Enterprise, instrument: str, submitted_on: dt.date, amount: Decimal | None = None
) -> FinancingNeed | None:
    """The stored need of ``enterprise`` with this instrument and submission date (see ``need_pick``)."""
    return need_pick(
        FinancingNeed.objects.filter(enterprise=enterprise, instrument=instrument, submitted_on=submitted_on),
        amount,
    )


def need_import_row(*, actor: Any, credit_code: str, **fields: Any) -> tuple[FinancingNeed, bool]:
    """Idempotent import of one financing need (key: firm + instrument + submitted_on, the amount telling
    apart several needs of one day). Fields not given keep their stored values; only the fields that
    differ are written, so an enterprise user re-sending an unchanged status is not recording one."""
    enterprise = _enterprise(actor, credit_code)
    existing = None
    if fields.get("instrument") and fields.get("submitted_on"):
        existing = need_find(
            enterprise=enterprise,
            instrument=fields["instrument"],
            submitted_on=fields["submitted_on"],
            amount=fields.get("amount"),
        )
    if existing is not None:
        changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        if not changes:
            return existing, False
        return need_save(actor=actor, data=changes, instance=existing), False
    return need_save(actor=actor, data={"enterprise": enterprise, **fields}), True


def listing_import_row(
    *, actor: Any, credit_code: str, board: str, **fields: Any
) -> tuple[ListingRecord, bool]:
    """Idempotent import of one listing-pipeline row (key: firm + board); a later stage updates it.
    Fields not given keep their stored values; only the fields that differ are written."""
    enterprise = _enterprise(actor, credit_code)
    existing = ListingRecord.objects.filter(enterprise=enterprise, board=board).first()
    if existing is not None:
        changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        if not changes:
            return existing, False
        return listing_save(actor=actor, data=changes, instance=existing), False
    return listing_save(actor=actor, data={"enterprise": enterprise, "board": board, **fields}), True
