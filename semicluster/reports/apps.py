from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "semicluster.reports"
    label = "reports"
    verbose_name = _("Annual monitoring report")

    def ready(self) -> None:
        checks.register(check_disclosure_parameters)


def check_disclosure_parameters(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A wrong disclosure-control setting must stop the deployment, not surface at publication."""
    from semicluster.reports.sdc import disclosure_parameters

    try:
        disclosure_parameters()
    except (ValueError, TypeError, KeyError) as exc:
        return [
            checks.Error(
                f"SEMICLUSTER_DISCLOSURE: {exc}",
                hint='e.g. {"min_frequency": 3, "dominance": [[1, 85]], "p_percent": 15}',
                id="semicluster.E001",
            )
        ]
    return []
