from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from semicluster.supply.links import SurveyLinks


def answer(
    answer_id: Any,
    firm: str,
    item: str,
    supplier: str,
    level: str,
    value: str | None = None,
    *,
    country: str | None = None,
    node: str = "n-wafer",
    area: str = "a-high-tech",
    category: str = "material",
    share: str | None = None,
    alt: bool = False,
    alt_domestic: bool | None = None,
    lead: int | None = None,
) -> dict[str, Any]:
    """One hand-built survey answer; a supplier abroad defaults to Japan."""
    return {
        "answer_id": answer_id,
        "firm_id": firm,
        "node": node,
        "area": area,
        "category": category,
        "item": item,
        "supplier_id": supplier,
        "supplier_name": f"{supplier}公司",
        "level": level,
        "country": country if country is not None else ("JP" if level == "abroad" else None),
        "share": share,
        "purchase_value": Decimal(value) if value is not None else None,
        "has_alternative": alt,
        "alternative_domestic": alt_domestic,
        "lead_time_days": lead,
    }


@pytest.fixture
def build():
    def _build(*answers: dict[str, Any], **kwargs: Any) -> SurveyLinks:
        return SurveyLinks.from_records(answers, **kwargs)

    return _build
