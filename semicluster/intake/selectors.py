"""Reads of import batches: the uploader sees their own batches, the city admin sees every batch."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from semicluster.accounts.models import Role

from .models import ImportBatch


def sees_every_batch(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and (user.is_superuser or user.role == Role.CITY_ADMIN)
    )


def batch_list(*, user: Any, dataset: str = "", status: str = "") -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.select_related("user").defer("summary")
    if not sees_every_batch(user):
        qs = qs.filter(user_id=getattr(user, "pk", None) or -1)
    if dataset:
        qs = qs.filter(dataset=dataset)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def batch_detail(*, user: Any, pk: int) -> ImportBatch:
    """One batch, or 404 when it is someone else's (never 'forbidden', which would confirm it exists)."""
    qs = ImportBatch.objects.select_related("user", "reverted_by")
    if not sees_every_batch(user):
        qs = qs.filter(user_id=getattr(user, "pk", None) or -1)
    batch = qs.filter(pk=pk).first()
    if batch is None:
        raise Http404("No import batch matches the given query.")
    return batch
