"""The enterprise page's panel: the firm's supply-survey answers (its own inputs and suppliers)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from semicluster.accounts.scoping import visible_to
from semicluster.core.registry import EnterprisePanel
from semicluster.supply.models import SupplyAnswer


def enterprise_supply(enterprise: Any, user: Any) -> dict[str, Any] | None:
    answers = list(
        visible_to(SupplyAnswer.objects.filter(enterprise=enterprise), user)
        .select_related("supplier")
        .order_by("-year", "category", "item")[:50]
    )
    if not answers and getattr(user, "enterprise_id", None) != enterprise.pk:
        return None
    return {"answers": answers, "enterprise": enterprise}


ENTERPRISE_PANELS = [
    EnterprisePanel(
        _("Supply-chain survey (上游供应链摸排)"), "supply/panel_enterprise.html", enterprise_supply, order=60
    ),
]
