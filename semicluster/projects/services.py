"""Every write to the project library. Keyword-only, take the acting user, atomic, validated, audited.

The rules come from the pure engines (``lifecycle``, ``measures``, ``lights``) and the current plan
version's ``project_library`` and ``risk_rules`` sections; nothing here re-implements them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from semicluster.core.refresh import indicators_stale
from semicluster.projects import lights
from semicluster.projects.assess import assess, default_reporting_month, light_signature, plan_rules
from semicluster.projects.lifecycle import (
    MILESTONE_ORDER,
    LifecycleProblem,
    LifecycleState,
    MilestoneDates,
    Stage,
    TransitionError,
    apply_transition,
    check_milestones,
    check_transition,
    library_admission,
)
from semicluster.projects.models import (
    AnnualPlan,
    DataSource,
    LightChange,
    Problem,
    ProblemStatus,
    ProgressReport,
    Project,
    Ticket,
    TicketReply,
    TicketStatus,
)

MILESTONE_FIELDS = tuple(f"{kind}_{m.value}" for m in MILESTONE_ORDER for kind in ("planned", "actual"))


def _attribute(instance: Any, actor: Any, reason: str = "") -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _as_validation_error(exc: TransitionError, field_name: str = "stage") -> ValidationError:
    return ValidationError({field_name: [str(p) for p in exc.problems]})


def _decimal(value: Any, field_name: str) -> Decimal:
    if isinstance(value, float | bool):
        raise TypeError(f"{field_name} must be Decimal or int, never float")
    return Decimal(value)


# --- projects ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectSaveResult:
    project: Project
    created: bool
    changed: bool
    message: str = ""
    warnings: tuple[str, ...] = ()


def check_stage_dates(stage: str, suspended_from: str, dates: MilestoneDates, today: date | None) -> None:
    """Milestone dates must fit the stage a project stands in: actual dates for every milestone reached,
    none for milestones ahead, in order, none in the future. Raises TransitionError."""
    effective = Stage(suspended_from) if stage == Stage.SUSPENDED and suspended_from else Stage(stage)
    if effective is Stage.RESERVE:
        check_milestones(dates, today=today)
        premature = [m for m in MILESTONE_ORDER if dates.actual(m) is not None]
        if premature:
            raise TransitionError(
                [
                    LifecycleProblem(
                        f"premature_actual_{m.value}",
                        f"已填写实际{m.label_zh}日期，阶段却只到储备",
                        f"an actual {m.label_en} date is given but the stage is only reserve",
                    )
                    for m in premature
                ]
            )
        return
    check_transition(Stage.RESERVE, effective, milestone_dates=dates, today=today)


def owner_register(*, actor: Any, data: Mapping[str, Any]) -> Any:
    """Register an owner not yet in the enterprise library, through the enterprise service."""
    from semicluster.enterprises.services import enterprise_save

    return enterprise_save(actor=actor, data=dict(data)).instance


def project_save(
    *,
    actor: Any,
    data: Mapping[str, Any],
    instance: Project | None = None,
    new_owner: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> ProjectSaveResult:
    """Create or update a project. The plan's threshold decides library membership: a project below it
    is refused (ValidationError naming total_investment) or kept as an ordinary project.

    The stage is set on creation only (an imported project may already be under construction, with
    its actual dates); afterwards it changes through ``project_transition``. ``new_owner`` registers
    the owner in the enterprise library first (credit code, name, ownership; area, town and chain node
    follow the project)."""
    data = dict(data)
    annual_plans = data.pop("annual_plans", None)
    created = instance is None
    if not created and "stage" in data and data["stage"] != instance.stage:  # type: ignore[union-attr]
        raise ValidationError({"stage": "阶段须通过阶段变更修改 / change the stage with a transition"})
    project = instance or Project()
    for key in ("total_investment", "equipment_investment"):
        if data.get(key) is not None:
            data[key] = _decimal(data[key], key)
    rules = plan_rules()
    total = data.get("total_investment", project.total_investment)
    if total is None:
        raise ValidationError({"total_investment": "总投资必填 / total investment is required"})
    admission = library_admission(total, rules.library)
    if not admission.in_library and not admission.keep_as_ordinary:
        raise ValidationError({"total_investment": admission.message})

    with transaction.atomic():
        if new_owner:
            owner_data = dict(new_owner)
            for key in ("area", "town"):
                owner_data.setdefault(key, data.get(key, getattr(project, key, None)))
            owner_data.setdefault("primary_node", data.get("node", getattr(project, "node", None)))
            owner_data.setdefault("industry_code", data.get("industry_code", ""))
            data["owner"] = owner_register(actor=actor, data=owner_data)
        changed = created or any(getattr(project, k) != v for k, v in data.items())
        for key, value in data.items():
            setattr(project, key, value)
        if not project.industry_code and project.node_id and project.node.industry_codes:
            project.industry_code = project.node.industry_codes[0]
        if project.in_library != admission.in_library or created:
            project.in_library = admission.in_library
            changed = True
        project.admission_note = admission.message[:200]
        try:
            check_stage_dates(project.stage, project.suspended_from, project.milestone_dates, _today(today))
        except TransitionError as exc:
            raise _as_validation_error(exc) from exc
        if changed:
            project.full_clean()
            _attribute(project, actor, "created" if created else "edited")
            project.save()
        for year, amount in (annual_plans or {}).items():
            if annual_plan_set(actor=actor, project=project, year=int(year), amount=amount, recompute=False):
                changed = True
        if changed:
            project_light_recompute(project=project, actor=actor, trigger="project saved")
            indicators_stale()  # milestone dates, library membership and place feed project goals
    return ProjectSaveResult(project, created, changed, admission.message)


def project_transition(
    *,
    actor: Any,
    project: Project,
    target: str,
    reason: str = "",
    dates: Mapping[str, date | None] | None = None,
    today: date | None = None,
) -> Project:
    """Move a project along its lifecycle (lifecycle.check_transition), with the milestone dates that
    come with the step (e.g. the actual start when it starts). Audited with the stage change as reason."""
    updates = {k: v for k, v in (dates or {}).items() if k in MILESTONE_FIELDS}
    current = {f: getattr(project, f) for f in MILESTONE_FIELDS}
    current.update(updates)
    milestone_dates = MilestoneDates(**current)
    state = LifecycleState(
        Stage(project.stage),
        suspended_from=Stage(project.suspended_from) if project.suspended_from else None,
        suspension_reason=project.suspension_reason,
    )
    try:
        new_state = apply_transition(
            state, target, milestone_dates=milestone_dates, reason=reason, today=_today(today)
        )
    except TransitionError as exc:
        raise _as_validation_error(exc) from exc
    with transaction.atomic():
        old = project.stage
        for key, value in current.items():
            setattr(project, key, value)
        project.stage = new_state.stage.value
        project.suspended_from = new_state.suspended_from.value if new_state.suspended_from else ""
        project.suspension_reason = new_state.suspension_reason
        project.full_clean()
        _attribute(project, actor, f"stage {old} → {project.stage}")
        project.save()
        project_light_recompute(project=project, actor=actor, trigger=f"stage {old} → {project.stage}")
        indicators_stale()  # a stage change dates a milestone goal
    return project


def annual_plan_set(
    *, actor: Any, project: Project, year: int, amount: Decimal | int, recompute: bool = True
) -> bool:
    """Set the project's annual plan investment for a year; returns whether anything changed."""
    amount = _decimal(amount, "amount")
    if amount < 0:
        raise ValidationError({"amount": "年度计划投资不能为负 / the annual plan cannot be negative"})
    existing = AnnualPlan.objects.filter(project=project, year=year).first()
    if existing is not None and existing.amount == amount:
        return False
    plan = existing or AnnualPlan(project=project, year=year)
    plan.amount = amount
    plan.full_clean(validate_unique=False)
    _attribute(plan, actor)
    plan.save()
    if recompute:
        project_light_recompute(project=project, actor=actor, trigger=f"annual plan {year}")
    return True


# --- monthly progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressResult:
    report: ProgressReport
    created: bool
    changed: bool
    light_changed: bool = False


def project_progress_record(
    *,
    actor: Any,
    project: Project,
    year: int,
    month: int,
    ytd_completed: Decimal | int,
    stage: str | None = None,
    image_progress: str = "",
    since_start_completed: Decimal | int | None = None,
    funds_required: Decimal | int | None = None,
    funds_in_place: Decimal | int | None = None,
    milestone_dates: Mapping[str, date | None] | None = None,
    reported_at: date | None = None,
    source: str = DataSource.FORM,
    source_ref: str = "",
    today: date | None = None,
) -> ProgressResult:
    """Record one monthly report (the entry point for forms, the API and the intake importer).

    ``ytd_completed`` is the year-to-date figure as reported (1–N月累计). A report lower than an earlier
    month's of the same year, or for a month not yet begun, is refused with the month named. A stage
    differing from the project's moves it through ``project_transition`` (with ``milestone_dates``).
    Sending the same report again changes nothing.
    """
    today = _today(today)
    if not 1 <= month <= 12:
        raise ValidationError({"month": f"月份应为1–12，实际为{month} / month must be 1–12, got {month}"})
    if (year, month) > (today.year, today.month):
        raise ValidationError({"month": f"{year}年{month}月尚未到来 / {year}-{month:02d} is in the future"})
    ytd = _decimal(ytd_completed, "ytd_completed")
    if ytd < 0:
        raise ValidationError(
            {"ytd_completed": "累计完成投资不能为负 / year-to-date investment cannot be negative"}
        )
    others = ProgressReport.objects.filter(project=project, year=year).exclude(month=month)
    earlier = others.filter(month__lt=month, ytd_completed__gt=ytd).order_by("-month").first()
    if earlier is not None:
        raise ValidationError(
            {
                "ytd_completed": (
                    f"{year}年1–{month}月累计{ytd}元低于1–{earlier.month}月累计{earlier.ytd_completed}元 / "
                    f"year-to-date {ytd} for {year}-{month:02d} is below {earlier.ytd_completed} reported "
                    f"for {year}-{earlier.month:02d}"
                )
            }
        )
    values: dict[str, Any] = {
        "ytd_completed": ytd,
        "since_start_completed": None
        if since_start_completed is None
        else _decimal(since_start_completed, "since_start_completed"),
        "stage": stage or "",
        "image_progress": image_progress,
        "funds_required": None if funds_required is None else _decimal(funds_required, "funds_required"),
        "funds_in_place": None if funds_in_place is None else _decimal(funds_in_place, "funds_in_place"),
    }
    with transaction.atomic():
        transitioned = False
        if stage and stage != project.stage:
            project_transition(actor=actor, project=project, target=stage, dates=milestone_dates, today=today)
            transitioned = True
        elif milestone_dates:
            updates = {k: v for k, v in milestone_dates.items() if k in MILESTONE_FIELDS}
            if any(getattr(project, k) != v for k, v in updates.items()):
                project_save(actor=actor, instance=project, data=updates, today=today)
                transitioned = True
        existing = ProgressReport.objects.filter(project=project, year=year, month=month).first()
        if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
            return ProgressResult(existing, created=False, changed=transitioned)
        report = existing or ProgressReport(project=project, year=year, month=month)
        for key, value in values.items():
            setattr(report, key, value)
        report.reported_at = reported_at or today
        report.source = source
        report.source_ref = source_ref
        report.full_clean(validate_unique=False)
        _attribute(report, actor, f"progress {year}-{month:02d}")
        report.save()
        outcome = project_light_recompute(
            project=project, actor=actor, trigger=f"progress {year}-{month:02d}"
        )
        indicators_stale()  # completed investment is a goal
    return ProgressResult(report, created=existing is None, changed=True, light_changed=outcome.changed)


# --- problems and supervision tickets ------------------------------------------------------------------


def problem_add(
    *,
    actor: Any,
    project: Project,
    description: str,
    category: str,
    owner_unit: Any,
    deadline: date,
    raised_on: date | None = None,
    today: date | None = None,
) -> Problem:
    problem = Problem(
        project=project,
        description=description.strip(),
        category=category,
        owner_unit=owner_unit,
        deadline=deadline,
        raised_on=raised_on or _today(today),
    )
    with transaction.atomic():
        problem.full_clean()
        _attribute(problem, actor, "problem raised")
        problem.save()
        project_light_recompute(project=project, actor=actor, trigger="problem raised")
    return problem


def problem_resolve(
    *,
    actor: Any,
    problem: Problem,
    resolution: str,
    resolved_on: date | None = None,
    today: date | None = None,
) -> Problem:
    """Resolve a problem; an open ticket raised from it is closed with the resolution."""
    if problem.status == ProblemStatus.RESOLVED:
        raise ValidationError({"status": "问题已解决 / the problem is already resolved"})
    resolved_on = resolved_on or _today(today)
    if resolved_on < problem.raised_on:
        raise ValidationError({"closed_on": "解决日期早于提出日期 / resolved before it was raised"})
    with transaction.atomic():
        problem.status = ProblemStatus.RESOLVED
        problem.resolution = resolution.strip()
        problem.closed_on = resolved_on
        problem.full_clean()
        _attribute(problem, actor, "problem resolved")
        problem.save()
        ticket = Ticket.objects.filter(problem=problem).exclude(status=TicketStatus.CLOSED).first()
        if ticket is not None:
            ticket_close(actor=actor, ticket=ticket, note=problem.resolution, closed_on=resolved_on)
        project_light_recompute(project=problem.project, actor=actor, trigger="problem resolved")
    return problem


@dataclass
class EscalationResult:
    created: list[Ticket] = field(default_factory=list)
    already: int = 0


def problems_escalate(*, actor: Any = None, today: date | None = None) -> EscalationResult:
    """Raise a supervision ticket (督办单) for every open problem past its deadline that has none yet.

    Idempotent: a problem has at most one ticket, so running it again only reports what exists."""
    today = _today(today)
    days = plan_rules().ticket_reply_days
    result = EscalationResult()
    overdue = Problem.objects.filter(status=ProblemStatus.OPEN, deadline__lt=today).select_related(
        "project", "owner_unit"
    )
    with transaction.atomic():
        for problem in overdue.order_by("id"):
            if Ticket.objects.filter(problem=problem).exists():
                result.already += 1
                continue
            ticket = Ticket(
                number=f"DB{today.year}-{problem.pk:05d}",
                problem=problem,
                project=problem.project,
                unit=problem.owner_unit,
                issued_on=today,
                reply_deadline=today + timedelta(days=days),
            )
            ticket.full_clean()
            _attribute(ticket, actor, "escalated from an overdue problem")
            ticket.save()
            result.created.append(ticket)
    return result


def ticket_reply(*, actor: Any, ticket: Ticket, text: str) -> TicketReply:
    if ticket.status == TicketStatus.CLOSED:
        raise ValidationError({"text": "督办单已办结 / the ticket is closed"})
    if not text.strip():
        raise ValidationError({"text": "答复不能为空 / the reply is empty"})
    with transaction.atomic():
        reply = TicketReply(
            ticket=ticket,
            author=actor if getattr(actor, "pk", None) else None,
            author_name=getattr(actor, "username", "") or "",
            text=text.strip(),
        )
        reply.full_clean()
        reply.save()
        if ticket.status == TicketStatus.OPEN:
            ticket.status = TicketStatus.REPLIED
            _attribute(ticket, actor, "replied")
            ticket.save()
    return reply


def ticket_close(*, actor: Any, ticket: Ticket, note: str, closed_on: date | None = None) -> Ticket:
    if ticket.status == TicketStatus.CLOSED:
        raise ValidationError({"status": "督办单已办结 / the ticket is already closed"})
    if not note.strip():
        raise ValidationError({"closing_note": "办结须说明结果 / closing needs a note"})
    ticket.status = TicketStatus.CLOSED
    ticket.closed_on = closed_on or timezone.localdate()
    ticket.closing_note = note.strip()
    ticket.full_clean()
    _attribute(ticket, actor, "closed")
    ticket.save()
    return ticket


# --- lights -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LightOutcome:
    light: lights.Light
    changed: bool


def project_light_recompute(
    *,
    project: Project,
    month: date | None = None,
    actor: Any = None,
    trigger: str = "",
    rules: list[lights.Rule] | None = None,
) -> LightOutcome:
    """Evaluate the plan's rules for the project and store the light. A LightChange is written only
    when the colour or the set of firing rules differs from the stored light; otherwise the stored
    reason texts are refreshed in place (their day counts move) and no history is made."""
    month = month or default_reporting_month()
    rules = rules if rules is not None else plan_rules().rules
    result = assess(project, month, rules)
    light = result.light
    stored = (project.light, tuple(sorted(r.get("code", "") for r in project.light_reasons or [])))
    changed = stored != light_signature(light)
    reasons = [r.as_dict() for r in light.reasons]
    if changed:
        LightChange.objects.create(
            project=project,
            month=result.month,
            colour=light.colour.value,
            previous=project.light,
            reasons=reasons,
            trigger=trigger[:80],
            changed_by=actor if getattr(actor, "pk", None) else None,
        )
    Project.objects.filter(pk=project.pk).update(
        light=light.colour.value,
        light_reasons=reasons,
        light_month=result.month,
        light_measures=result.measures.as_dict(),
    )
    project.light, project.light_reasons, project.light_month = light.colour.value, reasons, result.month
    project.light_measures = result.measures.as_dict()
    return LightOutcome(light, changed)


def lights_recompute_all(*, month: date | None = None, actor: Any = None, trigger: str = "recompute") -> int:
    """Recompute every library project's light (e.g. after a new month or a changed plan); returns the
    number of lights that changed."""
    month = month or default_reporting_month()
    rules = plan_rules().rules
    changed = 0
    projects = Project.objects.filter(in_library=True).prefetch_related(
        "progress_reports", "annual_plans", "problems"
    )
    with transaction.atomic():
        for project in projects:
            if project_light_recompute(
                project=project, month=month, actor=actor, trigger=trigger, rules=rules
            ).changed:
                changed += 1
    return changed
