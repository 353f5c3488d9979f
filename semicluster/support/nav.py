from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem

NAV = [
    NavItem(
        _("Tape-out support"),
        "support:list",
        roles=(Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER),
        order=70,
    ),
    NavItem(
        _("Support budget ledger"),
        "support:ledger",
        roles=(Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER),
        order=71,
    ),
]
