"""The REST API (django-ninja, OpenAPI 3.1), assembled from each app's api.py router.

Machine clients authenticate with a bearer token (created and revoked by the user in the UI, stored
hashed); browsers use their session (with CSRF). Every endpoint is scoped exactly like the UI: the
routers call the same selectors and services as the views.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from semicluster.core.registry import app_modules


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from semicluster.accounts.services import api_token_authenticate

        user = api_token_authenticate(token, request)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="semicluster API",
    version="1",
    description=(
        "Every dataset of the platform, scoped exactly like the web UI. Authenticate with "
        "`Authorization: Bearer <token>` (create tokens under your account's API tokens page) or a "
        'browser session. Errors are JSON: `{"detail": [{"loc": [...], "msg": "..."}]}`.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": " ".join(str(m) for e in errors for m in e.messages)}
            for field, errors in exc.error_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
    return _error(request, 422, detail)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(
        request, 422, [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "")} for e in exc.errors]
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, [{"loc": [], "msg": "Not found."}])


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, [{"loc": ["header", "Authorization"], "msg": "Authentication required."}])


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return on_unauthenticated(request, exc)
    return _error(request, exc.status_code, [{"loc": [], "msg": str(exc)}])


@api.exception_handler(PermissionError)
def on_forbidden(request: HttpRequest, exc: PermissionError) -> HttpResponse:
    return _error(request, 403, [{"loc": [], "msg": str(exc) or "Not allowed for your role."}])


for _app, module in app_modules("api"):
    api.add_router(module.API_PREFIX, module.router)
