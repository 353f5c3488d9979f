from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import NavItem

NAV = [NavItem(_("Work plan"), "plans:overview", order=10)]
