"""The upstream supply-chain survey (上游供应链摸排, 二、7) as stored answers.

One ``SupplyAnswer`` row is one supplier link, exactly the record the pure engine in ``links`` and
``analysis`` reads: firm F buys input item I (of a category) from supplier S at a location level,
for a share of its purchases of I. Suppliers are shared rows, so the analysis can see that many
local firms depend on the same one (critical suppliers, single sources).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from semicluster.core.models import TimeStampedModel
from semicluster.supply.links import DOMESTIC_COUNTRY


class Category(models.TextChoices):
    # Codes are links.CATEGORIES: the engine and the database share one vocabulary.
    MATERIAL = "material", pgettext_lazy("supply category", "materials")
    EQUIPMENT = "equipment", pgettext_lazy("supply category", "equipment")
    EDA_IP = "eda_ip", _("EDA/IP")
    COMPONENTS = "components", pgettext_lazy("supply category", "components")
    SERVICES = "services", pgettext_lazy("supply category", "services")


class Level(models.TextChoices):
    # Codes are links.LEVELS, nearest first.
    KUNSHAN = "kunshan", pgettext_lazy("supplier location", "Kunshan")
    SUZHOU = "suzhou", pgettext_lazy("supplier location", "rest of Suzhou")
    JIANGSU = "jiangsu", pgettext_lazy("supplier location", "rest of Jiangsu")
    CHINA = "china", pgettext_lazy("supplier location", "rest of China")
    ABROAD = "abroad", pgettext_lazy("supplier location", "abroad")


class AnswerSource(models.TextChoices):
    FORM = "form", _("web form")
    IMPORT = "import", _("import batch")
    API = "api", _("API call")
    DEMO = "demo", _("synthetic demo generator")


class Supplier(TimeStampedModel):
    """A supplier named in the survey; one row however many firms name it (matched by name)."""

    name = models.CharField(_("supplier name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # When the supplier is itself in the enterprise library, the network view shows a local link.
    local_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("local enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="as_supplier",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SupplyAnswer(TimeStampedModel):
    """One key input of one enterprise from one supplier (a survey answer row)."""

    SCOPE_AREA = "enterprise__area"
    SCOPE_ENTERPRISE = "enterprise_id"

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="supply_answers",
    )
    year = models.PositiveSmallIntegerField(
        _("survey year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    category = models.CharField(_("input category"), max_length=16, choices=Category.choices)
    item = models.CharField(_("input item"), max_length=120)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="answers"
    )
    level = models.CharField(_("supplier location"), max_length=16, choices=Level.choices)
    country = models.CharField(
        _("country (ISO code)"), max_length=2, blank=True, help_text=_("Two letters, for suppliers abroad.")
    )
    share = models.DecimalField(
        _("share of purchases of the item"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("0–1 (0.35 = 35 %)."),
    )
    purchase_value = models.DecimalField(
        _("annual purchase value (yuan)"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    has_alternative = models.BooleanField(_("a qualified domestic alternative exists"), default=False)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=AnswerSource.choices, default=AnswerSource.FORM
    )
    source_ref = models.CharField(_("source reference"), max_length=80, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("supply-survey answer")
        verbose_name_plural = _("supply-survey answers")
        ordering = ["enterprise", "category", "item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "category", "item", "supplier"], name="supply_answer_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "category", "item"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.category}/{self.item} ← {self.supplier_id}"

    def clean(self) -> None:
        self.country = (self.country or "").strip().upper()
        if self.level == Level.ABROAD:
            if len(self.country) != 2 or self.country == DOMESTIC_COUNTRY:
                raise ValidationError({"country": _("A supplier abroad needs its country code.")})
        elif self.country not in ("", DOMESTIC_COUNTRY):
            raise ValidationError({"country": _("A domestic supplier's country must be CN.")})
        self.item = (self.item or "").strip()
