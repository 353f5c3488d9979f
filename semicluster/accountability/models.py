"""Tasks and accountability (SPEC §3.10, clause 三、1): work items, progress updates, escalations (督办),
leading-group meetings, bulletins (定期通报).

Status is never stored: it is computed by ``engine.item_status`` from the dates, milestones and updates
below (see ``selectors.item_statuses``), so it cannot drift from the facts behind it.

Scoping: work items are scoped to their **lead unit** (``SCOPE_UNIT``); a unit officer also *reads* the
items its unit supports as a co-unit, but updates only its own (``selectors.visible_items``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from semicluster.core.models import SourcedModel, TimeStampedModel


class Origin(models.TextChoices):
    PLAN = "plan", _("plan task")
    DECOMPOSED = "decomposed", _("decomposed by the office")
    MEETING = "meeting", _("leading-group decision")
    IMPORT = "import", _("import")


class WorkItem(SourcedModel, TimeStampedModel):
    """A plan task or a part of it (细化分解职责任务), owned by a lead unit."""

    SCOPE_UNIT = "lead_unit"

    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("plan version"),
        on_delete=models.CASCADE,
        related_name="work_items",
    )
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("plan task"), null=True, blank=True, on_delete=models.PROTECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    code = models.SlugField(_("code"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    lead_unit = models.ForeignKey(
        "plans.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_work_items"
    )
    co_units = models.ManyToManyField(
        "plans.Unit", verbose_name=_("co-units"), blank=True, related_name="supported_work_items"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=60, blank=True)
    start = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    goals = models.ManyToManyField("plans.Goal", verbose_name=_("goals served"), blank=True)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.PLAN)
    sort = models.PositiveIntegerField(_("sort order"), default=0)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["plan_version", "sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan_version", "code"], name="workitem_code_unique"),
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(origin="plan"), name="workitem_one_per_plan_task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}"

    @property
    def display_title(self) -> str:
        language = get_language() or "zh-hans"
        return self.title_en if language.startswith("en") and self.title_en else self.title

    def clean(self) -> None:
        if self.start and self.deadline and self.deadline < self.start:
            raise ValidationError({"deadline": _("The deadline is before the start.")})


class Milestone(models.Model):
    work_item = models.ForeignKey(
        WorkItem, verbose_name=_("work item"), on_delete=models.CASCADE, related_name="milestones"
    )
    key = models.SlugField(_("key"), max_length=40)
    due = models.DateField(_("due"))
    description = models.CharField(_("description"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["work_item", "due", "key"]
        constraints = [models.UniqueConstraint(fields=["work_item", "key"], name="milestone_key_unique")]

    def __str__(self) -> str:
        return f"{self.due.isoformat()} {self.description}"


class ProgressUpdate(TimeStampedModel):
    """A unit's report on one work item for one reporting period. Reports are kept as filed: a
    correction is a new report, so timeliness can be judged on the first one."""

    SCOPE_UNIT = "unit"

    work_item = models.ForeignKey(
        WorkItem, verbose_name=_("work item"), on_delete=models.CASCADE, related_name="updates"
    )
    unit = models.ForeignKey("plans.Unit", verbose_name=_("reporting unit"), on_delete=models.PROTECT)
    period_key = models.CharField(_("reporting period"), max_length=8)
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("progress"))
    percent = models.DecimalField(
        _("percent complete"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    milestones_reached = models.ManyToManyField(Milestone, verbose_name=_("milestones reached"), blank=True)
    done = models.BooleanField(_("work item completed"), default=False)
    problems = models.TextField(_("problems needing coordination"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="accountability/evidence/%Y/%m/", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("progress update", "author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["unit", "period_key"])]

    def __str__(self) -> str:
        return f"{self.work_item.code} {self.period_key} {self.reported_on.isoformat()}"


class Escalation(TimeStampedModel):
    """A 督办 notice to a unit that stayed silent past the grace period; one per unit and period."""

    SCOPE_UNIT = "unit"

    plan_version = models.ForeignKey(
        "plans.PlanVersion", verbose_name=_("plan version"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("plans.Unit", verbose_name=_("unit"), on_delete=models.PROTECT)
    period_key = models.CharField(_("reporting period"), max_length=8)
    item_codes = models.JSONField(_("work items not reported"), default=list)
    due_date = models.DateField(_("report due"))
    issued_on = models.DateField(_("issued on"))
    message = models.TextField(_("notice (Chinese)"))
    message_en = models.TextField(_("notice (English)"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("escalation (督办)")
        verbose_name_plural = _("escalations (督办)")
        ordering = ["-issued_on", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_version", "unit", "period_key"], name="escalation_once_per_unit_period"
            )
        ]

    def __str__(self) -> str:
        return f"督办 {self.unit.code} {self.period_key}"


class Meeting(TimeStampedModel):
    """A leading-group meeting (定期召开会议)."""

    plan_version = models.ForeignKey(
        "plans.PlanVersion", verbose_name=_("plan version"), on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    attendees = models.TextField(_("attendees"))
    topics = models.TextField(_("topics"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("leading-group meeting")
        verbose_name_plural = _("leading-group meetings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.title}"


class Decision(TimeStampedModel):
    """A decision of a meeting; turned into a work item it is tracked and reported like any task."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("leading-group meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(pgettext_lazy("meeting", "decision"))
    owner_unit = models.ForeignKey(
        "plans.Unit", verbose_name=_("owner unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    work_item = models.OneToOneField(
        WorkItem,
        verbose_name=_("work item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["meeting", "sort", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ImmutableError(ValidationError):
    pass


class Bulletin(TimeStampedModel):
    """A periodic bulletin (定期通报). A draft is regenerated from live data with its paragraph edits;
    an issued bulletin keeps the document and the figures it was built from, and never changes."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued")

    plan_version = models.ForeignKey(
        "plans.PlanVersion", verbose_name=_("plan version"), on_delete=models.CASCADE, related_name="+"
    )
    period_key = models.CharField(_("period"), max_length=8)
    as_of = models.DateField(_("data as of"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    document = models.JSONField(_("document snapshot"), null=True, blank=True)
    data = models.JSONField(_("data snapshot"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bulletin (定期通报)")
        verbose_name_plural = _("bulletins (定期通报)")
        ordering = ["-period_key", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_version", "period_key"],
                condition=models.Q(state="issued"),
                name="bulletin_issued_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"通报 {self.period_key} ({self.state})"

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED

    def save(self, *args: object, **kwargs: object) -> None:
        # The guard sits on the model so that no code path (admin, shell, service) can alter an issued
        # bulletin: the stored row is checked, not the in-memory flag.
        if self.pk and Bulletin.objects.filter(pk=self.pk, state=self.State.ISSUED).exists():
            raise ImmutableError(_("An issued bulletin cannot be changed."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.pk and Bulletin.objects.filter(pk=self.pk, state=self.State.ISSUED).exists():
            raise ImmutableError(_("An issued bulletin cannot be deleted."))
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]


class BulletinParagraph(models.Model):
    """A generated narrative paragraph of a draft bulletin with the office's edit."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="paragraphs"
    )
    key = models.CharField(_("key"), max_length=60)
    generated_text = models.TextField(_("generated text"))
    edited_text = models.TextField(_("edited text"), blank=True)

    class Meta:
        verbose_name = _("bulletin paragraph")
        verbose_name_plural = _("bulletin paragraphs")
        ordering = ["bulletin", "key"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "key"], name="bulletin_paragraph_unique")]

    def __str__(self) -> str:
        return self.key

    def save(self, *args: object, **kwargs: object) -> None:
        if Bulletin.objects.filter(pk=self.bulletin_id, state=Bulletin.State.ISSUED).exists():
            raise ImmutableError(_("An issued bulletin cannot be changed."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]
