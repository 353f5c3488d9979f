"""REST endpoints for financing needs and the listing pipeline (same selectors and services as the pages)."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from semicluster.accounts.scoping import get_visible_or_404
from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS, BoundedPagination
from semicluster.enterprises.models import Enterprise
from semicluster.finance import selectors, services

API_PREFIX = "/finance"
router = Router(tags=["finance"])

InstrumentCode = Literal["credit", "guarantee", "lease", "equity"]
NeedStatus = Literal["submitted", "matching", "matched", "funded", "declined", "withdrawn"]
StageCode = Literal["tutoring", "filing", "accepted", "approved", "listed"]
BoardCode = Literal["main", "chinext", "star", "bse"]
ID = Field(..., ge=1, le=2_147_483_647)


class FinanceNeedOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    amount: Decimal
    instrument: str
    purpose: str
    submitted_on: dt.date
    status: str
    provider: str
    funded_amount: Decimal | None
    outcome: str
    closed_on: dt.date | None


class FinanceNeedIn(Schema):
    enterprise: int = ID
    amount: Decimal = Field(..., gt=0, max_digits=20, decimal_places=2)
    instrument: InstrumentCode
    purpose: str = Field(..., min_length=1, max_length=300)
    submitted_on: dt.date


class FinanceNeedPatch(Schema):
    amount: Decimal | None = Field(None, gt=0, max_digits=20, decimal_places=2)
    instrument: InstrumentCode | None = None
    purpose: str | None = Field(None, min_length=1, max_length=300)
    status: NeedStatus | None = None
    provider: str | None = Field(None, max_length=200)
    funded_amount: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    outcome: str | None = Field(None, max_length=4000)
    closed_on: dt.date | None = None


class FinanceListingOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    board: str
    stage: str
    sponsor: str
    tutoring_on: dt.date | None
    filed_on: dt.date | None
    accepted_on: dt.date | None
    approved_on: dt.date | None
    listed_on: dt.date | None
    stock_code: str


class FinanceListingIn(Schema):
    enterprise: int = ID
    board: BoardCode
    stage: StageCode = "tutoring"
    sponsor: str = Field("", max_length=200)
    tutoring_on: dt.date | None = None
    filed_on: dt.date | None = None
    accepted_on: dt.date | None = None
    approved_on: dt.date | None = None
    listed_on: dt.date | None = None
    stock_code: str = Field("", max_length=16)
    note: str = Field("", max_length=4000)


class FinanceListingPatch(Schema):
    stage: StageCode | None = None
    sponsor: str | None = Field(None, max_length=200)
    tutoring_on: dt.date | None = None
    filed_on: dt.date | None = None
    accepted_on: dt.date | None = None
    approved_on: dt.date | None = None
    listed_on: dt.date | None = None
    stock_code: str | None = Field(None, max_length=16)
    note: str | None = Field(None, max_length=4000)


class FinanceStageCount(Schema):
    stage: str
    label: str
    count: int


@router.get("/needs", response={200: list[FinanceNeedOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_needs(
    request: HttpRequest, status: NeedStatus | None = None, instrument: InstrumentCode | None = None
) -> Any:
    return selectors.needs(user=request.user, status=status or "", instrument=instrument or "").order_by("id")


@router.get("/needs/{int:need_id}", response={200: FinanceNeedOut, **READ_ERRORS})
def get_need(request: HttpRequest, need_id: int) -> Any:
    return selectors.need_detail(user=request.user, pk=need_id)


@router.post("/needs", response={201: FinanceNeedOut, **WRITE_ERRORS})
def create_need(request: HttpRequest, payload: FinanceNeedIn) -> Any:
    data = payload.dict()
    data["enterprise"] = get_visible_or_404(Enterprise.objects.all(), request.user, pk=data["enterprise"])
    return Status(201, services.need_save(actor=request.user, data=data))


@router.patch("/needs/{int:need_id}", response={200: FinanceNeedOut, **WRITE_ERRORS})
def update_need(request: HttpRequest, need_id: int, payload: FinanceNeedPatch) -> Any:
    need = selectors.need_detail(user=request.user, pk=need_id)
    data = payload.dict(exclude_unset=True)
    return services.need_save(actor=request.user, data=data, instance=need)


@router.get("/listings", response={200: list[FinanceListingOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_listings(
    request: HttpRequest, stage: StageCode | None = None, board: BoardCode | None = None
) -> Any:
    return selectors.listings(user=request.user, stage=stage or "", board=board or "").order_by("id")


@router.get("/listings/counts", response={200: list[FinanceStageCount], **READ_ERRORS})
def listing_counts(request: HttpRequest) -> Any:
    return [
        {"stage": s, "label": label, "count": n}
        for s, label, n in selectors.listing_counts(user=request.user)
    ]


@router.get("/listings/{int:listing_id}", response={200: FinanceListingOut, **READ_ERRORS})
def get_listing(request: HttpRequest, listing_id: int) -> Any:
    return selectors.listing_detail(user=request.user, pk=listing_id)


@router.post("/listings", response={201: FinanceListingOut, **WRITE_ERRORS})
def create_listing(request: HttpRequest, payload: FinanceListingIn) -> Any:
    data = payload.dict()
    data["enterprise"] = get_visible_or_404(Enterprise.objects.all(), request.user, pk=data["enterprise"])
    return Status(201, services.listing_save(actor=request.user, data=data))


@router.patch("/listings/{int:listing_id}", response={200: FinanceListingOut, **WRITE_ERRORS})
def update_listing(request: HttpRequest, listing_id: int, payload: FinanceListingPatch) -> Any:
    record = selectors.listing_detail(user=request.user, pk=listing_id)
    return services.listing_save(actor=request.user, data=payload.dict(exclude_unset=True), instance=record)
