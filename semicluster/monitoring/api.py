"""REST endpoints for goal monitoring: goals with their latest figures, stored values, drill-downs.

Same selectors as the cockpit, so the same people see the same things (see selectors.py)."""

from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from semicluster.core.api_schemas import READ_ERRORS, BoundedPagination
from semicluster.monitoring import selectors
from semicluster.monitoring.definitions import Period
from semicluster.monitoring.models import IndicatorValue

API_PREFIX = "/monitoring"
router = Router(tags=["monitoring"])

ScopeKindCode = Literal["city", "area", "segment", "node"]


class ValueOut(Schema):
    goal: str
    period: str
    scope_kind: str
    scope_key: str
    value: Decimal
    reporting: int | None
    missing: int | None
    target: Decimal | None
    progress: Decimal | None
    previous: Decimal | None
    yoy: Decimal | None
    forecast: Decimal | None
    forecast_low: Decimal | None
    forecast_high: Decimal | None
    forecast_method: str
    method_note: str
    status: str

    @staticmethod
    def resolve_goal(obj: IndicatorValue) -> str:
        return obj.goal.code

    @staticmethod
    def resolve_period(obj: IndicatorValue) -> str:
        return Period(obj.year, obj.month).code


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    source: str
    source_text: str
    unit: str
    target: Decimal
    comparison: str
    deadline: str
    indicator: dict[str, Any]
    latest: ValueOut | None


class ValueFilter(Schema):
    goal: str | None = None
    period: str | None = None
    scope_kind: ScopeKindCode | None = None
    scope_key: str | None = None


class RecordOut(Schema):
    kind: str
    id: int
    value: Decimal | None
    previous: Decimal | None
    expected_only: bool


class DrillDownOut(Schema):
    figure: ValueOut
    records: list[RecordOut]
    records_total: Decimal
    other_areas_count: int
    other_areas_total: Decimal


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc


@router.get("/indicators", response={200: list[IndicatorOut], **READ_ERRORS})
def list_indicators(request: HttpRequest) -> Any:
    """Every goal of the current plan with its latest city figure."""
    data = selectors.cockpit(user=request.user)
    return [
        {
            "code": p.goal.code,
            "name": p.goal.name,
            "name_en": p.goal.name_en,
            "source": p.goal.source,
            "source_text": p.goal.source_text,
            "unit": p.goal.unit,
            "target": p.goal.target,
            "comparison": p.goal.comparison,
            "deadline": p.goal.deadline.isoformat(),
            "indicator": p.goal.indicator,
            "latest": p.current,
        }
        for p in data.panels
    ]


@router.get("/values", response={200: list[ValueOut], **READ_ERRORS})
@paginate(BoundedPagination)
def list_values(request: HttpRequest, filters: Query[ValueFilter]) -> Any:
    """Stored indicator values; filter by goal code, period (YYYY-MM or YYYY) and scope."""
    return selectors.indicator_values(
        user=request.user,
        goal=filters.goal,
        period=_period(filters.period) if filters.period else None,
        scope_kind=filters.scope_kind,
        scope_key=filters.scope_key,
    )


@router.get("/drilldown/{goal}/{period}/{scope_kind}", response={200: DrillDownOut, **READ_ERRORS})
def drilldown(
    request: HttpRequest, goal: str, period: str, scope_kind: ScopeKindCode, scope_key: str = ""
) -> Any:
    """The records behind one figure; their values add up to it (another area's records, for a
    district officer, as one subtotal)."""
    result = selectors.drilldown(
        user=request.user, goal_code=goal, period=_period(period), scope_kind=scope_kind, scope_key=scope_key
    )
    return {
        "figure": result.stored,
        "records": result.shown,
        "records_total": result.drill.total,
        "other_areas_count": result.hidden_count,
        "other_areas_total": result.hidden_total,
    }
