"""REST endpoints for R&D projects, key-technology coverage and the platforms registry."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from semicluster.accounts.scoping import get_visible_or_404
from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS, BoundedPagination
from semicluster.enterprises.models import Enterprise, InnovationPlatform
from semicluster.innovation import selectors, services
from semicluster.innovation.selectors import key_technologies

API_PREFIX = "/innovation"
router = Router(tags=["innovation"])

ProjectStatus = Literal["planned", "active", "completed", "suspended"]
ID = Field(None, ge=1, le=2_147_483_647)


class InnovationMilestone(Schema):
    date: dt.date
    description: str = Field(..., min_length=1, max_length=300)
    done: bool = False


class InnovationProjectOut(Schema):
    id: int
    title: str
    key_technology: str = Field(..., alias="key_technology.code")
    enterprise: int | None = Field(None, alias="enterprise_id")
    platform: int | None = Field(None, alias="platform_id")
    area: str | None
    budget: Decimal
    start: dt.date
    end: dt.date | None
    milestones: list[dict[str, Any]]
    status: str

    @staticmethod
    def resolve_area(obj: Any) -> str | None:
        return obj.area.code if obj.area_id else None


class InnovationProjectIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    key_technology: str = Field(..., min_length=1, max_length=60)
    enterprise: int | None = ID
    platform: int | None = ID
    budget: Decimal = Field(..., ge=0, max_digits=20, decimal_places=2)
    start: dt.date
    end: dt.date | None = None
    milestones: list[InnovationMilestone] = []
    status: ProjectStatus = "active"


class InnovationProjectPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    budget: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    end: dt.date | None = None
    milestones: list[InnovationMilestone] | None = None
    status: ProjectStatus | None = None


class InnovationCoverageOut(Schema):
    code: str
    name: str
    name_en: str
    source: str
    active: int  # under way; planned projects are counted in ``planned`` and are no cover
    planned: int
    completed: int
    budget: Decimal  # of the active projects
    covered: bool


class InnovationPlatformOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    level: str
    named_in_plan: bool
    source: str
    area: str | None
    fields: list[str]

    @staticmethod
    def resolve_area(obj: Any) -> str | None:
        return obj.area.code if obj.area_id else None

    @staticmethod
    def resolve_fields(obj: Any) -> list[str]:
        return [node.code for node in obj.fields.all()]


def _resolve(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "key_technology" in data:
        technology = key_technologies().filter(code=data["key_technology"]).first()
        if technology is None:
            raise ValidationError({"key_technology": f"unknown key technology {data['key_technology']!r}"})
        data["key_technology"] = technology
    if data.get("enterprise") is not None:
        data["enterprise"] = get_visible_or_404(Enterprise.objects.all(), request.user, pk=data["enterprise"])
    if data.get("platform") is not None:
        platform = InnovationPlatform.objects.filter(pk=data["platform"]).first()
        if platform is None:
            raise ValidationError({"platform": "unknown platform"})
        data["platform"] = platform
    if data.get("milestones") is not None:
        data["milestones"] = [{**m, "date": m["date"].isoformat()} for m in data["milestones"]]
    return data


@router.get("/projects", response={200: list[InnovationProjectOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_projects(
    request: HttpRequest, key_technology: str | None = None, status: ProjectStatus | None = None
) -> Any:
    qs = selectors.projects(user=request.user)
    if key_technology:
        qs = qs.filter(key_technology__code=key_technology)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("id")


@router.get("/projects/{int:project_id}", response={200: InnovationProjectOut, **READ_ERRORS})
def get_project(request: HttpRequest, project_id: int) -> Any:
    return selectors.project_detail(user=request.user, pk=project_id)


@router.post("/projects", response={201: InnovationProjectOut, **WRITE_ERRORS})
def create_project(request: HttpRequest, payload: InnovationProjectIn) -> Any:
    data = _resolve(request, payload.dict())
    return Status(201, services.project_save(actor=request.user, data=data))


@router.patch("/projects/{int:project_id}", response={200: InnovationProjectOut, **WRITE_ERRORS})
def update_project(request: HttpRequest, project_id: int, payload: InnovationProjectPatch) -> Any:
    project = selectors.project_detail(user=request.user, pk=project_id)
    data = _resolve(request, payload.dict(exclude_unset=True))
    return services.project_save(actor=request.user, data=data, instance=project)


@router.get("/coverage", response={200: list[InnovationCoverageOut], **READ_ERRORS})
def coverage(request: HttpRequest) -> Any:
    return [
        {
            "code": r.technology.code,
            "name": r.technology.name,
            "name_en": r.technology.name_en,
            "source": r.technology.source,
            "active": r.active,
            "planned": r.planned,
            "completed": r.completed,
            "budget": r.budget,
            "covered": r.covered,
        }
        for r in selectors.coverage()
    ]


@router.get("/platforms", response={200: list[InnovationPlatformOut], **READ_ERRORS})
def list_platforms(request: HttpRequest) -> Any:
    return list(selectors.platforms().prefetch_related("fields"))


@router.get("/platforms/{int:platform_id}", response={200: InnovationPlatformOut, **READ_ERRORS})
def get_platform(request: HttpRequest, platform_id: int) -> Any:
    platform, _firms, _projects = selectors.platform_detail(user=request.user, pk=platform_id)
    return platform
