"""Writes for investment targets and chain communities. Keyword-only, take the actor, atomic, validated.

The pipeline only moves forward (a stage may be skipped: a first visit can also be the first
contact), a dropped lead needs its reason, and *landed* is reached only through ``target_land``,
which creates the project in the project library through its own service and links the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import can_write, visible_to
from semicluster.chain.models import (
    PIPELINE,
    ChainCommunity,
    CommunityMember,
    InvestmentTarget,
    JointAction,
    Stage,
    TargetStep,
)

TARGET_FIELDS = (
    "name",
    "name_en",
    "category",
    "country",
    "supply_items",
    "estimated_investment",
    "intended_area",
    "officer",
    "responsible_unit",
    "note",
)


def _attribute(instance: Any, actor: Any, reason: str = "") -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]


def _check_write(actor: Any, target: InvestmentTarget | None = None) -> None:
    if not can_write(InvestmentTarget, actor):
        raise PermissionDenied("Your role may not change investment targets.")
    if (
        target is not None
        and target.pk
        and not visible_to(InvestmentTarget.objects.filter(pk=target.pk), actor).exists()
    ):
        raise PermissionDenied("This target is outside your scope.")


def _check_category(code: str) -> None:
    from semicluster.chain.selectors import target_categories

    codes = [c["code"] for c in target_categories()]
    if codes and code not in codes:
        raise ValidationError(
            {"category": f"计划未定义的招商目标类别{code!r} / {code!r} is not a target category of the plan"}
        )


@transaction.atomic
def target_save(
    *,
    actor: Any,
    data: Mapping[str, Any],
    nodes: Iterable[Any] | None = None,
    instance: InvestmentTarget | None = None,
    on: date | None = None,
) -> InvestmentTarget:
    """Create (as a lead, with its first dated step) or edit a target; the stage changes elsewhere."""
    _check_write(actor, instance)
    target = instance or InvestmentTarget(stage=Stage.LEAD, stage_on=on or timezone.localdate())
    for key in TARGET_FIELDS:
        if key in data:
            setattr(target, key, data[key])
    if isinstance(target.estimated_investment, float):
        raise TypeError("estimated investment must be Decimal, never float")
    if target.estimated_investment is not None:
        target.estimated_investment = Decimal(target.estimated_investment)
    if getattr(actor, "role", None) == Role.DISTRICT_OFFICER:
        if target.intended_area_id is None:
            target.intended_area_id = actor.area_id
        if target.intended_area_id != actor.area_id:
            raise ValidationError(
                {
                    "intended_area": "区镇人员只能登记本区域的招商目标 / "
                    "district officers register leads for their own area"
                }
            )
    if getattr(actor, "role", None) == Role.UNIT_OFFICER and target.responsible_unit_id is None:
        target.responsible_unit_id = actor.unit_id
    _check_category(target.category)
    target.supply_items = [list(i) for i in (target.supply_items or [])]
    target.full_clean()
    created = target.pk is None
    _attribute(target, actor, "created" if created else "edited")
    target.save()
    if nodes is not None:
        target.nodes.set(list(nodes))
    if created:
        TargetStep.objects.create(
            target=target, stage=target.stage, on=target.stage_on, actor=_user(actor), note=""
        )
    if not target.nodes.exists():
        raise ValidationError(
            {"nodes": "至少选择一个产业链环节 / name at least one chain node it would fill"}
        )
    return target


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_date(target: InvestmentTarget, on: date) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": "日期不能晚于今天 / the date cannot be in the future"})
    if on < target.stage_on:
        raise ValidationError(
            {
                "on": f"日期早于上一步（{target.stage_on}）/ "
                f"the date precedes the previous step ({target.stage_on})"
            }
        )


@transaction.atomic
def target_advance(
    *,
    actor: Any,
    target: InvestmentTarget,
    stage: str,
    on: date | None = None,
    note: str = "",
    reason: str = "",
) -> InvestmentTarget:
    """Move a target forward (stages may be skipped) or drop it with a reason; each move is a kept step."""
    _check_write(actor, target)
    on = on or timezone.localdate()
    if not target.is_active:
        raise ValidationError(
            {"stage": f"{target.get_stage_display()}的线索不能再变更 / a {target.stage} lead cannot move"}
        )
    if stage == Stage.LANDED:
        raise ValidationError({"stage": "落地须登记为项目 / a lead lands by becoming a project (use land)"})
    if stage == Stage.DROPPED:
        if not reason.strip():
            raise ValidationError({"reason": "放弃须说明原因 / a dropped lead needs its reason"})
        target.drop_reason = reason.strip()
    elif stage not in PIPELINE or PIPELINE.index(stage) <= PIPELINE.index(target.stage):
        raise ValidationError(
            {
                "stage": f"只能向前推进：{target.stage} → {stage} / "
                f"the pipeline only moves forward: {target.stage} → {stage}"
            }
        )
    _check_date(target, on)
    target.stage, target.stage_on = stage, on
    target.full_clean()
    _attribute(target, actor, f"stage {stage}")
    target.save()
    TargetStep.objects.create(
        target=target, stage=stage, on=on, note=(note or reason)[:300], actor=_user(actor)
    )
    return target


@transaction.atomic
def target_land(
    *,
    actor: Any,
    target: InvestmentTarget,
    town: Any,
    category: str = "new",
    owner: Any = None,
    new_owner: Mapping[str, Any] | None = None,
    node: Any = None,
    name: str = "",
    total_investment: Decimal | None = None,
    on: date | None = None,
) -> Any:
    """A signed lead lands: it becomes a project in the project library (one action, linked both ways).

    Name, area, chain node, total investment and source come from the lead; only what the lead does
    not know is asked: the town, and the local owner (an enterprise of the library, or ``new_owner``
    with its credit code, registered through the project service).
    """
    from semicluster.projects.models import ProjectSource
    from semicluster.projects.services import project_save

    _check_write(actor, target)
    if target.stage != Stage.SIGNED:
        raise ValidationError({"stage": "只有已签约的线索可以落地 / only a signed lead can land"})
    if target.project_id:
        raise ValidationError({"project": "该线索已落地 / the lead has already landed"})
    if target.intended_area_id is None:
        raise ValidationError(
            {"intended_area": "落地前须确定意向区域 / set the intended area before landing"}
        )
    if town.area_id != target.intended_area_id:
        raise ValidationError({"town": "镇须属于意向区域 / the town must lie in the intended area"})
    if (owner is None) == (not new_owner):
        raise ValidationError({"owner": "选择项目单位或登记新企业 / choose the owner or register a new one"})
    on = on or timezone.localdate()
    _check_date(target, on)
    node = node or target.nodes.order_by("segment__sort", "sort").first()
    investment = total_investment if total_investment is not None else target.estimated_investment
    if investment is None:
        raise ValidationError(
            {"total_investment": "落地须有总投资 / a landed project needs its total investment"}
        )
    data: dict[str, Any] = {
        "name": name or f"{target.name}项目",
        "area": target.intended_area,
        "town": town,
        "node": node,
        "category": category,
        "total_investment": investment,
        "source": ProjectSource.INVESTMENT_LEAD,
        "construction_content": target.note,
        "responsible_unit": target.responsible_unit,
    }
    if owner is not None:
        data["owner"] = owner
    result = project_save(actor=actor, data=data, new_owner=new_owner)
    project = result.project
    target.project = project
    target.stage, target.stage_on = Stage.LANDED, on
    target.full_clean()
    _attribute(target, actor, "landed")
    target.save()
    TargetStep.objects.create(
        target=target, stage=Stage.LANDED, on=on, note=f"项目 project #{project.pk}", actor=_user(actor)
    )
    return project


# --- chain communities --------------------------------------------------------------------------


def _check_community_write(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not (
        actor.is_superuser or actor.role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER)
    ):
        raise PermissionDenied(
            "Only the leading-group office and district officers record chain communities."
        )


@transaction.atomic
def community_save(
    *,
    actor: Any,
    data: Mapping[str, Any],
    nodes: Iterable[Any] = (),
    instance: ChainCommunity | None = None,
) -> ChainCommunity:
    _check_community_write(actor)
    community = instance or ChainCommunity()
    for key in ("name", "leader", "formed_on", "description", "breakpoint_items"):
        if key in data:
            setattr(community, key, data[key])
    if actor.role == Role.DISTRICT_OFFICER and community.leader.area_id != actor.area_id:
        raise PermissionDenied("The leader enterprise is outside your area.")
    community.full_clean()
    _attribute(community, actor)
    community.save()
    if nodes:
        community.nodes.set(list(nodes))
    return community


def member_add(
    *,
    actor: Any,
    community: ChainCommunity,
    role: str,
    enterprise: Any = None,
    outside_name: str = "",
    outside_location: str = "",
    node: Any = None,
) -> CommunityMember:
    _check_community_write(actor)
    member = CommunityMember(
        community=community,
        role=role,
        enterprise=enterprise,
        outside_name=outside_name,
        outside_location=outside_location,
        node=node or (enterprise.primary_node if enterprise is not None else None),
    )
    member.full_clean()
    _attribute(member, actor)
    member.save()
    return member


def action_add(*, actor: Any, community: ChainCommunity, title: str, **fields: Any) -> JointAction:
    _check_community_write(actor)
    action = JointAction(community=community, title=title, **fields)
    action.full_clean()
    _attribute(action, actor)
    action.save()
    return action
