"""REST endpoints for support programs, applications and the budget ledger. Same selectors and services
as the web views: another scope's application is a 404, a step the role may not take a 403, a duplicate
claim a 409 naming the earlier application."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import get_visible_or_404
from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS, BoundedPagination, ErrorOut
from semicluster.enterprises.models import Enterprise
from semicluster.support import explain, selectors, services
from semicluster.support.awards import fen
from semicluster.support.models import Application, Source
from semicluster.support.programs import current_programs
from semicluster.support.rules import SupportProgram

API_PREFIX = "/support"
router = Router(tags=["support"])

StatusCode = Literal[
    "draft", "submitted", "pre_reviewed", "reviewed", "returned", "approved", "rejected", "disbursed"
]


class NamedItemOut(Schema):
    code: str
    name: str
    name_en: str


class RuleOut(Schema):
    code: str
    name: str
    name_en: str
    basis: str
    rate_percent: Decimal | None
    yuan_per_wafer: Decimal | None
    cap_per_item: Decimal | None
    cap_per_firm_year: Decimal | None


class ProgramOut(Schema):
    code: str
    name: str
    name_en: str
    year: int | None
    source: str
    example_values: bool
    example_note: str
    application_window: list[dt.date]
    annual_budget: Decimal
    cap_per_item: Decimal | None
    cap_per_firm_program_year: Decimal | None
    cap_per_firm_all_programs_year: Decimal | None
    eligible_cost_items: list[NamedItemOut]
    priority_fields: list[NamedItemOut]
    rules: list[RuleOut]


def _fen(value: Decimal | None) -> Decimal | None:
    return None if value is None else fen(value)


def _program_out(p: SupportProgram) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "name_en": p.name_en,
        "year": p.year,
        "source": p.source,
        "example_values": p.example_values,
        "example_note": p.example_note,
        "application_window": [p.application_window.start, p.application_window.end],
        "annual_budget": fen(p.annual_budget),
        "cap_per_item": _fen(p.caps.per_item),
        "cap_per_firm_program_year": _fen(p.caps.per_firm_program_year),
        "cap_per_firm_all_programs_year": _fen(p.caps.per_firm_all_programs_year),
        "eligible_cost_items": [vars(i) for i in p.eligible_cost_items],
        "priority_fields": [vars(i) for i in p.priority_fields],
        "rules": [
            {
                "code": r.code,
                "name": r.name,
                "name_en": r.name_en,
                "basis": r.basis.value,
                "rate_percent": r.rate_percent,
                "yuan_per_wafer": r.yuan_per_wafer,
                "cap_per_item": _fen(r.cap_per_item),
                "cap_per_firm_year": _fen(r.cap_per_firm_year),
            }
            for r in p.rules
        ],
    }


class CostIn(Schema):
    item: str = Field(..., max_length=40)
    description: str = Field("", max_length=200)
    amount: Decimal = Field(..., gt=0, max_digits=20, decimal_places=2)
    invoice_code: str = Field("", max_length=20)
    invoice_number: str = Field(..., min_length=1, max_length=30)
    contract_ref: str = Field("", max_length=80)


class CostOut(Schema):
    item: str
    description: str
    amount: Decimal
    invoice_code: str
    invoice_number: str
    contract_ref: str


class FactsIn(Schema):
    foundry: str = Field(..., min_length=1, max_length=120)
    foundry_location: Literal["domestic", "overseas"]
    local_fab: bool = False
    process_node_nm: Decimal = Field(..., gt=0, max_digits=8, decimal_places=2)
    wafer_size_mm: Literal[150, 200, 300]
    wafer_count: int = Field(..., ge=1, le=1_000_000)
    tapeout_date: dt.date
    product: str = Field(..., min_length=1, max_length=120)
    product_field: str = Field("", max_length=60)
    mask: Literal["mpw", "full_mask"]
    substrate: Literal["", "silicon", "compound"] = ""
    is_sensor: bool = False
    first_tapeout: bool = False


class ApplicationIn(FactsIn):
    program_code: str = Field(..., max_length=80)
    enterprise: int | None = Field(
        None, description="Only the city admin names the firm; others apply for their own"
    )
    costs: list[CostIn] = Field(..., min_length=1, max_length=50)


class ApplicationPatch(Schema):
    foundry: str | None = Field(None, min_length=1, max_length=120)
    foundry_location: Literal["domestic", "overseas"] | None = None
    local_fab: bool | None = None
    process_node_nm: Decimal | None = Field(None, gt=0, max_digits=8, decimal_places=2)
    wafer_size_mm: Literal[150, 200, 300] | None = None
    wafer_count: int | None = Field(None, ge=1, le=1_000_000)
    tapeout_date: dt.date | None = None
    product: str | None = Field(None, min_length=1, max_length=120)
    product_field: str | None = Field(None, max_length=60)
    mask: Literal["mpw", "full_mask"] | None = None
    substrate: Literal["", "silicon", "compound"] | None = None
    is_sensor: bool | None = None
    first_tapeout: bool | None = None
    costs: list[CostIn] | None = Field(None, min_length=1, max_length=50)


class ApplicationOut(Schema):
    id: int
    number: str | None
    enterprise: int = Field(..., alias="enterprise_id")
    area: str = Field(..., alias="enterprise.area.code")
    program_code: str
    year: int
    status: str
    foundry: str
    foundry_location: str
    local_fab: bool
    process_node_nm: Decimal
    wafer_size_mm: int
    wafer_count: int
    tapeout_date: dt.date
    product: str
    product_field: str
    mask: str
    substrate: str
    is_sensor: bool
    first_tapeout: bool
    applied_on: dt.date | None
    computed_amount: Decimal | None
    award_amount: Decimal | None
    override_amount: Decimal | None
    override_reason: str
    override_by_name: str
    over_budget: bool
    disbursed_amount: Decimal | None
    disbursed_on: dt.date | None


class StepOut(Schema):
    at: dt.datetime
    action: str
    actor_name: str
    from_status: str
    to_status: str
    reason: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class ApplicationDetailOut(ApplicationOut):
    decision_reason: str
    costs: list[CostOut]
    attachments: list[AttachmentOut]
    steps: list[StepOut]

    @staticmethod
    def resolve_costs(obj: Application) -> list[Any]:
        return list(obj.costs.all())

    @staticmethod
    def resolve_attachments(obj: Application) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_steps(obj: Application) -> list[Any]:
        return list(obj.steps.all())


class ApplicationFilterIn(Schema):
    status: StatusCode | None = None
    program: str = ""
    area: str = ""
    year: int | None = Field(None, ge=2000, le=2100)
    q: str = ""


class ReviewIn(Schema):
    passed: bool
    reason: str = Field("", max_length=2000)


class DecideIn(Schema):
    outcome: Literal["approve", "return", "reject"]
    reason: str = Field(..., min_length=1, max_length=2000)
    confirm_over_budget: bool = False


class OverrideIn(Schema):
    amount: Decimal = Field(..., ge=0, max_digits=20, decimal_places=2)
    reason: str = Field(..., min_length=1, max_length=2000)


class DisburseIn(Schema):
    paid_on: dt.date
    reference: str = Field(..., min_length=1, max_length=80)


class LedgerOut(Schema):
    program_code: str
    year: int
    budget: Decimal
    committed: Decimal
    disbursed: Decimal
    remaining: Decimal
    pending: int
    example_values: bool


ACTION_ERRORS = {**WRITE_ERRORS, 409: ErrorOut}


def _detail(request: HttpRequest, application_id: int) -> Application:
    return selectors.application_detail(user=request.user, pk=application_id)


@router.get("/programs", response={200: list[ProgramOut], **READ_ERRORS})
def list_programs(request: HttpRequest) -> Any:
    """The current plan's support programs, with their award rules, caps and budget."""
    _version, programs = current_programs()
    return [_program_out(p) for p in programs.values()]


@router.get("/applications", response={200: list[ApplicationOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilterIn]) -> Any:
    params = {k: v for k, v in filters.dict().items() if v}
    return selectors.application_list(user=request.user, filters=selectors.ApplicationFilters(**params))


@router.get("/applications/{int:application_id}", response={200: ApplicationDetailOut, **READ_ERRORS})
def get_application(request: HttpRequest, application_id: int) -> Any:
    return _detail(request, application_id)


@router.get("/applications/{int:application_id}/award", response={200: dict[str, Any], **READ_ERRORS})
def get_award(request: HttpRequest, application_id: int) -> Any:
    """The award explained step by step: as stored at the decision, or a preview with today's figures."""
    application = _detail(request, application_id)
    if application.computation and application.status in ("approved", "rejected", "disbursed"):
        return {"preview": False, **application.computation}
    return {"preview": True, **explain.computation_json(services.award_preview(application))}


@router.post("/applications", response={201: ApplicationDetailOut, **WRITE_ERRORS})
def create_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    user: Any = request.user
    if payload.enterprise is not None and user.role != Role.ENTERPRISE_USER:
        enterprise = get_visible_or_404(Enterprise.objects.all(), user, pk=payload.enterprise)
    elif user.enterprise_id is not None:
        enterprise = user.enterprise
    else:
        raise ValidationError({"enterprise": "name the enterprise applying"})
    data = payload.dict(exclude={"program_code", "enterprise", "costs"})
    application = services.application_create(
        actor=user,
        enterprise=enterprise,
        program_code=payload.program_code,
        data=data,
        costs=[c.dict() for c in payload.costs],
        source=Source.API,
    )
    return Status(201, _detail(request, application.pk))


@router.patch("/applications/{int:application_id}", response={200: ApplicationDetailOut, **WRITE_ERRORS})
def update_application(request: HttpRequest, application_id: int, payload: ApplicationPatch) -> Any:
    application = _detail(request, application_id)
    data = payload.dict(exclude_unset=True)
    costs = data.pop("costs", None)
    services.application_update(actor=request.user, application=application, data=data, costs=costs)
    return _detail(request, application_id)


def _duplicate(exc: services.DuplicateClaim) -> Any:
    return Status(409, {"detail": [{"loc": ["earlier_application", exc.earlier.pk], "msg": exc.messages[0]}]})


@router.post(
    "/applications/{int:application_id}/submit", response={200: ApplicationDetailOut, **ACTION_ERRORS}
)
def submit_application(request: HttpRequest, application_id: int) -> Any:
    application = _detail(request, application_id)
    try:
        services.application_submit(actor=request.user, application=application)
    except services.DuplicateClaim as exc:
        return _duplicate(exc)
    return _detail(request, application_id)


@router.post(
    "/applications/{int:application_id}/pre-review", response={200: ApplicationDetailOut, **WRITE_ERRORS}
)
def pre_review_application(request: HttpRequest, application_id: int, payload: ReviewIn) -> Any:
    application = _detail(request, application_id)
    services.application_pre_review(
        actor=request.user, application=application, passed=payload.passed, reason=payload.reason
    )
    return _detail(request, application_id)


@router.post(
    "/applications/{int:application_id}/review", response={200: ApplicationDetailOut, **WRITE_ERRORS}
)
def review_application(request: HttpRequest, application_id: int, payload: ReviewIn) -> Any:
    application = _detail(request, application_id)
    services.application_review(
        actor=request.user, application=application, passed=payload.passed, reason=payload.reason
    )
    return _detail(request, application_id)


@router.post(
    "/applications/{int:application_id}/decide", response={200: ApplicationDetailOut, **WRITE_ERRORS}
)
def decide_application(request: HttpRequest, application_id: int, payload: DecideIn) -> Any:
    application = _detail(request, application_id)
    services.application_decide(actor=request.user, application=application, **payload.dict())
    return _detail(request, application_id)


@router.post(
    "/applications/{int:application_id}/override", response={200: ApplicationDetailOut, **WRITE_ERRORS}
)
def override_application(request: HttpRequest, application_id: int, payload: OverrideIn) -> Any:
    application = _detail(request, application_id)
    services.application_override(
        actor=request.user, application=application, amount=payload.amount, reason=payload.reason
    )
    return _detail(request, application_id)


@router.post(
    "/applications/{int:application_id}/disburse", response={200: ApplicationDetailOut, **WRITE_ERRORS}
)
def disburse_application(request: HttpRequest, application_id: int, payload: DisburseIn) -> Any:
    application = _detail(request, application_id)
    services.application_disburse(
        actor=request.user, application=application, paid_on=payload.paid_on, reference=payload.reference
    )
    return _detail(request, application_id)


class LedgerFilterIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/ledger", response={200: list[LedgerOut], **WRITE_ERRORS})
def get_ledger(request: HttpRequest, filters: Query[LedgerFilterIn]) -> Any:
    """Budget, committed, disbursed and remaining per program and year (government users only)."""
    if getattr(request.user, "role", None) == Role.ENTERPRISE_USER:
        raise PermissionError("The budget ledger is for government users.")
    return [
        {
            "program_code": r.program_code,
            "year": r.year,
            "budget": r.budget,
            "committed": r.committed,
            "disbursed": r.disbursed,
            "remaining": r.remaining,
            "pending": r.pending,
            "example_values": bool(r.program and r.program.example_values),
        }
        for r in selectors.ledger(year=filters.year)
    ]
