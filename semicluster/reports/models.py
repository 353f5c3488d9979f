"""The annual report's workflow: draft → review → approved → published, every step audited.

A report (one year, one edition) holds a snapshot of the generated document and the reviewers' edits
by paragraph key. Publishing freezes what was approved into a numbered, immutable
:class:`ReportVersion` with the Document JSON and the rendered Word, HTML and PDF files, so a
published report can always be served exactly as it was published; a correction is a new version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Edition(models.TextChoices):
    INTERNAL = "internal", _("internal edition (内部版)")
    PUBLIC = "public", _("public edition (公开版)")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")


class ImmutableError(RuntimeError):
    """A published version (or an audit event) cannot be changed or deleted."""


class AnnualReport(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    edition = models.CharField(_("edition"), max_length=10, choices=Edition.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # {"document": Document dict, "datasets": [...], "suppression": [...]}: the generated content,
    # without edits; replaced only by regenerating a draft.
    snapshot = models.JSONField(_("generated content"), default=dict, blank=True)
    edits = models.JSONField(_("edits by paragraph key"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["snapshot", "updated_at"])

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "edition"]
        constraints = [models.UniqueConstraint(fields=["year", "edition"], name="annual_report_year_edition")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_edition_display()}"

    @property
    def is_public(self) -> bool:
        return self.edition == Edition.PUBLIC


class ReportVersion(models.Model):
    """One publication of a report: immutable once saved."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("annual report"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("document as published"))
    datasets = models.JSONField(_("public aggregates"), default=list, blank=True)
    suppression = models.JSONField(_("suppressed cells (internal)"), default=list, blank=True)
    docx = models.BinaryField(_("Word file"))
    pdf = models.BinaryField(_("PDF file"))
    html = models.TextField(_("HTML"))
    sha256_docx = models.CharField(_("docx checksum (SHA-256)"), max_length=64)
    sha256_pdf = models.CharField(_("PDF checksum (SHA-256)"), max_length=64)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("published report version")
        verbose_name_plural = _("published report versions")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_number")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("已发布的报告版本不可修改 / a published report version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("已发布的报告版本不可删除 / a published report version cannot be deleted")


class ReportEvent(models.Model):
    """Append-only audit of the workflow: who moved which report from what to what, when, and why."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("annual report"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("审计记录只能追加 / report events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("审计记录只能追加 / report events are append-only")
