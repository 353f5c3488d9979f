"""REST endpoints of the project library: projects, progress, problems, tickets, lights, cohorts.

Same selectors and services as the web views, so scoping and rules are identical. Money is yuan.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from semicluster.accounts.scoping import get_visible_or_404
from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS, BoundedPagination
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import ChainNode, Town, Unit
from semicluster.projects import selectors, services, views
from semicluster.projects.assess import default_reporting_month
from semicluster.projects.models import DataSource, Project

API_PREFIX = "/projects"
router = Router(tags=["projects"])


StageCode = Literal[
    "reserve",
    "signed",
    "preparation",
    "started",
    "under_construction",
    "completed",
    "in_production",
    "at_capacity",
    "suspended",
]
CategoryCode = Literal["new", "continuing", "completion", "reserve"]
SourceCode = Literal["investment_lead", "expansion", "tech_transformation"]
Money = Decimal


class ProjectOut(Schema):
    id: int
    name: str
    owner: int = Field(..., alias="owner_id")
    owner_name: str = Field(..., alias="owner.name")
    area: str = Field(..., alias="area.code")
    town: str = Field(..., alias="town.code")
    node: str = Field(..., alias="node.code")
    industry_code: str
    category: str
    construction_content: str
    total_investment: Decimal
    equipment_investment: Decimal | None
    source: str
    responsible_leader: str
    responsible_unit: str | None
    service_team: list[str]
    in_library: bool
    admission_note: str
    stage: str
    suspended_from: str
    suspension_reason: str
    planned_start: dt.date | None
    actual_start: dt.date | None
    planned_completion: dt.date | None
    actual_completion: dt.date | None
    planned_production: dt.date | None
    actual_production: dt.date | None
    entered_statistics_on: dt.date | None
    light: str
    light_month: dt.date | None

    @staticmethod
    def resolve_responsible_unit(obj: Project) -> str | None:
        return obj.responsible_unit.code if obj.responsible_unit else None

    @staticmethod
    def resolve_service_team(obj: Project) -> list[str]:
        return obj.service_team_members


class ProjectFilterIn(Schema):
    q: str = ""
    area: str = ""
    node: str = ""
    stage: str = ""
    light: Literal["", "red", "yellow", "green"] = ""
    unit: str = ""
    category: str = ""
    library: Literal["library", "ordinary", "all"] = "library"


class NewOwnerIn(Schema):
    credit_code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    ownership: Literal["state", "private", "foreign", "hmt", "joint", "collective"]


class ProjectIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    owner: int | None = Field(None, description="Enterprise id; or give new_owner to register one")
    new_owner: NewOwnerIn | None = None
    town: str = Field(..., description="Town code; the plan area follows from it")
    node: str
    industry_code: str = Field("", max_length=8)
    category: CategoryCode
    construction_content: str = ""
    total_investment: Money = Field(..., ge=0, max_digits=20, decimal_places=2)
    equipment_investment: Money | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    source: SourceCode
    responsible_leader: str = Field("", max_length=80)
    responsible_unit: str | None = None
    service_team: list[str] = []
    planned_start: dt.date | None = None
    planned_completion: dt.date | None = None
    planned_production: dt.date | None = None
    annual_plans: dict[int, Money] = Field({}, description="year → annual plan investment (yuan)")


class ProjectPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    construction_content: str | None = None
    category: CategoryCode | None = None
    total_investment: Money | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    equipment_investment: Money | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    responsible_leader: str | None = Field(None, max_length=80)
    responsible_unit: str | None = None
    service_team: list[str] | None = None
    planned_start: dt.date | None = None
    planned_completion: dt.date | None = None
    planned_production: dt.date | None = None
    entered_statistics_on: dt.date | None = None


class TransitionIn(Schema):
    target: StageCode
    reason: str = Field("", max_length=300)
    actual_start: dt.date | None = None
    actual_completion: dt.date | None = None
    actual_production: dt.date | None = None


class ProgressOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    year: int
    month: int
    ytd_completed: Decimal
    since_start_completed: Decimal | None
    stage: str
    image_progress: str
    funds_required: Decimal | None
    funds_in_place: Decimal | None
    reported_at: dt.date
    source: str


class ProgressIn(Schema):
    year: int = Field(..., ge=1990, le=2100)
    month: int = Field(..., ge=1, le=12)
    ytd_completed: Money = Field(..., ge=0, max_digits=20, decimal_places=2)
    since_start_completed: Money | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    stage: StageCode | None = None
    image_progress: str = ""
    funds_required: Money | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    funds_in_place: Money | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    actual_start: dt.date | None = None
    actual_completion: dt.date | None = None
    actual_production: dt.date | None = None


class ProblemOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    description: str
    category: str
    owner_unit: str = Field(..., alias="owner_unit.code")
    raised_on: dt.date
    deadline: dt.date
    status: str
    resolution: str
    closed_on: dt.date | None
    ticket: int | None

    @staticmethod
    def resolve_ticket(obj: Any) -> int | None:
        ticket = getattr(obj, "ticket", None) if hasattr(obj, "ticket") else None
        return ticket.pk if ticket is not None else None


class ProblemIn(Schema):
    description: str = Field(..., min_length=1, max_length=2000)
    category: Literal["land", "permits", "funds", "power", "staff", "other"]
    owner_unit: str
    deadline: dt.date
    raised_on: dt.date | None = None


class ResolveIn(Schema):
    resolution: str = Field(..., min_length=1, max_length=2000)
    resolved_on: dt.date | None = None


class ReplyOut(Schema):
    id: int
    author_name: str
    text: str
    at: dt.datetime


class TicketOut(Schema):
    id: int
    number: str
    project: int = Field(..., alias="project_id")
    project_name: str = Field(..., alias="project.name")
    problem: int = Field(..., alias="problem_id")
    unit: str = Field(..., alias="unit.code")
    issued_on: dt.date
    reply_deadline: dt.date
    status: str
    closed_on: dt.date | None
    closing_note: str


class TicketDetailOut(TicketOut):
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(obj: Any) -> list[Any]:
        return list(obj.replies.all())


class TextIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)


class ReasonOut(Schema):
    code: str
    colour: str
    measure: str | None
    value: str | None
    missing: bool
    text_zh: str
    text_en: str
    source: str


class LightChangeOut(Schema):
    month: dt.date
    colour: str
    previous: str
    reasons: list[ReasonOut]
    trigger: str
    changed_at: dt.datetime


class LightOut(Schema):
    project: int
    month: dt.date
    colour: str
    reasons: list[ReasonOut]
    measures: dict[str, str | int | None]
    history: list[LightChangeOut]


class CohortsOut(Schema):
    year: int
    through_month: int
    monthly: dict[str, list[int]]
    quarterly: dict[str, list[int]]
    totals: dict[str, int]
    planned: dict[str, int]
    targets: dict[str, int]
    new_investment_ytd: Decimal
    new_investment_target: Decimal | None


# --- helpers ----------------------------------------------------------------------------------------


def _lookup(model: Any, field: str, code: str) -> Any:
    queryset = model if hasattr(model, "filter") else model.objects
    found = queryset.filter(code=code).first()
    if found is None:
        raise ValidationError({field: f"unknown {field} code {code!r}"})
    return found


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionError("Your role may not change these records.")


def _visible_project(request: HttpRequest, project_id: int) -> Project:
    return selectors.project_detail(user=request.user, pk=project_id)


def _resolve(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    user: Any = request.user
    if data.get("town") is not None:
        town = _lookup(Town.objects.select_related("area"), "town", data["town"])
        data["town"], data["area"] = town, town.area
        if user.role == "district_officer" and town.area_id != user.area_id:
            raise ValidationError({"town": "district officers may only register projects of their own area"})
    if data.get("node") is not None:
        data["node"] = _lookup(ChainNode, "node", data["node"])
    if "responsible_unit" in data:
        code = data["responsible_unit"]
        data["responsible_unit"] = _lookup(Unit, "responsible_unit", code) if code else None
    if data.get("service_team") is not None:
        data["service_team"] = "\n".join(m.strip() for m in data["service_team"] if m.strip())
    if data.get("owner") is not None:
        data["owner"] = get_visible_or_404(Enterprise.objects.all(), user, pk=data["owner"])
    return data


# --- projects ---------------------------------------------------------------------------------------


@router.get("/", response={200: list[ProjectOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_projects(request: HttpRequest, filters: Query[ProjectFilterIn]) -> Any:
    return selectors.project_list(user=request.user, filters=selectors.ProjectFilters(**filters.dict()))


@router.get("/cohorts", response={200: CohortsOut, **READ_ERRORS})
def get_cohorts(request: HttpRequest, year: int | None = None, through_month: int | None = None) -> Any:
    month = default_reporting_month()
    year = year if year is not None else month.year
    through = through_month if through_month is not None else (month.month if year == month.year else 12)
    if not 1990 <= year <= 2100 or not 1 <= through <= 12:
        raise ValidationError({"year": "year must be 1990–2100 and through_month 1–12"})
    data = selectors.cohorts(user=request.user, year=year, through_month=through)
    goal = selectors.new_investment_goal(year=year, month=through)
    return {
        "year": data.year,
        "through_month": data.through_month,
        "monthly": data.monthly,
        "quarterly": data.quarterly,
        "totals": data.totals,
        "planned": data.planned,
        "targets": data.targets,
        "new_investment_ytd": goal.ytd,
        "new_investment_target": goal.target,
    }


@router.get("/tickets", response={200: list[TicketOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_tickets(
    request: HttpRequest, status: Literal["", "active", "open", "replied", "closed"] = ""
) -> Any:
    return selectors.ticket_list(user=request.user, status=status)


@router.get("/tickets/{int:ticket_id}", response={200: TicketDetailOut, **READ_ERRORS})
def get_ticket(request: HttpRequest, ticket_id: int) -> Any:
    return selectors.ticket_detail(user=request.user, pk=ticket_id)


@router.post("/tickets/{int:ticket_id}/replies", response={201: TicketDetailOut, **WRITE_ERRORS})
def reply_ticket(request: HttpRequest, ticket_id: int, payload: TextIn) -> Any:
    ticket = selectors.ticket_detail(user=request.user, pk=ticket_id)
    _require(views.may_reply(request.user, ticket))
    services.ticket_reply(actor=request.user, ticket=ticket, text=payload.text)
    return Status(201, selectors.ticket_detail(user=request.user, pk=ticket_id))


@router.post("/tickets/{int:ticket_id}/close", response={200: TicketDetailOut, **WRITE_ERRORS})
def close_ticket(request: HttpRequest, ticket_id: int, payload: TextIn) -> Any:
    ticket = selectors.ticket_detail(user=request.user, pk=ticket_id)
    _require(views.may_close(request.user))
    services.ticket_close(actor=request.user, ticket=ticket, note=payload.text)
    return selectors.ticket_detail(user=request.user, pk=ticket_id)


@router.post("/problems/{int:problem_id}/resolve", response={200: ProblemOut, **WRITE_ERRORS})
def resolve_problem(request: HttpRequest, problem_id: int, payload: ResolveIn) -> Any:
    problem = selectors.problem_visible(user=request.user, pk=problem_id)
    _require(views.may_edit(request.user))
    return services.problem_resolve(
        actor=request.user, problem=problem, resolution=payload.resolution, resolved_on=payload.resolved_on
    )


@router.get("/{int:project_id}", response={200: ProjectOut, **READ_ERRORS})
def get_project(request: HttpRequest, project_id: int) -> Any:
    return _visible_project(request, project_id)


@router.post("/", response={201: ProjectOut, **WRITE_ERRORS})
def create_project(request: HttpRequest, payload: ProjectIn) -> Any:
    _require(views.may_create(request.user))
    data = payload.dict()
    new_owner = data.pop("new_owner", None)
    if data.get("owner") is None and new_owner is None:
        raise ValidationError({"owner": "give owner (an enterprise id) or new_owner"})
    if data.get("owner") is None:
        data.pop("owner")
    data = _resolve(request, data)
    result = services.project_save(actor=request.user, data=data, new_owner=new_owner)
    return Status(201, selectors.project_detail(user=request.user, pk=result.project.pk))


@router.patch("/{int:project_id}", response={200: ProjectOut, **WRITE_ERRORS})
def update_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Any:
    project = _visible_project(request, project_id)
    _require(views.may_edit(request.user))
    data = _resolve(request, payload.dict(exclude_unset=True))
    services.project_save(actor=request.user, data=data, instance=project)
    return _visible_project(request, project_id)


@router.post("/{int:project_id}/transition", response={200: ProjectOut, **WRITE_ERRORS})
def transition_project(request: HttpRequest, project_id: int, payload: TransitionIn) -> Any:
    project = _visible_project(request, project_id)
    _require(views.may_edit(request.user))
    data = payload.dict()
    target, reason = data.pop("target"), data.pop("reason")
    dates = {k: v for k, v in data.items() if v is not None}
    services.project_transition(
        actor=request.user, project=project, target=target, reason=reason, dates=dates
    )
    return _visible_project(request, project_id)


@router.get("/{int:project_id}/progress", response={200: list[ProgressOut], **READ_ERRORS})
def list_progress(request: HttpRequest, project_id: int, year: int | None = None) -> Any:
    project = _visible_project(request, project_id)
    reports = sorted(project.progress_reports.all(), key=lambda r: (r.year, r.month))
    return [r for r in reports if year is None or r.year == year]


@router.put("/{int:project_id}/progress", response={200: ProgressOut, **WRITE_ERRORS})
def put_progress(request: HttpRequest, project_id: int, payload: ProgressIn) -> Any:
    """Record one monthly report (idempotent: the same report again changes nothing)."""
    project = _visible_project(request, project_id)
    _require(views.may_edit(request.user))
    data = payload.dict()
    dates = {k: data.pop(k) for k in ("actual_start", "actual_completion", "actual_production")}
    result = services.project_progress_record(
        actor=request.user,
        project=project,
        milestone_dates={k: v for k, v in dates.items() if v is not None},
        source=DataSource.API,
        source_ref="api",
        **data,
    )
    return result.report


@router.get("/{int:project_id}/problems", response={200: list[ProblemOut], **READ_ERRORS})
def list_problems(request: HttpRequest, project_id: int) -> Any:
    project = _visible_project(request, project_id)
    return list(project.problems.select_related("owner_unit", "ticket").all())


@router.post("/{int:project_id}/problems", response={201: ProblemOut, **WRITE_ERRORS})
def add_problem(request: HttpRequest, project_id: int, payload: ProblemIn) -> Any:
    project = _visible_project(request, project_id)
    _require(views.may_edit(request.user))
    data = payload.dict()
    data["owner_unit"] = _lookup(Unit, "owner_unit", data["owner_unit"])
    return Status(201, services.problem_add(actor=request.user, project=project, **data))


@router.get("/{int:project_id}/light", response={200: LightOut, **READ_ERRORS})
def get_light(request: HttpRequest, project_id: int, month: str | None = None) -> Any:
    """The light for a reporting month (YYYY-MM, default the latest reported), with every reason,
    the measures behind it and the history of changes."""
    project = _visible_project(request, project_id)
    day = None
    if month:
        try:
            year_text, month_text = month.split("-")
            day = dt.date(int(year_text), int(month_text), 1)
        except ValueError:
            raise ValidationError({"month": "month must be YYYY-MM"}) from None
    page = selectors.project_page(project, day)
    result = page["assessment"]
    return {
        "project": project.pk,
        "month": result.month,
        "colour": result.light.colour.value,
        "reasons": [r.as_dict() for r in result.light.reasons],
        "measures": result.measures.as_dict(),
        "history": list(selectors.light_history(project)),
    }
