"""Reads of the report workflow, scoped by role (ADR 0009 §scoping).

City admins and leaders see both editions. District and unit officers see the public edition only:
the internal edition names enterprises of every area, which is more than their scope (a district
officer sees their own area's firms only), so for them it is simply not found (404). Enterprise users
and the anonymous public have no report workflow (the public reads published reports on the portal).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from semicluster.accounts.models import Role
from semicluster.documents.model import Document, Paragraph, apply_edits, iter_paragraphs
from semicluster.documents.serialize import document_from_dict
from semicluster.reports.models import AnnualReport, Edition, ReportVersion, Status

READ_ROLES = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER, Role.UNIT_OFFICER)


def is_city_wide(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in (Role.CITY_ADMIN, Role.LEADER)))


def may_manage(user: Any) -> bool:
    """Only the leading-group office (city admins) edits, moves and publishes reports."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.CITY_ADMIN))


def may_read(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in READ_ROLES))


def report_list(*, user: Any) -> QuerySet[AnnualReport]:
    if not may_read(user):
        return AnnualReport.objects.none()
    qs = AnnualReport.objects.all()
    if not is_city_wide(user):
        qs = qs.filter(edition=Edition.PUBLIC)
    return qs.order_by("-year", "edition")


def report_detail(*, user: Any, pk: int) -> AnnualReport:
    report = report_list(user=user).filter(pk=pk).first()
    if report is None:
        raise Http404("No annual report matches the given query.")
    return report


def version_detail(*, user: Any, pk: int, number: int) -> ReportVersion:
    report = report_detail(user=user, pk=pk)
    version = report.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return version


def last_published_suppression(year: int, edition: str) -> list[list[str]]:
    """The cells hidden in the latest published version of ``year``'s ``edition``: a later build keeps
    them hidden, so no one can recover a once-suppressed figure by comparing two published tables."""
    last = (
        ReportVersion.objects.filter(report__year=year, report__edition=edition).order_by("-number").first()
    )
    return list(last.suppression) if last is not None else []


def is_generated(report: AnnualReport) -> bool:
    return bool(report.snapshot)


def current_document(report: AnnualReport) -> Document:
    """The report as it reads now: the generated snapshot with the stored edits on top."""
    if not report.snapshot:
        raise ValueError("报告尚未生成 / the report has not been generated")
    return apply_edits(document_from_dict(report.snapshot["document"]), report.edits or {})


def keyed_paragraphs(report: AnnualReport) -> list[Paragraph]:
    """The editable (generated, keyed) paragraphs in reading order."""
    return [p for p in iter_paragraphs(current_document(report)) if p.key]


def published_public_versions() -> QuerySet[ReportVersion]:
    """Every published version of a public edition, newest first: all the portal may show."""
    return (
        ReportVersion.objects.filter(report__edition=Edition.PUBLIC)
        .select_related("report")
        .order_by("-report__year", "-number")
    )


def is_locked(report: AnnualReport) -> bool:
    return report.status in (Status.APPROVED, Status.PUBLISHED)
