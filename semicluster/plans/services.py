"""Writes for plans. Loading a plan file is idempotent; a changed file becomes a new version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from semicluster.core.audit import record_security_event
from semicluster.core.models import SecurityEvent
from semicluster.plans.models import (
    Area,
    ChainNode,
    ChainSegment,
    DesignationType,
    Goal,
    KeyTechnology,
    Plan,
    PlanVersion,
    Task,
    Town,
    Unit,
)
from semicluster.plans.validation import PlanProblem, validate_file


class PlanInvalid(Exception):
    def __init__(self, problems: list[PlanProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadResult:
    version: PlanVersion
    created: bool


def content_hash(document: dict[str, Any]) -> str:
    """Hash of the validated content, so comments and layout changes do not make a new version."""
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def plan_load(path: Path | str, *, actor: Any = None) -> LoadResult:
    result = validate_file(path)
    if not result.ok or result.document is None:
        raise PlanInvalid(result.problems)
    document = result.document
    digest = content_hash(document)
    meta = document["plan"]
    with transaction.atomic():
        plan, _ = Plan.objects.update_or_create(
            code=meta["code"],
            defaults={
                "name": meta["title"],
                "name_en": meta["title_en"],
                "region_code": meta["region"]["code"],
                "region_name": meta["region"]["name"],
                "year": meta["year"],
            },
        )
        existing = plan.versions.filter(content_hash=digest).first()
        if existing is not None:
            return LoadResult(existing, created=False)
        last = plan.versions.order_by("-number").first()
        version = PlanVersion.objects.create(
            plan=plan,
            number=(last.number + 1) if last else 1,
            content_hash=digest,
            document=document,
            source_path=str(path),
            source_text=result.text,
            loaded_by=actor if getattr(actor, "pk", None) else None,
        )
        _materialise(version, document, actor)
        record_security_event(
            SecurityEvent.Kind.PLAN_LOAD,
            user=actor,
            detail={"plan": plan.code, "version": version.number, "hash": digest, "file": str(path)},
        )
    return LoadResult(version, created=True)


def _save(instance: Any, actor: Any) -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor
    instance.save()


def _upsert(model: Any, code: str, values: dict[str, Any], actor: Any) -> Any:
    instance = model.objects.filter(code=code).first() or model(code=code)
    changed = instance.pk is None or any(getattr(instance, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(instance, key, value)
    if changed:
        _save(instance, actor)
    return instance


def _materialise(version: PlanVersion, doc: dict[str, Any], actor: Any) -> None:
    version_label = doc["classification"]["version"]
    nodes: dict[str, ChainNode] = {}
    for s_index, segment in enumerate(doc["chain"]["segments"]):
        seg = _upsert(
            ChainSegment,
            segment["code"],
            {"name": segment["name"], "name_en": segment["name_en"], "sort": s_index},
            actor,
        )
        for n_index, node in enumerate(segment["nodes"]):
            nodes[node["code"]] = _upsert(
                ChainNode,
                node["code"],
                {
                    "name": node["name"],
                    "name_en": node["name_en"],
                    "segment": seg,
                    "industry_codes": node["industry_codes"],
                    "classification_version": version_label,
                    "priority": node.get("priority", ""),
                    "description": node.get("description", ""),
                    "sort": n_index,
                },
                actor,
            )
    units = {
        u["code"]: _upsert(
            Unit,
            u["code"],
            {"name": u["name"], "name_en": u["name_en"], "short_name": u["short_name"]},
            actor,
        )
        for u in doc["units"]
    }
    for a_index, area_doc in enumerate(doc["areas"]):
        area = _upsert(
            Area,
            area_doc["code"],
            {
                "name": area_doc["name"],
                "name_en": area_doc["name_en"],
                "official_name": area_doc["official_name"],
                "focus": area_doc["focus"],
                "source": area_doc["source"],
                "source_text": area_doc["source_text"],
                "sort": a_index,
            },
            actor,
        )
        area.focus_nodes.set([nodes[c] for c in area_doc["focus_nodes"]])
        for town in area_doc["towns"]:
            _upsert(
                Town, town["code"], {"name": town["name"], "name_en": town["name_en"], "area": area}, actor
            )
    for designation in doc.get("designations", []):
        _upsert(
            DesignationType,
            designation["code"],
            {
                "name": designation["name"],
                "name_en": designation["name_en"],
                "level": designation["level"],
                "authority": designation["authority"],
                "validity_years": designation.get("validity_years"),
                "source": designation.get("source", ""),
                "source_text": designation.get("source_text", ""),
            },
            actor,
        )
    for index, goal in enumerate(doc["goals"]):
        Goal.objects.create(
            plan_version=version,
            code=goal["code"],
            name=goal["name"],
            name_en=goal["name_en"],
            source=goal["source"],
            source_text=goal["source_text"],
            target=Decimal(str(goal["target"])),
            unit=goal["unit"],
            comparison=goal["comparison"],
            deadline=goal["deadline"],
            indicator=goal["indicator"],
            sort=index,
        )
    for index, tech in enumerate(doc.get("key_technologies", [])):
        kt = KeyTechnology.objects.create(
            plan_version=version,
            code=tech["code"],
            name=tech["name"],
            name_en=tech["name_en"],
            source=tech["source"],
            source_text=tech["source_text"],
            sort=index,
        )
        kt.nodes.set([nodes[c] for c in tech["nodes"]])
    for index, task_doc in enumerate(doc["tasks"]):
        task = Task.objects.create(
            plan_version=version,
            code=task_doc["code"],
            title=task_doc["title"],
            title_en=task_doc["title_en"],
            source=task_doc["clause"],
            source_text=task_doc["source_text"],
            lead_unit=units[task_doc["lead_unit"]],
            deadline=task_doc["deadline"],
            milestones=task_doc.get("milestones", []),
            sort=index,
        )
        task.co_units.set([units[c] for c in task_doc.get("co_units", [])])
    _materialise_platforms(doc, nodes)


def _materialise_platforms(doc: dict[str, Any], nodes: dict[str, ChainNode]) -> None:
    # Imported here: the enterprise library depends on plans, not the other way round at import time.
    from semicluster.enterprises.models import InnovationPlatform

    for platform_doc in doc.get("innovation_platforms", []):
        platform, _ = InnovationPlatform.objects.update_or_create(
            name=platform_doc["name"],
            defaults={
                "name_en": platform_doc.get("name_en", ""),
                "kind": platform_doc["kind"],
                "named_in_plan": True,
                "source": platform_doc["source"],
                "area": Area.objects.filter(code=platform_doc.get("area", "")).first(),
            },
        )
        platform.fields.set([nodes[c] for c in platform_doc.get("fields", [])])
