"""The enterprise page's section on tape-out support: the firm's applications and awards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import EnterprisePanel
from semicluster.support import selectors
from semicluster.support.models import AWARDED


def _context(enterprise: Any, user: Any) -> dict[str, Any] | None:
    applications = list(selectors.enterprise_applications(user=user, enterprise=enterprise))
    if not applications:
        return None
    programs = selectors.programs_for(applications)
    english = (get_language() or "").startswith("en")
    rows = []
    for a in applications:
        program = programs.get(a.program_code)
        rows.append((a, (program.name_en if english else program.name) if program else a.program_code))
    awarded = sum(
        (a.award_amount or Decimal(0) for a in applications if a.status in AWARDED), Decimal("0.00")
    )
    return {"rows": rows, "awarded": awarded}


ENTERPRISE_PANELS = [
    EnterprisePanel(_("Tape-out support applications"), "support/panel.html", _context, order=60)
]
