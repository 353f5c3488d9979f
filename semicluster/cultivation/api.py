"""REST endpoints for cultivation: crossings, watch list, designations, the innovation-leader library.

Same selectors and services as the pages, so scoping and role rules are identical.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import get_visible_or_404
from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS, BoundedPagination
from semicluster.cultivation import selectors, services
from semicluster.cultivation.models import ExitFlag, LeaderCandidate, LeaderMember, LeaderReview, LeaderRound
from semicluster.enterprises.models import Enterprise

API_PREFIX = "/cultivation"
router = Router(tags=["cultivation"])


class CultivationCrossingOut(Schema):
    enterprise: int
    enterprise_name: str
    year: int
    level: str
    revenue: Decimal
    previous_revenue: Decimal | None
    provisional_month: int | None


class CultivationCloseBelowOut(Schema):
    enterprise: int
    enterprise_name: str
    level: str
    revenue: Decimal
    gap: Decimal
    gap_pct: Decimal


class CultivationWarningOut(Schema):
    enterprise: int
    enterprise_name: str
    kind: str
    year: int
    revenue: Decimal
    previous_revenue: Decimal
    change_pct: Decimal
    message: str


class CultivationDesignationOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    designation_type: str = Field(..., alias="designation_type.code")
    level: str
    authority: str
    granted: dt.date
    expires: dt.date | None
    evidence: str


class CultivationWatchOut(Schema):
    year: int
    close_below: list[CultivationCloseBelowOut]
    declining: list[CultivationWarningOut]
    expiring: list[CultivationDesignationOut]
    expired: list[CultivationDesignationOut]


class CultivationDesignationPatch(Schema):
    level: str | None = Field(None, max_length=20)
    authority: str | None = Field(None, max_length=120)
    granted: dt.date | None = None
    expires: dt.date | None = None
    evidence: str | None = Field(None, max_length=200)


class CultivationMemberOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    area: str = Field(..., alias="enterprise.area.code")
    admission_round: int = Field(..., alias="admission_round_id")
    admitted_on: dt.date
    exited_on: dt.date | None
    exit_reason: str


class CultivationProgressOut(Schema):
    members: int
    target: int
    share_pct: Decimal
    remaining: int
    by_area: dict[str, int]
    by_segment: dict[str, int]


class CultivationRoundOut(Schema):
    id: int
    name: str
    data_year: int
    status: str
    published_on: dt.date | None


class CultivationRoundIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    data_year: int = Field(..., ge=2000, le=2100)


class CultivationDeclaredIn(Schema):
    invention_patents: int | None = Field(None, ge=0, le=10_000_000)
    rd_staff: int | None = Field(None, ge=0, le=10_000_000)
    own_brand_revenue: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    local_customers: int | None = Field(None, ge=0, le=10_000_000)
    local_suppliers: int | None = Field(None, ge=0, le=10_000_000)


class CultivationCandidateIn(Schema):
    enterprise: int = Field(..., ge=1, le=2_147_483_647)
    declared: CultivationDeclaredIn | None = None
    statement: str = Field("", max_length=4000)


class CultivationCandidateOut(Schema):
    id: int
    round: int = Field(..., alias="round_id")
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    origin: str
    declared: dict[str, str]
    score: Decimal | None
    passes_bars: bool
    adjustment: Decimal
    adjustment_reason: str
    decision: str
    decision_reason: str


class CultivationCandidateDetailOut(CultivationCandidateOut):
    facts: dict[str, str | None]
    evidence: dict[str, Any]


class CultivationAdjustIn(Schema):
    adjustment: Decimal = Field(..., max_digits=6, decimal_places=2)
    reason: str = Field("", max_length=4000)


class CultivationDecisionIn(Schema):
    decision: Literal["admit", "reject"]
    reason: str = Field("", max_length=4000)


class CultivationReviewIn(Schema):
    data_year: int = Field(..., ge=2000, le=2100)


class CultivationReviewOut(Schema):
    id: int
    data_year: int
    run_on: dt.date
    members_reviewed: int


class CultivationFlagOut(Schema):
    id: int
    review: int = Field(..., alias="review_id")
    member: int = Field(..., alias="member_id")
    enterprise: int = Field(..., alias="member.enterprise_id")
    score: Decimal
    reasons: list[dict[str, str]]
    resolution: str
    resolution_reason: str


class CultivationFlagResolveIn(Schema):
    resolution: Literal["exit", "retain"]
    reason: str = Field(..., min_length=1, max_length=4000)


def _message(message: Any) -> str:
    return f"{message.zh} / {message.en}"


@router.get("/crossings", response={200: list[CultivationCrossingOut], **READ_ERRORS})
def list_crossings(request: HttpRequest, year: int = Query(..., ge=1990, le=2100)) -> Any:
    """Threshold crossings (新增超10亿/50亿) of ``year``; provisional ones read year-to-date figures."""
    return [
        {
            "enterprise": c.enterprise.pk,
            "enterprise_name": c.enterprise.name,
            "year": c.event.year,
            "level": c.event.level.code.value,
            "revenue": c.event.revenue,
            "previous_revenue": c.event.previous_revenue,
            "provisional_month": c.provisional_month,
        }
        for c in selectors.crossings(user=request.user, year=year)
    ]


@router.get("/watch", response={200: CultivationWatchOut, **READ_ERRORS})
def watch(
    request: HttpRequest,
    year: int | None = Query(None, ge=1990, le=2100),
    days: int = Query(90, ge=1, le=3650),
) -> Any:
    result = selectors.watch_list(user=request.user, year=year, days=days)
    return {
        "year": result.year,
        "close_below": [
            {
                "enterprise": firm.pk,
                "enterprise_name": firm.name,
                "level": c.level.code.value,
                "revenue": c.revenue,
                "gap": c.gap,
                "gap_pct": c.gap_pct,
            }
            for firm, c in result.close
        ],
        "declining": [
            {
                "enterprise": firm.pk,
                "enterprise_name": firm.name,
                "kind": w.kind.value,
                "year": w.year,
                "revenue": w.revenue,
                "previous_revenue": w.previous_revenue,
                "change_pct": w.change_pct,
                "message": _message(w.message),
            }
            for firm, w in result.declining
        ],
        "expiring": result.expiring,
        "expired": result.expired,
    }


@router.get("/designations/expiring", response={200: list[CultivationDesignationOut], **READ_ERRORS})
@paginate(BoundedPagination)
def designations_expiring(request: HttpRequest, days: int = Query(90, ge=1, le=3650)) -> Any:
    return selectors.designation_expiry(user=request.user, days=days)[0]


@router.get("/designations/expired", response={200: list[CultivationDesignationOut], **READ_ERRORS})
@paginate(BoundedPagination)
def designations_expired(request: HttpRequest) -> Any:
    return selectors.designation_expiry(user=request.user)[1]


@router.patch("/designations/{int:designation_id}", response={200: CultivationDesignationOut, **WRITE_ERRORS})
def update_designation(
    request: HttpRequest, designation_id: int, payload: CultivationDesignationPatch
) -> Any:
    designation = selectors.designation_detail(user=request.user, pk=designation_id)
    user: Any = request.user
    if not (user.is_superuser or user.role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER)):  # as the edit page
        raise PermissionError("Designations are kept by the office and district officers.")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "expires"}
    return services.designation_update(actor=request.user, designation=designation, data=data)


@router.get("/library/members", response={200: list[CultivationMemberOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_members(request: HttpRequest, active: bool = True) -> Any:
    return selectors.members(user=request.user, active=active).order_by("id")


@router.get("/library/progress", response={200: CultivationProgressOut, **READ_ERRORS})
def library_progress(
    request: HttpRequest, as_of: str | None = Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
) -> Any:
    """Library size on ``as_of`` (YYYY-MM-DD, default today) against the plan's target."""
    try:
        on = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise ValidationError({"as_of": "日期无效 / not a valid date"}) from exc
    progress = selectors.library_progress(user=request.user, as_of=on)
    return {
        "members": progress.members,
        "target": progress.target,
        "share_pct": progress.share_pct,
        "remaining": progress.remaining,
        "by_area": dict(progress.by_area),
        "by_segment": dict(progress.by_segment),
    }


@router.get("/rounds", response={200: list[CultivationRoundOut], **READ_ERRORS})
def list_rounds(request: HttpRequest) -> Any:
    return list(LeaderRound.objects.order_by("-created_at"))


@router.post("/rounds", response={201: CultivationRoundOut, **WRITE_ERRORS})
def open_round(request: HttpRequest, payload: CultivationRoundIn) -> Any:
    return Status(201, services.round_open(actor=request.user, **payload.dict()))


@router.get("/rounds/{int:round_id}/candidates", response={200: list[CultivationCandidateOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_candidates(request: HttpRequest, round_id: int) -> Any:
    round = get_object_or_404(LeaderRound, pk=round_id)
    return selectors.candidates(user=request.user, round=round).order_by("id")


@router.post("/rounds/{int:round_id}/candidates", response={201: CultivationCandidateOut, **WRITE_ERRORS})
def add_candidate(request: HttpRequest, round_id: int, payload: CultivationCandidateIn) -> Any:
    """An application (enterprise users, own firm) or a proposal (officers, own area). Another
    scope's enterprise is a 404."""
    round = get_object_or_404(LeaderRound, pk=round_id)
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, pk=payload.enterprise)
    declared = {
        k: v for k, v in (payload.declared.dict() if payload.declared else {}).items() if v is not None
    }
    candidate = services.candidate_add(
        actor=request.user, round=round, enterprise=enterprise, declared=declared, statement=payload.statement
    )
    return Status(201, candidate)


@router.post("/rounds/{int:round_id}/score", response={200: CultivationRoundOut, **WRITE_ERRORS})
def score_round(request: HttpRequest, round_id: int) -> Any:
    round = get_object_or_404(LeaderRound, pk=round_id)
    services.round_score(actor=request.user, round=round)
    return round


@router.post("/rounds/{int:round_id}/publish", response={200: list[CultivationMemberOut], **WRITE_ERRORS})
def publish_round(request: HttpRequest, round_id: int) -> Any:
    round = get_object_or_404(LeaderRound, pk=round_id)
    members = services.round_publish(actor=request.user, round=round)
    return list(
        LeaderMember.objects.filter(pk__in=[m.pk for m in members]).select_related("enterprise__area")
    )


@router.get("/candidates/{int:candidate_id}", response={200: CultivationCandidateDetailOut, **READ_ERRORS})
def get_candidate(request: HttpRequest, candidate_id: int) -> Any:
    return selectors.candidate_detail(user=request.user, pk=candidate_id)


@router.post("/candidates/{int:candidate_id}/adjust", response={200: CultivationCandidateOut, **WRITE_ERRORS})
def adjust_candidate(request: HttpRequest, candidate_id: int, payload: CultivationAdjustIn) -> Any:
    candidate = selectors.candidate_detail(user=request.user, pk=candidate_id)
    return services.candidate_adjust(
        actor=request.user, candidate=candidate, adjustment=payload.adjustment, reason=payload.reason
    )


@router.post(
    "/candidates/{int:candidate_id}/decision", response={200: CultivationCandidateOut, **WRITE_ERRORS}
)
def decide_candidate(request: HttpRequest, candidate_id: int, payload: CultivationDecisionIn) -> Any:
    candidate: LeaderCandidate = selectors.candidate_detail(user=request.user, pk=candidate_id)
    return services.candidate_decide(
        actor=request.user, candidate=candidate, admit=payload.decision == "admit", reason=payload.reason
    )


@router.get("/reviews", response={200: list[CultivationReviewOut], **READ_ERRORS})
def list_reviews(request: HttpRequest) -> Any:
    return list(LeaderReview.objects.order_by("-run_on", "-id"))


@router.post("/reviews", response={201: CultivationReviewOut, **WRITE_ERRORS})
def run_review(request: HttpRequest, payload: CultivationReviewIn) -> Any:
    return Status(201, services.review_run(actor=request.user, data_year=payload.data_year))


@router.get("/reviews/{int:review_id}/flags", response={200: list[CultivationFlagOut], **READ_ERRORS})
def list_flags(request: HttpRequest, review_id: int) -> Any:
    review = get_object_or_404(LeaderReview, pk=review_id)
    return list(selectors.flags(user=request.user, review=review))


@router.post("/flags/{int:flag_id}/resolve", response={200: CultivationFlagOut, **WRITE_ERRORS})
def resolve_flag(request: HttpRequest, flag_id: int, payload: CultivationFlagResolveIn) -> Any:
    flag: ExitFlag = selectors.flag_detail(user=request.user, pk=flag_id)
    return services.flag_resolve(
        actor=request.user, flag=flag, exit=payload.resolution == "exit", reason=payload.reason
    )
