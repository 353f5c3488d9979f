"""The enterprise page's panel: the firm's projects with their lights."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from semicluster.accounts.scoping import visible_to
from semicluster.core.registry import EnterprisePanel
from semicluster.projects.models import Project


def enterprise_projects(enterprise: Any, user: Any) -> dict[str, Any] | None:
    projects = list(
        visible_to(Project.objects.filter(owner=enterprise), user)
        .select_related("node", "area")
        .order_by("-in_library", "name")
    )
    if not projects:
        return None
    return {"projects": projects}


ENTERPRISE_PANELS = [
    EnterprisePanel(
        _("Projects (重大项目)"), "projects/panel_enterprise.html", enterprise_projects, order=30
    ),
]
