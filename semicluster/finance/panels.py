from django.utils.translation import gettext_lazy as _

from semicluster.core.registry import EnterprisePanel
from semicluster.finance.selectors import enterprise_finance

ENTERPRISE_PANELS = [
    EnterprisePanel(
        _("Finance: financing needs and listing"),
        "finance/panel.html",
        lambda enterprise, user: enterprise_finance(enterprise),
        order=60,
    ),
]
