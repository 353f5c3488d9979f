"""Writes for support programs: the application workflow, the award decision and the budget ledger.

Every service is keyword-only, takes the acting user, runs in one transaction, checks the role and
the status before it changes anything, and appends a dated ``Step`` (who, when, from, to, reason);
simple-history keeps every field change. Refusals raise ``ValidationError`` (bad input, wrong
status, duplicate claim) or ``PermissionError`` (wrong role or scope) and write nothing — except a
refused duplicate submission, which is itself logged on the application so reviewers see attempts.

Workflow: draft → submitted → pre_reviewed (district officer of the firm's area) → reviewed (city
admin) → approved (amount) / rejected → disbursed; each review step may instead return the
application for correction, after which the enterprise edits and resubmits it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import PlanVersion
from semicluster.plans.selectors import current_plan_version
from semicluster.support import duplicates
from semicluster.support.attachments import MAX_PER_APPLICATION, AttachmentRefused, check_attachment
from semicluster.support.awards import AwardComputation, compute_award
from semicluster.support.models import (
    CLAIMED,
    EDITABLE,
    OTHER_COST,
    Action,
    Application,
    Attachment,
    CostItem,
    LedgerEntry,
    LedgerKind,
    Source,
    Status,
    Step,
)
from semicluster.support.programs import programs_of
from semicluster.support.rules import SupportProgram
from semicluster.support.selectors import application_facts, budget_committed, prior_awards

APPLICATION_FIELDS = (
    "foundry",
    "foundry_location",
    "local_fab",
    "process_node_nm",
    "wafer_size_mm",
    "wafer_count",
    "tapeout_date",
    "product",
    "product_field",
    "mask",
    "substrate",
    "is_sensor",
    "first_tapeout",
)
COST_FIELDS = ("item", "description", "amount", "invoice_code", "invoice_number", "contract_ref")


class DuplicateClaim(ValidationError):
    """A submission refused because it claims a tape-out or invoice already claimed; ``earlier`` is the
    earlier application (the pointer the refusal shows)."""

    def __init__(self, conflict: duplicates.Conflict, earlier: Application) -> None:
        super().__init__(conflict.message, code="duplicate_claim")
        self.conflict = conflict
        self.earlier = earlier


# ---------------------------------------------------------------------------------------------------
# Helpers


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _actor_name(actor: Any) -> str:
    if actor is None:
        return ""
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return full or getattr(actor, "username", "") or ""


def _saved(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _is_admin(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == Role.CITY_ADMIN)


def _require_applicant(actor: Any, enterprise: Enterprise) -> None:
    """The firm's own enterprise user prepares and submits; the city admin may act on its behalf."""
    if _is_admin(actor):
        return
    if getattr(actor, "role", None) == Role.ENTERPRISE_USER and actor.enterprise_id == enterprise.pk:
        return
    raise PermissionError(
        "只有本企业用户可以填报和提交申请 / only the firm's own users may prepare and submit"
    )


def _require_area_officer(actor: Any, application: Application) -> None:
    if (
        getattr(actor, "role", None) == Role.DISTRICT_OFFICER
        and actor.area_id == application.enterprise.area_id
    ):
        return
    raise PermissionError(
        "区域初审由企业所在区域的经办人办理 / area pre-review is for the officer of the firm's area"
    )


def _require_city_admin(actor: Any) -> None:
    if not _is_admin(actor):
        raise PermissionError("此步骤由市领导小组办公室办理 / this step is for the city admin")


def _require_status(application: Application, *allowed: str) -> None:
    if application.status not in allowed:
        raise ValidationError(
            f"申请 {application} 当前状态为“{application.get_status_display()}”，不能办理此步骤 / "
            f"application {application} is {application.status}; this step is not possible now",
            code="wrong_status",
        )


def _require_reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": f"{what}须写明理由 / {what} needs a reason"})
    return text


def _attribute(instance: Any, actor: Any, reason: str = "") -> None:
    if _saved(actor) is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]


def _step(
    application: Application,
    actor: Any,
    action: str,
    *,
    at: dt.datetime,
    before: str = "",
    reason: str = "",
    data: Mapping[str, Any] | None = None,
) -> Step:
    step = Step(
        application=application,
        at=at,
        actor=_saved(actor),
        actor_name=_actor_name(actor),
        actor_role=getattr(actor, "role", "") or "",
        action=action,
        from_status=before,
        to_status=application.status,
        reason=reason,
        data=dict(data or {}),
    )
    step.save()
    return step


def _transition(
    application: Application,
    actor: Any,
    to: str,
    action: str,
    *,
    at: dt.datetime,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
) -> Application:
    before = application.status
    application.status = to
    application.full_clean()
    _attribute(application, actor, f"{action}: {reason}" if reason else action)
    application.save()
    _step(application, actor, action, at=at, before=before, reason=reason, data=data)
    return application


def _ledger(
    application: Application, actor: Any, kind: str, amount: Decimal, *, at: dt.datetime, note: str = ""
) -> None:
    if amount <= 0:
        return
    LedgerEntry(
        program_code=application.program_code,
        year=application.year,
        kind=kind,
        amount=amount,
        application=application,
        at=at,
        actor=_saved(actor),
        actor_name=_actor_name(actor),
        note=note[:200],
    ).save()


def _locked(application: Application) -> Application:
    """Re-read the application under a row lock, so two officers cannot act on it at once."""
    return (
        Application.objects.select_for_update()
        .select_related("enterprise", "plan_version")
        .get(pk=application.pk)
    )


def _lock_budget(program_code: str, year: int) -> None:
    """Serialise awards of one program and year, so two approvals cannot both spend the last of the
    budget. SQLite already runs one write transaction at a time (IMMEDIATE); PostgreSQL takes a
    transaction-scoped advisory lock on the program and year."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(
        hashlib.sha256(f"support:{program_code}:{year}".encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def program_of(application: Application) -> SupportProgram:
    program = programs_of(application.plan_version).get(application.program_code)
    if program is None:
        raise ValidationError(
            {"program_code": f"计划版本中无此支持项目：{application.program_code} / unknown program"}
        )
    return program


# ---------------------------------------------------------------------------------------------------
# Preparing an application


def _clean_costs(program: SupportProgram, costs: Iterable[Mapping[str, Any]]) -> list[CostItem]:
    items: list[CostItem] = []
    allowed = program.eligible_cost_codes | {OTHER_COST}
    for index, raw in enumerate(costs, start=1):
        data = {k: raw.get(k, "") for k in COST_FIELDS}
        _no_nul(data, "costs")
        if data["item"] not in allowed:
            raise ValidationError(
                {"costs": f"第{index}项费用：未知费用类别 {data['item']!r} / cost {index}: unknown item"}
            )
        if isinstance(data["amount"], float):
            raise ValidationError({"costs": f"第{index}项费用：金额须为精确数 / cost {index}: exact amount"})
        item = CostItem(**data)
        try:
            item.full_clean(exclude=["application"])
        except ValidationError as exc:
            raise ValidationError(
                {"costs": f"第{index}项费用 / cost {index}: {'; '.join(exc.messages)}"}
            ) from exc
        items.append(item)
    repeated = duplicates.repeated_invoices(item.invoice_ref for item in items)
    if repeated:
        raise ValidationError(
            {
                "costs": f"同一发票在本申请中出现多次：{'、'.join(repeated)} / "
                f"the same invoice appears more than once: {', '.join(repeated)}"
            }
        )
    return items


def _no_nul(data: Mapping[str, Any], what: str) -> None:
    # PostgreSQL text cannot hold NUL; refuse it as bad input rather than fail on save.
    for key, value in data.items():
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError({what: f"{key}: 含有非法字符 / contains a NUL character"})


def _check_product_field(program: SupportProgram, value: str) -> None:
    if value and value not in program.priority_field_codes:
        raise ValidationError({"product_field": f"本项目无此重点领域：{value} / not a priority field here"})


@transaction.atomic
def application_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    program_code: str,
    data: Mapping[str, Any],
    costs: Iterable[Mapping[str, Any]] = (),
    version: PlanVersion | None = None,
    source: str = Source.FORM,
    source_ref: str = "",
    at: dt.datetime | None = None,
) -> Application:
    """A draft application of ``enterprise`` under a program of the current (or given) plan version."""
    _require_applicant(actor, enterprise)
    version = version or current_plan_version()
    program = programs_of(version).get(program_code)
    if version is None or program is None:
        raise ValidationError({"program_code": f"无此支持项目：{program_code} / unknown program"})
    fields = {k: data[k] for k in APPLICATION_FIELDS if k in data}
    _no_nul(fields, "data")
    _check_product_field(program, str(fields.get("product_field", "")))
    application = Application(
        enterprise=enterprise,
        plan_version=version,
        program_code=program.code,
        year=program.year or program.application_window.start.year,
        source=source,
        source_ref=source_ref,
        **fields,
    )
    application.full_clean()
    cost_items = _clean_costs(program, costs)
    _attribute(application, actor, "created")
    application.save()
    application.number = f"SP-{application.year}-{application.pk:05d}"
    application.save(update_fields=["number"])
    for item in cost_items:
        item.application = application
        _attribute(item, actor)
        item.save()
    _step(application, actor, Action.CREATED, at=_now(at))
    return application


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application: Application,
    data: Mapping[str, Any],
    costs: Iterable[Mapping[str, Any]] | None = None,
    at: dt.datetime | None = None,
) -> Application:
    """Change a draft, or correct a returned application; ``costs`` (when given) replaces the lines."""
    application = _locked(application)
    _require_applicant(actor, application.enterprise)
    _require_status(application, *EDITABLE)
    program = program_of(application)
    _no_nul(data, "data")
    changed = []
    for key in APPLICATION_FIELDS:
        if key in data and getattr(application, key) != data[key]:
            setattr(application, key, data[key])
            changed.append(key)
    _check_product_field(program, application.product_field)
    application.full_clean()
    _attribute(application, actor, "edited")
    application.save()
    if costs is not None:
        items = _clean_costs(program, costs)
        old = {
            (c.item, c.amount, c.invoice_ref, c.contract_ref, c.description) for c in application.costs.all()
        }
        new = {(c.item, c.amount, c.invoice_ref, c.contract_ref, c.description) for c in items}
        if old != new:
            for existing in application.costs.all():
                _attribute(existing, actor)
                existing.delete()
            for item in items:
                item.application = application
                _attribute(item, actor)
                item.save()
            changed.append("costs")
    if changed:
        _step(
            application,
            actor,
            Action.EDITED,
            at=_now(at),
            before=application.status,
            data={"fields": changed},
        )
    return application


@transaction.atomic
def attachment_add(
    *, actor: Any, application: Application, name: str, data: bytes, description: str = ""
) -> Attachment:
    """Attach a PDF, PNG or JPEG (checked by content, size-limited) to an editable application."""
    application = _locked(application)
    _require_applicant(actor, application.enterprise)
    _require_status(application, *EDITABLE)
    if application.attachments.count() >= MAX_PER_APPLICATION:
        raise ValidationError(
            {"file": f"每份申请最多 {MAX_PER_APPLICATION} 个附件 / at most {MAX_PER_APPLICATION} attachments"}
        )
    clean_name = (name or "").replace("\x00", "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "attachment"
    try:
        sniffed = check_attachment(clean_name, data)
    except AttachmentRefused as exc:
        raise ValidationError({"file": str(exc)}) from exc
    attachment = Attachment(
        application=application,
        name=clean_name,
        description=description.replace("\x00", "")[:200],
        content_type=sniffed.content_type,
        extension=sniffed.extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=_saved(actor),
    )
    attachment.file.save(clean_name, ContentFile(data), save=False)
    _attribute(attachment, actor)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    application = _locked(attachment.application)
    _require_applicant(actor, application.enterprise)
    _require_status(application, *EDITABLE)
    _attribute(attachment, actor)
    stored = attachment.file.name
    attachment.delete()
    # The file goes only once the row is gone for good (a rolled-back delete keeps both).
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


# ---------------------------------------------------------------------------------------------------
# Submission and duplicate refusal


def _claim(application: Application) -> duplicates.Claim:
    return duplicates.Claim(
        claim_id=str(application.pk),
        firm_id=application.enterprise.credit_code,
        foundry=application.foundry,
        product=application.product,
        tapeout_date=application.tapeout_date,
        invoice_numbers=tuple(c.invoice_ref for c in application.costs.all()),
        submitted_at=application.submitted_at,
        label=str(application),
    )


def find_duplicate(application: Application) -> tuple[duplicates.Conflict, Application] | None:
    """The earliest submitted application this one duplicates (same tape-out or same invoice)."""
    mine = _claim(application)
    invoice_keys = [duplicates.invoice_key(c.invoice_ref) for c in application.costs.all()]
    candidates = (
        Application.objects.filter(status__in=CLAIMED)
        .exclude(pk=application.pk)
        .filter(Q(enterprise_id=application.enterprise_id) | Q(costs__invoice_key__in=invoice_keys))
        .select_related("enterprise")
        .prefetch_related("costs")
        .distinct()
    )
    by_id = {str(c.pk): c for c in candidates}
    conflict = duplicates.find_conflict(mine, [_claim(c) for c in by_id.values()])
    if conflict is None:
        return None
    return conflict, by_id[conflict.earlier.claim_id]


def _require_window(program: SupportProgram, application: Application, when: dt.datetime) -> None:
    """A submission dated outside the program's application window is refused, naming the window.

    A returned application first submitted inside the window may be corrected and resubmitted after the
    window closed: the firm met the deadline, and the return (and the time the correction takes) is the
    reviewers' doing; its application date stays the first submission's."""
    window = program.application_window
    day = timezone.localdate(when)
    if day in window:
        return
    if application.status == Status.RETURNED and application.applied_on in window:
        return
    raise ValidationError(
        f"申报期为 {window.start} 至 {window.end}，{day} 不在申报期内，不能提交 / the application window "
        f"is {window.start} to {window.end}; {day} is outside it, so the application cannot be submitted",
        code="outside_window",
    )


def application_submit(*, actor: Any, application: Application, at: dt.datetime | None = None) -> Application:
    """Submit a draft, or resubmit a corrected one, on a day inside the program's application window
    (a returned application first submitted in time may be resubmitted after the window closed: see
    ``_require_window``). A duplicate claim is refused with a pointer to the earlier application; the
    refusal is logged on this application."""
    when = _now(at)
    refusal: DuplicateClaim | None = None
    with transaction.atomic():
        application = _locked(application)
        _require_applicant(actor, application.enterprise)
        _require_status(application, *EDITABLE)
        _require_window(program_of(application), application, when)
        # Serialise submissions of one firm, so two tabs cannot both pass the duplicate check.
        Enterprise.objects.select_for_update().filter(pk=application.enterprise_id).first()
        if not application.costs.exists():
            raise ValidationError({"costs": "至少填写一项费用 / at least one cost is needed"})
        found = find_duplicate(application)
        if found is None:
            resubmission = application.status == Status.RETURNED
            if application.applied_on is None:
                application.applied_on = timezone.localdate(when)
            application.submitted_at = when
            return _transition(
                application,
                actor,
                Status.SUBMITTED,
                Action.RESUBMITTED if resubmission else Action.SUBMITTED,
                at=when,
            )
        conflict, earlier = found
        refusal = DuplicateClaim(conflict, earlier)
        _step(
            application,
            actor,
            Action.REFUSED_DUPLICATE,
            at=when,
            before=application.status,
            reason=conflict.message,
            data={"earlier": earlier.pk, "earlier_number": str(earlier), "kind": conflict.kind.value},
        )
    raise refusal


# ---------------------------------------------------------------------------------------------------
# Reviews and decision


@transaction.atomic
def application_pre_review(
    *, actor: Any, application: Application, passed: bool, reason: str = "", at: dt.datetime | None = None
) -> Application:
    """Area pre-review (区域初审) by the officer of the firm's area: pass on, or return for correction."""
    application = _locked(application)
    _require_area_officer(actor, application)
    _require_status(application, Status.SUBMITTED)
    if passed:
        return _transition(
            application, actor, Status.PRE_REVIEWED, Action.PRE_REVIEWED, at=_now(at), reason=reason.strip()
        )
    text = _require_reason(reason, "退回")
    return _transition(application, actor, Status.RETURNED, Action.RETURNED, at=_now(at), reason=text)


@transaction.atomic
def application_review(
    *, actor: Any, application: Application, passed: bool, reason: str = "", at: dt.datetime | None = None
) -> Application:
    """City review (市级审核): pass on to the decision, or return for correction."""
    application = _locked(application)
    _require_city_admin(actor)
    _require_status(application, Status.PRE_REVIEWED)
    if passed:
        return _transition(
            application, actor, Status.REVIEWED, Action.REVIEWED, at=_now(at), reason=reason.strip()
        )
    text = _require_reason(reason, "退回")
    return _transition(application, actor, Status.RETURNED, Action.RETURNED, at=_now(at), reason=text)


def award_preview(application: Application) -> AwardComputation:
    """The award as it would be decided now: prior awards this year from the database, the budget
    committed from the ledger (without this application's own commitment), and any 一事一议."""
    program = program_of(application)
    same_program, all_programs = prior_awards(application)
    computation = compute_award(
        program,
        application_facts(application),
        prior_awards_this_year_same_program=same_program,
        prior_awards_this_year_all_programs=all_programs,
        budget_committed=budget_committed(application.program_code, application.year, excluding=application),
    )
    if application.override_amount is not None:
        computation = computation.override(
            application.override_amount,
            application.override_reason,
            application.override_by_name or "—",
            decided_on=timezone.localdate(application.override_at) if application.override_at else None,
        )
    return computation


def _store(application: Application, computation: AwardComputation, at: dt.datetime) -> None:
    from semicluster.support.explain import computation_json

    application.computation = computation_json(computation, at=at)
    application.computed_amount = computation.computed_amount
    application.over_budget = computation.over_budget


class Outcome:
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    ALL = (APPROVE, RETURN, REJECT)


@transaction.atomic
def application_decide(
    *,
    actor: Any,
    application: Application,
    outcome: str,
    reason: str,
    confirm_over_budget: bool = False,
    at: dt.datetime | None = None,
) -> Application:
    """Decision (决定): approve with the computed (or 一事一议) amount, return for correction, or reject —
    each with a reason. An award cut by the remaining budget is flagged and needs
    ``confirm_over_budget``; an amount above the remaining budget is never approved."""
    application = _locked(application)
    _require_city_admin(actor)
    _require_status(application, Status.REVIEWED)
    if outcome not in Outcome.ALL:
        raise ValidationError({"outcome": f"未知决定 {outcome!r} / unknown outcome"})
    when = _now(at)
    text = _require_reason(reason, {"approve": "批准", "return": "退回", "reject": "不予支持"}[outcome])
    _lock_budget(application.program_code, application.year)
    computation = award_preview(application)
    _store(application, computation, when)
    if outcome == Outcome.RETURN:
        return _transition(application, actor, Status.RETURNED, Action.RETURNED, at=when, reason=text)
    application.decided_at = when
    application.decision_reason = text
    if outcome == Outcome.REJECT:
        application.award_amount = None
        return _transition(application, actor, Status.REJECTED, Action.REJECTED, at=when, reason=text)
    final = computation.final_amount
    if computation.override_decision is not None and computation.override_decision.exceeds_budget:
        raise ValidationError(
            f"一事一议金额 {final} 元超出预算余额 {computation.budget_remaining} 元 / the case-by-case "
            f"amount exceeds the budget remaining ({computation.budget_remaining} yuan)",
            code="over_budget",
        )
    if computation.over_budget and computation.override_decision is None and not confirm_over_budget:
        raise ValidationError(
            f"预算不足：计算奖励超出预算余额 {computation.budget_shortfall} 元，仅可核定 {final} 元；"
            f"请确认按余额核定或一事一议 / over budget by {computation.budget_shortfall} yuan: only {final} "
            "yuan remain; confirm the partial award or decide case by case",
            code="over_budget",
        )
    if final <= 0:
        raise ValidationError(
            "核定金额为 0，不能批准；请不予支持或一事一议 / the award is 0 and cannot be approved; reject it "
            "or decide case by case",
            code="nothing_to_award",
        )
    application.award_amount = final
    _transition(
        application,
        actor,
        Status.APPROVED,
        Action.APPROVED,
        at=when,
        reason=text,
        data={
            "computed": str(computation.computed_amount),
            "award": str(final),
            "over_budget": computation.over_budget,
        },
    )
    _ledger(application, actor, LedgerKind.COMMIT, final, at=when, note=f"{application} 批准 / approved")
    return application


@transaction.atomic
def application_override(
    *, actor: Any, application: Application, amount: Decimal, reason: str, at: dt.datetime | None = None
) -> Application:
    """一事一议 (one case, one decision): set the award by decision, with the reason and the approver,
    before the decision or after approval (until paid). The computed amount stays beside it; an
    approved award's ledger commitment follows the new amount."""
    application = _locked(application)
    _require_city_admin(actor)
    _require_status(application, Status.REVIEWED, Status.APPROVED)
    _lock_budget(application.program_code, application.year)
    when = _now(at)
    text = _require_reason(reason, "一事一议")
    if not isinstance(amount, Decimal):
        raise ValidationError({"amount": "金额须为精确数 / the amount must be exact (Decimal)"})
    application.override_amount = amount
    application.override_reason = text
    application.override_by = _saved(actor)
    application.override_by_name = _actor_name(actor)
    application.override_at = when
    try:
        computation = award_preview(application)
    except ValueError as exc:
        raise ValidationError({"amount": str(exc)}) from exc
    assert computation.override_decision is not None
    if computation.override_decision.exceeds_budget:
        raise ValidationError(
            {
                "amount": f"超出预算余额 {computation.budget_remaining} 元 / exceeds the budget remaining "
                f"({computation.budget_remaining} yuan)"
            }
        )
    _store(application, computation, when)
    previous = application.award_amount
    if application.status == Status.APPROVED:
        application.award_amount = computation.final_amount
    _transition(
        application,
        actor,
        application.status,
        Action.OVERRIDDEN,
        at=when,
        reason=text,
        data={"computed": str(computation.computed_amount), "override": str(amount)},
    )
    if application.status == Status.APPROVED and previous is not None and previous != amount:
        _ledger(
            application,
            actor,
            LedgerKind.RELEASE,
            previous,
            at=when,
            note="一事一议调整 / changed by 一事一议",
        )
        _ledger(
            application, actor, LedgerKind.COMMIT, amount, at=when, note="一事一议调整 / changed by 一事一议"
        )
    return application


@transaction.atomic
def application_disburse(
    *,
    actor: Any,
    application: Application,
    paid_on: dt.date,
    reference: str,
    at: dt.datetime | None = None,
) -> Application:
    """Record the payment (拨付) of an approved award: the date and the payment voucher."""
    application = _locked(application)
    _require_city_admin(actor)
    _require_status(application, Status.APPROVED)
    ref = _require_reason(reference, "拨付凭证")
    when = _now(at)
    if paid_on > timezone.localdate(when):
        raise ValidationError({"paid_on": "拨付日期不能晚于今天 / the payment date cannot be in the future"})
    assert application.award_amount is not None
    application.disbursed_amount = application.award_amount
    application.disbursed_on = paid_on
    application.disbursement_ref = ref[:80]
    _transition(
        application,
        actor,
        Status.DISBURSED,
        Action.DISBURSED,
        at=when,
        reason=ref,
        data={"amount": str(application.award_amount), "paid_on": paid_on.isoformat()},
    )
    _ledger(application, actor, LedgerKind.DISBURSE, application.award_amount, at=when, note=ref)
    return application


# ---------------------------------------------------------------------------------------------------
# Imports of historical applications (for the intake pipeline's importer)


@dataclass(frozen=True)
class HistoricalApplication:
    """One row of a historical-applications workbook, already parsed by the intake pipeline.

    ``status`` is where the application ended: submitted (still in review), approved, rejected or
    disbursed. ``award`` is the approved amount as decided at the time; when it differs from what the
    engine computes today it is kept as a 一事一议 amount with ``decision_reason``, so the computed
    figure stays visible beside it.
    """

    enterprise: Enterprise
    program_code: str
    facts: Mapping[str, Any]
    costs: tuple[Mapping[str, Any], ...]
    submitted_on: dt.date
    status: str = Status.SUBMITTED
    decided_on: dt.date | None = None
    decision_reason: str = ""
    award: Decimal | None = None
    paid_on: dt.date | None = None
    payment_ref: str = ""
    source_ref: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


def _day(value: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(value, dt.time(9, 0)))


def imported_applications(*, source_refs: Iterable[str]) -> dict[str, Application]:
    """Applications already imported, by their historical reference (the import's natural key)."""
    refs = sorted({ref for ref in source_refs if ref})
    found = (
        Application.objects.filter(source=Source.IMPORT, source_ref__in=refs)
        .select_related("enterprise")
        .prefetch_related("costs")
        .order_by("pk")
    )
    out: dict[str, Application] = {}
    for application in found:
        out.setdefault(application.source_ref, application)
    return out


@transaction.atomic
def application_import(
    *, actor: Any, row: HistoricalApplication, version: PlanVersion | None = None
) -> Application:
    """Import one historical application, walking it through the same services (so duplicate claims,
    caps, budget and the ledger are checked exactly as for a live one), dated as it happened.

    Idempotent: an application with the same ``source_ref`` is returned unchanged. Only the city
    admin imports; every step is logged as done by the importing user on the historical date.
    """
    _require_city_admin(actor)
    if row.source_ref:
        existing = imported_applications(source_refs=[row.source_ref]).get(row.source_ref)
        if existing is not None:
            return existing
    if row.status not in (Status.SUBMITTED, Status.APPROVED, Status.REJECTED, Status.DISBURSED):
        raise ValidationError(
            {"status": f"不能导入为该状态：{row.status} / cannot import in status {row.status}"}
        )
    submitted = _day(row.submitted_on)
    application = application_create(
        actor=actor,
        enterprise=row.enterprise,
        program_code=row.program_code,
        data=row.facts,
        costs=row.costs,
        version=version,
        source=Source.IMPORT,
        source_ref=row.source_ref,
        at=submitted,
    )
    _step(application, actor, Action.IMPORTED, at=submitted, before=application.status, reason=row.source_ref)
    application = application_submit(actor=actor, application=application, at=submitted)
    if row.status == Status.SUBMITTED:
        return application
    decided = _day(row.decided_on or row.submitted_on)
    # Historical reviews were done outside the platform: the importer records them as passed.
    application.status = Status.REVIEWED
    _attribute(application, actor, "imported review")
    application.save()
    _step(application, actor, Action.REVIEWED, at=decided, before=Status.SUBMITTED, reason="导入 / imported")
    reason = row.decision_reason or "历史申请导入 / imported historical application"
    if row.status == Status.REJECTED:
        return application_decide(
            actor=actor, application=application, outcome=Outcome.REJECT, reason=reason, at=decided
        )
    if row.award is not None and row.award != award_preview(application).computed_amount:
        application = application_override(
            actor=actor, application=application, amount=row.award, reason=reason, at=decided
        )
    application = application_decide(
        actor=actor,
        application=application,
        outcome=Outcome.APPROVE,
        reason=reason,
        confirm_over_budget=True,
        at=decided,
    )
    if row.status == Status.DISBURSED:
        application = application_disburse(
            actor=actor,
            application=application,
            paid_on=row.paid_on or row.decided_on or row.submitted_on,
            reference=row.payment_ref or row.source_ref or "导入 / imported",
            at=_day(row.paid_on or row.decided_on or row.submitted_on),
        )
    return application


@transaction.atomic
def imported_applications_remove(*, actor: Any, applications: Iterable[Application], reason: str = "") -> int:
    """Undo an import of historical applications (the intake's revert): each goes with its costs, step
    log and ledger entries, so the budget it committed is free again. City admin only; an application
    that did not come from an import, or has attachments since, is refused and nothing is removed."""
    _require_city_admin(actor)
    ids = [a.pk for a in applications]
    found = list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for application in found:
        if application.source != Source.IMPORT:
            raise ValidationError(
                f"申请 {application} 不是导入的历史申请，不能撤销 / {application} was not imported",
                code="not_imported",
            )
        if application.attachments.exists():
            raise ValidationError(
                f"申请 {application} 已有附件，不能撤销 / {application} has attachments since its import",
                code="has_attachments",
            )
    LedgerEntry.objects.filter(application_id__in=ids).delete()
    for application in found:
        _attribute(application, actor, reason or "import undone")
        application.delete()  # costs, attachments and steps go with it
    return len(found)
