from decimal import Decimal

from django import template

from semicluster.core import formatting

register = template.Library()

LIGHTS = {"achieved": "green", "on_track": "green", "at_risk": "yellow", "off_track": "red"}


@register.filter
def figure(value: Decimal | None, unit: str) -> str:
    """A goal's figure in its unit: money in 亿元 / 万元, counts as whole numbers."""
    if value is None:
        return "—"
    if unit == "yuan":
        return formatting.money(value)
    return f"{Decimal(value).normalize():f}"


@register.filter
def light(status: str) -> str:
    return LIGHTS.get(status or "", "")


@register.simple_tag
def period_code(year: int, month: int) -> str:
    return f"{year}" if month == 0 else f"{year}-{month:02d}"
