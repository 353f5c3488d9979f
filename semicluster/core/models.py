"""Shared model bases and the append-only security log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SourcedModel(models.Model):
    """An item that comes from a clause of the plan keeps the clause and its original sentence,
    so any number on screen can be traced back to the text that demanded it (SPEC §3.1)."""

    source = models.CharField(_("source clause"), max_length=32, blank=True)
    source_text = models.TextField(_("original sentence"), blank=True)

    class Meta:
        abstract = True


class SecurityEvent(models.Model):
    """Append-only log of security-relevant events (log-ins, denials, exports, imports, publications)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("log-in")
        LOGIN_FAILED = "login_failed", _("failed log-in")
        LOGOUT = "logout", _("log-out")
        DENIED = "denied", _("access denied")
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")
        PUBLISH = "publish", _("publication")
        TOKEN = "token", _("API token use")
        PLAN_LOAD = "plan_load", _("plan loaded")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Security events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Security events are append-only.")
