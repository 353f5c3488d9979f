"""Statistical disclosure control for the public edition (ADR 0009), on top of ``semicluster.disclosure``.

The confidential rule parameters come from ``settings.SEMICLUSTER_DISCLOSURE`` (a dict, see
``DisclosureParameters.from_mapping``); missing keys take the engine's defaults. They are never written
into a report, a page or the open data: only the suppression symbol and its footnote are.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal

from django.conf import settings

from semicluster.disclosure import (
    PUBLIC_FOOTNOTE,
    SUPPRESSION_SYMBOL,
    CellKey,
    Contribution,
    DisclosureParameters,
    ProtectedTable,
    Table,
    assess_cell,
    protect_table,
)

__all__ = [
    "PUBLIC_FOOTNOTE",
    "SUPPRESSION_SYMBOL",
    "disclosure_parameters",
    "protect",
    "public_total",
]


def disclosure_parameters() -> DisclosureParameters:
    """The server's confidential parameters (engine defaults for anything not configured)."""
    return DisclosureParameters.from_mapping(getattr(settings, "SEMICLUSTER_DISCLOSURE", {}) or {})


def public_total(
    contributions: Iterable[Contribution], params: DisclosureParameters | None = None
) -> Decimal | str:
    """A single published figure (e.g. the city's total): its value, or the symbol if a primary rule fails.

    A lone figure has no margins, so there is nothing to recompute it from and no secondary suppression.
    """
    items = list(contributions)
    assessment = assess_cell(items, params or disclosure_parameters())
    if assessment.sensitive:
        return SUPPRESSION_SYMBOL
    return assessment.total


def protect(
    table: Table, params: DisclosureParameters | None = None, carried: Collection[CellKey] = ()
) -> ProtectedTable:
    """Primary and secondary suppression with the LP audit (``disclosure.protect_table``)."""
    return protect_table(table, params or disclosure_parameters(), carried)
