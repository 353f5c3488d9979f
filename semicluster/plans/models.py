"""The plan as data (SPEC §3.1).

A plan file is loaded into a PlanVersion that keeps the whole validated document; the items other
apps join against (areas, towns, chain nodes, units, designation types, goals, key technologies,
tasks) are materialised as rows. Region-wide reference data (areas, towns, the chain taxonomy,
units, designation types) is keyed by code and updated in place by a newer version; items that
belong to one year's plan (goals, key technologies, tasks) belong to the version that declared
them, so an older version keeps its own.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from semicluster.core.models import SourcedModel


class BilingualName(models.Model):
    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = get_language() or "zh-hans"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Plan(BilingualName):
    """A plan series: one region's plan for one year (e.g. Kunshan semiconductor 2025)."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    region_code = models.CharField(_("region code (GB/T 2260)"), max_length=12)
    region_name = models.CharField(_("region"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "code"]

    def current_version(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    document = models.JSONField(_("validated plan document"))
    source_path = models.CharField(_("file loaded"), max_length=500)
    source_text = models.TextField(_("file text as loaded"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.UniqueConstraint(fields=["plan", "content_hash"], name="plan_version_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number}"

    def section(self, name: str, default: object = None) -> object:
        return self.document.get(name, default)


class Area(BilingualName, SourcedModel):
    """A plan area (开发区, 高新区, 花桥, 旅度区, 五镇): the unit of district scoping."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    focus = models.TextField(_("focus directions"), blank=True)
    focus_nodes: models.ManyToManyField = models.ManyToManyField(
        "ChainNode", verbose_name=_("focus nodes"), blank=True, related_name="focus_areas"
    )
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan area")
        verbose_name_plural = _("plan areas")
        ordering = ["sort", "code"]


class Town(BilingualName):
    code = models.CharField(_("code"), max_length=20, unique=True)
    area = models.ForeignKey(
        Area, verbose_name=_("plan area"), on_delete=models.PROTECT, related_name="towns"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["area__sort", "code"]


class ChainSegment(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chain segment")
        verbose_name_plural = _("chain segments")
        ordering = ["sort", "code"]


class ChainNode(BilingualName):
    class Priority(models.TextChoices):
        NONE = "", _("none")
        FOCUS = "focus", _("focus field")
        GAP = "gap", _("gap to fill")
        STRENGTH = "strength", _("strength to keep")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    segment = models.ForeignKey(
        ChainSegment, verbose_name=_("chain segment"), on_delete=models.PROTECT, related_name="nodes"
    )
    industry_codes = models.JSONField(_("GB/T 4754 codes"), default=list, blank=True)
    classification_version = models.CharField(_("classification version"), max_length=60, blank=True)
    priority = models.CharField(_("plan priority"), max_length=16, choices=Priority.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chain node")
        verbose_name_plural = _("chain nodes")
        ordering = ["segment__sort", "sort", "code"]


class Unit(BilingualName):
    """A responsible unit (市发改委, 市商务局 …) that leads or supports plan tasks."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["code"]


class DesignationType(BilingualName, SourcedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    level = models.CharField(_("level"), max_length=20)
    authority = models.CharField(_("issuing authority"), max_length=120, blank=True)
    validity_years = models.PositiveSmallIntegerField(_("default validity (years)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("designation type")
        verbose_name_plural = _("designation types")
        ordering = ["code"]


class Goal(BilingualName, SourcedModel):
    plan_version = models.ForeignKey(
        PlanVersion, verbose_name=_("plan version"), on_delete=models.CASCADE, related_name="goals"
    )
    code = models.SlugField(_("code"), max_length=60)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20)
    comparison = models.CharField(_("comparison"), max_length=4, default="gte")
    deadline = models.DateField(_("deadline"))
    indicator = models.JSONField(_("indicator definition"), default=dict)
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan_version", "sort"]
        constraints = [models.UniqueConstraint(fields=["plan_version", "code"], name="goal_code_unique")]

    def is_met_by(self, value: Decimal) -> bool:
        return value > self.target if self.comparison == "gt" else value >= self.target


class KeyTechnology(BilingualName, SourcedModel):
    plan_version = models.ForeignKey(
        PlanVersion, verbose_name=_("plan version"), on_delete=models.CASCADE, related_name="key_technologies"
    )
    code = models.SlugField(_("code"), max_length=60)
    nodes = models.ManyToManyField(
        ChainNode, verbose_name=_("chain nodes"), blank=True, related_name="key_technologies"
    )
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("key technology")
        verbose_name_plural = _("key technologies")
        ordering = ["plan_version", "sort"]
        constraints = [models.UniqueConstraint(fields=["plan_version", "code"], name="keytech_code_unique")]


class Task(SourcedModel):
    """A task of the plan (二、1–8, 三、1–3) with its lead and co-units."""

    plan_version = models.ForeignKey(
        PlanVersion, verbose_name=_("plan version"), on_delete=models.CASCADE, related_name="tasks"
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name=_("co-units"), blank=True, related_name="supported_tasks"
    )
    deadline = models.DateField(_("deadline"))
    milestones = models.JSONField(_("milestones"), default=list, blank=True)
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["plan_version", "sort"]
        constraints = [models.UniqueConstraint(fields=["plan_version", "code"], name="task_code_unique")]

    def __str__(self) -> str:
        language = get_language() or "zh-hans"
        return self.title_en if language.startswith("en") and self.title_en else self.title
