"""Reads about users."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import QuerySet

from semicluster.accounts.models import User

DEMO_PASSWORD = "demo-pass-2025"  # noqa: S105 - synthetic demo accounts only, shown on the login page


def demo_logins() -> QuerySet[User] | list[User]:
    """The demo accounts to show on the login page; none outside demo mode."""
    if not settings.SEMICLUSTER_DEMO_MODE:
        return []
    return (
        User.objects.filter(username__startswith="demo-")
        # System accounts that act for the demo generator have no password and cannot log in.
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .select_related("area", "unit", "enterprise")
        .order_by("role", "username")
    )
