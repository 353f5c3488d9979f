"""Recording who did what. Every service that writes passes its actor through here."""

from __future__ import annotations

from typing import Any

from semicluster.core.models import SecurityEvent


def client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_security_event(
    kind: str, *, user: Any = None, request: Any = None, detail: dict | None = None
) -> None:
    real_user = user if getattr(user, "pk", None) else None
    SecurityEvent.objects.create(
        kind=kind,
        user=real_user,
        username=getattr(user, "username", "") or "",
        ip=client_ip(request),
        detail=detail or {},
    )
