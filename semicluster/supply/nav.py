from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem

NAV = [
    NavItem(
        _("Supply chain"),
        "supply:analysis",
        roles=(Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER),
        order=55,
    ),
    NavItem(_("Supply survey"), "supply:answers", roles=(Role.ENTERPRISE_USER,), order=55),
]
