from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem

GOVERNMENT = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER)

NAV = [
    NavItem(_("Chain map"), "chain:map", roles=GOVERNMENT, order=50),
    NavItem(_("Investment targets"), "chain:targets", roles=GOVERNMENT, order=52),
]
