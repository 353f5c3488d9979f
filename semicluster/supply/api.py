"""REST endpoints for the supply-chain survey and its analysis. Same selectors and services as the views."""

from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from semicluster.accounts.scoping import get_visible_or_404
from semicluster.core.api_schemas import READ_ERRORS, WRITE_ERRORS, BoundedPagination
from semicluster.enterprises.models import Enterprise
from semicluster.supply import selectors, services
from semicluster.supply.models import AnswerSource

API_PREFIX = "/supply"
router = Router(tags=["supply"])

CategoryCode = Literal["material", "equipment", "eda_ip", "components", "services"]
LevelCode = Literal["kunshan", "suzhou", "jiangsu", "china", "abroad"]


class AnswerOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    year: int
    category: str
    item: str
    supplier: str = Field(..., alias="supplier.name")
    supplier_id: int
    level: str
    country: str
    share: Decimal | None
    purchase_value: Decimal | None
    has_alternative: bool
    lead_time_days: int | None
    note: str
    source: str


class AnswerIn(Schema):
    enterprise: int
    year: int = Field(..., ge=2000, le=2100)
    category: CategoryCode
    item: str = Field(..., min_length=1, max_length=120)
    supplier: str = Field(..., min_length=1, max_length=200)
    level: LevelCode
    country: str = Field("", max_length=2)
    share: Decimal | None = Field(None, ge=0, le=1, max_digits=5, decimal_places=4)
    purchase_value: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    has_alternative: bool = False
    lead_time_days: int | None = Field(None, ge=0)
    note: str = Field("", max_length=300)


class AnswerFilterIn(Schema):
    year: int | None = None
    node: str = ""
    area: str = ""
    category: str = ""
    item: str = ""
    supplier: int | None = None
    level: str = ""
    country: str = ""
    enterprise: int | None = None


class RateOut(Schema):
    key: str | None
    total_value: Decimal
    local_value: Decimal
    suzhou_value: Decimal
    local_rate: Decimal | None
    suzhou_rate: Decimal | None
    answers: int
    unvalued_answers: int


class ReasonOut(Schema):
    code: str
    zh: str
    en: str


class FindingOut(Schema):
    category: str
    item: str
    kinds: list[str]
    reasons: list[ReasonOut]
    firm_ids: list[int]
    node_codes: list[str]
    countries: list[str]
    total_value: Decimal
    answer_ids: list[int]


class ConcentrationOut(Schema):
    category: str
    item: str | None
    hhi: Decimal | None
    country_shares: list[tuple[str, Decimal]]


class SupplierOut(Schema):
    rank: int
    supplier_id: int
    name: str
    levels: list[str]
    countries: list[str]
    firm_count: int
    total_value: Decimal


class AnalysisOut(Schema):
    year: int
    answers: int
    firms: int
    overall: RateOut
    by_node: list[RateOut]
    by_area: list[RateOut]
    by_category: list[RateOut]
    breakpoints: list[FindingOut]
    weak_points: list[FindingOut]
    category_concentration: list[ConcentrationOut]
    item_concentration: list[ConcentrationOut]
    critical_suppliers: list[SupplierOut]


def _rate(rate: Any) -> dict[str, Any]:
    return {
        "key": rate.key,
        "total_value": rate.total_value,
        "local_value": rate.local_value,
        "suzhou_value": rate.suzhou_value,
        "local_rate": rate.local_rate,
        "suzhou_rate": rate.suzhou_rate,
        "answers": len(rate.answer_ids),
        "unvalued_answers": len(rate.unvalued_answer_ids),
    }


def _finding(f: Any) -> dict[str, Any]:
    return {
        "category": f.category,
        "item": f.item,
        "kinds": list(f.kinds),
        "reasons": [{"code": r.code, "zh": r.zh, "en": r.en} for r in f.reasons],
        "firm_ids": list(f.firm_ids),
        "node_codes": list(f.node_codes),
        "countries": list(f.countries),
        "total_value": f.total_value,
        "answer_ids": list(f.answer_ids),
    }


def _concentration(c: Any) -> dict[str, Any]:
    return {"category": c.category, "item": c.item, "hhi": c.hhi, "country_shares": list(c.country_shares)}


@router.get("/answers", response={200: list[AnswerOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_answers(request: HttpRequest, filters: Query[AnswerFilterIn]) -> Any:
    return selectors.answer_list(user=request.user, filters=selectors.AnswerFilters(**filters.dict()))


@router.get("/answers/{int:answer_id}", response={200: AnswerOut, **READ_ERRORS})
def get_answer(request: HttpRequest, answer_id: int) -> Any:
    return selectors.answer_detail(user=request.user, pk=answer_id)


def _save(request: HttpRequest, payload: AnswerIn, instance: Any = None) -> Any:
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, pk=payload.enterprise)
    data = payload.dict(exclude={"enterprise", "supplier"})
    try:
        return services.answer_save(
            actor=request.user,
            enterprise=enterprise,
            supplier_name=payload.supplier,
            data=data,
            instance=instance,
            source=AnswerSource.API,
            source_ref="api",
        )
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc


@router.post("/answers", response={201: AnswerOut, **WRITE_ERRORS})
def create_answer(request: HttpRequest, payload: AnswerIn) -> Any:
    return Status(201, _save(request, payload))


@router.put("/answers/{int:answer_id}", response={200: AnswerOut, **WRITE_ERRORS})
def update_answer(request: HttpRequest, answer_id: int, payload: AnswerIn) -> Any:
    answer = selectors.answer_detail(user=request.user, pk=answer_id)
    return _save(request, payload, instance=answer)


@router.delete("/answers/{int:answer_id}", response={204: None, **WRITE_ERRORS})
def delete_answer(request: HttpRequest, answer_id: int) -> Any:
    answer = selectors.answer_detail(user=request.user, pk=answer_id)
    try:
        services.answer_delete(actor=request.user, answer=answer)
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    return Status(204, None)


@router.get("/analysis", response={200: AnalysisOut, **WRITE_ERRORS})
def get_analysis(
    request: HttpRequest,
    year: int | None = None,
    node: str = "",
    area: str = "",
    category: str = "",
) -> Any:
    """Aggregates for city roles; a district officer's cover their area. Enterprise users get 403."""
    year = selectors.survey_year(year)
    filters = selectors.AnswerFilters(year=year, node=node, area=area, category=category)
    try:
        links, result = selectors.user_analysis(user=request.user, filters=filters)
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    return {
        "year": year,
        "answers": len(links),
        "firms": len(links.firm_labels),
        "overall": _rate(result.overall),
        "by_node": [_rate(r) for r in result.by_node.values()],
        "by_area": [_rate(r) for r in result.by_area.values()],
        "by_category": [_rate(r) for r in result.by_category.values()],
        "breakpoints": [_finding(f) for f in result.breakpoints],
        "weak_points": [_finding(f) for f in result.weak_points],
        "category_concentration": [_concentration(c) for c in result.category_concentration],
        "item_concentration": [_concentration(c) for c in result.item_concentration],
        "critical_suppliers": [
            {
                "rank": s.rank,
                "supplier_id": s.supplier_id,
                "name": s.name,
                "levels": list(s.levels),
                "countries": list(s.countries),
                "firm_count": s.firm_count,
                "total_value": s.total_value,
            }
            for s in result.critical_suppliers
        ],
    }
