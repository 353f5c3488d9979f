"""Object-level scoping, in one place for the web UI and the API (SPEC §1).

A scoped model declares where its scope lives, as ORM paths:

    SCOPE_AREA = "enterprise__area"        # the plan area the record belongs to
    SCOPE_ENTERPRISE = "enterprise_id"     # the enterprise the record belongs to
    SCOPE_UNIT = "responsible_unit"        # the responsible unit it is assigned to (optional)

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
    return Q(pk__in=[])


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
