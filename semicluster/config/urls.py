"""Root URLs. Domain apps contribute their own urls.py through the registry (settings.DOMAIN_APPS)."""

from django.contrib import admin
from django.urls import include, path

from semicluster.core.api import api
from semicluster.core.registry import app_modules

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("semicluster.core.urls")),
]
for _app, module in app_modules("urls"):
    urlpatterns.append(path(module.URL_PREFIX, include(module)))

# Unknown URLs under /api/ answer in the API's JSON error shape; pages keep Django's HTML 404.
handler404 = "semicluster.core.views.not_found"
