"""The enterprise library: identity, chain position, period data and designations (SPEC §3.2)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from semicluster.core.models import TimeStampedModel
from semicluster.enterprises import credit_code


def validate_credit_code(value: str) -> None:
    result = credit_code.validate(value)
    if not result.is_valid:
        raise ValidationError(result.error or "", code="invalid_credit_code")


class Ownership(models.TextChoices):
    STATE = "state", _("state-owned")
    PRIVATE = "private", _("private")
    FOREIGN = "foreign", _("foreign-invested")
    HMT = "hmt", _("Hong Kong, Macao, Taiwan invested")
    JOINT = "joint", _("joint venture")
    COLLECTIVE = "collective", _("collective")


class Level(models.TextChoices):
    """Who grants a designation or recognises a platform: the plan file's ``designations[].level``
    values (plan schema), so a designation granted from the plan keeps its type's level as is."""

    NATIONAL = "national", pgettext_lazy("designation level", "national")
    PROVINCIAL = "provincial", pgettext_lazy("designation level", "provincial")
    MUNICIPAL = "municipal", pgettext_lazy("designation level", "municipal")
    INDUSTRY = "industry", pgettext_lazy("designation level", "industry")

    @classmethod
    def normalise(cls, value: str) -> str:
        """A level as a clerk writes it (国家级, 省级, 市级, 行业, Provincial …) -> its code; anything
        else is returned unchanged, for the field's choices check to name it."""
        text = (value or "").strip()
        return _LEVEL_ALIASES.get(text.lower(), text)


_LEVEL_ALIASES = {
    **{level.value: level.value for level in Level},
    "国家级": Level.NATIONAL.value,
    "国家": Level.NATIONAL.value,
    "省级": Level.PROVINCIAL.value,
    "省": Level.PROVINCIAL.value,
    "市级": Level.MUNICIPAL.value,
    "市": Level.MUNICIPAL.value,
    "行业": Level.INDUSTRY.value,
    "行业级": Level.INDUSTRY.value,
}


class ListingBoard(models.TextChoices):
    NONE = "", _("not listed")
    MAIN = "main", _("main board")
    CHINEXT = "chinext", _("ChiNext")
    STAR = "star", _("STAR Market")
    BSE = "bse", _("Beijing Stock Exchange")
    HK = "hk", _("Hong Kong")
    OVERSEAS = "overseas", _("overseas")


class Tier(models.TextChoices):
    LEADER = "leader", _("leader (5 bn yuan class)")
    BACKBONE = "backbone", _("backbone (1 bn yuan class)")
    GROWTH = "growth", _("growth")
    NONE = "", _("not tiered")


class Enterprise(TimeStampedModel):
    # Scoping declaration read by semicluster.accounts.scoping (one place for web and API).
    SCOPE_AREA = "area"
    SCOPE_ENTERPRISE = "id"

    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    area = models.ForeignKey("plans.Area", verbose_name=_("plan area"), on_delete=models.PROTECT)
    town = models.ForeignKey("plans.Town", verbose_name=_("town"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=300, blank=True)
    primary_node = models.ForeignKey(
        "plans.ChainNode",
        verbose_name=_("primary chain node"),
        on_delete=models.PROTECT,
        related_name="primary_enterprises",
    )
    secondary_nodes = models.ManyToManyField(
        "plans.ChainNode", verbose_name=_("secondary chain nodes"), blank=True, related_name="+"
    )
    industry_code = models.CharField(_("GB/T 4754 code"), max_length=8, blank=True)
    classification_version = models.CharField(
        _("classification version"), max_length=40, blank=True, default="GB/T 4754-2017"
    )
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices)
    listing_board = models.CharField(
        _("listing board"), max_length=16, choices=ListingBoard.choices, blank=True
    )
    stock_code = models.CharField(_("stock code"), max_length=16, blank=True)
    # Firms of one holding count as one respondent in statistical disclosure control ("the largest
    # three might belong to only one company"): a public figure must not reveal a group's total either.
    group_name = models.CharField(
        _("enterprise group"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_(
            "The group (集团) or holding the firm belongs to, written the same way for every member."
        ),
    )
    is_idm = models.BooleanField(_("IDM"), default=False)
    key_products = models.TextField(_("key products"), blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    # Cached from period data by services.tiers_refresh; never typed in.
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, blank=True, editable=False)
    tier_year = models.PositiveSmallIntegerField(_("tier year"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["tier", "tier_year", "updated_at"])

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        indexes = [models.Index(fields=["area", "primary_node"]), models.Index(fields=["tier"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.town_id and self.area_id and self.town.area_id != self.area_id:
            raise ValidationError({"town": _("The town does not belong to the chosen plan area.")})


class Measure(models.TextChoices):
    REVENUE = "revenue", _("revenue")
    OUTPUT = "output", _("output value")
    PROFIT = "profit", _("profit")
    TAX = "tax", _("tax")
    EMPLOYEES = "employees", _("employees")
    RD = "rd", _("R&D expenditure")
    INVESTMENT = "investment", _("fixed-asset investment")
    EXPORTS = "exports", _("exports")


# Measures counted in persons; every other measure is money in yuan.
HEADCOUNT_MEASURES = frozenset({Measure.EMPLOYEES})


class PeriodType(models.TextChoices):
    MONTH = "M", _("month")
    QUARTER = "Q", _("quarter")
    YEAR = "A", _("year")


class Basis(models.TextChoices):
    YTD = "ytd", _("year-to-date cumulative (1–N月累计)")
    SINGLE = "single", _("single period")


class Source(models.TextChoices):
    FORM = "form", _("web form")
    IMPORT = "import", _("import batch")
    API = "api", _("API call")
    DEMO = "demo", _("synthetic demo generator")
    ADMIN = "admin", _("admin")


class PeriodValue(models.Model):
    """One reported figure, stored exactly as reported with its basis (SPEC §4).

    Money is in yuan (Decimal, 2 places); headcounts in persons. Monthly figures are usually
    year-to-date cumulative; single-month values are derived, never summed from cumulative ones.
    """

    SCOPE_AREA = "enterprise__area"
    SCOPE_ENTERPRISE = "enterprise_id"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="period_values"
    )
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    period_type = models.CharField(_("period type"), max_length=1, choices=PeriodType.choices)
    period = models.PositiveSmallIntegerField(
        pgettext_lazy("statistics", "period"), help_text=_("Month 1–12, quarter 1–4, or 0 for a year.")
    )
    basis = models.CharField(_("basis"), max_length=8, choices=Basis.choices, default=Basis.YTD)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.FORM)
    source_ref = models.CharField(_("source reference"), max_length=80, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period value")
        verbose_name_plural = _("period values")
        ordering = ["enterprise", "measure", "year", "period_type", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "measure", "year", "period_type", "period"], name="period_value_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(period_type="A", period=0)
                    | models.Q(period_type="Q", period__gte=1, period__lte=4)
                    | models.Q(period_type="M", period__gte=1, period__lte=12)
                ),
                name="period_value_period_in_range",
            ),
        ]
        indexes = [models.Index(fields=["measure", "year", "period_type", "period"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.measure} {self.year}{self.period_type}{self.period}={self.value}"


class Designation(TimeStampedModel):
    """An honour or qualification held by an enterprise (专精特新, 小巨人, 单项冠军 …)."""

    SCOPE_AREA = "enterprise__area"
    SCOPE_ENTERPRISE = "enterprise_id"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="designations"
    )
    designation_type = models.ForeignKey(
        "plans.DesignationType", verbose_name=_("designation"), on_delete=models.PROTECT
    )
    level = models.CharField(_("level"), max_length=20, blank=True, choices=Level.choices)
    authority = models.CharField(_("issuing authority"), max_length=120, blank=True)
    granted = models.DateField(_("granted"))
    expires = models.DateField(_("expires"), null=True, blank=True)
    evidence = models.CharField(_("evidence document"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["enterprise", "-granted"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "designation_type", "granted"], name="designation_unique_grant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.designation_type}"

    def clean_fields(self, exclude: Any = None) -> None:
        self.level = Level.normalise(self.level)  # 省级 -> provincial, as imports and forms may write it
        super().clean_fields(exclude=exclude)


class InnovationPlatform(TimeStampedModel):
    """A research institute, lab, university park or new R&D institution (二、6)."""

    class Kind(models.TextChoices):
        INSTITUTE = "institute", _("research institute")
        LAB = "lab", _("laboratory")
        UNIVERSITY_PARK = "university_park", _("university science park")
        NEW_RND = "new_rnd", _("new-type R&D institution")
        PUBLIC_PLATFORM = "public_platform", _("common-technology platform")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, blank=True, choices=Level.choices)
    area = models.ForeignKey(
        "plans.Area", verbose_name=_("plan area"), null=True, blank=True, on_delete=models.PROTECT
    )
    fields = models.ManyToManyField(
        "plans.ChainNode", verbose_name=_("fields"), blank=True, related_name="platforms"
    )
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("enterprises"), blank=True, related_name="platforms"
    )
    named_in_plan = models.BooleanField(_("named in the plan"), default=False)
    source = models.CharField(_("source clause"), max_length=32, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("innovation platform")
        verbose_name_plural = _("innovation platforms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Any = None) -> None:
        self.level = Level.normalise(self.level)  # 省级 -> provincial, as imports and forms may write it
        super().clean_fields(exclude=exclude)
