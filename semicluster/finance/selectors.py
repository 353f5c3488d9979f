"""Reads for financing needs and the listing pipeline (scoped like every list)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.enterprises.models import Enterprise
from semicluster.finance.models import FinancingNeed, ListingRecord


def needs(*, user: Any, status: str = "", instrument: str = "") -> QuerySet[FinancingNeed]:
    qs = visible_to(FinancingNeed.objects.all(), user).select_related("enterprise", "enterprise__area")
    if status:
        qs = qs.filter(status=status)
    if instrument:
        qs = qs.filter(instrument=instrument)
    return qs


def need_detail(*, user: Any, pk: int) -> FinancingNeed:
    return get_visible_or_404(needs(user=user), user, pk=pk)


def need_summary(*, user: Any) -> dict[str, Any]:
    """Counts and amounts by status and by instrument (yuan, exact)."""
    qs = visible_to(FinancingNeed.objects.all(), user)
    by_status = {
        row["status"]: row for row in qs.values("status").annotate(n=Count("id"), total=Sum("amount"))
    }
    by_instrument = {
        row["instrument"]: row for row in qs.values("instrument").annotate(n=Count("id"), total=Sum("amount"))
    }
    return {
        "by_status": [
            (label, by_status.get(value, {}).get("n", 0), by_status.get(value, {}).get("total") or Decimal(0))
            for value, label in FinancingNeed.Status.choices
        ],
        "by_instrument": [
            (
                label,
                by_instrument.get(value, {}).get("n", 0),
                by_instrument.get(value, {}).get("total") or Decimal(0),
            )
            for value, label in FinancingNeed.Instrument.choices
        ],
        "funded": qs.filter(status=FinancingNeed.Status.FUNDED).aggregate(t=Sum("funded_amount"))["t"]
        or Decimal(0),
    }


def listings(*, user: Any, stage: str = "", board: str = "") -> QuerySet[ListingRecord]:
    qs = visible_to(ListingRecord.objects.all(), user).select_related("enterprise", "enterprise__area")
    if stage:
        qs = qs.filter(stage=stage)
    if board:
        qs = qs.filter(board=board)
    return qs


def listing_detail(*, user: Any, pk: int) -> ListingRecord:
    return get_visible_or_404(listings(user=user), user, pk=pk)


def listing_counts(*, user: Any) -> list[tuple[str, str, int]]:
    """(stage, label, count) for every stage of the pipeline, in pipeline order, zeros included."""
    counts = dict(
        visible_to(ListingRecord.objects.all(), user)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in ListingRecord.Stage.choices]


def enterprise_finance(enterprise: Enterprise) -> dict[str, Any]:
    return {
        "needs": list(FinancingNeed.objects.filter(enterprise=enterprise).order_by("-submitted_on")),
        "listings": list(ListingRecord.objects.filter(enterprise=enterprise)),
    }
