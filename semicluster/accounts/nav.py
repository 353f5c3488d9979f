from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import NavItem

NAV = [NavItem(_("API tokens"), "accounts:tokens", order=990)]
