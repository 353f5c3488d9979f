from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem

NAV = [
    NavItem(
        _("Major projects"),
        "projects:list",
        roles=(Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER, Role.ENTERPRISE_USER),
        order=30,
    ),
    NavItem(
        _("Supervision tickets"),
        "projects:tickets",
        roles=(Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER),
        order=31,
    ),
]
