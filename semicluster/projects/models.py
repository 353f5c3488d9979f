"""The major-project library (重大项目库, SPEC §3.4): projects, plans, progress, problems, 督办, lights.

The rules live in the pure engines beside this module (``lifecycle``, ``measures``, ``lights``); the
models only store what those engines read and write, so an import, a form and the API share one set
of rules. Money is Decimal yuan; monthly progress is year-to-date cumulative as reported (1–N月累计).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from semicluster.core.models import TimeStampedModel
from semicluster.projects.lifecycle import MilestoneDates, Stage


class StageChoice(models.TextChoices):
    # Values are lifecycle.Stage values; the Chinese terms (储备, 签约 …) are the labels' translations.
    RESERVE = Stage.RESERVE.value, pgettext_lazy("project stage", "reserve")
    SIGNED = Stage.SIGNED.value, pgettext_lazy("project stage", "signed")
    PREPARATION = Stage.PREPARATION.value, pgettext_lazy("project stage", "preparation")
    STARTED = Stage.STARTED.value, pgettext_lazy("project stage", "started")
    UNDER_CONSTRUCTION = Stage.UNDER_CONSTRUCTION.value, pgettext_lazy("project stage", "under construction")
    COMPLETED = Stage.COMPLETED.value, pgettext_lazy("project stage", "completed")
    IN_PRODUCTION = Stage.IN_PRODUCTION.value, pgettext_lazy("project stage", "in production")
    AT_CAPACITY = Stage.AT_CAPACITY.value, pgettext_lazy("project stage", "at capacity")
    SUSPENDED = Stage.SUSPENDED.value, pgettext_lazy("project stage", "suspended")


class Category(models.TextChoices):
    NEW = "new", pgettext_lazy("project category", "new start")
    CONTINUING = "continuing", pgettext_lazy("project category", "continuing")
    COMPLETION = "completion", pgettext_lazy("project category", "completion to production")
    RESERVE = "reserve", pgettext_lazy("project category", "reserve")


class ProjectSource(models.TextChoices):
    INVESTMENT_LEAD = "investment_lead", _("investment lead")
    EXPANSION = "expansion", _("expansion")
    TECH_TRANSFORMATION = "tech_transformation", _("technical transformation")


class Light(models.TextChoices):
    GREEN = "green", pgettext_lazy("project light", "green")
    YELLOW = "yellow", pgettext_lazy("project light", "yellow")
    RED = "red", pgettext_lazy("project light", "red")


class DataSource(models.TextChoices):
    FORM = "form", _("web form")
    IMPORT = "import", _("import batch")
    API = "api", _("API call")
    DEMO = "demo", _("synthetic demo generator")


class Project(TimeStampedModel):
    """One project; ``in_library`` says whether it met the plan's threshold (重大项目库) or is kept as an
    ordinary project (一般项目) under ``below_threshold: keep_as_ordinary``."""

    SCOPE_AREA = "area"
    SCOPE_ENTERPRISE = "owner_id"
    SCOPE_UNIT = "responsible_unit"
    # The library is the government's record; a firm reads its own projects but does not edit them.
    ENTERPRISE_MAY_WRITE = False

    name = models.CharField(_("project name"), max_length=200, db_index=True)
    owner = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("project owner (项目单位)"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    area = models.ForeignKey("plans.Area", verbose_name=_("plan area"), on_delete=models.PROTECT)
    town = models.ForeignKey("plans.Town", verbose_name=_("town"), on_delete=models.PROTECT)
    node = models.ForeignKey(
        "plans.ChainNode", verbose_name=_("chain node"), on_delete=models.PROTECT, related_name="projects"
    )
    industry_code = models.CharField(_("GB/T 4754 code"), max_length=8, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    construction_content = models.TextField(_("construction content and scale"), blank=True)
    total_investment = models.DecimalField(_("total investment (yuan)"), max_digits=20, decimal_places=2)
    equipment_investment = models.DecimalField(
        _("of which equipment (yuan)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=24, choices=ProjectSource.choices)
    responsible_leader = models.CharField(_("responsible city leader (挂钩领导)"), max_length=80, blank=True)
    responsible_unit = models.ForeignKey(
        "plans.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
    )
    service_team = models.TextField(
        _("service team (服务专班)"), blank=True, help_text=_("One member per line: name, unit, role.")
    )
    in_library = models.BooleanField(_("in the major-project library"), default=True, db_index=True)
    admission_note = models.CharField(_("admission"), max_length=200, blank=True, editable=False)

    stage = models.CharField(
        _("stage"), max_length=24, choices=StageChoice.choices, default=StageChoice.RESERVE, db_index=True
    )
    suspended_from = models.CharField(
        _("stage before suspension"), max_length=24, choices=StageChoice.choices, blank=True
    )
    suspension_reason = models.CharField(_("suspension reason"), max_length=300, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True, db_index=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    actual_completion = models.DateField(_("actual completion"), null=True, blank=True, db_index=True)
    planned_production = models.DateField(_("planned production"), null=True, blank=True)
    actual_production = models.DateField(_("actual production"), null=True, blank=True, db_index=True)
    entered_statistics_on = models.DateField(_("entered the statistics (入统) on"), null=True, blank=True)

    # The current light, cached from the last evaluation; every change is kept in LightChange.
    light = models.CharField(_("light"), max_length=8, choices=Light.choices, blank=True, editable=False)
    light_reasons = models.JSONField(_("light reasons"), default=list, blank=True, editable=False)
    light_month = models.DateField(_("light month"), null=True, blank=True, editable=False)
    light_measures = models.JSONField(_("measures"), default=dict, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["light", "light_reasons", "light_month", "light_measures", "updated_at"]
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["in_library", "area", "node"]),
            models.Index(fields=["light"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.town_id and self.area_id and self.town.area_id != self.area_id:
            errors["town"] = str(_("The town does not belong to the chosen plan area."))
        if self.total_investment is not None and self.total_investment < 0:
            errors["total_investment"] = str(_("Total investment cannot be negative."))
        if (
            self.equipment_investment is not None
            and self.total_investment is not None
            and not 0 <= self.equipment_investment <= self.total_investment
        ):
            errors["equipment_investment"] = str(
                _("Equipment investment must lie between zero and the total investment.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def milestone_dates(self) -> MilestoneDates:
        return MilestoneDates(
            planned_start=self.planned_start,
            actual_start=self.actual_start,
            planned_completion=self.planned_completion,
            actual_completion=self.actual_completion,
            planned_production=self.planned_production,
            actual_production=self.actual_production,
        )

    @property
    def service_team_members(self) -> list[str]:
        return [line.strip() for line in self.service_team.splitlines() if line.strip()]


class AnnualPlan(models.Model):
    """The project's planned investment for one year (年度计划投资)."""

    SCOPE_AREA = "project__area"
    SCOPE_ENTERPRISE = "project__owner_id"
    SCOPE_UNIT = "project__responsible_unit"
    ENTERPRISE_MAY_WRITE = False

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(_("annual plan investment (yuan)"), max_digits=20, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["project", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="project_annual_plan_unique")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}: {self.amount}"


class ProgressReport(models.Model):
    """One monthly report as submitted: year-to-date completed investment (1–N月累计), the stage and the
    image progress (形象进度). Never summed across months."""

    SCOPE_AREA = "project__area"
    SCOPE_ENTERPRISE = "project__owner_id"
    SCOPE_UNIT = "project__responsible_unit"
    ENTERPRISE_MAY_WRITE = False

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    ytd_completed = models.DecimalField(
        _("year-to-date completed investment (yuan)"), max_digits=20, decimal_places=2
    )
    since_start_completed = models.DecimalField(
        _("completed since the start (yuan)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    stage = models.CharField(_("stage reported"), max_length=24, choices=StageChoice.choices, blank=True)
    image_progress = models.TextField(_("image progress (形象进度)"), blank=True)
    funds_required = models.DecimalField(
        _("funds required (yuan)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    funds_in_place = models.DecimalField(
        _("funds in place (yuan)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    reported_at = models.DateField(_("reported on"))
    source = models.CharField(_("source"), max_length=16, choices=DataSource.choices, default=DataSource.FORM)
    source_ref = models.CharField(_("source reference"), max_length=80, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly progress report")
        verbose_name_plural = _("monthly progress reports")
        ordering = ["project", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="project_progress_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="project_progress_month_in_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d}: {self.ytd_completed}"


class ProblemCategory(models.TextChoices):
    LAND = "land", pgettext_lazy("problem category", "land")
    PERMITS = "permits", pgettext_lazy("problem category", "permits")
    FUNDS = "funds", pgettext_lazy("problem category", "funds")
    POWER = "power", pgettext_lazy("problem category", "power and energy")
    STAFF = "staff", pgettext_lazy("problem category", "staff")
    OTHER = "other", pgettext_lazy("problem category", "other")


class ProblemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("problem status", "open")
    RESOLVED = "resolved", pgettext_lazy("problem status", "resolved")


class Problem(TimeStampedModel):
    """An entry of the project's problem list (问题清单); overdue and open, it escalates into a Ticket."""

    SCOPE_AREA = "project__area"
    SCOPE_ENTERPRISE = "project__owner_id"
    SCOPE_UNIT = "owner_unit"
    ENTERPRISE_MAY_WRITE = False

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="problems"
    )
    description = models.TextField(pgettext_lazy("problem", "description"))
    category = models.CharField(_("category"), max_length=16, choices=ProblemCategory.choices)
    owner_unit = models.ForeignKey(
        "plans.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="project_problems"
    )
    raised_on = models.DateField(_("raised on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    closed_on = models.DateField(_("resolved on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["project", "deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.description[:60]

    def clean(self) -> None:
        if self.deadline and self.raised_on and self.deadline < self.raised_on:
            raise ValidationError(
                {"deadline": _("The deadline cannot precede the day the problem was raised.")}
            )
        if self.status == ProblemStatus.RESOLVED and (not self.closed_on or not self.resolution.strip()):
            raise ValidationError({"resolution": _("A resolved problem needs its resolution and date.")})

    def is_overdue_on(self, day: date) -> bool:
        return self.status == ProblemStatus.OPEN and self.deadline < day


class TicketStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("ticket status", "awaiting reply")
    REPLIED = "replied", pgettext_lazy("ticket status", "replied")
    CLOSED = "closed", pgettext_lazy("ticket status", "closed")


class Ticket(TimeStampedModel):
    """A supervision ticket (督办单) raised from an overdue problem, addressed to its owner unit.

    One ticket per problem: escalating again finds the existing ticket, so the command is idempotent.
    """

    SCOPE_AREA = "project__area"
    SCOPE_UNIT = "unit"
    # No SCOPE_ENTERPRISE: 督办 is correspondence between government units, not shown to firms.

    number = models.CharField(_("ticket number"), max_length=32, unique=True)
    problem = models.OneToOneField(
        Problem, verbose_name=_("problem"), on_delete=models.PROTECT, related_name="ticket"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="tickets"
    )
    unit = models.ForeignKey(
        "plans.Unit", verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="project_tickets"
    )
    issued_on = models.DateField(_("issued on"))
    reply_deadline = models.DateField(_("reply deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision ticket (督办单)")
        verbose_name_plural = _("supervision tickets (督办单)")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number

    def is_reply_overdue_on(self, day: date) -> bool:
        return self.status == TicketStatus.OPEN and self.reply_deadline < day


class TicketReply(models.Model):
    SCOPE_AREA = "ticket__project__area"
    SCOPE_UNIT = "ticket__unit"

    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("supervision ticket (督办单)"),
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("author"), max_length=150, blank=True)
    text = models.TextField(_("reply"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket reply")
        verbose_name_plural = _("ticket replies")
        ordering = ["ticket", "at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.at:%Y-%m-%d}"


class LightChange(models.Model):
    """A change of a project's light: kept for ever, written only when the colour or reasons change."""

    SCOPE_AREA = "project__area"
    SCOPE_ENTERPRISE = "project__owner_id"
    SCOPE_UNIT = "project__responsible_unit"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="light_changes"
    )
    month = models.DateField(_("reporting month"))
    colour = models.CharField(_("light"), max_length=8, choices=Light.choices)
    previous = models.CharField(_("previous light"), max_length=8, choices=Light.choices, blank=True)
    reasons = models.JSONField(_("reasons"), default=list)
    trigger = models.CharField(_("trigger"), max_length=80, blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("light change")
        verbose_name_plural = _("light changes")
        ordering = ["project", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%Y-%m} {self.previous}→{self.colour}"
