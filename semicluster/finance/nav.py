from typing import Any

from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import unit_serves_clause
from semicluster.core.registry import NavItem
from semicluster.finance.models import CLAUSE


def _reads_finance(user: Any) -> bool:
    """Unit officers see the menu only when the plan names their unit for 三、2 (lead or co-unit)."""
    return user.role != Role.UNIT_OFFICER or unit_serves_clause(user, CLAUSE)


NAV = [
    NavItem(
        _("Finance"),
        "finance:needs",
        roles=(Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER, Role.ENTERPRISE_USER),
        order=36,
        when=_reads_finance,
    ),
]
