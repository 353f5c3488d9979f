from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "semicluster.innovation"
    label = "innovation"
    verbose_name = _("Key technologies and innovation platforms")
