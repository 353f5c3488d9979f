"""Object-level scoping, in one place for the web UI and the API (SPEC §1).

A scoped model declares where its scope lives, as ORM paths:

    SCOPE_AREA = "enterprise__area"        # the plan area the record belongs to
    SCOPE_ENTERPRISE = "enterprise_id"     # the enterprise the record belongs to
    SCOPE_UNIT = "responsible_unit"        # the responsible unit it is assigned to (optional)
    SCOPE_UNIT_CLAUSE = "三、2"             # or: the plan clause whose task's lead and co-units read
                                           # every record (read-only; optional)

``SCOPE_UNIT_CLAUSE`` is for records no unit is assigned to, yet which a clause of the plan puts in
some units' hands (the finance records of 三、2 for 地方金融 and its co-units): a unit officer of a
unit the current plan version names for that clause's task — its lead unit or a co-unit — reads
every record; other unit officers read none. It gives no write access (``can_write`` stays False).

``visible_to(queryset, user)`` filters any queryset of such a model by the user's role and scope;
views and API endpoints fetch single objects through it, so another scope's object is simply not
found (404), never "forbidden" (which would confirm it exists).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from semicluster.accounts.models import Role

M = TypeVar("M", bound=Model)


def _path(model: type[Model], name: str) -> str | None:
    return getattr(model, name, None)


def scope_filter(model: type[Model], user: Any) -> Q | None:
    """The Q object restricting ``model`` to what ``user`` may see; None means everything."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.role in (Role.CITY_ADMIN, Role.LEADER):
        return None
    area_path = _path(model, "SCOPE_AREA")
    enterprise_path = _path(model, "SCOPE_ENTERPRISE")
    unit_path = _path(model, "SCOPE_UNIT")
    if user.role == Role.DISTRICT_OFFICER and area_path and user.area_id:
        return Q(**{_id(area_path): user.area_id})
    if user.role == Role.ENTERPRISE_USER and enterprise_path and user.enterprise_id:
        return Q(**{enterprise_path: user.enterprise_id})
    if user.role == Role.UNIT_OFFICER and unit_path and user.unit_id:
        return Q(**{_id(unit_path): user.unit_id})
    clause = _path(model, "SCOPE_UNIT_CLAUSE")
    if user.role == Role.UNIT_OFFICER and clause and unit_serves_clause(user, clause):
        return None
    return Q(pk__in=[])


def clause_unit_ids(clause: str) -> set[int]:
    """Ids of the units the current plan version names for the task of ``clause`` (e.g. "三、2"): its
    lead unit and its co-units. Empty when no plan is loaded or no task has that clause."""
    from semicluster.plans.models import Task
    from semicluster.plans.selectors import current_plan_version

    version = current_plan_version()
    if version is None:
        return set()
    tasks = Task.objects.filter(plan_version=version, source=clause)
    leads = tasks.values_list("lead_unit_id", flat=True)
    co_units = Task.co_units.through.objects.filter(task__in=tasks).values_list("unit_id", flat=True)
    return set(leads) | set(co_units)


def unit_serves_clause(user: Any, clause: str) -> bool:
    """Whether ``user`` is a unit officer of a unit the plan names for ``clause`` (cached on the user
    for the request, as menus and lists ask more than once)."""
    if user is None or getattr(user, "role", None) != Role.UNIT_OFFICER or not user.unit_id:
        return False
    cache: dict[str, bool] | None = getattr(user, "_clause_units_cache", None)
    if cache is None:
        cache = {}
        user._clause_units_cache = cache
    if clause not in cache:
        cache[clause] = user.unit_id in clause_unit_ids(clause)
    return cache[clause]


def _id(path: str) -> str:
    return path if path.endswith("_id") else f"{path}_id"


def visible_to(queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    condition = scope_filter(queryset.model, user)
    return queryset if condition is None else queryset.filter(condition)


def get_visible_or_404(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    try:
        return visible_to(queryset, user).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from exc


def can_write(model: type[Model], user: Any) -> bool:
    """Whether the role may change records of this model at all (the object itself must also be visible)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.CITY_ADMIN:
        return True
    if user.role == Role.DISTRICT_OFFICER:
        return _path(model, "SCOPE_AREA") is not None
    if user.role == Role.ENTERPRISE_USER:
        return _path(model, "SCOPE_ENTERPRISE") is not None and getattr(model, "ENTERPRISE_MAY_WRITE", True)
    if user.role == Role.UNIT_OFFICER:
        return _path(model, "SCOPE_UNIT") is not None
    return False
