from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem

GOVERNMENT = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER)

NAV = [
    NavItem(_("Tasks"), "accountability:items", roles=GOVERNMENT, order=60),
    NavItem(_("Bulletins"), "accountability:bulletins", roles=GOVERNMENT, order=61),
    NavItem(_("Assessment"), "accountability:assessment", roles=(Role.CITY_ADMIN, Role.LEADER), order=62),
]
