"""Support-program applications (专项支持申请, SPEC §3.8): tape-out facts, costs, attachments, the
review workflow with its step log, the stored award computation and the budget ledger.

The award rules themselves are plan data (``support_programs``), parsed and computed by the pure
engines in ``rules`` / ``awards``; an application keeps the plan version it was judged under, so a
newer plan never silently changes an old decision.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from semicluster.core.models import TimeStampedModel


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted, awaiting area pre-review")
    PRE_REVIEWED = "pre_reviewed", _("pre-reviewed, awaiting city review")
    REVIEWED = "reviewed", _("city-reviewed, awaiting decision")
    RETURNED = "returned", _("returned for correction")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", pgettext_lazy("support application", "rejected")
    DISBURSED = "disbursed", _("disbursed")


# Statuses an enterprise may still edit (and submit from).
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# Statuses whose award counts against the budget and the firm's yearly caps.
AWARDED = frozenset({Status.APPROVED, Status.DISBURSED})
# Claims that duplicate detection compares against: everything ever submitted. A rejected claim stays,
# so a rejected tape-out cannot simply be claimed again under a new number.
CLAIMED = frozenset(set(Status) - {Status.DRAFT})


class FoundryLocation(models.TextChoices):
    DOMESTIC = "domestic", _("domestic (境内)")
    OVERSEAS = "overseas", _("overseas (境外)")


class Mask(models.TextChoices):
    MPW = "mpw", _("MPW shuttle (多项目晶圆)")
    FULL_MASK = "full_mask", _("full mask (全掩膜)")


class Substrate(models.TextChoices):
    UNKNOWN = "", _("not stated")
    SILICON = "silicon", _("silicon (硅基)")
    COMPOUND = "compound", _("compound (化合物)")


class WaferSize(models.IntegerChoices):
    MM150 = 150, _("150 mm (6 inch)")
    MM200 = 200, _("200 mm (8 inch)")
    MM300 = 300, _("300 mm (12 inch)")


class Source(models.TextChoices):
    FORM = "form", _("web form")
    API = "api", _("API call")
    IMPORT = "import", _("import of historical applications")
    DEMO = "demo", _("synthetic demo generator")


class Application(TimeStampedModel):
    """One application for one tape-out under one program."""

    SCOPE_AREA = "enterprise__area"
    SCOPE_ENTERPRISE = "enterprise_id"

    number = models.CharField(_("application number"), max_length=20, unique=True, null=True, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="support_applications",
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion", verbose_name=_("plan version"), on_delete=models.PROTECT, related_name="+"
    )
    program_code = models.CharField(_("program"), max_length=80, db_index=True)
    year = models.PositiveSmallIntegerField(_("program year"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # Tape-out facts (流片情况)
    foundry = models.CharField(_("foundry"), max_length=120)
    foundry_location = models.CharField(_("foundry location"), max_length=10, choices=FoundryLocation.choices)
    local_fab = models.BooleanField(_("done at a local (Kunshan) fab"), default=False)
    process_node_nm = models.DecimalField(
        _("process node (nm)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    wafer_size_mm = models.PositiveSmallIntegerField(_("wafer size"), choices=WaferSize.choices)
    wafer_count = models.PositiveIntegerField(_("wafer count"), validators=[MinValueValidator(1)])
    tapeout_date = models.DateField(_("tape-out date"))
    product = models.CharField(_("product"), max_length=120)
    product_field = models.CharField(
        _("priority field of the product"),
        max_length=60,
        blank=True,
        help_text=_("One of the program's priority fields, if the product is in one."),
    )
    mask = models.CharField(_("MPW or full mask"), max_length=10, choices=Mask.choices)
    substrate = models.CharField(_("substrate"), max_length=10, choices=Substrate.choices, blank=True)
    is_sensor = models.BooleanField(_("sensor product"), default=False)
    first_tapeout = models.BooleanField(_("first tape-out of the product"), default=False)

    # Workflow dates
    applied_on = models.DateField(_("applied on"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_reason = models.TextField(_("decision reason"), blank=True, editable=False)

    # Award (奖励核定): the engine's explained steps as JSON, the computed and the final amount.
    computation = models.JSONField(_("award computation"), null=True, blank=True, editable=False)
    computed_amount = models.DecimalField(
        _("computed award"), max_digits=20, decimal_places=2, null=True, blank=True, editable=False
    )
    award_amount = models.DecimalField(
        _("award"), max_digits=20, decimal_places=2, null=True, blank=True, editable=False
    )
    over_budget = models.BooleanField(_("over budget"), default=False, editable=False)
    # 一事一议: decided case by case, beside (never instead of) the computed amount.
    override_amount = models.DecimalField(
        _("case-by-case amount (一事一议)"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    override_reason = models.TextField(_("case-by-case reason"), blank=True, editable=False)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case-by-case approver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    override_by_name = models.CharField(_("approver"), max_length=150, blank=True, editable=False)
    override_at = models.DateTimeField(_("case-by-case decided at"), null=True, blank=True, editable=False)

    disbursed_amount = models.DecimalField(
        _("disbursed"), max_digits=20, decimal_places=2, null=True, blank=True, editable=False
    )
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True, editable=False)
    disbursement_ref = models.CharField(_("payment voucher"), max_length=80, blank=True, editable=False)

    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)
    source_ref = models.CharField(_("source reference"), max_length=120, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("support application")
        verbose_name_plural = _("support applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["program_code", "year", "status"]),
            models.Index(fields=["enterprise", "year", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award_amount__isnull=True) | models.Q(award_amount__gte=0),
                name="support_award_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


OTHER_COST = "other"  # a cost the program does not list: kept and shown, never counted


class CostItem(models.Model):
    """One cost of the tape-out with its invoice (发票代码 + 发票号码) and contract (合同) reference."""

    SCOPE_AREA = "application__enterprise__area"
    SCOPE_ENTERPRISE = "application__enterprise_id"

    application = models.ForeignKey(
        Application, verbose_name=_("support application"), on_delete=models.CASCADE, related_name="costs"
    )
    item = models.CharField(_("cost item"), max_length=40)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=20, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    invoice_code = models.CharField(_("invoice code (发票代码)"), max_length=20, blank=True)
    invoice_number = models.CharField(_("invoice number (发票号码)"), max_length=30)
    contract_ref = models.CharField(_("contract reference"), max_length=80, blank=True)
    # Normalised code + number (duplicates.invoice_key), so duplicate detection can find candidate
    # claims in the database however the number was typed.
    invoice_key = models.CharField(_("invoice key"), max_length=60, db_index=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"

    def save(self, *args: object, **kwargs: object) -> None:
        from semicluster.support.duplicates import invoice_key

        self.invoice_code = self.invoice_code.strip()
        self.invoice_number = self.invoice_number.strip()
        self.invoice_key = invoice_key(self.invoice_ref)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def invoice_ref(self) -> str:
        # An old-style VAT invoice is unique only as code + number (see duplicates.py); a 全电发票
        # number is unique on its own, so its code is left blank.
        return f"{self.invoice_code} {self.invoice_number}".strip()


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never uses the uploader's file name (which may carry paths or odd characters).
    return f"support/{instance.application_id}/{instance.sha256[:16]}.{instance.extension}"


class Attachment(models.Model):
    """A supporting document: PDF, PNG or JPEG only, type-checked by content. Served only through a
    scoped view, never from a public media URL."""

    SCOPE_AREA = "application__enterprise__area"
    SCOPE_ENTERPRISE = "application__enterprise_id"

    application = models.ForeignKey(
        Application,
        verbose_name=_("support application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("what it shows"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=40)
    extension = models.CharField(_("extension"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.name


class Action(models.TextChoices):
    CREATED = "created", _("created")
    EDITED = "edited", _("edited")
    SUBMITTED = "submitted", pgettext_lazy("application step", "submitted")
    RESUBMITTED = "resubmitted", _("resubmitted after correction")
    REFUSED_DUPLICATE = "refused_duplicate", _("submission refused: duplicate claim")
    PRE_REVIEWED = "pre_reviewed", _("area pre-review passed")
    REVIEWED = "reviewed", _("city review passed")
    RETURNED = "returned", _("returned for correction")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", pgettext_lazy("support application", "rejected")
    OVERRIDDEN = "overridden", _("case-by-case decision (一事一议)")
    DISBURSED = "disbursed", _("disbursement recorded")
    IMPORTED = "imported", _("imported")


class Step(models.Model):
    """The step log: every action on an application, dated, with its actor and reason. Append-only."""

    SCOPE_AREA = "application__enterprise__area"
    SCOPE_ENTERPRISE = "application__enterprise_id"

    application = models.ForeignKey(
        Application, verbose_name=_("support application"), on_delete=models.CASCADE, related_name="steps"
    )
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.action} {self.at:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Workflow steps are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class LedgerKind(models.TextChoices):
    COMMIT = "commit", _("committed (approved award)")
    RELEASE = "release", _("released (award changed)")
    DISBURSE = "disburse", _("disbursed")


class LedgerEntry(models.Model):
    """The budget ledger (预算台账), append-only: approvals commit, changed awards release, payments
    disburse. Committed = commits − releases; remaining = the plan's annual budget − committed."""

    SCOPE_AREA = "application__enterprise__area"
    SCOPE_ENTERPRISE = "application__enterprise_id"

    program_code = models.CharField(_("program"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerKind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=20, decimal_places=2, validators=[MinValueValidator(0)]
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("support application"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["program_code", "year", "at", "id"]
        indexes = [models.Index(fields=["program_code", "year", "kind"])]

    def __str__(self) -> str:
        return f"{self.program_code} {self.year} {self.kind} {self.amount}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Ledger entries are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
