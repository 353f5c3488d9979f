"""REST endpoints for the enterprise library. Same selectors and services as the web views."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import can_write, get_visible_or_404, visible_to
from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS, BoundedPagination
from semicluster.enterprises import selectors, services
from semicluster.enterprises.models import Designation, Enterprise, PeriodValue, Source
from semicluster.plans.models import Area, ChainNode, DesignationType, Town

API_PREFIX = "/enterprises"
router = Router(tags=["enterprises"])

MeasureCode = Literal["revenue", "output", "profit", "tax", "employees", "rd", "investment", "exports"]


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    name_en: str
    area: str = Field(..., alias="area.code")
    town: str = Field(..., alias="town.code")
    primary_node: str = Field(..., alias="primary_node.code")
    industry_code: str
    classification_version: str
    ownership: str
    listing_board: str
    stock_code: str
    group_name: str
    is_idm: bool
    key_products: str
    founded: dt.date | None
    tier: str
    tier_year: int | None


class EnterpriseDetailOut(EnterpriseOut):
    secondary_nodes: list[str]

    @staticmethod
    def resolve_secondary_nodes(obj: Enterprise) -> list[str]:
        return [node.code for node in obj.secondary_nodes.all()]


class EnterpriseIn(Schema):
    credit_code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    town: str = Field(..., description="Town code; the plan area follows from it")
    primary_node: str
    secondary_nodes: list[str] = []
    industry_code: str = Field("", max_length=8)
    ownership: Literal["state", "private", "foreign", "hmt", "joint", "collective"]
    listing_board: Literal["", "main", "chinext", "star", "bse", "hk", "overseas"] = ""
    stock_code: str = Field("", max_length=16)
    group_name: str = Field("", max_length=200, description="The enterprise group (集团) it belongs to")
    is_idm: bool = False
    key_products: str = ""
    founded: dt.date | None = None


class EnterprisePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    town: str | None = None
    primary_node: str | None = None
    secondary_nodes: list[str] | None = None
    industry_code: str | None = Field(None, max_length=8)
    ownership: Literal["state", "private", "foreign", "hmt", "joint", "collective"] | None = None
    listing_board: Literal["", "main", "chinext", "star", "bse", "hk", "overseas"] | None = None
    stock_code: str | None = Field(None, max_length=16)
    group_name: str | None = Field(None, max_length=200)
    is_idm: bool | None = None
    key_products: str | None = None
    founded: dt.date | None = None


class EnterpriseFilterIn(Schema):
    q: str = ""
    area: str = ""
    town: str = ""
    segment: str = ""
    node: str = ""
    tier: str = ""
    designation: str = ""
    ordering: Literal["name", "-name", "credit_code", "-credit_code", "id", "-id"] = "name"


class PeriodValueOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    measure: str
    year: int
    period_type: str
    period: int
    basis: str
    value: Decimal
    source: str
    source_ref: str


class PeriodValueIn(Schema):
    measure: MeasureCode
    year: int = Field(..., ge=1990, le=2100)
    period_type: Literal["M", "Q", "A"]
    period: int = Field(..., ge=0, le=12)
    basis: Literal["ytd", "single"] = "ytd"
    value: Decimal = Field(..., max_digits=20, decimal_places=2)


class DesignationOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    designation_type: str = Field(..., alias="designation_type.code")
    level: str
    authority: str
    granted: dt.date
    expires: dt.date | None


class DesignationIn(Schema):
    designation_type: str
    granted: dt.date
    expires: dt.date | None = None
    evidence: str = Field("", max_length=200)


def _require_write(request: HttpRequest, model: type) -> None:
    if not can_write(model, request.user):
        raise PermissionError("Your role may not change these records.")


def _lookup(model: Any, field: str, code: str) -> Any:
    queryset = model if hasattr(model, "filter") else model.objects
    found = queryset.filter(code=code).first()
    if found is None:
        raise ValidationError({field: f"unknown {field} code {code!r}"})
    return found


def _resolve(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "town" in data and data["town"] is not None:
        town = _lookup(Town.objects.select_related("area"), "town", data["town"])
        data["town"], data["area"] = town, town.area
        user = request.user
        if getattr(user, "role", None) == Role.DISTRICT_OFFICER and town.area_id != getattr(
            user, "area_id", None
        ):
            raise ValidationError(
                {"town": "district officers may only register enterprises of their own area"}
            )
    if data.get("primary_node") is not None:
        data["primary_node"] = _lookup(ChainNode, "primary_node", data["primary_node"])
    if data.get("secondary_nodes") is not None:
        data["secondary_nodes"] = [_lookup(ChainNode, "secondary_nodes", c) for c in data["secondary_nodes"]]
    return data


@router.get("/", response={200: list[EnterpriseOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_enterprises(request: HttpRequest, filters: Query[EnterpriseFilterIn]) -> Any:
    params = filters.dict()
    ordering = params.pop("ordering")
    return selectors.enterprise_list(
        user=request.user, filters=selectors.EnterpriseFilters(**params)
    ).order_by(ordering)


@router.get("/{int:enterprise_id}", response={200: EnterpriseDetailOut, **READ_ERRORS})
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Any:
    return selectors.enterprise_detail(user=request.user, pk=enterprise_id)


@router.post("/", response={201: EnterpriseDetailOut, **WRITE_ERRORS})
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Any:
    _require_write(request, Enterprise)
    if request.user.role == Role.ENTERPRISE_USER:  # type: ignore[union-attr]
        raise PermissionError("Enterprise users cannot register other enterprises.")
    result = services.enterprise_save(actor=request.user, data=_resolve(request, payload.dict()))
    return Status(201, result.instance)


@router.patch("/{int:enterprise_id}", response={200: EnterpriseDetailOut, **WRITE_ERRORS})
def update_enterprise(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch) -> Any:
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, pk=enterprise_id)
    _require_write(request, Enterprise)
    given = payload.dict(exclude_unset=True)
    placing = sorted(set(given) & {"town", "primary_node", "secondary_nodes"})
    if placing and getattr(request.user, "role", None) == Role.ENTERPRISE_USER:
        # Where a firm sits (area, town, chain node) decides who oversees it and which goals it counts
        # in: the district officer or the city records it, not the firm itself.
        raise PermissionError(
            f"企业用户不能修改 {', '.join(placing)}，请联系所在区 / an enterprise user cannot change "
            f"{', '.join(placing)}; ask the district office"
        )
    data = _resolve(request, given)
    return services.enterprise_save(actor=request.user, data=data, instance=enterprise).instance


@router.get("/{int:enterprise_id}/values", response={200: list[PeriodValueOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_values(
    request: HttpRequest, enterprise_id: int, measure: MeasureCode | None = None, year: int | None = None
) -> Any:
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, pk=enterprise_id)
    values = visible_to(PeriodValue.objects.filter(enterprise=enterprise), request.user)
    if measure:
        values = values.filter(measure=measure)
    if year:
        values = values.filter(year=year)
    return values.order_by("measure", "year", "period_type", "period")


@router.put("/{int:enterprise_id}/values", response={200: PeriodValueOut, **WRITE_ERRORS})
def put_value(request: HttpRequest, enterprise_id: int, payload: PeriodValueIn) -> Any:
    """Record one reported figure (idempotent: the same figure again changes nothing)."""
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, pk=enterprise_id)
    _require_write(request, PeriodValue)
    period_ranges = {"A": (0, 0), "Q": (1, 4), "M": (1, 12)}
    low, high = period_ranges[payload.period_type]
    if not low <= payload.period <= high:
        raise ValidationError(
            {"period": f"period must be {low}–{high} for period type {payload.period_type}"}
        )
    result = services.period_value_record(
        actor=request.user, enterprise=enterprise, source=Source.API, source_ref="api", **payload.dict()
    )
    return result.instance


@router.get("/{int:enterprise_id}/designations", response={200: list[DesignationOut], **READ_ERRORS})
def list_designations(request: HttpRequest, enterprise_id: int) -> Any:
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, pk=enterprise_id)
    return Designation.objects.filter(enterprise=enterprise).select_related("designation_type")


@router.post("/{int:enterprise_id}/designations", response={201: DesignationOut, **WRITE_ERRORS})
def add_designation(request: HttpRequest, enterprise_id: int, payload: DesignationIn) -> Any:
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, pk=enterprise_id)
    _require_write(request, Designation)
    if request.user.role == Role.ENTERPRISE_USER:  # type: ignore[union-attr]
        raise PermissionError("Designations are recorded by the office and district officers.")
    kind = _lookup(DesignationType, "designation_type", payload.designation_type)
    data = payload.dict(exclude={"designation_type"})
    designation = services.designation_grant(
        actor=request.user, enterprise=enterprise, designation_type=kind, **data
    )
    return Status(201, designation)


@router.get("/areas", response={200: list[dict[str, str]], **READ_ERRORS}, tags=["reference"])
def list_areas(request: HttpRequest) -> Any:
    return [{"code": a.code, "name": a.name, "name_en": a.name_en} for a in Area.objects.order_by("sort")]
