"""REST endpoints for the chain map, investment targets (with landing) and the gaps list."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import get_visible_or_404
from semicluster.chain import selectors, services
from semicluster.core.api_schemas import WRITE_ERRORS, BoundedPagination
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import Area, ChainNode, Town, Unit

API_PREFIX = "/chain"
router = Router(tags=["chain"])

StageCode = Literal["lead", "contacted", "visited", "negotiating", "signed", "landed", "dropped"]


def _government(request: HttpRequest) -> None:
    user = request.user
    if not (
        user.is_superuser
        or getattr(user, "role", None)
        in (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER)
    ):  # type: ignore[union-attr]
        raise PermissionError("Chain and investment data are for government roles.")


class ReasonOut(Schema):
    code: str
    zh: str
    en: str


class NodeOut(Schema):
    code: str
    segment: str
    name: str
    status: str
    reasons: list[ReasonOut]
    priorities: list[str]
    firm_count: int
    firms_with_revenue: int
    revenue: Decimal
    tiers: dict[str, int]
    projects: int
    active_targets: int
    breakpoints: list[tuple[str, str]]
    areas: dict[str, int]


class TargetOut(Schema):
    id: int
    name: str
    name_en: str
    category: str
    country: str
    nodes: list[str]
    supply_items: list[tuple[str, str]]
    estimated_investment: Decimal | None
    intended_area: str | None
    officer: int | None = Field(None, alias="officer_id")
    responsible_unit: str | None
    stage: str
    stage_on: dt.date
    drop_reason: str
    project: int | None = Field(None, alias="project_id")

    @staticmethod
    def resolve_nodes(obj: Any) -> list[str]:
        return [n.code for n in obj.nodes.all()]

    @staticmethod
    def resolve_intended_area(obj: Any) -> str | None:
        return obj.intended_area.code if obj.intended_area_id else None

    @staticmethod
    def resolve_responsible_unit(obj: Any) -> str | None:
        return obj.responsible_unit.code if obj.responsible_unit_id else None


class StepOut(Schema):
    stage: str
    on: dt.date
    note: str


class TargetDetailOut(TargetOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(obj.steps.all())


class TargetIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    category: str
    country: str = Field(..., min_length=2, max_length=2)
    nodes: list[str] = Field(..., min_length=1)
    supply_items: list[tuple[str, str]] = []
    estimated_investment: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    intended_area: str | None = None
    responsible_unit: str | None = None
    note: str = ""


class AdvanceIn(Schema):
    stage: StageCode
    on: dt.date | None = None
    note: str = Field("", max_length=300)
    reason: str = Field("", max_length=300)


class LandIn(Schema):
    town: str
    category: Literal["new", "continuing", "completion", "reserve"] = "new"
    owner: int | None = None
    new_owner_credit_code: str | None = None
    new_owner_name: str | None = None
    new_owner_ownership: Literal["state", "private", "foreign", "hmt", "joint", "collective"] = "foreign"
    on: dt.date | None = None


class LandOut(Schema):
    target: int
    project: int


class TargetFilterIn(Schema):
    q: str = ""
    category: str = ""
    stage: str = ""
    node: str = ""
    area: str = ""
    country: str = ""


class GapOut(Schema):
    kind: str
    node: str | None
    status: str | None
    category: str
    item: str
    firm_count: int
    reasons: list[ReasonOut]


def _code(model: Any, code: str | None, field: str) -> Any:
    if code in (None, ""):
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({field: f"unknown {field} code {code!r}"})
    return found


def _reasons(reasons: Any) -> list[dict[str, str]]:
    return [{"code": r.code, "zh": r.zh, "en": r.en} for r in reasons]


@router.get("/nodes", response={200: list[NodeOut], **WRITE_ERRORS})
def list_nodes(request: HttpRequest) -> Any:
    """Every chain node with its class (强链/弱链/缺链), the reasons and its city-wide facts."""
    _government(request)
    return [
        {
            "code": row.node.code,
            "segment": row.node.segment.code,
            "name": row.node.name,
            "status": row.classification.status if row.classification else "",
            "reasons": _reasons(row.classification.reasons if row.classification else ()),
            "priorities": sorted({m.kind for m in row.priorities}),
            "firm_count": row.firm_count,
            "firms_with_revenue": row.firms_with_revenue,
            "revenue": row.revenue,
            "tiers": row.tiers,
            "projects": row.projects,
            "active_targets": row.targets,
            "breakpoints": list(row.breakpoints),
            "areas": {a.code: n for a, n in row.areas},
        }
        for row in selectors.node_rows()
    ]


@router.get("/targets", response={200: list[TargetOut], **WRITE_ERRORS})
@paginate(BoundedPagination)
def list_targets(request: HttpRequest, filters: Query[TargetFilterIn]) -> Any:
    _government(request)
    return selectors.target_list(user=request.user, filters=selectors.TargetFilters(**filters.dict()))


@router.get("/targets/{int:target_id}", response={200: TargetDetailOut, **WRITE_ERRORS})
def get_target(request: HttpRequest, target_id: int) -> Any:
    _government(request)
    return selectors.target_detail(user=request.user, pk=target_id)


def _data(payload: TargetIn) -> tuple[dict[str, Any], list[Any]]:
    data = payload.dict(exclude={"nodes", "intended_area", "responsible_unit"})
    data["supply_items"] = [list(i) for i in payload.supply_items]
    data["intended_area"] = _code(Area, payload.intended_area, "intended_area")
    data["responsible_unit"] = _code(Unit, payload.responsible_unit, "responsible_unit")
    nodes = [_code(ChainNode, c, "nodes") for c in payload.nodes]
    return data, nodes


@router.post("/targets", response={201: TargetDetailOut, **WRITE_ERRORS})
def create_target(request: HttpRequest, payload: TargetIn) -> Any:
    _government(request)
    data, nodes = _data(payload)
    try:
        target = services.target_save(actor=request.user, data=data, nodes=nodes)
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    return Status(201, selectors.target_detail(user=request.user, pk=target.pk))


@router.post("/targets/{int:target_id}/advance", response={200: TargetDetailOut, **WRITE_ERRORS})
def advance_target(request: HttpRequest, target_id: int, payload: AdvanceIn) -> Any:
    _government(request)
    target = selectors.target_detail(user=request.user, pk=target_id)
    try:
        services.target_advance(actor=request.user, target=target, **payload.dict())
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    return selectors.target_detail(user=request.user, pk=target_id)


@router.post("/targets/{int:target_id}/land", response={201: LandOut, **WRITE_ERRORS})
def land_target(request: HttpRequest, target_id: int, payload: LandIn) -> Any:
    """A signed lead becomes a project in the project library, linked both ways."""
    _government(request)
    target = selectors.target_detail(user=request.user, pk=target_id)
    town = Town.objects.filter(code=payload.town).first()
    if town is None:
        raise ValidationError({"town": f"unknown town code {payload.town!r}"})
    owner = (
        get_visible_or_404(Enterprise.objects.all(), request.user, pk=payload.owner)
        if payload.owner
        else None
    )
    new_owner = None
    if owner is None and payload.new_owner_credit_code:
        new_owner = {
            "credit_code": payload.new_owner_credit_code,
            "name": payload.new_owner_name or target.name,
            "ownership": payload.new_owner_ownership,
        }
    try:
        project = services.target_land(
            actor=request.user,
            target=target,
            town=town,
            category=payload.category,
            owner=owner,
            new_owner=new_owner,
            on=payload.on,
        )
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    return Status(201, {"target": target.pk, "project": project.pk})


@router.get("/gaps", response={200: list[GapOut], **WRITE_ERRORS})
def list_gaps(request: HttpRequest) -> Any:
    """Weak or missing nodes and survey breakpoints that no active lead addresses."""
    _government(request)
    return [
        {
            "kind": g.kind,
            "node": g.node.node.code if g.node else None,
            "status": g.node.classification.status if g.node and g.node.classification else None,
            "category": g.category,
            "item": g.item,
            "firm_count": g.firm_count,
            "reasons": _reasons(g.reasons),
        }
        for g in selectors.gaps_without_targets()
    ]


class AreaFitOut(Schema):
    area: str
    focus: str
    focus_nodes: list[str]
    firms: int
    firms_in_focus: int
    firm_share: Decimal | None
    revenue_share: Decimal | None
    investment_share: Decimal | None
    projects_outside: list[int]
    leads_outside: list[int]


@router.get("/layout", response={200: list[AreaFitOut], **WRITE_ERRORS})
def layout_fit(request: HttpRequest) -> Any:
    _government(request)
    return [
        {
            "area": f.area.code,
            "focus": f.area.focus,
            "focus_nodes": [n.code for n in f.focus_nodes],
            "firms": f.firms,
            "firms_in_focus": f.firms_in_focus,
            "firm_share": f.firm_share,
            "revenue_share": f.revenue_share,
            "investment_share": f.investment_share,
            "projects_outside": [p.pk for p in f.projects_outside],
            "leads_outside": [t.pk for t in f.leads_outside],
        }
        for f in selectors.layout_fit(user=request.user)
    ]
