from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem

NAV = [
    NavItem(
        _("Cockpit"),
        "monitoring:cockpit",
        roles=(Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER),
        order=10,
    ),
]
