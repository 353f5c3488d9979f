from decimal import Decimal

from django import template

from semicluster.core import formatting

register = template.Library()


@register.filter
def rate(value: Decimal | None, places: int = 1) -> str:
    """A 0–1 rate as a percentage (0.3512 → 35.1%)."""
    return "—" if value is None else formatting.percent(Decimal(value) * 100, places)
