from decimal import Decimal

from django import template
from django.utils.translation import pgettext_lazy

from semicluster.core import formatting

register = template.Library()

# What a count goal counts, as Chinese statistics write it after the number (80 家, 12 个).
COUNT_UNITS = {
    "enterprises": pgettext_lazy("count of enterprises", "firms"),
    "projects": pgettext_lazy("count of projects", "projects"),
}

LIGHTS = {"achieved": "green", "on_track": "green", "at_risk": "yellow", "off_track": "red"}


@register.filter
def figure(value: Decimal | None, unit: str) -> str:
    """A goal's figure in its unit: money in 亿元 / 万元, counts as whole numbers."""
    if value is None:
        return "—"
    if unit == "yuan":
        return formatting.money(value)
    number = f"{Decimal(value).normalize():f}"
    suffix = COUNT_UNITS.get(unit)
    return f"{number} {suffix}" if suffix else number


@register.filter
def table_figure(value: Decimal | None, unit: str) -> str:
    """A figure in a breakdown table: money always in 亿元, so a column shares one unit and adds up
    by eye (a small area's 0.38 亿元, not 3,822.22 万元 between rows in 亿元)."""
    if unit == "yuan" and value is not None:
        return formatting.money(value, "yi")
    return figure(value, unit)


@register.filter
def light(status: str) -> str:
    return LIGHTS.get(status or "", "")


@register.simple_tag
def period_code(year: int, month: int) -> str:
    return f"{year}" if month == 0 else f"{year}-{month:02d}"
