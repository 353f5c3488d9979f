"""Security headers the platform sets on every response."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

# No inline scripts or styles anywhere: page data reaches charts through json_script blocks
# (type application/json, never executed) and static files only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The interactive API docs ship their own inline bootstrap script; they get a relaxed
        # policy on their own path only.
        if not request.path.startswith("/api/docs"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class RejectNulCharactersMiddleware:
    """Refuse requests carrying a NUL character (in the path, the query or the body) with a 400.

    No legitimate form, import or API call contains one, and PostgreSQL cannot store or even compare
    text containing it: let through, it would surface as a 500 deep in a query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            message = "The request contains a NUL character, which is never valid input."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": [{"loc": [], "msg": message}]}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH") and not content_type.startswith("multipart/"):
            body = request.body
            return b"\x00" in body or (content_type.startswith("application/json") and b"\\u0000" in body)
        return False


class DeniedRequestLogMiddleware:
    """Every 403 — a page, an API call or a form post the user may not make — goes to the security
    log with who, where and how, so an investigator sees probing as well as use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            from semicluster.core.audit import record_security_event
            from semicluster.core.models import SecurityEvent

            user = getattr(request, "user", None)
            record_security_event(
                SecurityEvent.Kind.DENIED,
                user=user if getattr(user, "is_authenticated", False) else None,
                request=request,
                detail={"method": request.method, "path": request.path[:300]},
            )
        return response
