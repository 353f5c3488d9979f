from typing import Any

from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.core.registry import NavItem


def _has_datasets(user: Any) -> bool:
    from semicluster.intake.registry import datasets_for

    return bool(datasets_for(user))


NAV = [
    NavItem(
        _("Data import"),
        "intake:home",
        roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER, Role.UNIT_OFFICER),
        order=80,
        # Unit officers import progress of the work items their unit leads; without any, nothing.
        when=lambda user: user.role != Role.UNIT_OFFICER or _has_datasets(user),
    ),
]
