"""The admin site: users who enrolled an authenticator app must have a verified session."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.sites import AdminSite
from django.http import HttpRequest
from django_otp import user_has_device


class SemiclusterAdminSite(AdminSite):
    site_header = "semicluster"
    site_title = "semicluster"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        user = request.user
        return not user_has_device(user) or bool(getattr(user, "is_verified", lambda: False)())


class SemiclusterAdminConfig(AdminConfig):
    default_site = "semicluster.core.admin_site.SemiclusterAdminSite"
