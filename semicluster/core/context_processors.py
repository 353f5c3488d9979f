from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import NavItem, nav_items

# Menus group the apps' entries by what officials look for; an app may set NavItem.section itself.
SECTION_BY_NAMESPACE: dict[str, Promise] = {
    "monitoring": _("Monitoring"),
    "reports": _("Monitoring"),
    "enterprises": _("Enterprises"),
    "cultivation": _("Enterprises"),
    "finance": _("Enterprises"),
    "innovation": _("Enterprises"),
    "projects": _("Projects"),
    "chain": _("Chain & investment"),
    "supply": _("Chain & investment"),
    "support": _("Support programs"),
    "accountability": _("Tasks"),
    "intake": _("Data"),
    "accounts": _("Account"),
}
TOP_LEVEL = {"core", "plans", "portal"}


@dataclass
class NavSection:
    label: str | Promise
    items: list[NavItem] = field(default_factory=list)
    active: bool = False


def _visible(item: NavItem, request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return item.roles is not None and "public" in item.roles
    if user.is_superuser:
        return True
    if item.roles is not None and getattr(user, "role", None) not in item.roles:
        return False
    return item.when is None or item.when(user)


def navigation(request: HttpRequest) -> list[NavItem | NavSection]:
    from semicluster.core.nav import NAV as CORE_NAV

    current = request.resolver_match.namespace if request.resolver_match else ""
    entries: list[NavItem | NavSection] = []
    sections: dict[str, NavSection] = {}
    for item in sorted((*CORE_NAV, *nav_items()), key=lambda i: i.order):
        if not _visible(item, request):
            continue
        namespace = item.url_name.split(":", 1)[0]
        label = item.section or ("" if namespace in TOP_LEVEL else SECTION_BY_NAMESPACE.get(namespace, ""))
        if not label:
            entries.append(item)
            continue
        key = str(label)
        if key not in sections:
            sections[key] = NavSection(label)
            entries.append(sections[key])
        sections[key].items.append(item)
        sections[key].active = sections[key].active or namespace == current
    return entries


def platform(request: HttpRequest) -> dict[str, object]:
    return {"DEMO_MODE": settings.SEMICLUSTER_DEMO_MODE, "nav_entries": navigation(request)}
