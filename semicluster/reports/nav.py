from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem

NAV = [
    NavItem(
        _("Annual report"),
        "reports:list",
        roles=(Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER),
        order=70,
    ),
]
