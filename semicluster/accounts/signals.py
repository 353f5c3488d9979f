"""Log-ins, failures and log-outs go to the append-only security log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from semicluster.core.audit import record_security_event
from semicluster.core.models import SecurityEvent


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_security_event(SecurityEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_security_event(SecurityEvent.Kind.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Never store the attempted password; the user name is what an investigator needs.
    record_security_event(
        SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    record_security_event(
        SecurityEvent.Kind.DENIED,
        request=request,
        detail={"reason": "lockout", "username": str(username or "")[:150]},
    )
