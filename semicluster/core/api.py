"""The REST API (django-ninja, OpenAPI 3.1), assembled from each app's api.py router."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import SessionAuth

from semicluster.core.registry import app_modules

api = NinjaAPI(
    title="semicluster API",
    version="1",
    description="Every dataset of the platform, scoped exactly like the web UI.",
    auth=[SessionAuth()],
    urls_namespace="api",
)

for _app, module in app_modules("api"):
    api.add_router(module.API_PREFIX, module.router)
