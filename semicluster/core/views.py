from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from semicluster.enterprises import selectors as enterprise_selectors
from semicluster.plans import selectors as plan_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    version = plan_selectors.current_plan_version()
    return render(
        request,
        "core/home.html",
        {
            "version": version,
            "goals": plan_selectors.goals_of(version) if version else [],
            "library": enterprise_selectors.library_summary(user=request.user),
        },
    )


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For monitoring: the process answers and the database responds."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": "ok"})
    except Exception as exc:
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"loc": [], "msg": "Not found."}]}, status=404)
    return page_not_found(request, exception)
