"""Import batches and the per-value changes they made (SPEC §3.13: who, when, from where, old and new).

Every value an import writes is recorded as an :class:`ImportChange` of its :class:`ImportBatch`, which
is what lets a batch be reverted and every figure be traced back to the file it came from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed")
        COMMITTED = "committed", _("committed")
        REVERTED = "reverted", _("reverted")
        FAILED = "failed", _("failed")

    dataset = models.CharField(_("dataset"), max_length=60, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reverted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    file = models.FileField(_("uploaded file"), upload_to="imports/%Y/%m/", max_length=300)
    rows_total = models.PositiveIntegerField(_("data rows"), default=0)
    created_count = models.PositiveIntegerField(pgettext_lazy("import", "created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    skipped_count = models.PositiveIntegerField(_("total rows skipped"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    failure_reason = models.TextField(_("failure reason"), blank=True)
    # The preview as shown (counts, problems, sample of changes, suggestions): the page and the API read
    # it back without parsing the file again.
    summary = models.JSONField(_("preview summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.dataset} {self.filename}"

    @property
    def changes_count(self) -> int:
        return self.created_count + self.updated_count


class ImportChange(models.Model):
    """One value an import wrote: the record (model + id), the field, and the value before and after.

    A created record has ``action=create`` rows with ``old`` null; values are stored as text (the
    field's own ``to_python`` reads them back) so one table serves every dataset.
    """

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("import", "created")
        UPDATE = "update", _("updated")

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("import batch"), on_delete=models.CASCADE, related_name="changes"
    )
    model = models.CharField(_("model"), max_length=80)  # app_label.model_name
    object_id = models.BigIntegerField(_("object id"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    field = models.CharField(_("field"), max_length=60)
    old = models.TextField(_("old value"), null=True, blank=True)
    new = models.TextField(_("new value"), null=True, blank=True)

    class Meta:
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id}.{self.field}: {self.old} → {self.new}"
