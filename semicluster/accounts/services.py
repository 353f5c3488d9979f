"""Writes about users and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from semicluster.accounts.models import ApiToken, User
from semicluster.core.audit import record_security_event
from semicluster.core.models import SecurityEvent

TOKEN_PREFIX = "sc_"  # noqa: S105 - a public marker, not a secret


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, request: Any = None) -> tuple[ApiToken, str]:
    """Create a token; returns the record and the secret, which is never stored or shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:80] or "token", prefix=secret[:10], key_hash=hash_token(secret)
    )
    record_security_event(
        SecurityEvent.Kind.TOKEN,
        user=user,
        request=request,
        detail={"action": "create", "token": token.prefix},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken, request: Any = None) -> None:
    if token.user_id != user.pk:
        raise PermissionError("a token can only be revoked by its owner")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_security_event(
            SecurityEvent.Kind.TOKEN,
            user=user,
            request=request,
            detail={"action": "revoke", "token": token.prefix},
        )


def api_token_authenticate(secret: str, request: Any = None) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch last-use, and log the use, at most once a minute per token: a busy client should not
    # write on every request, and the log still shows every minute a token was in use.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        record_security_event(
            SecurityEvent.Kind.TOKEN,
            user=token.user,
            request=request,
            detail={"action": "use", "token": token.prefix, "name": token.name},
        )
    return token.user
