"""Hand-built survey answers in the database, for the Django-level tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from semicluster.supply.models import Supplier, SupplyAnswer


def supply(
    firm: Any,
    item: str,
    supplier: str,
    level: str,
    value: str | None = None,
    *,
    category: str = "material",
    country: str = "",
    year: int = 2025,
    share: str | None = None,
    alt: bool = False,
    lead: int | None = None,
) -> SupplyAnswer:
    answer = SupplyAnswer(
        enterprise=firm,
        year=year,
        category=category,
        item=item,
        supplier=Supplier.objects.get_or_create(name=supplier)[0],
        level=level,
        country=country or ("JP" if level == "abroad" else ""),
        share=Decimal(share) if share is not None else None,
        purchase_value=Decimal(value) if value is not None else None,
        has_alternative=alt,
        lead_time_days=lead,
    )
    answer.full_clean()
    answer.save()
    return answer
