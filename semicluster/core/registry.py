"""Discovery of what each domain app contributes: navigation, URLs, API routers and demo data.

Apps are listed once, in settings.DOMAIN_APPS; each may provide ``nav.py`` (NAV: list[NavItem]),
``urls.py`` (urlpatterns, app_name, URL_PREFIX), ``api.py`` (router, API_PREFIX), ``demo.py``
(ORDER, generate(ctx), reset()) and ``panels.py`` (ENTERPRISE_PANELS). Nothing else needs editing to
add an app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module, util
from types import ModuleType
from typing import Any

from django.conf import settings
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    # Roles that see the entry; None means every signed-in user. "public" entries show to anyone.
    roles: tuple[str, ...] | None = None
    section: str | Promise = ""
    order: int = 100
    # A further per-user condition, for entries a role sees only sometimes (a unit officer sees
    # "Data import" only when their unit has something to import).
    when: Callable[[Any], bool] | None = None


def app_modules(name: str) -> Iterator[tuple[str, ModuleType]]:
    for app in settings.DOMAIN_APPS:
        dotted = f"{app}.{name}"
        if util.find_spec(dotted) is not None:
            yield app, import_module(dotted)


def nav_items() -> list[NavItem]:
    items: list[NavItem] = []
    for _app, module in app_modules("nav"):
        items.extend(getattr(module, "NAV", []))
    return sorted(items, key=lambda item: item.order)


@dataclass(frozen=True)
class EnterprisePanel:
    """A section of the enterprise page contributed by another app (projects, applications, …)."""

    title: str | Promise
    template: str
    # context(enterprise, user) -> dict for the template, or None to hide the panel
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100


def enterprise_panels() -> list[EnterprisePanel]:
    panels: list[EnterprisePanel] = []
    for _app, module in app_modules("panels"):
        panels.extend(getattr(module, "ENTERPRISE_PANELS", []))
    return sorted(panels, key=lambda panel: panel.order)
