"""R&D projects on the plan's key technologies (二、3).

The platforms registry itself is ``enterprises.InnovationPlatform`` (foundation); this app adds its pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from semicluster.core.models import TimeStampedModel


class RDProject(TimeStampedModel):
    """A research project on one key technology, run by an enterprise, a platform, or both."""

    # The area is copied from the enterprise (or the platform) so platform-run projects are scoped too.
    SCOPE_AREA = "area"
    SCOPE_ENTERPRISE = "enterprise_id"

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", pgettext_lazy("R&D project status", "active")
        COMPLETED = "completed", _("completed")
        SUSPENDED = "suspended", _("suspended")

    ACTIVE_STATUSES = (Status.PLANNED, Status.ACTIVE)

    title = models.CharField(pgettext_lazy("R&D project", "title"), max_length=200)
    key_technology = models.ForeignKey(
        "plans.KeyTechnology", verbose_name=_("key technology"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rd_projects",
    )
    platform = models.ForeignKey(
        "enterprises.InnovationPlatform",
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rd_projects",
    )
    area = models.ForeignKey(
        "plans.Area", verbose_name=_("plan area"), null=True, blank=True, on_delete=models.PROTECT
    )
    budget = models.DecimalField(_("budget (yuan)"), max_digits=20, decimal_places=2)
    start = models.DateField(_("start"))
    end = models.DateField(_("planned end"), null=True, blank=True)
    # [{"date": "2025-06-30", "description": "...", "done": false}]
    milestones = models.JSONField(_("milestones"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    is_demo = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("R&D project")
        verbose_name_plural = _("R&D projects")
        ordering = ["key_technology__sort", "-start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=False) | models.Q(platform__isnull=False),
                name="rdproject_has_a_performer",
            ),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="rdproject_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.enterprise_id is None and self.platform_id is None:
            raise ValidationError(_("A project needs an enterprise or a platform (or both)."))
        if self.end and self.end < self.start:
            raise ValidationError({"end": _("The planned end cannot precede the start.")})
        for index, milestone in enumerate(self.milestones or []):
            if (
                not isinstance(milestone, dict)
                or not milestone.get("date")
                or not milestone.get("description")
            ):
                raise ValidationError(
                    {"milestones": _("Milestone %(n)s needs a date and a description.") % {"n": index + 1}}
                )
