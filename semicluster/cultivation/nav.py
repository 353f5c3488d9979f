from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem

OFFICERS = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER)

NAV = [
    NavItem(_("Tiers and watch list"), "cultivation:watch", roles=OFFICERS, order=30),
    NavItem(_("Designations"), "cultivation:designations", roles=OFFICERS, order=31),
    NavItem(
        _("Innovation-leader library"),
        "cultivation:library",
        roles=(*OFFICERS, Role.ENTERPRISE_USER),
        order=32,
    ),
]
