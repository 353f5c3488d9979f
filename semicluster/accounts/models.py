"""Users carry one role and, for scoped roles, the one scope they act in (SPEC §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City admin (leading-group office)")
    LEADER = "leader", _("City leader")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    UNIT_OFFICER = "unit_officer", _("Responsible-unit officer")
    ENTERPRISE_USER = "enterprise_user", _("Enterprise user")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.LEADER)
    area = models.ForeignKey(
        "plans.Area",
        verbose_name=_("plan area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        help_text=_("Required for district officers: the plan area they act for."),
    )
    unit = models.ForeignKey(
        "plans.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        help_text=_("Required for unit officers: the responsible unit they act for."),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("Required for enterprise users: the one enterprise whose data they submit."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        required = {
            Role.DISTRICT_OFFICER: "area",
            Role.UNIT_OFFICER: "unit",
            Role.ENTERPRISE_USER: "enterprise",
        }.get(Role(self.role))
        if required and getattr(self, f"{required}_id") is None:
            raise ValidationError({required: _("This role needs its scope to be set.")})

    @property
    def is_city_wide(self) -> bool:
        return self.is_superuser or self.role in (Role.CITY_ADMIN, Role.LEADER)


class ApiToken(models.Model):
    """A token for machine clients. Only a SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
