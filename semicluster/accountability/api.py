"""REST endpoints for tasks and accountability. Same selectors and services as the web views;
another unit's work item is a 404 here too."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from semicluster.accountability import assessing, selectors, services
from semicluster.accountability import bulletin as bulletins
from semicluster.accountability.models import Bulletin, Milestone, ProgressUpdate
from semicluster.accounts.models import Role
from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS
from semicluster.documents.serialize import document_to_dict

# Reads may also be refused (403) to enterprise users, who have no part in government tasks.
READ = {**READ_ERRORS, 403: WRITE_ERRORS[403]}

API_PREFIX = "/tasks"
router = Router(tags=["tasks"])


# A date in the query string is ISO 8601 only: the OpenAPI schema says "format: date", and pydantic
# would otherwise also take "0" as a Unix timestamp.
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _day(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError({field: f"not a date: {value!r} (use YYYY-MM-DD)"}) from exc


@contextmanager
def _forbidden_as_403() -> Iterator[None]:
    # Django's PermissionDenied is what the views raise; the API's handler knows PermissionError.
    try:
        yield
    except PermissionDenied as exc:
        raise PermissionError(str(exc) or "Not allowed for your role.") from exc


def _government(request: HttpRequest) -> None:
    user: Any = request.user
    roles = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER)
    if not (user.is_superuser or user.role in roles):
        raise PermissionError("Tasks are not shown to enterprise users.")


class MilestoneOut(Schema):
    key: str
    due: dt.date
    description: str
    description_en: str


class StatusOut(Schema):
    status: str
    reason_zh: str
    reason_en: str
    percent: Decimal | None
    days_overdue: int
    days_left: int | None


class ItemOut(Schema):
    id: int
    code: str
    title: str
    title_en: str
    lead_unit: str
    co_units: list[str]
    responsible_person: str
    start: dt.date
    deadline: dt.date
    deliverable: str
    origin: str
    source: str
    status: StatusOut
    milestones: list[MilestoneOut]


class UpdateOut(Schema):
    id: int
    unit: str = Field(..., alias="unit.code")
    period_key: str
    reported_on: dt.date
    text: str
    percent: Decimal | None
    done: bool
    problems: str
    milestones_reached: list[str]
    evidence_name: str | None = Field(None, description="the evidence file's name, if one is attached")
    evidence_url: str | None = Field(None, description="where to download the evidence (same scope rules)")

    @staticmethod
    def resolve_milestones_reached(obj: Any) -> list[str]:
        return [m.key for m in obj.milestones_reached.all()]

    @staticmethod
    def resolve_evidence_name(obj: Any) -> str | None:
        return selectors.evidence_filename(obj) if obj.evidence else None

    @staticmethod
    def resolve_evidence_url(obj: Any) -> str | None:
        return f"/api{API_PREFIX}/updates/{obj.pk}/evidence" if obj.evidence else None


class UpdateIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)
    percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    milestones_reached: list[str] = []
    done: bool = False
    problems: str = Field("", max_length=5000)
    period_key: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")
    reported_on: str | None = Field(
        None, pattern=ISO_DATE, description="YYYY-MM-DD; office only (back-filling): units report today"
    )


class SilentOut(Schema):
    unit: str
    period: str
    item_codes: list[str]
    days_overdue: int
    escalation_due: bool


class EscalationOut(Schema):
    id: int
    unit: str = Field(..., alias="unit.code")
    period_key: str
    item_codes: list[str]
    due_date: dt.date
    issued_on: dt.date
    message: str
    message_en: str
    reply: str
    replied_at: dt.datetime | None


class ReplyIn(Schema):
    reply: str = Field(..., min_length=1, max_length=5000)


class BulletinOut(Schema):
    id: int
    period_key: str
    as_of: dt.date
    state: str
    issued_at: dt.datetime | None


class BulletinDetailOut(BulletinOut):
    document: dict[str, Any]
    data: dict[str, Any] | None


class CriterionScoreOut(Schema):
    criterion: str
    weight: Decimal
    raw: Decimal | None
    score: Decimal
    points: Decimal


class AssessmentRowOut(Schema):
    subject: str
    name: str
    rank: int
    total: Decimal
    breakdown: list[CriterionScoreOut]


class AssessmentOut(Schema):
    subjects: str
    as_of: dt.date
    results: list[AssessmentRowOut]
    not_assessed: list[str]


def _item_out(row: selectors.ItemRow) -> dict[str, Any]:
    item, status = row.item, row.status
    return {
        "id": item.pk,
        "code": item.code,
        "title": item.title,
        "title_en": item.title_en,
        "lead_unit": item.lead_unit.code,
        "co_units": [u.code for u in item.co_units.all()],
        "responsible_person": item.responsible_person,
        "start": item.start,
        "deadline": item.deadline,
        "deliverable": item.deliverable,
        "origin": item.origin,
        "source": item.source,
        "status": {
            "status": status.status.value,
            "reason_zh": status.reason.zh,
            "reason_en": status.reason.en,
            "percent": status.percent,
            "days_overdue": status.days_overdue,
            "days_left": status.days_left,
        },
        "milestones": list(item.milestones.all()),
    }


@router.get("/items", response={200: list[ItemOut], **READ})
def list_items(
    request: HttpRequest,
    as_of: str | None = Query(None, pattern=ISO_DATE, description="YYYY-MM-DD"),
    unit: str = "",
) -> Any:
    _government(request)
    version = selectors.plan_version_or_404()
    rows = selectors.item_rows(
        selectors.item_list(request.user, version, unit=unit),
        _day(as_of, "as_of") or selectors.default_as_of(version),
        selectors.reporting_rules(version),
    )
    return [_item_out(r) for r in rows]


@router.get("/items/{int:item_id}", response={200: ItemOut, **READ})
def get_item(
    request: HttpRequest,
    item_id: int,
    as_of: str | None = Query(None, pattern=ISO_DATE, description="YYYY-MM-DD"),
) -> Any:
    _government(request)
    item = selectors.item_or_404(request.user, item_id)
    version = item.plan_version
    [row] = selectors.item_rows(
        selectors.with_status_data(type(item).objects.filter(pk=item.pk)),
        _day(as_of, "as_of") or selectors.default_as_of(version),
        selectors.reporting_rules(version),
    )
    return _item_out(row)


@router.get("/items/{int:item_id}/updates", response={200: list[UpdateOut], **READ})
def list_updates(request: HttpRequest, item_id: int) -> Any:
    _government(request)
    item = selectors.item_or_404(request.user, item_id)
    return item.updates.select_related("unit").prefetch_related("milestones_reached")


def _report(
    request: HttpRequest, item_id: int, payload: UpdateIn, evidence: UploadedFile | None = None
) -> ProgressUpdate:
    _government(request)
    with _forbidden_as_403():
        item = selectors.writable_item_or_404(request.user, item_id)
    milestones = list(Milestone.objects.filter(work_item=item, key__in=payload.milestones_reached))
    unknown = set(payload.milestones_reached) - {m.key for m in milestones}
    if unknown:
        raise ValidationError({"milestones_reached": f"unknown milestone keys: {', '.join(sorted(unknown))}"})
    if payload.reported_on is not None and not selectors.is_office(request.user):
        raise PermissionError("Only the office back-fills reports with an earlier date.")
    with _forbidden_as_403():
        return services.progress_report(
            actor=request.user,
            item=item,
            text=payload.text,
            percent=payload.percent,
            milestones_reached=milestones,
            done=payload.done,
            problems=payload.problems,
            evidence=evidence,
            period_key=payload.period_key,
            reported_on=_day(payload.reported_on, "reported_on"),
        )


@router.post("/items/{int:item_id}/updates", response={201: UpdateOut, **WRITE_ERRORS})
def post_update(request: HttpRequest, item_id: int, payload: UpdateIn) -> Any:
    """Report progress on an item your unit leads (JSON; to attach evidence, post the same fields as
    multipart to ``/items/{item_id}/updates/with-evidence``)."""
    return Status(201, _report(request, item_id, payload))


@router.post("/items/{int:item_id}/updates/with-evidence", response={201: UpdateOut, **WRITE_ERRORS})
def post_update_with_evidence(
    request: HttpRequest,
    item_id: int,
    payload: Form[UpdateIn],
    evidence: File[UploadedFile],
) -> Any:
    """Report progress with an evidence file (multipart/form-data): the fields of the JSON report as
    form fields (``milestones_reached`` repeated), the file as ``evidence``. The file must be a PDF, PNG
    or JPG of at most 10 MB, judged by its content; otherwise 422 says why and nothing is filed.
    Another unit's item is a 404; an item your unit only supports as a co-unit is a 403."""
    return Status(201, _report(request, item_id, payload, evidence))


@router.get(
    "/updates/{int:update_id}/evidence",
    response={200: None, **READ},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The evidence file, as an attachment",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in sorted(set(services.EVIDENCE_CONTENT_TYPES.values()))
                },
            }
        }
    },
)
def get_evidence(request: HttpRequest, update_id: int) -> Any:
    """Download the evidence of a progress report on an item you may read; another unit's item (or a
    report without evidence) is a 404."""
    _government(request)
    update = selectors.update_with_evidence_or_404(request.user, update_id)
    response = FileResponse(
        update.evidence.open("rb"),
        as_attachment=True,
        filename=selectors.evidence_filename(update),
        content_type=services.evidence_content_type(update.evidence.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/silent", response={200: list[SilentOut], **READ})
def list_silent(
    request: HttpRequest, as_of: str | None = Query(None, pattern=ISO_DATE, description="YYYY-MM-DD")
) -> Any:
    _government(request)
    version = selectors.plan_version_or_404()
    user: Any = request.user
    rows = selectors.silent_units(version, _day(as_of, "as_of") or selectors.default_as_of(version))
    if user.role == Role.UNIT_OFFICER and not user.is_superuser:
        rows = [r for r in rows if r.unit == user.unit.code]
    return [
        {
            "unit": r.unit,
            "period": r.period.key,
            "item_codes": list(r.item_codes),
            "days_overdue": r.days_overdue,
            "escalation_due": r.escalation_due,
        }
        for r in rows
    ]


@router.get("/escalations", response={200: list[EscalationOut], **READ})
def list_escalations(request: HttpRequest) -> Any:
    _government(request)
    return selectors.escalations(request.user, selectors.plan_version_or_404())


@router.post("/escalations/issue", response={200: list[EscalationOut], **WRITE_ERRORS})
def issue_escalations(
    request: HttpRequest, today: str | None = Query(None, pattern=ISO_DATE, description="YYYY-MM-DD")
) -> Any:
    """Issue the escalations (督办) due (idempotent)."""
    with _forbidden_as_403():
        if not selectors.is_office(request.user):
            raise PermissionDenied("only the leading-group office issues escalations")
        version = selectors.plan_version_or_404()
        return services.escalations_issue(
            actor=request.user,
            version=version,
            today=_day(today, "today") or selectors.default_as_of(version),
        )


@router.post("/escalations/{int:escalation_id}/reply", response={200: EscalationOut, **WRITE_ERRORS})
def reply_escalation(request: HttpRequest, escalation_id: int, payload: ReplyIn) -> Any:
    _government(request)
    escalation = selectors.escalation_or_404(request.user, escalation_id)
    with _forbidden_as_403():
        return services.escalation_reply(actor=request.user, escalation=escalation, text=payload.reply)


@router.get("/bulletins", response={200: list[BulletinOut], **READ})
def list_bulletins(request: HttpRequest) -> Any:
    _government(request)
    rows = selectors.bulletins(selectors.plan_version_or_404())
    return rows if selectors.is_office(request.user) else rows.filter(state=Bulletin.State.ISSUED)


@router.get("/bulletins/{int:bulletin_id}", response={200: BulletinDetailOut, **READ})
def get_bulletin(request: HttpRequest, bulletin_id: int) -> Any:
    _government(request)
    found = selectors.bulletin_or_404(bulletin_id)
    if not found.is_issued and not selectors.is_office(request.user):
        raise Http404
    return {
        "id": found.pk,
        "period_key": found.period_key,
        "as_of": found.as_of,
        "state": found.state,
        "issued_at": found.issued_at,
        "document": found.document or document_to_dict(bulletins.document_for(found)),
        "data": found.data,
    }


@router.get("/assessment", response={200: list[AssessmentOut], **READ})
def get_assessment(
    request: HttpRequest, as_of: str | None = Query(None, pattern=ISO_DATE, description="YYYY-MM-DD")
) -> Any:
    user: Any = request.user
    if not (user.is_superuser or user.role in (Role.CITY_ADMIN, Role.LEADER)):
        raise PermissionError("The assessment is shown to the office and city leaders.")
    version = selectors.plan_version_or_404()
    day = _day(as_of, "as_of") or selectors.default_as_of(version)
    out = []
    for kind in assessing.plan_subjects(version):
        result = assessing.run(version, kind, day)
        out.append(
            {
                "subjects": kind,
                "as_of": day,
                "results": [
                    {
                        "subject": r.subject,
                        "name": result.names.get(r.subject, r.subject),
                        "rank": r.rank,
                        "total": r.total,
                        "breakdown": [
                            {
                                "criterion": s.criterion.code,
                                "weight": s.criterion.weight,
                                "raw": s.raw,
                                "score": s.score,
                                "points": s.points,
                            }
                            for s in r.breakdown
                        ],
                    }
                    for r in result.ranking.results
                ],
                "not_assessed": [c.code for c in result.not_assessed],
            }
        )
    return out
