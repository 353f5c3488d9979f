"""Writes for R&D projects on key technologies (keyword-only, actor first, atomic, validated)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.enterprises.models import Enterprise, InnovationPlatform
from semicluster.innovation.models import RDProject
from semicluster.plans.models import KeyTechnology
from semicluster.plans.selectors import current_plan_version

FIELDS = (
    "title",
    "key_technology",
    "enterprise",
    "platform",
    "budget",
    "start",
    "end",
    "milestones",
    "status",
)


def _attribute(instance: Any, actor: Any) -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor


def _check_scope(actor: Any, project: RDProject) -> None:
    role = getattr(actor, "role", None)
    if getattr(actor, "is_superuser", False) or role == Role.CITY_ADMIN:
        return
    if role == Role.ENTERPRISE_USER:
        if project.enterprise_id != actor.enterprise_id:
            raise PermissionError(
                "企业用户只能登记本企业项目 / enterprise users file their own firm's projects"
            )
        return
    if role == Role.DISTRICT_OFFICER:
        if project.area_id != actor.area_id:
            raise PermissionError("只能登记本区项目 / district officers file projects of their own area")
        return
    raise PermissionError("您的角色不能登记研发项目 / your role may not file R&D projects")


def project_save(*, actor: Any, data: dict[str, Any], instance: RDProject | None = None) -> RDProject:
    """Create or update an R&D project; the plan area follows the enterprise (else the platform)."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "未知字段 / unknown field"})
    if "budget" in data and not isinstance(data["budget"], Decimal):
        raise TypeError("budgets are Decimal, never float")
    project = instance or RDProject()
    if instance is not None:
        _check_scope(actor, instance)  # may the actor touch the project as it stands?
    for key, value in data.items():
        setattr(project, key, value)
    performer: Enterprise | InnovationPlatform | None = project.enterprise or project.platform
    project.area_id = performer.area_id if performer is not None else None
    _check_scope(actor, project)
    with transaction.atomic():
        project.full_clean()
        _attribute(project, actor)
        project.save()
    return project


def project_find(
    *,
    title: str,
    key_technology: str,
    enterprise: Enterprise | None,
    platform: InnovationPlatform | None,
) -> RDProject | None:
    """The stored project an import row names (key: title + key technology code + performer)."""
    return (
        RDProject.objects.filter(
            title=title.strip(),
            key_technology__code=key_technology,
            enterprise=enterprise,
            platform=platform,
        )
        .order_by("pk")
        .first()
    )


def project_import_row(
    *,
    actor: Any,
    title: str,
    key_technology: str,
    budget: Decimal,
    start: dt.date,
    credit_code: str = "",
    platform: str = "",
    end: dt.date | None = None,
    status: str | None = None,
    milestones: list[dict[str, Any]] | None = None,
) -> tuple[RDProject, bool]:
    """Idempotent import of one R&D project (key: title + key technology + performer).

    ``end``, ``status`` and ``milestones`` left as None keep the stored values (a new project: no end,
    active, no milestones); only the fields that differ are written."""
    version = current_plan_version()
    technology = KeyTechnology.objects.filter(plan_version=version, code=key_technology).first()
    if technology is None:
        raise ValidationError(
            {"key_technology": f"未知关键技术代码 {key_technology!r} / unknown key technology"}
        )
    enterprise = None
    if credit_code:
        enterprise = (
            visible_to(Enterprise.objects.all(), actor)
            .filter(credit_code=credit_code.strip().upper())
            .first()
        )
        if enterprise is None:
            raise ValidationError({"credit_code": f"未找到企业 {credit_code} / no such enterprise"})
    found_platform = None
    if platform:
        found_platform = InnovationPlatform.objects.filter(name=platform.strip()).first()
        if found_platform is None:
            raise ValidationError({"platform": f"未找到平台 {platform} / no such platform"})
    data: dict[str, Any] = {
        "title": title.strip(),
        "key_technology": technology,
        "enterprise": enterprise,
        "platform": found_platform,
        "budget": budget,
        "start": start,
    }
    optional = {"end": end, "status": status, "milestones": milestones}
    data.update({k: v for k, v in optional.items() if v is not None})
    existing = project_find(
        title=data["title"], key_technology=key_technology, enterprise=enterprise, platform=found_platform
    )
    if existing is not None:
        changes = {k: v for k, v in data.items() if getattr(existing, k) != v}
        if not changes:
            return existing, False
        return project_save(actor=actor, data=changes, instance=existing), False
    data.setdefault("status", RDProject.Status.ACTIVE)
    return project_save(actor=actor, data=data), True
