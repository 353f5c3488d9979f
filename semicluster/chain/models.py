"""Investment attraction on the chain map (产业链招商图谱, 二、2) and chain communities (产业链共同体, 二、7).

An ``InvestmentTarget`` is an external company the city courts, mapped to the chain nodes (and the
supply-chain breakpoint items) it would fill. Its pipeline stage moves lead → contacted → visited →
negotiating → signed → landed, or to dropped with a reason; every move is a dated ``TargetStep`` that
is never edited. A landed target is linked one-to-one to the project it became in the project library.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from semicluster.core.models import TimeStampedModel

MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 2}


class Stage(models.TextChoices):
    LEAD = "lead", pgettext_lazy("investment target stage", "lead")
    CONTACTED = "contacted", pgettext_lazy("investment target stage", "contacted")
    VISITED = "visited", pgettext_lazy("investment target stage", "visited")
    NEGOTIATING = "negotiating", pgettext_lazy("investment target stage", "negotiating")
    SIGNED = "signed", pgettext_lazy("investment target stage", "signed")
    LANDED = "landed", pgettext_lazy("investment target stage", "landed")
    DROPPED = "dropped", pgettext_lazy("investment target stage", "dropped")


# The forward order of the pipeline; dropped sits outside it.
PIPELINE: tuple[str, ...] = ("lead", "contacted", "visited", "negotiating", "signed", "landed")
ACTIVE_STAGES: tuple[str, ...] = ("lead", "contacted", "visited", "negotiating", "signed")


class InvestmentTarget(TimeStampedModel):
    """An external company courted for investment (招商目标), with its pipeline stage."""

    SCOPE_AREA = "intended_area"
    SCOPE_UNIT = "responsible_unit"
    # No SCOPE_ENTERPRISE: leads are the government's confidential work, not shown to firms.

    name = models.CharField(_("company"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(
        _("target category"), max_length=40, help_text=_("A code of the plan's investment_target_categories.")
    )
    country = models.CharField(_("home country (ISO code)"), max_length=2)
    nodes = models.ManyToManyField(
        "plans.ChainNode", verbose_name=_("chain nodes it would fill"), related_name="investment_targets"
    )
    # The survey breakpoints it would fill (补断点): [[category, item], …] as the analysis names them.
    supply_items = models.JSONField(_("breakpoint items it would fill"), default=list, blank=True)
    estimated_investment = models.DecimalField(
        _("estimated investment (yuan)"), **MONEY, null=True, blank=True
    )
    intended_area = models.ForeignKey(
        "plans.Area", verbose_name=_("intended area"), on_delete=models.PROTECT, null=True, blank=True
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investment_targets",
    )
    responsible_unit = models.ForeignKey(
        "plans.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    stage_on = models.DateField(_("stage reached on"))
    drop_reason = models.CharField(_("reason dropped"), max_length=300, blank=True)
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project it became"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_target",
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("investment target")
        verbose_name_plural = _("investment targets")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["category", "stage"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.stage in ACTIVE_STAGES

    def clean(self) -> None:
        self.country = (self.country or "").strip().upper()
        if len(self.country) != 2:
            raise ValidationError({"country": _("Give the two-letter country code (CN, US, JP …).")})
        if self.stage == Stage.DROPPED and not self.drop_reason.strip():
            raise ValidationError({"drop_reason": _("A dropped lead needs its reason.")})
        if self.stage == Stage.LANDED and self.project_id is None:
            raise ValidationError({"stage": _("A landed lead must be linked to its project.")})
        items = self.supply_items
        if not isinstance(items, list) or any(
            not isinstance(i, list | tuple) or len(i) != 2 or not all(isinstance(p, str) and p for p in i)
            for i in items
        ):
            raise ValidationError({"supply_items": _("Breakpoint items are [category, item] pairs.")})


class TargetStep(models.Model):
    """One dated move of a target through the pipeline; append-only (the pipeline's memory)."""

    SCOPE_AREA = "target__intended_area"
    SCOPE_UNIT = "target__responsible_unit"

    target = models.ForeignKey(
        InvestmentTarget, verbose_name=_("investment target"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline steps")
        ordering = ["target", "on", "id"]

    def __str__(self) -> str:
        return f"{self.target_id} {self.stage} {self.on}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Pipeline steps are kept as recorded and never edited.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ChainCommunity(TimeStampedModel):
    """A chain community (产业链共同体) led by a leader enterprise with its up- and downstream members."""

    SCOPE_AREA = "leader__area"
    SCOPE_ENTERPRISE = "leader_id"
    ENTERPRISE_MAY_WRITE = False

    name = models.CharField(_("name"), max_length=200, unique=True)
    leader = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("leader enterprise"),
        on_delete=models.PROTECT,
        related_name="led_communities",
    )
    nodes = models.ManyToManyField(
        "plans.ChainNode", verbose_name=_("chain nodes"), blank=True, related_name="+"
    )
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The survey breakpoints the community works on: [[category, item], …].
    breakpoint_items = models.JSONField(_("breakpoints it works on"), default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("chain community")
        verbose_name_plural = _("chain communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # Read from the prefetched members, so a list of communities costs no query per row.
    @property
    def upstream(self) -> list[CommunityMember]:
        return [m for m in self.members.all() if m.role == MemberRole.UPSTREAM]

    @property
    def downstream(self) -> list[CommunityMember]:
        return [m for m in self.members.all() if m.role == MemberRole.DOWNSTREAM]


class MemberRole(models.TextChoices):
    UPSTREAM = "upstream", _("upstream")
    DOWNSTREAM = "downstream", _("downstream")
    PEER = "peer", _("peer")


class CommunityMember(models.Model):
    """A member: a local enterprise from the library, or an outside company by name and place."""

    community = models.ForeignKey(
        ChainCommunity, verbose_name=_("chain community"), on_delete=models.CASCADE, related_name="members"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_memberships",
    )
    outside_name = models.CharField(_("outside company"), max_length=200, blank=True)
    outside_location = models.CharField(_("location"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    node = models.ForeignKey(
        "plans.ChainNode",
        verbose_name=_("chain node"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community member")
        verbose_name_plural = _("community members")
        ordering = ["community", "role", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.enterprise.name if self.enterprise is not None else self.outside_name

    @property
    def is_local(self) -> bool:
        return self.enterprise_id is not None

    def clean(self) -> None:
        if (self.enterprise_id is None) == (not self.outside_name.strip()):
            raise ValidationError(_("A member is either a local enterprise or an outside company, not both."))


class JointAction(models.Model):
    """A joint action of a community (联合攻关, 配套对接, 联合采购 …)."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("joint action status", "planned")
        UNDER_WAY = "under_way", pgettext_lazy("joint action status", "under way")
        DONE = "done", pgettext_lazy("joint action status", "done")

    community = models.ForeignKey(
        ChainCommunity, verbose_name=_("chain community"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=200)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint action")
        verbose_name_plural = _("joint actions")
        ordering = ["community", "started_on", "id"]

    def __str__(self) -> str:
        return self.title
