from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import NavItem

# "public": shown to anonymous visitors too (the portal needs no log-in).
NAV = [
    NavItem(
        _("Public portal"),
        "portal:home",
        roles=("public", "city_admin", "leader", "district_officer", "unit_officer", "enterprise_user"),
        order=95,
    )
]
