"""Exact yuan for award figures: an award is decided to the fen, so it is shown to the fen."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value: object) -> str:
    """12345.5 → "12,345.50 元"; None or blank → "—". Accepts Decimal or a decimal string (stored JSON)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount:,.2f} 元"
