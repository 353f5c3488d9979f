from django.conf import settings
from django.http import HttpRequest

from semicluster.core.registry import NavItem, nav_items


def _visible(item: NavItem, request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return item.roles is not None and "public" in item.roles
    if item.roles is None or user.is_superuser:
        return True
    return user.role in item.roles


def platform(request: HttpRequest) -> dict[str, object]:
    from semicluster.core.nav import NAV as CORE_NAV

    items = [item for item in (*CORE_NAV, *nav_items()) if _visible(item, request)]
    return {"DEMO_MODE": settings.SEMICLUSTER_DEMO_MODE, "nav_items": sorted(items, key=lambda i: i.order)}
