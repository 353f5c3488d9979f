"""Writes for tasks and accountability. Each takes the acting user so history records who acted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from semicluster.accountability import bulletin as bulletins
from semicluster.accountability import engine, selectors
from semicluster.accountability.models import (
    Bulletin,
    BulletinParagraph,
    Decision,
    Escalation,
    Meeting,
    Milestone,
    Origin,
    ProgressUpdate,
    WorkItem,
)
from semicluster.accounts.models import Role
from semicluster.documents.serialize import document_to_dict
from semicluster.plans.models import Goal, PlanVersion, Unit

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Evidence is checked by its first bytes, not by its name or the browser's content type (both are
# whatever the uploader says).
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
EVIDENCE_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def evidence_content_type(name: str) -> str:
    """The content type of a stored evidence file (its extension was checked against its content)."""
    name = name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    return EVIDENCE_CONTENT_TYPES.get(extension, "application/octet-stream")


def _attribute(instance: Any, actor: Any) -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor


def _require_office(actor: Any) -> None:
    """The leading-group office, or ``None``: the system itself (the command line, an import run
    without ``--user``), which acts city-wide like the office."""
    if actor is not None and not selectors.is_office(actor):
        raise PermissionDenied("只有领导小组办公室可以执行此操作 / only the leading-group office may do this")


# --------------------------------------------------------------------------- work items


def _task_documents(version: PlanVersion) -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in version.document.get("tasks", []) if isinstance(t, dict)}


@transaction.atomic
def work_items_sync(*, actor: Any, version: PlanVersion) -> list[WorkItem]:
    """One work item per plan task, created once; existing items (and the office's edits) are kept.

    Returns the items created (empty on a second run).
    """
    existing = set(
        WorkItem.objects.filter(plan_version=version, origin=Origin.PLAN).values_list("task_id", flat=True)
    )
    docs = _task_documents(version)
    year_start = date(int(version.plan.year), 1, 1)
    created: list[WorkItem] = []
    for task in version.tasks.select_related("lead_unit").prefetch_related("co_units").order_by("sort"):
        if task.pk in existing:
            continue
        doc = docs.get(task.code, {})
        item = WorkItem(
            plan_version=version,
            task=task,
            code=task.code,
            title=task.title,
            title_en=task.title_en,
            lead_unit=task.lead_unit,
            start=min(year_start, task.deadline),
            deadline=task.deadline,
            deliverable=str(doc.get("deliverable", "")),
            origin=Origin.PLAN,
            source=task.source or str(doc.get("clause", "")),
            source_text=task.source_text,
            sort=task.sort * 100,
        )
        item.full_clean()
        _attribute(item, actor)
        item.save()
        item.co_units.set(task.co_units.all())
        goal_codes = doc.get("goals", [])
        if goal_codes:
            item.goals.set(Goal.objects.filter(plan_version=version, code__in=goal_codes))
        for index, raw in enumerate(sorted(task.milestones, key=lambda m: str(m["date"])), start=1):
            due = raw["date"] if isinstance(raw["date"], date) else date.fromisoformat(str(raw["date"]))
            Milestone.objects.create(
                work_item=item,
                key=f"m{index}",
                due=due,
                description=raw.get("description", ""),
                description_en=raw.get("description_en", ""),
            )
        created.append(item)
    return created


@transaction.atomic
def work_item_decompose(
    *,
    actor: Any,
    parent: WorkItem,
    title: str,
    lead_unit: Unit,
    deadline: date,
    start: date | None = None,
    title_en: str = "",
    co_units: Sequence[Unit] = (),
    responsible_person: str = "",
    deliverable: str = "",
    milestones: Sequence[tuple[date, str]] = (),
    origin: str = Origin.DECOMPOSED,
    code: str | None = None,
    goals: Sequence[Goal] | None = None,
) -> WorkItem:
    """A part of ``parent`` (细化分解): its own lead unit, dates and milestones.

    The code is ``<parent>-<n>`` unless one is given (an import names its items); the part serves the
    parent's goals unless ``goals`` says otherwise."""
    _require_office(actor)
    siblings = WorkItem.objects.filter(plan_version=parent.plan_version, code__startswith=f"{parent.code}-")
    number = siblings.count() + 1
    if code is None:
        while WorkItem.objects.filter(
            plan_version=parent.plan_version, code=f"{parent.code}-{number}"
        ).exists():
            number += 1
        code = f"{parent.code}-{number}"
    elif WorkItem.objects.filter(plan_version=parent.plan_version, code=code).exists():
        raise ValidationError({"code": f"事项编号{code}已被使用 / the code {code} is already taken"})
    item = WorkItem(
        plan_version=parent.plan_version,
        task=parent.task,
        parent=parent,
        code=code,
        title=title,
        title_en=title_en,
        lead_unit=lead_unit,
        responsible_person=responsible_person,
        start=start or parent.start,
        deadline=deadline,
        deliverable=deliverable,
        origin=origin,
        source=parent.source,
        source_text=parent.source_text,
        sort=parent.sort + number,
    )
    _check_within_parent(item)
    item.full_clean()
    _attribute(item, actor)
    item.save()
    item.co_units.set(co_units)
    item.goals.set(parent.goals.all() if goals is None else goals)
    _milestones_create(item, milestones)
    return item


def _check_within_parent(item: WorkItem) -> None:
    parent = item.parent
    if parent is not None and item.deadline and item.deadline > parent.deadline:
        raise ValidationError(
            {"deadline": "分解事项不能晚于上级事项截止日期 / a part cannot end after its parent"}
        )


def _milestones_create(item: WorkItem, milestones: Sequence[tuple[date, str]]) -> None:
    _milestones_check(item, milestones)
    for index, (due, description) in enumerate(sorted(milestones), start=1):
        milestone = Milestone(work_item=item, key=f"m{index}", due=due, description=description)
        milestone.full_clean()
        milestone.save()


def _milestones_check(item: WorkItem, milestones: Sequence[tuple[date, str]]) -> None:
    for index, (due, _description) in enumerate(sorted(milestones), start=1):
        if not item.start <= due <= item.deadline:
            raise ValidationError(
                {
                    "milestones": f"节点{index}日期{due.isoformat()}不在事项起止日期内 / "
                    f"milestone {index} is outside the item's dates"
                }
            )


def _milestones_sync(item: WorkItem, milestones: Sequence[tuple[date, str]]) -> None:
    """Make the item's milestones exactly ``milestones``, keeping the records (and their keys, which
    progress reports point to) of those that stay: same description, or same date with a new wording.
    A milestone a report says was reached cannot be dropped."""
    _milestones_check(item, milestones)
    existing = list(item.milestones.all())
    wanted = sorted(set(milestones))
    kept: dict[int, tuple[date, str]] = {}
    rest: list[tuple[date, str]] = []
    for due, description in wanted:  # first pass: the same milestone, maybe on another date
        same = next((m for m in existing if m.pk not in kept and m.description == description), None)
        if same is not None:
            kept[same.pk] = (due, description)
        else:
            rest.append((due, description))
    new: list[tuple[date, str]] = []
    for due, description in rest:  # second pass: the same date, reworded
        same = next((m for m in existing if m.pk not in kept and m.due == due), None)
        if same is not None:
            kept[same.pk] = (due, description)
        else:
            new.append((due, description))
    dropped = [m for m in existing if m.pk not in kept]
    links = ProgressUpdate.milestones_reached.through.objects.filter(milestone__in=dropped)
    reached = set(links.values_list("milestone_id", flat=True))
    if reached:
        names = "、".join(f"{m.due.isoformat()} {m.description}" for m in dropped if m.pk in reached)
        raise ValidationError(
            {
                "milestones": f"节点「{names}」已有进展报送标记为完成，不能删除 / "
                "a milestone already reported as reached cannot be removed"
            }
        )
    for milestone in dropped:
        milestone.delete()
    for milestone in existing:
        if milestone.pk in kept and (milestone.due, milestone.description) != kept[milestone.pk]:
            milestone.due, milestone.description = kept[milestone.pk]
            milestone.full_clean()
            milestone.save()
    used = {m.key for m in existing if m.pk in kept}
    number = 0
    for due, description in new:
        number += 1
        while f"m{number}" in used:
            number += 1
        used.add(f"m{number}")
        milestone = Milestone(work_item=item, key=f"m{number}", due=due, description=description)
        milestone.full_clean()
        milestone.save()


@transaction.atomic
def work_item_update(*, actor: Any, item: WorkItem, data: dict[str, Any]) -> WorkItem:
    """Office edits of an item's owners, dates, goals and milestones (status follows automatically).

    ``data`` holds model fields plus, optionally, ``co_units``, ``goals`` (sequences) and ``milestones``
    (``(due, description)`` pairs that replace the item's, see ``_milestones_sync``)."""
    _require_office(actor)
    data = dict(data)
    co_units = data.pop("co_units", None)
    goals = data.pop("goals", None)
    milestones = data.pop("milestones", None)
    for key, value in data.items():
        setattr(item, key, value)
    _check_within_parent(item)
    item.full_clean()
    _attribute(item, actor)
    item.save()
    if co_units is not None:
        item.co_units.set(co_units)
    if goals is not None:
        item.goals.set(goals)
    if milestones is not None:
        _milestones_sync(item, milestones)
    elif "start" in data or "deadline" in data:
        _milestones_check(item, [(m.due, m.description) for m in item.milestones.all()])
    return item


# --------------------------------------------------------------------------- progress updates


def validate_evidence(upload: UploadedFile) -> None:
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            {"evidence": "佐证材料须为PDF或图片（PNG/JPG） / evidence must be a PDF or an image (PNG/JPG)"},
        )
    if upload.size is None or upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": "佐证材料不得超过10 MB / evidence must not exceed 10 MB"})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in EVIDENCE_SIGNATURES[extension]):
        raise ValidationError(
            {"evidence": f"文件内容与扩展名{extension}不符 / the file's content is not a {extension} file"}
        )


@transaction.atomic
def progress_report(
    *,
    actor: Any,
    item: WorkItem,
    text: str,
    percent: Decimal | None = None,
    milestones_reached: Sequence[Milestone] = (),
    done: bool = False,
    problems: str = "",
    evidence: UploadedFile | None = None,
    reported_on: date | None = None,
    period_key: str | None = None,
) -> ProgressUpdate:
    """File a progress report for ``item``; the period defaults to the one the date reports for."""
    if actor is not None and not selectors.may_update(actor, item):
        raise PermissionDenied("只有牵头单位可以报送进展 / only the lead unit reports progress on this item")
    if percent is not None and not isinstance(percent, Decimal):
        raise TypeError("percent must be Decimal, never float")
    if not text.strip():
        raise ValidationError({"text": "请填写工作进展 / progress text is required"})
    if percent is None and not milestones_reached and not done:
        raise ValidationError(
            {
                "percent": "请填写完成比例、已完成节点或标记完成 / "
                "give a percentage, a milestone reached or mark it done"
            }
        )
    foreign = [m for m in milestones_reached if m.work_item_id != item.pk]
    if foreign:
        raise ValidationError({"milestones_reached": "节点不属于该事项 / milestone belongs to another item"})
    rules = selectors.reporting_rules(item.plan_version)
    reported_on = reported_on or timezone.localdate()
    if period_key is None:
        period_key = engine.period_for_report(rules, reported_on).key
    elif period_key not in {p.key for p in engine.periods_between(rules, item.start, reported_on)}:
        raise ValidationError(
            {
                "period_key": f"报送期{period_key}不在事项期间内或尚未开始 / "
                f"period {period_key} is not a period of this item"
            }
        )
    if evidence is not None:
        validate_evidence(evidence)
    unit = actor.unit if actor is not None and actor.role == Role.UNIT_OFFICER else item.lead_unit
    update = ProgressUpdate(
        work_item=item,
        unit=unit,
        period_key=period_key,
        reported_on=reported_on,
        text=text.strip(),
        percent=percent,
        done=done or (percent is not None and percent >= 100),
        problems=problems.strip(),
        author=actor if getattr(actor, "pk", None) else None,
    )
    if evidence is not None:
        update.evidence = evidence  # type: ignore[assignment]
    update.full_clean()
    _attribute(update, actor)
    update.save()
    if milestones_reached:
        update.milestones_reached.set(milestones_reached)
    return update


# --------------------------------------------------------------------------- escalation (督办)


@transaction.atomic
def escalations_issue(*, actor: Any, version: PlanVersion, today: date | None = None) -> list[Escalation]:
    """Issue every escalation due on ``today`` that has not been issued yet (safe to run daily).

    ``today`` may be a past day (catching up), never a future one: a 督办 dated ahead would name units
    silent for reports not yet overdue."""
    real_today = timezone.localdate()
    today = today or real_today
    if today > real_today:
        raise ValidationError(
            {
                "today": f"督办日期{today.isoformat()}晚于今天（{real_today.isoformat()}），不能发出 / "
                f"escalations cannot be issued for a future date: {today.isoformat()} is after today "
                f"({real_today.isoformat()})"
            }
        )
    facts = selectors.reporting_facts(version)
    owed = engine.obligations(facts.items, facts.rules, today, facts.updates)
    issued = set(Escalation.objects.filter(plan_version=version).values_list("unit__code", "period_key"))
    units = {u.code: u for u in Unit.objects.all()}
    created: list[Escalation] = []
    for due in engine.escalations_due(owed, facts.updates, today, facts.rules, issued):
        name = facts.unit_names.get(due.unit, due.unit)
        message = engine.Escalation(name, due.period, due.item_codes, due.due_date, due.escalation_date)
        row = Escalation(
            plan_version=version,
            unit=units[due.unit],
            period_key=due.period.key,
            item_codes=list(due.item_codes),
            due_date=due.due_date,
            issued_on=today,
            message=message.message.zh,
            message_en=message.message.en,
        )
        row.full_clean()
        _attribute(row, actor)
        row.save()
        created.append(row)
    return created


@transaction.atomic
def escalation_reply(*, actor: Any, escalation: Escalation, text: str) -> Escalation:
    """The unit's answer to a 督办 notice; recorded once, with who answered and when."""
    if not (
        selectors.is_office(actor)
        or (actor.role == Role.UNIT_OFFICER and actor.unit_id == escalation.unit_id)
    ):
        raise PermissionDenied("只有被督办单位可以回复 / only the unit escalated to may reply")
    if escalation.replied_at is not None:
        raise ValidationError({"reply": "该督办已回复 / this escalation has already been answered"})
    if not text.strip():
        raise ValidationError({"reply": "请填写回复内容 / the reply is empty"})
    escalation.reply = text.strip()
    escalation.replied_at = timezone.now()
    escalation.replied_by = actor if getattr(actor, "pk", None) else None
    escalation.full_clean()
    _attribute(escalation, actor)
    escalation.save()
    return escalation


# --------------------------------------------------------------------------- meetings


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    version: PlanVersion,
    date: date,
    title: str,
    attendees: str,
    topics: str,
    decisions: Sequence[tuple[str, Unit | None, date | None]] = (),
) -> Meeting:
    _require_office(actor)
    meeting = Meeting(plan_version=version, date=date, title=title, attendees=attendees, topics=topics)
    meeting.full_clean()
    _attribute(meeting, actor)
    meeting.save()
    for index, (text, owner, deadline) in enumerate(decisions, start=1):
        decision_add(actor=actor, meeting=meeting, text=text, owner_unit=owner, deadline=deadline, sort=index)
    return meeting


@transaction.atomic
def decision_add(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    owner_unit: Unit | None = None,
    deadline: date | None = None,
    sort: int = 0,
) -> Decision:
    _require_office(actor)
    decision = Decision(
        meeting=meeting, text=text.strip(), owner_unit=owner_unit, deadline=deadline, sort=sort
    )
    decision.full_clean()
    _attribute(decision, actor)
    decision.save()
    return decision


@transaction.atomic
def decision_track(
    *, actor: Any, decision: Decision, owner_unit: Unit | None = None, deadline: date | None = None
) -> WorkItem:
    """Turn a meeting decision into a work item (one action); doing it twice returns the same item."""
    _require_office(actor)
    if decision.work_item_id is not None:
        return decision.work_item  # type: ignore[return-value]
    owner = owner_unit or decision.owner_unit
    due = deadline or decision.deadline
    if owner is None or due is None:
        raise ValidationError(
            {"owner_unit": "请指定责任单位和完成时限 / give the decision an owner unit and a deadline"}
        )
    meeting = decision.meeting
    version = meeting.plan_version
    code = f"meeting-{meeting.date.strftime('%Y%m%d')}-{decision.sort or decision.pk}"
    while WorkItem.objects.filter(plan_version=version, code=code).exists():
        code += "x"
    item = WorkItem(
        plan_version=version,
        code=code,
        title=decision.text[:300],
        lead_unit=owner,
        start=min(meeting.date, due),
        deadline=due,
        origin=Origin.MEETING,
        source="三、1",
        source_text=f"{meeting.title}（{meeting.date.isoformat()}）",
        sort=100_000 + decision.pk,
    )
    item.full_clean()
    _attribute(item, actor)
    item.save()
    decision.owner_unit, decision.deadline, decision.work_item = owner, due, item
    decision.full_clean()
    _attribute(decision, actor)
    decision.save()
    return item


# --------------------------------------------------------------------------- bulletins (定期通报)


def _paragraphs_refresh(bulletin: Bulletin) -> None:
    """Store the generated text of each narrative paragraph; the office's edits are kept."""
    data = bulletins.bulletin_data(bulletin.plan_version, bulletin.period_key, bulletin.as_of)
    texts = bulletins.generated_paragraphs(data)
    existing = {p.key: p for p in bulletin.paragraphs.all()}
    for key, text in texts.items():
        paragraph = existing.get(key) or BulletinParagraph(bulletin=bulletin, key=key)
        if paragraph.pk is None or paragraph.generated_text != text:
            paragraph.generated_text = text
            paragraph.save()


@transaction.atomic
def bulletin_draft(
    *, actor: Any, version: PlanVersion, period_key: str, as_of: date | None = None
) -> Bulletin:
    """The period's draft bulletin (created once; asked again, it is refreshed with the latest data)."""
    _require_office(actor)
    rules = selectors.reporting_rules(version)
    try:
        period = bulletins.parse_period(period_key, rules)
    except ValueError as exc:
        raise ValidationError({"period_key": str(exc)}) from exc
    as_of = as_of or bulletins.default_as_of(period, timezone.localdate())
    if as_of < period.start:
        raise ValidationError(
            {"as_of": "数据截止日期早于通报期间 / the data date is before the period begins"}
        )
    bulletin = Bulletin.objects.filter(
        plan_version=version, period_key=period.key, state=Bulletin.State.DRAFT
    ).first() or Bulletin(plan_version=version, period_key=period.key)
    bulletin.as_of = as_of
    bulletin.full_clean()
    bulletin.save()
    _paragraphs_refresh(bulletin)
    return bulletin


@transaction.atomic
def bulletin_paragraph_edit(*, actor: Any, bulletin: Bulletin, key: str, text: str) -> BulletinParagraph:
    """Replace a generated paragraph's wording; an empty text goes back to the generated one."""
    _require_office(actor)
    paragraph = bulletin.paragraphs.filter(key=key).first()
    if paragraph is None:
        raise ValidationError({"key": f"通报中没有段落{key} / the bulletin has no paragraph {key!r}"})
    paragraph.edited_text = text.strip()
    paragraph.save()  # refuses if the bulletin was issued meanwhile
    return paragraph


@transaction.atomic
def bulletin_issue(*, actor: Any, bulletin: Bulletin) -> Bulletin:
    """Issue the bulletin: its document and the figures behind it are frozen from now on."""
    _require_office(actor)
    if bulletin.is_issued:
        raise ValidationError({"state": "该通报已印发 / this bulletin has already been issued"})
    if Bulletin.objects.filter(
        plan_version=bulletin.plan_version, period_key=bulletin.period_key, state=Bulletin.State.ISSUED
    ).exists():
        raise ValidationError(
            {"period_key": "该期通报已印发 / a bulletin for this period was already issued"}
        )
    data = bulletins.bulletin_data(bulletin.plan_version, bulletin.period_key, bulletin.as_of)
    edits = {p.key: p.edited_text for p in bulletin.paragraphs.all() if p.edited_text}
    bulletin.document = document_to_dict(bulletins.build_document(data, edits))
    bulletin.data = data
    bulletin.state = Bulletin.State.ISSUED
    bulletin.issued_at = timezone.now()
    bulletin.issued_by = actor if getattr(actor, "pk", None) else None
    bulletin.full_clean()
    bulletin.save()
    return bulletin
