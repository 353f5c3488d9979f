from typing import Any

from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import EnterprisePanel
from semicluster.innovation.selectors import enterprise_projects


def context(enterprise: Any, user: Any) -> dict[str, Any]:
    return {"projects": list(enterprise_projects(enterprise)), "platforms": list(enterprise.platforms.all())}


ENTERPRISE_PANELS = [
    EnterprisePanel(
        _("R&D projects on key technologies and platforms"), "innovation/panel.html", context, order=40
    ),
]
