"""Public pages: anyone may read them, nobody is asked to log in."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from semicluster.portal import opendata, selectors
from semicluster.reports.render import CONTENT_TYPES, FORMATS
from semicluster.reports.sdc import PUBLIC_FOOTNOTE, SUPPRESSION_SYMBOL


def _latest():  # type: ignore[no-untyped-def]
    versions = opendata.latest_versions()
    return versions[0] if versions else None


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = _latest()
    return render(
        request,
        "portal/home.html",
        {
            "latest": latest,
            "goals": selectors.headline_goals(latest),
            "versions": selectors.all_versions(),
            "symbol": SUPPRESSION_SYMBOL,
        },
    )


def _report_page(request: HttpRequest, year: int, number: int | None) -> HttpResponse:
    version = selectors.version_or_404(year, number)
    others = [v for v in selectors.all_versions() if v.report.year == year]
    return render(
        request,
        "portal/report.html",
        {"version": version, "html": version.html, "others": others, "formats": ("docx", "pdf")},
    )


@require_safe
def report(request: HttpRequest, year: int) -> HttpResponse:
    return _report_page(request, year, None)


@require_safe
def report_version(request: HttpRequest, year: int, number: int) -> HttpResponse:
    return _report_page(request, year, number)


@require_safe
def download(request: HttpRequest, year: int, number: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    version = selectors.version_or_404(year, number)
    data = {"docx": bytes(version.docx), "pdf": bytes(version.pdf), "html": version.html.encode()}[fmt]
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    if fmt != "html":
        name = f"kunshan-semiconductor-monitoring-{year}-v{number}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def data(request: HttpRequest) -> HttpResponse:
    latest = _latest()
    return render(
        request,
        "portal/data.html",
        {
            "latest": latest,
            "matrix": selectors.area_segment_matrix(latest),
            "symbol": SUPPRESSION_SYMBOL,
            "footnote": PUBLIC_FOOTNOTE,
        },
    )


@require_safe
def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/methodology.html",
        {
            "definitions": selectors.indicator_definitions(),
            "symbol": SUPPRESSION_SYMBOL,
            "footnote": PUBLIC_FOOTNOTE,
        },
    )


@require_safe
def opendata_index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/opendata.html", {"resources": opendata.resources()})


@require_safe
def datapackage(request: HttpRequest) -> HttpResponse:
    return JsonResponse(opendata.datapackage(), json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri(reverse("portal:opendata"))
    body = json.dumps(opendata.dcat_catalog(base), ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


@require_safe
def csv_file(request: HttpRequest, name: str) -> HttpResponse:
    resource = opendata.resource_by_name(name)
    if resource is None:
        raise Http404("No such dataset.")
    response = HttpResponse(resource.csv_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{resource.name}.csv"'
    return response
