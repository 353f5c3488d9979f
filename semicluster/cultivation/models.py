"""The innovation-leader library (创新领航企业库, 二、5): evaluation rounds, candidates, members, reviews.

Tiers and threshold crossings are not stored here: they are computed from period data on demand
(``selectors``), so they can never disagree with the figures they come from; only the cached
``Enterprise.tier``/``tier_year`` is written (``services.tiers_refresh``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from semicluster.core.models import TimeStampedModel


class LeaderRound(TimeStampedModel):
    """One evaluation round (评审批次): candidates are added, scored, adjusted, decided, published."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PUBLISHED = "published", _("published")

    name = models.CharField(_("name"), max_length=120, unique=True)
    data_year = models.PositiveSmallIntegerField(
        _("data year"), help_text=_("The full year whose figures the candidates are scored on.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    # The scoring model as it stood when the round opened: a later plan version does not re-score
    # a round already under way (the evidence must stay what the experts saw).
    model_document = models.JSONField(_("scoring model used"))
    plan_version = models.ForeignKey(
        "plans.PlanVersion", verbose_name=_("plan version"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class LeaderCandidate(TimeStampedModel):
    """An enterprise in a round: its declared facts, the computed score card and the decision."""

    SCOPE_AREA = "enterprise__area"
    SCOPE_ENTERPRISE = "enterprise_id"

    class Origin(models.TextChoices):
        APPLICATION = "application", _("enterprise application")
        PROPOSAL = "proposal", _("proposal by an officer")

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        ADMITTED = "admitted", _("admitted")
        REJECTED = "rejected", pgettext_lazy("library candidate", "rejected")

    round = models.ForeignKey(
        LeaderRound, verbose_name=_("evaluation round"), on_delete=models.CASCADE, related_name="candidates"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="leader_candidacies",
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Facts the firm declares (patents, R&D staff, own-brand revenue, local customers/suppliers);
    # the rest comes from period data and registers when the score is computed.
    declared = models.JSONField(_("declared facts"), default=dict, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    facts = models.JSONField(_("facts scored"), default=dict, blank=True)
    evidence = models.JSONField(_("score card with evidence"), default=dict, blank=True)
    score = models.DecimalField(_("computed score"), max_digits=6, decimal_places=2, null=True, blank=True)
    passes_bars = models.BooleanField(_("passes the bars"), default=False)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    adjustment = models.DecimalField(_("expert adjustment"), max_digits=6, decimal_places=2, default=0)
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("library candidate")
        verbose_name_plural = _("library candidates")
        ordering = ["round", "-score", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "enterprise"], name="leader_candidate_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.enterprise}"

    @property
    def final_score(self) -> object:
        return None if self.score is None else self.score + self.adjustment


class LeaderMember(TimeStampedModel):
    """Membership of the library: from the publication of its admission round until an exit decision."""

    SCOPE_AREA = "enterprise__area"
    SCOPE_ENTERPRISE = "enterprise_id"
    ENTERPRISE_MAY_WRITE = False

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="leader_memberships",
    )
    admission_round = models.ForeignKey(
        LeaderRound, verbose_name=_("admission round"), on_delete=models.PROTECT, related_name="members"
    )
    candidate = models.OneToOneField(
        LeaderCandidate,
        verbose_name=_("library candidate"),
        on_delete=models.PROTECT,
        related_name="membership",
        null=True,
        blank=True,
    )
    admitted_on = models.DateField(_("admitted on"))
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    exit_reason = models.TextField(_("reason for the exit"), blank=True)
    exit_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exit decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("library member")
        verbose_name_plural = _("library members")
        ordering = ["-admitted_on", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(exited_on__isnull=True),
                name="leader_member_one_active_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} ({self.admission_round})"

    def clean(self) -> None:
        if self.exited_on and self.exited_on < self.admitted_on:
            raise ValidationError({"exited_on": _("The exit date cannot precede the admission date.")})
        if self.exited_on and not self.exit_reason.strip():
            raise ValidationError({"exit_reason": _("An exit needs a reason.")})

    @property
    def is_active(self) -> bool:
        return self.exited_on is None


class LeaderReview(TimeStampedModel):
    """The annual review (年度复核) of every member against the bars, on one year's figures."""

    data_year = models.PositiveSmallIntegerField(_("data year"))
    run_on = models.DateField(_("run on"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members_reviewed = models.PositiveIntegerField(_("members reviewed"), default=0)
    model_document = models.JSONField(_("scoring model used"))

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["-run_on", "-id"]

    def __str__(self) -> str:
        return f"{self.data_year} ({self.run_on})"


class ExitFlag(TimeStampedModel):
    """A member found below the bars: a proposal to exit, until someone decides."""

    SCOPE_AREA = "member__enterprise__area"
    SCOPE_ENTERPRISE = "member__enterprise_id"
    ENTERPRISE_MAY_WRITE = False

    class Resolution(models.TextChoices):
        PENDING = "pending", _("pending")
        EXIT = "exit", _("exit decided")
        RETAIN = "retain", _("retained")

    review = models.ForeignKey(
        LeaderReview, verbose_name=_("annual review"), on_delete=models.CASCADE, related_name="flags"
    )
    member = models.ForeignKey(
        LeaderMember, verbose_name=_("library member"), on_delete=models.CASCADE, related_name="exit_flags"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    reasons = models.JSONField(_("reasons"), default=list)
    evidence = models.JSONField(_("score card with evidence"), default=dict)
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, default=Resolution.PENDING
    )
    resolution_reason = models.TextField(_("reason for the resolution"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exit flag")
        verbose_name_plural = _("exit flags")
        ordering = ["review", "score"]
        constraints = [models.UniqueConstraint(fields=["review", "member"], name="exit_flag_once_per_review")]

    def __str__(self) -> str:
        return f"{self.member} · {self.review}"
