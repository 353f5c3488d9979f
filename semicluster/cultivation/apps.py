from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultivationConfig(AppConfig):
    name = "semicluster.cultivation"
    label = "cultivation"
    verbose_name = _("Enterprise cultivation and the innovation-leader library")
