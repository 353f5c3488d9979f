"""Writes of the report workflow. Every step is a city-admin action, atomic and audited.

draft ──submit──▶ review ──approve──▶ approved ──publish──▶ published
  ▲                 │                    │                      │
  └────return───────┴────────return──────┘        reopen ───────┘ (a correction: next version)

Edits and regeneration are allowed in draft and review only; approved and published content is locked.
Publishing renders Word, HTML and PDF from the approved content and stores them, with the Document
JSON, as a new immutable ``ReportVersion``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from semicluster.core.models import SecurityEvent
from semicluster.documents.model import iter_paragraphs
from semicluster.documents.serialize import document_from_dict, document_to_dict
from semicluster.reports.build import build_annual_report
from semicluster.reports.models import AnnualReport, Edition, ReportEvent, ReportVersion, Status
from semicluster.reports.render import render
from semicluster.reports.selectors import (
    current_document,
    is_generated,
    last_published_suppression,
    may_manage,
)


@dataclass(frozen=True)
class Transition:
    action: str
    source: tuple[str, ...]
    target: str


TRANSITIONS = {
    "submit": Transition("submit", (Status.DRAFT,), Status.REVIEW),
    "approve": Transition("approve", (Status.REVIEW,), Status.APPROVED),
    "return": Transition("return", (Status.REVIEW, Status.APPROVED), Status.DRAFT),
    "publish": Transition("publish", (Status.APPROVED,), Status.PUBLISHED),
    "reopen": Transition("reopen", (Status.PUBLISHED,), Status.DRAFT),
}


def _require_manager(actor: Any) -> None:
    if not may_manage(actor):
        raise PermissionDenied("只有市级管理员可以编辑和发布报告 / only city admins edit and publish reports")


def _event(report: AnnualReport, actor: Any, action: str, before: str, after: str, note: str = "") -> None:
    ReportEvent.objects.create(
        report=report, actor=actor, action=action, from_status=before, to_status=after, note=note
    )


def _generate(report: AnnualReport) -> None:
    built = build_annual_report(
        report.year, report.edition, carried=last_published_suppression(report.year, report.edition)
    )
    report.snapshot = {
        "document": document_to_dict(built.document),
        "datasets": [d.to_dict() for d in built.datasets],
        "suppression": built.suppression,
    }
    report.generated_at = timezone.now()


@transaction.atomic
def report_create(*, actor: Any, year: int, edition: str) -> AnnualReport:
    """Start (or return the existing) report of ``year`` and ``edition``, generated from the data."""
    _require_manager(actor)
    if edition not in Edition.values:
        raise ValidationError({"edition": "版本须为 internal 或 public / edition must be internal or public"})
    existing = AnnualReport.objects.filter(year=year, edition=edition).first()
    if existing is not None:
        return existing
    report = AnnualReport(year=year, edition=edition, created_by=actor)
    _generate(report)
    report.full_clean()
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    _event(report, actor, "create", "", Status.DRAFT)
    return report


def _lock_for_update(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().get(pk=report.pk)


def _require_generated(report: AnnualReport) -> None:
    if not is_generated(report):
        raise ValidationError(
            "报告尚未生成，请先从数据重新生成 / the report has no content yet: regenerate it first"
        )


@transaction.atomic
def report_regenerate(*, actor: Any, report: AnnualReport) -> AnnualReport:
    """Rebuild from fresher data; the stored edits re-attach by paragraph key."""
    _require_manager(actor)
    report = _lock_for_update(report)
    if report.status not in (Status.DRAFT, Status.REVIEW):
        raise ValidationError("已批准或已发布的报告不能重新生成 / approved or published reports are locked")
    _generate(report)
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    _event(report, actor, "regenerate", report.status, report.status)
    return report


@transaction.atomic
def report_edit(*, actor: Any, report: AnnualReport, key: str, text: str) -> AnnualReport:
    """Store the edit of the paragraph ``key``; blank text or the generated text itself removes the edit."""
    _require_manager(actor)
    report = _lock_for_update(report)
    if report.status not in (Status.DRAFT, Status.REVIEW):
        raise ValidationError("已批准或已发布的报告不能修改 / approved or published reports are locked")
    _require_generated(report)
    generated = {
        p.key: p.generated_text or p.text
        for p in iter_paragraphs(document_from_dict(report.snapshot["document"]))
        if p.key
    }
    if key not in generated:
        raise ValidationError({"key": f"没有编号为“{key}”的段落 / no paragraph with key {key!r}"})
    edits = dict(report.edits or {})
    text = text.strip()
    if not text or text == generated[key]:
        edits.pop(key, None)
    else:
        edits[key] = text
    report.edits = edits
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    _event(report, actor, "edit", report.status, report.status, key)
    return report


@transaction.atomic
def report_transition(*, actor: Any, report: AnnualReport, action: str, note: str = "") -> AnnualReport:
    """Move the report along the workflow; ``publish`` also creates the immutable version."""
    _require_manager(actor)
    step = TRANSITIONS.get(action)
    if step is None:
        raise ValidationError({"action": f"未知操作 / unknown action {action!r}"})
    report = _lock_for_update(report)
    if report.status not in step.source:
        raise ValidationError(
            f"报告状态为“{report.get_status_display()}”，不能执行该操作 / "
            f"cannot {action} a report that is {report.status}"
        )
    _require_generated(report)
    before = report.status
    if action == "publish":
        _publish(report, actor)
    report.status = step.target
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    _event(report, actor, action, before, step.target, note)
    return report


def _publish(report: AnnualReport, actor: Any) -> ReportVersion:
    document = current_document(report)
    docx = render(document, "docx")
    pdf = render(document, "pdf")
    html = render(document, "html").decode("utf-8")
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ReportVersion(
        report=report,
        number=number,
        document=document_to_dict(document),
        datasets=report.snapshot.get("datasets", []) if report.is_public else [],
        suppression=report.snapshot.get("suppression", []),
        docx=docx,
        pdf=pdf,
        html=html,
        sha256_docx=hashlib.sha256(docx).hexdigest(),
        sha256_pdf=hashlib.sha256(pdf).hexdigest(),
        published_at=timezone.now(),
        published_by=actor,
    )
    version.save()
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.PUBLISH,
        user=actor,
        username=getattr(actor, "username", ""),
        detail={"report": report.pk, "year": report.year, "edition": report.edition, "version": number},
    )
    return version
