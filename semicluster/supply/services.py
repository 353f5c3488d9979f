"""Writes for the supply-chain survey. Each takes the acting user so history records who acted.

``answers_import`` is the entry point for the intake pipeline (Excel template → rows): it checks
every row first, names each bad row, and writes nothing unless all rows are good; re-importing
the same rows changes nothing (idempotent upsert on enterprise, year, item and supplier).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import can_write, visible_to
from semicluster.enterprises.models import Enterprise
from semicluster.supply.models import AnswerSource, Supplier, SupplyAnswer

ANSWER_FIELDS = (
    "year",
    "category",
    "item",
    "level",
    "country",
    "share",
    "purchase_value",
    "has_alternative",
    "lead_time_days",
    "note",
)


def _attribute(instance: Any, actor: Any) -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor


def supplier_resolve(*, actor: Any, name: str, name_en: str = "") -> Supplier:
    """The supplier row for a name (matched exactly after trimming); created on first mention."""
    clean = " ".join((name or "").split())
    if not clean:
        raise ValidationError({"supplier": "缺少供应商名称 / the supplier name is missing"})
    supplier = Supplier.objects.filter(name=clean).first()
    if supplier is None:
        supplier = Supplier(name=clean, name_en=name_en)
        supplier.full_clean()
        _attribute(supplier, actor)
        supplier.save()
    return supplier


def check_may_answer_for(actor: Any, enterprise: Enterprise) -> None:
    """Enterprise users answer for their own firm, district officers for firms of their area."""
    if not can_write(SupplyAnswer, actor):
        raise PermissionDenied("Your role may not submit survey answers.")
    if not visible_to(Enterprise.objects.filter(pk=enterprise.pk), actor).exists():
        raise PermissionDenied("You may only answer for your own enterprise or area.")
    if actor.role == Role.UNIT_OFFICER:
        raise PermissionDenied("Unit officers do not submit survey answers.")


@transaction.atomic
def answer_save(
    *,
    actor: Any,
    enterprise: Enterprise,
    supplier_name: str,
    data: Mapping[str, Any],
    instance: SupplyAnswer | None = None,
    source: str = AnswerSource.FORM,
    source_ref: str = "",
) -> SupplyAnswer:
    check_may_answer_for(actor, enterprise)
    answer = instance or SupplyAnswer(enterprise=enterprise)
    if instance is not None and instance.enterprise_id != enterprise.pk:
        raise PermissionDenied("An answer cannot move to another enterprise.")
    answer.supplier = supplier_resolve(actor=actor, name=supplier_name)
    for name in ANSWER_FIELDS:
        if name in data:
            setattr(answer, name, data[name])
    if isinstance(answer.share, float) or isinstance(answer.purchase_value, float):
        raise TypeError("shares and amounts must be Decimal, never float")
    answer.source, answer.source_ref = source, source_ref
    answer.full_clean()
    _attribute(answer, actor)
    answer.save()
    return answer


@transaction.atomic
def answer_delete(*, actor: Any, answer: SupplyAnswer) -> None:
    check_may_answer_for(actor, answer.enterprise)
    _attribute(answer, actor)
    answer.delete()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


_LEVEL_WORDS = {"昆山": "kunshan", "苏州": "suzhou", "江苏": "jiangsu", "国内": "china", "境外": "abroad"}
_CATEGORY_WORDS = {
    "材料": "material",
    "设备": "equipment",
    "EDA/IP": "eda_ip",
    "零部件": "components",
    "服务": "services",
}


def _decimal(raw: Any, what: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, float):
        raw = repr(raw)  # an Excel cell comes as float; its repr is what was typed
    try:
        return Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"{what}{raw!r}不是数字 / {what} {raw!r} is not a number") from exc


def answers_import(
    *,
    actor: Any,
    rows: Iterable[Mapping[str, Any]],
    source_ref: str = "",
    source: str = AnswerSource.IMPORT,
) -> ImportResult:
    """Import survey rows (the intake template's columns) atomically; all or nothing.

    Columns: ``credit_code`` (of the answering firm), ``year``, ``category`` (code or Chinese name),
    ``item``, ``supplier``, ``level`` (code or 昆山/苏州/江苏/国内/境外), ``country``, ``share``
    (0–1, or a percent text such as "35%"), ``purchase_value`` (yuan), ``has_alternative``
    (是/否/true/false), ``lead_time_days``, ``note``.
    """
    result = ImportResult()
    prepared: list[tuple[Enterprise, str, dict[str, Any]]] = []
    firms: dict[str, Enterprise | None] = {}
    for n, row in enumerate(rows, start=1):
        where = f"第{n}行 / row {n}"
        try:
            code = str(row.get("credit_code") or "").strip().upper()
            if code not in firms:
                firms[code] = visible_to(Enterprise.objects.filter(credit_code=code), actor).first()
            firm = firms[code]
            if firm is None:
                raise ValueError(
                    f"未找到或无权访问的企业{code!r} / unknown or out-of-scope enterprise {code!r}"
                )
            share = row.get("share")
            if isinstance(share, str) and share.strip().endswith("%"):
                share = (_decimal(share.strip()[:-1], "采购占比 share") or Decimal(0)) / 100
            else:
                share = _decimal(share, "采购占比 share")
            alt = row.get("has_alternative")
            data = {
                "year": int(row.get("year") or 0),
                "category": _CATEGORY_WORDS.get(str(row.get("category") or "").strip(), row.get("category")),
                "item": str(row.get("item") or "").strip(),
                "level": _LEVEL_WORDS.get(str(row.get("level") or "").strip(), row.get("level")),
                "country": str(row.get("country") or "").strip().upper(),
                "share": share,
                "purchase_value": _decimal(row.get("purchase_value"), "采购金额 purchase value"),
                "has_alternative": str(alt).strip().lower() in ("1", "true", "yes", "是", "有", "y"),
                "lead_time_days": int(row["lead_time_days"])
                if row.get("lead_time_days") not in (None, "")
                else None,
                "note": str(row.get("note") or "")[:300],
            }
            prepared.append((firm, str(row.get("supplier") or ""), data))
        except (ValueError, TypeError) as exc:
            result.errors.append(f"{where}: {exc}")
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for n, (firm, supplier_name, data) in enumerate(prepared, start=1):
                existing = SupplyAnswer.objects.filter(
                    enterprise=firm,
                    year=data["year"],
                    category=data["category"],
                    item=data["item"],
                    supplier__name=" ".join(supplier_name.split()),
                ).first()
                if existing is not None and all(getattr(existing, k) == v for k, v in data.items()):
                    result.unchanged += 1
                    continue
                try:
                    answer_save(
                        actor=actor,
                        enterprise=firm,
                        supplier_name=supplier_name,
                        data=data,
                        instance=existing,
                        source=source,
                        source_ref=source_ref,
                    )
                except ValidationError as exc:
                    messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                    result.errors.append(f"第{n}行 / row {n}: {messages}")
                    continue
                except PermissionDenied as exc:
                    result.errors.append(f"第{n}行 / row {n}: {exc}")
                    continue
                if existing is None:
                    result.created += 1
                else:
                    result.updated += 1
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = result.unchanged = 0
    return result


class _Rollback(Exception):
    """Raised inside the import transaction to undo every row when one row fails."""
