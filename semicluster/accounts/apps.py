from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "semicluster.accounts"
    label = "accounts"
    verbose_name = _("Accounts and scopes")

    def ready(self) -> None:
        from semicluster.accounts import signals  # noqa: F401 - connects the security-log receivers
