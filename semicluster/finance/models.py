"""Finance support (金融支撑, 三、2): financing needs matched to providers, and the listing pipeline."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from semicluster.core.models import TimeStampedModel

# The plan clause of finance support: its task's lead unit (地方金融) and co-units read every financing
# need and listing record (accounts.scoping: SCOPE_UNIT_CLAUSE), without writing them.
CLAUSE = "三、2"


class FinancingNeed(TimeStampedModel):
    SCOPE_AREA = "enterprise__area"
    SCOPE_ENTERPRISE = "enterprise_id"
    SCOPE_UNIT_CLAUSE = CLAUSE

    class Instrument(models.TextChoices):
        CREDIT = "credit", _("credit loan")
        GUARANTEE = "guarantee", _("guarantee")
        LEASE = "lease", _("finance lease")
        EQUITY = "equity", _("equity financing")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        MATCHING = "matching", _("matching a provider")
        MATCHED = "matched", _("matched")
        FUNDED = "funded", _("funded")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    CLOSED = (Status.FUNDED, Status.DECLINED, Status.WITHDRAWN)

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="financing_needs",
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=20, decimal_places=2)
    instrument = models.CharField(_("instrument"), max_length=12, choices=Instrument.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    provider = models.CharField(_("matched provider"), max_length=200, blank=True)
    funded_amount = models.DecimalField(
        _("amount funded (yuan)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financing need")
        verbose_name_plural = _("financing needs")
        ordering = ["-submitted_on", "enterprise__name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="financing_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_instrument_display()} · {self.amount}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("The amount must be positive.")
        if self.status in (self.Status.MATCHED, self.Status.FUNDED) and not self.provider.strip():
            errors["provider"] = _("A matched or funded need names its provider.")
        if self.status == self.Status.FUNDED and self.funded_amount is None:
            errors["funded_amount"] = _("A funded need records the amount funded.")
        if self.status in (self.Status.DECLINED, self.Status.WITHDRAWN) and not self.outcome.strip():
            errors["outcome"] = _("A declined or withdrawn need records the outcome.")
        if self.closed_on and self.submitted_on and self.closed_on < self.submitted_on:
            errors["closed_on"] = _("A need cannot close before it was submitted.")
        if errors:
            raise ValidationError(errors)


class ListingRecord(TimeStampedModel):
    """An enterprise's way to an IPO (上市梯队): one record per firm and target board."""

    SCOPE_AREA = "enterprise__area"
    SCOPE_ENTERPRISE = "enterprise_id"
    SCOPE_UNIT_CLAUSE = CLAUSE
    ENTERPRISE_MAY_WRITE = False

    class Stage(models.TextChoices):
        TUTORING = "tutoring", pgettext_lazy("listing stage", "tutoring filed")
        FILING = "filing", pgettext_lazy("listing stage", "application filed")
        ACCEPTED = "accepted", pgettext_lazy("listing stage", "accepted")
        APPROVED = "approved", pgettext_lazy("listing stage", "approved or registered")
        LISTED = "listed", pgettext_lazy("listing stage", "listed")

    class Board(models.TextChoices):
        MAIN = "main", _("main board")
        CHINEXT = "chinext", _("ChiNext")
        STAR = "star", _("STAR Market")
        BSE = "bse", _("Beijing Stock Exchange")

    STAGE_ORDER = [s.value for s in Stage]

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="listing_records",
    )
    board = models.CharField(_("board"), max_length=10, choices=Board.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.TUTORING)
    sponsor = models.CharField(_("sponsor (保荐机构)"), max_length=200, blank=True)
    tutoring_on = models.DateField(_("tutoring registered"), null=True, blank=True)
    filed_on = models.DateField(_("filed"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted"), null=True, blank=True)
    approved_on = models.DateField(_("approved / registered"), null=True, blank=True)
    listed_on = models.DateField(_("listed"), null=True, blank=True)
    stock_code = models.CharField(_("stock code"), max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    # Stage → the date field that records reaching it.
    STAGE_DATES = {
        Stage.TUTORING: "tutoring_on",
        Stage.FILING: "filed_on",
        Stage.ACCEPTED: "accepted_on",
        Stage.APPROVED: "approved_on",
        Stage.LISTED: "listed_on",
    }

    class Meta:
        verbose_name = _("listing record")
        verbose_name_plural = _("listing pipeline")
        ordering = ["enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "board"], name="listing_once_per_board"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_board_display()} · {self.get_stage_display()}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        reached = self.STAGE_ORDER.index(self.stage) if self.stage in self.STAGE_ORDER else 0
        previous = None
        for index, stage in enumerate(self.STAGE_ORDER):
            field = self.STAGE_DATES[self.Stage(stage)]
            value = getattr(self, field)
            if index == reached and value is None:
                errors[field] = _("The date the current stage was reached is required.")
            if index > reached and value is not None:
                errors[field] = _("A date is set for a stage not yet reached.")
            if value is not None and previous is not None and value < previous:
                errors[field] = _("Stage dates must not go backwards.")
            previous = value or previous
        if self.stage == self.Stage.LISTED and not self.stock_code.strip():
            errors["stock_code"] = _("A listed record needs its stock code.")
        if errors:
            raise ValidationError(errors)
