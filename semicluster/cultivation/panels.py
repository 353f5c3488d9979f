"""The cultivation section of the enterprise page: tier history, designations, library status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import EnterprisePanel
from semicluster.cultivation import selectors


def cultivation_context(enterprise: Any, user: Any) -> dict[str, Any]:
    today = dt.date.today()
    designations = list(enterprise.designations.all())  # prefetched by the enterprise page
    return {
        "history": list(reversed(selectors.tier_history(enterprise))),
        "designations": [
            (
                d,
                "expired"
                if d.expires and d.expires < today
                else "expiring"
                if d.expires and (d.expires - today).days <= 90
                else "valid",
            )
            for d in designations
        ],
        "library": selectors.enterprise_library_status(enterprise),
    }


ENTERPRISE_PANELS = [
    EnterprisePanel(
        _("Cultivation: tiers, designations, innovation-leader library"),
        "cultivation/panel.html",
        cultivation_context,
        order=20,
    ),
]
