from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import NavItem

NAV = [
    NavItem(_("API tokens"), "accounts:tokens", order=990),
    NavItem(_("Two-factor log-in"), "accounts:two_factor", order=991),
]
